"""Who may do what with the help desks. Deny by default.

A request is confidential like a clinical situation: its requester and the
bassin's help-desk team only (everyone else gets a 404, admins included).
The team is kept by the bassin's coordination team and the admins. The
figures (counts, never a text) are for every signed-in person, like the
bassin's état des lieux.
"""

import rules
from django.core.exceptions import PermissionDenied

from accounts.rules import is_admin
from bassins.rules import is_bassin_coordinator

from .selectors.access import help_desk_bassin_ids


@rules.predicate
def is_team_of_bassin(user, bassin):
    return bassin is not None and bassin.pk in help_desk_bassin_ids(user)


@rules.predicate
def is_team_of_request(user, request):
    return request is not None and request.bassin_id in help_desk_bassin_ids(user)


@rules.predicate
def is_requester(user, request):
    return request is not None and user.is_authenticated and request.requester_id == user.pk


def may(user, perm: str, obj=None) -> bool:
    """The rule itself, without Django's "a superuser may do everything": a request is
    for its requester and its team, whoever administers the portal."""
    return user is not None and user.is_authenticated and rules.has_perm(perm, user, obj)


def require(user, perm: str, obj=None) -> None:
    """PermissionDenied unless the rule itself grants `perm` (see `may`)."""
    if not may(user, perm, obj):
        raise PermissionDenied


rules.add_perm("helpdesk.submit_request", rules.is_authenticated)
rules.add_perm("helpdesk.view_request", is_requester | is_team_of_request)
rules.add_perm("helpdesk.answer_request", is_requester)
rules.add_perm("helpdesk.work_request", is_team_of_request)
rules.add_perm("helpdesk.view_queue", is_team_of_bassin)
rules.add_perm("helpdesk.manage_team", is_admin | is_bassin_coordinator)
rules.add_perm("helpdesk.view_figures", rules.is_authenticated)
