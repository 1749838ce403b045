from django.conf import settings
from django.db.models import QuerySet

from .models import Invitation


def user_is_coordinator(user) -> bool:
    """Whether the person belongs to the global coordinators group (cached on the user)."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_carrefour_is_coordinator"):
        user._carrefour_is_coordinator = user.groups.filter(name=settings.COORDINATORS_GROUP).exists()
    return user._carrefour_is_coordinator


def user_operator_roles(user) -> dict[int, str]:
    """{operator id: membership role} for the person (one query, cached on the user)."""
    if not user.is_authenticated:
        return {}
    if not hasattr(user, "_carrefour_operator_roles"):
        user._carrefour_operator_roles = dict(user.memberships.values_list("operator_id", "role"))
    return user._carrefour_operator_roles


def invitation_by_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("operator").filter(token_hash=Invitation.hash_token(token)).first()


def invitations_visible_to(user) -> QuerySet[Invitation]:
    """Invitations the person manages: all for admins and coordinators."""
    qs = Invitation.objects.select_related("operator", "invited_by")
    if user.has_perm("accounts.list_invitations"):
        return qs
    referent_of = [op for op, role in user_operator_roles(user).items() if role == "referent"]
    return qs.filter(operator_id__in=referent_of)
