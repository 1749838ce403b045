"""Expected outcomes per persona for the series URLs (see tests/test_permissions.py).

Personas: anonymous, outsider, other_member, member, referent, other_coordinator, coordinator, admin,
individual, session_registrant.
`other_member` is the referent of an operator outside the series: the one
who may ask to join.
"""

from meetings.models import JoinRequest

L = "login"

EXPECTED = {
    "meetings:series_list": (L, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "meetings:series_create": (L, 403, 403, 403, 403, 200, 200, 200, 403, 403),
    "meetings:series_detail": (L, 404, 404, 200, 200, 404, 200, 200, 200, 404),
    "meetings:series_edit": (L, 404, 404, 403, 403, 404, 200, 200, 403, 404),
    "meetings:participants": (L, 404, 404, 403, 403, 404, 200, 200, 403, 404),
    "meetings:participation_end": (L, 404, 404, 403, 403, 404, 302, 302, 403, 404),
    "meetings:join_request_create": (L, 404, 200, 404, 404, 404, 404, 404, 404, 404),
    "meetings:join_request_list": (L, 404, 404, 403, 403, 404, 200, 200, 403, 404),
    "meetings:join_request_decide": (L, 404, 404, 403, 403, 404, 200, 200, 403, 404),
}

POST_ONLY = {"meetings:participation_end"}


def url_kwargs(request) -> dict:
    series = request.getfixturevalue("series")
    other_member = request.getfixturevalue("other_member")
    other_operator = request.getfixturevalue("other_operator")
    participation = series.participations.get()
    join_request = JoinRequest.objects.create(series=series, operator=other_operator, requested_by=other_member)
    key = {"series_id": series.public_id}
    return {
        "meetings:series_detail": key,
        "meetings:series_edit": key,
        "meetings:participants": key,
        "meetings:participation_end": key | {"pk": participation.pk},
        "meetings:join_request_create": key,
        "meetings:join_request_list": key,
        "meetings:join_request_decide": key | {"pk": join_request.pk},
    }
