from django.db.models import Prefetch, Q, QuerySet

from core.text import fold

from .models import Operator, OperatorMembership, OperatorPublic, OperatorTerritory, Territory


def in_territory(territory: Territory) -> Q:
    """Operators whose territory, or one they serve, is `territory` or lies in it
    (two levels down: a region finds its bassins' municipalities)."""
    return (
        Q(territory=territory)
        | Q(territory__parent=territory)
        | Q(territory__parent__parent=territory)
        | Q(
            pk__in=OperatorTerritory.objects.filter(
                Q(territory=territory) | Q(territory__parent=territory) | Q(territory__parent__parent=territory)
            ).values("operator_id")
        )
    )


def in_bassin(bassin: Territory) -> Q:
    """Operators of a bassin: their territory is the bassin or one of its
    municipalities, or they serve one, or the bassin's part of a split municipality."""
    served = OperatorTerritory.objects.filter(Q(territory=bassin) | Q(territory__parent=bassin) | Q(bassin=bassin))
    return Q(territory=bassin) | Q(territory__parent=bassin) | Q(pk__in=served.values("operator_id"))


def in_municipality(municipality: Territory) -> Q:
    """Operators whose territory is the municipality or who serve it."""
    served = OperatorTerritory.objects.filter(territory=municipality)
    return Q(territory=municipality) | Q(pk__in=served.values("operator_id"))


def territory_choices() -> list[Territory]:
    """Every territory with its parent, in one query (the filters' lists)."""
    return list(Territory.objects.select_related("parent").order_by("name"))


def bassin_municipalities(bassin: Territory) -> QuerySet[Territory]:
    """The municipalities of a bassin, whole or in part (split), by name."""
    return (
        Territory.objects.filter(Q(parent=bassin) | Q(split_between=bassin), kind=Territory.Kind.MUNICIPALITY)
        .distinct()
        .order_by("name")
    )


def operator_directory(
    *,
    query: str = "",
    kind: str = "",
    territory=None,
    bassin=None,
    municipality=None,
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
        qs = qs.filter(in_territory(territory))
    if bassin is not None:
        qs = qs.filter(in_bassin(bassin))
    if municipality is not None:
        qs = qs.filter(in_municipality(municipality))
    if public:
        qs = qs.filter(publics__public=public)
    return qs.order_by("name")


def operator_served(*, operator: Operator) -> list[OperatorTerritory]:
    """The territories an operator serves, with the bassin of a split municipality's part."""
    return list(operator.served.select_related("territory", "territory__parent", "bassin"))


def operator_memberships(*, operator: Operator) -> QuerySet[OperatorMembership]:
    """The team of an operator: each membership with its person, referents first."""
    return operator.memberships.select_related("user").order_by("role", "user__name")


def memberships_for_user(*, user) -> QuerySet[OperatorMembership]:
    return user.memberships.select_related("operator", "operator__territory").order_by("operator__name")
