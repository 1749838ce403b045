"""Who may reach the live session and the minutes (read by tests/test_permissions.py).

Outcomes in PERSONAS order: anonymous, outsider, other_member, member,
referent, other_coordinator, coordinator, admin,
individual, session_registrant. A series you are not part
of is 404; taking part without coordinating it is 403 on the coordinators'
pages. The live session is a session a week ahead (its writes
are refused with a message and a redirect); the minutes pages use a session
held with draft minutes and one with published minutes.
"""

import datetime

from core.request_cache import forget

LOGIN, OK = "login", 200
# `individual` and `session_registrant` take part in the `series` fixture, not in this one: 404.
COORDINATORS_ONLY = (LOGIN, 404, 404, 403, 403, 404, OK, OK, 404, 404)
COORDINATORS_POST = (LOGIN, 404, 404, 403, 403, 404, 302, 302, 404, 404)
# The live forms posted empty without JavaScript: refused, the page comes back with why (400).
COORDINATORS_FORM = (LOGIN, 404, 404, 403, 403, 404, 400, 400, 404, 404)
PARTICIPANTS = (LOGIN, 404, 404, OK, OK, 404, OK, OK, 404, 404)

EXPECTED = {
    "meetings:session_live": COORDINATORS_ONLY,
    "meetings:live_item_start": COORDINATORS_POST,
    "meetings:live_next_item": COORDINATORS_POST,
    "meetings:live_notes_save": COORDINATORS_FORM,
    "meetings:live_attendance": COORDINATORS_POST,
    "meetings:live_decision_add": COORDINATORS_FORM,
    "meetings:live_action_add": COORDINATORS_FORM,
    "meetings:live_need_add": COORDINATORS_FORM,
    "meetings:session_end": COORDINATORS_POST,
    "meetings:minutes_detail": PARTICIPANTS,
    "meetings:minutes_edit": COORDINATORS_ONLY,
    "meetings:minutes_transition": COORDINATORS_POST,
    "meetings:minutes_versions": COORDINATORS_ONLY,
    "meetings:minutes_pdf": PARTICIPANTS,
}
POST_ONLY = {
    "meetings:live_item_start",
    "meetings:live_next_item",
    "meetings:live_notes_save",
    "meetings:live_attendance",
    "meetings:live_decision_add",
    "meetings:live_action_add",
    "meetings:live_need_add",
    "meetings:session_end",
    "meetings:minutes_transition",
}
POST_DATA: dict[str, dict] = {}


def url_kwargs(request) -> dict:
    from meetings.models import Participation

    from ..factories import SeriesFactory, SessionFactory
    from ..factories.minutes import agenda, held_session, published_session

    # A series of its own, with the same coordinator and operator as the
    # `series` fixture: sessions held here do not change what other areas'
    # requests do there (e.g. a poll closed over a period already past).
    coordinator = request.getfixturevalue("coordinator")
    series = SeriesFactory(name="Groupe de travail")
    series.coordinators.add(coordinator)
    forget(coordinator)  # the person's cached series
    Participation.objects.create(
        series=series, operator=request.getfixturevalue("operator"), since=datetime.date(2020, 9, 1)
    )
    session = SessionFactory(series=series)
    item = agenda(session, 1)[0]
    draft, _ = held_session(series, coordinator)
    published, _ = published_session(series, coordinator)
    live = {"session_id": session.public_id}
    return {
        "meetings:session_live": live,
        "meetings:live_item_start": live | {"item_id": item.pk},
        "meetings:live_next_item": live,
        "meetings:live_notes_save": live | {"item_id": item.pk},
        "meetings:live_attendance": live,
        "meetings:live_decision_add": live,
        "meetings:live_action_add": live,
        "meetings:live_need_add": live,
        "meetings:session_end": live,
        "meetings:minutes_detail": {"session_id": published.public_id},
        "meetings:minutes_edit": {"session_id": draft.public_id},
        "meetings:minutes_transition": {"session_id": draft.public_id},
        "meetings:minutes_versions": {"session_id": draft.public_id},
        "meetings:minutes_pdf": {"session_id": published.public_id},
    }
