"""Who may reach the help desks' pages (read by tests/test_permissions.py).

Outcomes in PERSONAS order: anonymous, outsider, other_member, member,
referent, other_coordinator, coordinator, admin, individual, session_registrant.
The request here was sent by `member`; `referent` is in the Bassin Sud's
help-desk team. Nobody else sees the request (404), admins included; the
bassin's coordination team (no persona here, and admins) keeps the team.
"""

from helpdesk.models import HelpDeskMember
from operators.models import Territory

from ..factories import UserFactory
from ..factories.helpdesk import help_request

LOGIN, OK = "login", 200
EVERYONE_SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK, OK, OK, OK, OK)
TEAM = (LOGIN, 403, 403, 403, OK, 403, 403, 403, 403, 403)
REQUEST_PAGE = (LOGIN, 404, 404, OK, OK, 404, 404, 404, 404, 404)
# A POST without a valid form: the page again with its errors.
TEAM_POST = (LOGIN, 404, 404, 403, 400, 404, 404, 404, 404, 404)
BOTH_POST = (LOGIN, 404, 404, 400, 400, 404, 404, 404, 404, 404)
MANAGERS = (LOGIN, 403, 403, 403, 403, 403, 403, OK, 403, 403)
MANAGERS_POST = (LOGIN, 403, 403, 403, 403, 403, 403, 302, 403, 403)

EXPECTED = {
    "helpdesk:index": EVERYONE_SIGNED_IN,
    "helpdesk:desk": EVERYONE_SIGNED_IN,
    "helpdesk:create": EVERYONE_SIGNED_IN,
    "helpdesk:figures_xlsx": EVERYONE_SIGNED_IN,
    "helpdesk:queue": TEAM,
    "helpdesk:team": MANAGERS,
    "helpdesk:team_remove": MANAGERS_POST,
    "helpdesk:request": REQUEST_PAGE,
    "helpdesk:take": TEAM_POST,
    "helpdesk:assign": TEAM_POST,
    "helpdesk:status": TEAM_POST,
    "helpdesk:close": TEAM_POST,
    "helpdesk:contact": TEAM_POST,
    "helpdesk:hand_over": TEAM_POST,
    "helpdesk:hand_over_situation": TEAM_POST,
    "helpdesk:message": BOTH_POST,
}
POST_ONLY = {
    "helpdesk:take",
    "helpdesk:assign",
    "helpdesk:status",
    "helpdesk:close",
    "helpdesk:contact",
    "helpdesk:hand_over",
    "helpdesk:hand_over_situation",
    "helpdesk:message",
    "helpdesk:team_remove",
}


def url_kwargs(request) -> dict:
    request.getfixturevalue("db")
    sud = Territory.objects.get(slug="bruxelles-sud")
    referent = request.getfixturevalue("referent")
    HelpDeskMember.objects.create(bassin=sud, user=referent)
    stranger = HelpDeskMember.objects.create(bassin=sud, user=UserFactory())
    asked = help_request(sud, request.getfixturevalue("member"))
    by_request = {"request_id": asked.public_id}
    by_bassin = {"slug": sud.slug}
    return {
        "helpdesk:desk": by_bassin,
        "helpdesk:create": by_bassin,
        "helpdesk:figures_xlsx": by_bassin,
        "helpdesk:queue": by_bassin,
        "helpdesk:team": by_bassin,
        "helpdesk:team_remove": {"slug": sud.slug, "pk": stranger.pk},
        **{
            name: by_request
            for name in EXPECTED
            if name.split(":")[1]
            in {
                "request",
                "take",
                "assign",
                "status",
                "close",
                "contact",
                "hand_over",
                "hand_over_situation",
                "message",
            }
        },
    }
