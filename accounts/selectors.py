from django.conf import settings
from django.db.models import Q, QuerySet

from core.request_cache import cached_on
from operators.models import MembershipRole, Operator

from .models import Invitation


def user_is_coordinator(user) -> bool:
    """Whether the person belongs to the global coordinators group (cached on the user)."""
    if not user.is_authenticated:
        return False
    return cached_on(user, "is_coordinator", user.groups.filter(name=settings.COORDINATORS_GROUP).exists)


def user_operator_roles(user) -> dict[int, str]:
    """{operator id: membership role} for the person (one query, cached on the user)."""
    if not user.is_authenticated:
        return {}
    return cached_on(user, "operator_roles", lambda: dict(user.memberships.values_list("operator_id", "role")))


def user_coordinated_operator_ids(user) -> set[int]:
    """Ids of the operators taking part now in a series the person coordinates (cached on the user).

    Read through the relations that meetings declares on operators and people, so
    that accounts need not import meetings.
    """
    if not user.is_authenticated:
        return set()
    return cached_on(
        user,
        "coordinated_operators",
        lambda: set(
            Operator.objects.filter(
                participations__series__coordinators=user, participations__until__isnull=True
            ).values_list("pk", flat=True)
        ),
    )


def operator_is_unattached(operator) -> bool:
    """No one belongs to the operator yet and it takes part in no series: a fresh directory entry."""
    return not operator.memberships.exists() and not operator.participations.filter(until__isnull=True).exists()


def invitation_by_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("operator").filter(token_hash=Invitation.hash_token(token)).first()


def invitations_visible_to(user) -> QuerySet[Invitation]:
    """Invitations the person manages: all for admins; for others, those to the operators they manage.

    A coordinator manages the operators taking part in the series they coordinate, and
    the fresh directory entries (see `operator_is_unattached`).
    """
    qs = Invitation.objects.select_related("operator", "invited_by")
    if user.has_perm("accounts.list_invitations"):
        return qs
    return qs.filter(operator__in=invitable_operators(user))


def invitable_operators(user) -> QuerySet[Operator]:
    """The operators the person may invite people to (`accounts.invite_to_operator`), as a queryset."""
    if user.is_superuser:
        return Operator.objects.all()
    operators = Q(pk__in=user_managed_operator_ids(user))
    if user_is_coordinator(user):
        operators |= Q(pk__in=unattached_operators().values("pk"))
    return Operator.objects.filter(operators)


def unattached_operators() -> QuerySet[Operator]:
    """The operators `operator_is_unattached` holds true of, as a queryset."""
    attached = Operator.objects.filter(participations__since__isnull=False, participations__until__isnull=True)
    return Operator.objects.filter(memberships__isnull=True).exclude(pk__in=attached.values("pk"))


def user_managed_operator_ids(user) -> set[int]:
    """Operators whose team the person may change: those they are referent of, and those of their series."""
    referent_of = {op for op, role in user_operator_roles(user).items() if role == MembershipRole.REFERENT}
    return referent_of | user_coordinated_operator_ids(user)
