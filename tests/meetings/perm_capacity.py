"""Expected outcomes per persona for the capacity board (see tests/test_permissions.py).

Personas: anonymous, outsider, other_member, member, referent, other_coordinator, coordinator, admin,
individual, session_registrant.
Whoever sees the series' compiled info rounds sees its capacity board.
"""

L = "login"

EXPECTED = {
    "meetings:series_capacity": (L, 404, 404, 200, 200, 404, 200, 200, 200, 404),
}

POST_ONLY = set()


def url_kwargs(request) -> dict:
    series = request.getfixturevalue("series")
    return {"meetings:series_capacity": {"series_id": series.public_id}}
