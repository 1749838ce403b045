"""Who may reach the recurrence and session pages (read by tests/test_permissions.py).

Outcomes in PERSONAS order: anonymous, outsider, other_member, member,
referent, other_coordinator, coordinator, admin,
individual, session_registrant. A series you are not part
of is 404; taking part without coordinating it is 403 on the coordinators' pages.
"""

LOGIN, OK = "login", 200
COORDINATORS_ONLY = (LOGIN, 404, 404, 403, 403, 404, OK, OK, 403, 404)

EXPECTED = {
    "meetings:recurrence_edit": COORDINATORS_ONLY,
    "meetings:calendar_dates": COORDINATORS_ONLY,
    "meetings:session_add": COORDINATORS_ONLY,
    "meetings:session_detail": (LOGIN, 404, 404, OK, OK, 404, OK, OK, OK, 404),
    "meetings:session_edit": COORDINATORS_ONLY,
    "meetings:session_cancel": COORDINATORS_ONLY,
}
POST_ONLY: set[str] = set()
POST_DATA: dict[str, dict] = {}


def url_kwargs(request) -> dict:
    series = request.getfixturevalue("series")
    session = request.getfixturevalue("session")
    by_series = {"series_id": series.public_id}
    by_session = {"session_id": session.public_id}
    return {
        "meetings:recurrence_edit": by_series,
        "meetings:calendar_dates": by_series,
        "meetings:session_add": by_series,
        "meetings:session_detail": by_session,
        "meetings:session_edit": by_session,
        "meetings:session_cancel": by_session,
    }
