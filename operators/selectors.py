from django.db.models import Prefetch, Q, QuerySet

from core.text import fold

from .models import Operator, OperatorMembership, OperatorPublic


def operator_directory(
    *,
    query: str = "",
    kind: str = "",
    territory=None,
    public: str = "",
    include_inactive: bool = False,
) -> QuerySet[Operator]:
    """Operators matching a search and filters, ready for the directory list.

    Every word of `query` must appear (accent- and case-blind) in the name,
    short name, institution, description, city or territory.
    """
    qs = Operator.objects.select_related("territory").prefetch_related(
        Prefetch("publics", queryset=OperatorPublic.objects.order_by("public"))
    )
    if not include_inactive:
        qs = qs.filter(is_active=True)
    for word in fold(query).split()[:10]:
        qs = qs.filter(search_text__contains=word)
    if kind:
        qs = qs.filter(kind=kind)
    if territory is not None:
        qs = qs.filter(Q(territory=territory) | Q(territory__parent=territory))
    if public:
        qs = qs.filter(publics__public=public)
    return qs.order_by("name")


def operator_memberships(*, operator: Operator) -> QuerySet[OperatorMembership]:
    """The team of an operator: each membership with its person, referents first."""
    return operator.memberships.select_related("user").order_by("role", "user__name")


def memberships_for_user(*, user) -> QuerySet[OperatorMembership]:
    return user.memberships.select_related("operator", "operator__territory").order_by("operator__name")
