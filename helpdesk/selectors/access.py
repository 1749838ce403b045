"""Which help desks a person works in: read by the rules, so it imports nothing else of the app's selectors."""

import rules
from django.http import Http404

from core.request_cache import cached_on

from ..models import HelpDeskMember, Request


def help_desk_bassin_ids(user) -> set[int]:
    """Ids of the bassins whose help-desk team the person is in (once per request)."""
    if not user.is_authenticated:
        return set()
    return cached_on(
        user,
        "help_desk_bassins",
        lambda: set(HelpDeskMember.objects.filter(user=user).values_list("bassin_id", flat=True)),
    )


def request_get_for_user(user, public_id) -> Request:
    """The request at `public_id` if the person is its requester or in its bassin's team; 404 otherwise
    (even its existence is confidential)."""
    found = (
        Request.objects.select_related("bassin", "requester", "owner", "requester_operator")
        .filter(public_id=public_id)
        .first()
    )
    if found is None or not (user.is_authenticated and rules.has_perm("helpdesk.view_request", user, found)):
        raise Http404
    return found
