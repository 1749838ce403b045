"""Who may do what with slot polls: read by tests/test_permissions.py."""

import datetime

from django.utils import timezone

from meetings.services.polls import poll_create

LOGIN = "login"
OK = 200

# anonymous, outsider, other_member, member, referent, other_coordinator, coordinator, admin
EXPECTED = {
    "meetings:poll_create": (LOGIN, 404, 404, 403, 403, 404, OK, OK, 403, 404),
    "meetings:poll_detail": (LOGIN, 404, 404, OK, OK, 404, OK, OK, OK, 404),
    # Operators taking part answer; coordinators and admins see the poll but do not answer.
    # Operators answer a slot poll: not an individual participant.
    "meetings:poll_answer": (LOGIN, 404, 404, 302, 302, 404, 403, 403, 403, 404),
    "meetings:poll_close": (LOGIN, 404, 404, 403, 403, 404, 302, 302, 403, 404),
}

POST_ONLY = {"meetings:poll_answer", "meetings:poll_close"}

# The slot ids are only known once url_kwargs has made the polls: it fills
# these dicts in place (tests/test_permissions.py holds the same objects).
_ANSWER_DATA: dict = {}
_CLOSE_DATA: dict = {}
POST_DATA = {"meetings:poll_answer": _ANSWER_DATA, "meetings:poll_close": _CLOSE_DATA}


def url_kwargs(request) -> dict:
    series = request.getfixturevalue("series")
    operator = request.getfixturevalue("operator")
    coordinator = request.getfixturevalue("coordinator")

    def make_poll(title):
        return poll_create(
            actor=coordinator,
            series=series,
            title=title,
            deadline=timezone.now() + datetime.timedelta(days=7),
            slots=[(1, datetime.time(13, 30), 90), (3, datetime.time(9, 0), 60)],
        )

    # Separate polls, so that closing one leaves the others open.
    shown, answered, closed = make_poll("Shown"), make_poll("Answered"), make_poll("Closed")
    _ANSWER_DATA.clear()
    _ANSWER_DATA.update({"operator": operator.pk} | {f"slot_{s.pk}": "yes" for s in answered.slots.all()})
    _CLOSE_DATA.clear()
    _CLOSE_DATA["slot"] = closed.slots.first().pk
    return {
        "meetings:poll_create": {"series_id": series.public_id},
        "meetings:poll_detail": {"poll_id": shown.public_id},
        "meetings:poll_answer": {"poll_id": answered.public_id},
        "meetings:poll_close": {"poll_id": closed.public_id},
    }
