"""Help-desk requests and teams for the tests."""

import time_machine

from bassins.models import BassinMember, Team
from helpdesk.models import HelpDesk, HelpDeskMember, NeedKind, Sector
from helpdesk.services.requests import request_submit

from . import UserFactory


def help_desk_team(bassin, *names, coordinator_name=None, **settings):
    """A help desk for `bassin` with a team member per name (returned in order)."""
    HelpDesk.objects.update_or_create(bassin=bassin, defaults=settings)
    team = []
    for name in names:
        user = UserFactory(name=name)
        HelpDeskMember.objects.create(bassin=bassin, user=user)
        team.append(user)
    if coordinator_name:
        user = UserFactory(name=coordinator_name, coordinator=True)
        BassinMember.objects.create(bassin=bassin, user=user, team=Team.COORDINATION)
        team.append(user)
    return team


def help_request(bassin, requester=None, *, at=None, **fields):
    """A request submitted to `bassin`'s help desk (at `at`, when given)."""
    requester = requester or UserFactory()
    data = {
        "sectors": [Sector.MENTAL_HEALTH, Sector.HOUSING],
        "situation": "Un homme d'une quarantaine d'années, sans logement depuis six mois, refuse les soins.",
        "need": NeedKind.ORIENTATION,
        "urgency": "days",
        "contact_preference": "email",
    } | fields
    if at is None:
        return request_submit(actor=requester, bassin=bassin, **data)
    with time_machine.travel(at, tick=False):
        return request_submit(actor=requester, bassin=bassin, **data)
