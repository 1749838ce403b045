"""Who may propose corrections to provisional minutes and approve them live (see tests/test_permissions.py).

Personas: anonymous, outsider, other_member, member, referent, other_coordinator, coordinator, admin,
individual, session_registrant.
Posted empty: whoever takes part gets the minutes page back with why (400);
the approval, by a coordinator, in a session a week ahead is refused with a
message and a redirect. The sessions are in a series of their own (as in
perm_minutes.py), so that a session held here changes nothing for the
`series` fixture's other areas.
"""

import datetime

from core.request_cache import forget
from meetings.models import Participation

from ..factories import SeriesFactory
from ..factories.minutes import provisional_session

L = "login"

EXPECTED = {
    "meetings:minutes_correction_add": (L, 404, 404, 400, 400, 404, 400, 400, 404, 404),
    "meetings:live_minutes_approve": (L, 404, 404, 403, 403, 404, 302, 302, 404, 404),
}

POST_ONLY = {"meetings:minutes_correction_add", "meetings:live_minutes_approve"}


def url_kwargs(request) -> dict:
    coordinator = request.getfixturevalue("coordinator")
    series = SeriesFactory(name="Comité d'approbation")
    series.coordinators.add(coordinator)
    forget(coordinator)
    Participation.objects.create(
        series=series, operator=request.getfixturevalue("operator"), since=datetime.date(2020, 9, 1)
    )
    session, _minutes, following = provisional_session(series, coordinator)
    item = following.agenda_items.get(kind="minutes_approval")
    return {
        "meetings:minutes_correction_add": {"session_id": session.public_id},
        "meetings:live_minutes_approve": {"session_id": following.public_id, "item_id": item.pk},
    }
