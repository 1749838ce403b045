"""The reads of a bassin's page and of its état des lieux."""

import datetime
import math
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from core.fragments import TIMEOUT as FRAGMENT_TIMEOUT
from meetings.models import CooperationNeed, NeedStage, Series, Session
from meetings.selectors.access import coordinated_series_ids, participating_series_ids
from operators.models import Operator, OperatorPublic, OperatorTerritory, Public, Territory
from operators.selectors import bassin_municipalities, in_bassin

from ..fragments import bassin_page_keys, bassin_state_key
from ..models import BassinMember, OpenDoorsWeek, StateNote, Team, WorkingGroup, WorkingGroupTheme

UPCOMING = 10


def bassin_list() -> QuerySet[Territory]:
    """Every bassin with its region, by name."""
    return Territory.objects.filter(kind=Territory.Kind.BASSIN).select_related("parent").order_by("name")


def bassin_get(slug: str) -> Territory:
    """The bassin at `slug`, 404 otherwise (every signed-in person sees bassins)."""
    bassin = Territory.objects.select_related("parent").filter(slug=slug, kind=Territory.Kind.BASSIN).first()
    if bassin is None:
        raise Http404
    return bassin


def bassin_series(bassin: Territory) -> QuerySet[Series]:
    """The series attached to a bassin: its territory is the bassin, or a working group of it."""
    return Series.objects.filter(Q(territory=bassin) | Q(bassin_working_group__bassin=bassin))


def _series_ids(bassin: Territory) -> list[int]:
    return list(bassin_series(bassin).values_list("pk", flat=True))


@dataclass
class WorkingGroupRow:
    theme: str
    label: str
    group: WorkingGroup | None
    visible: bool


@dataclass
class BassinContent:
    """What the bassin's page shows the same to everyone who sees the same series of it."""

    municipalities: list[Territory]
    coordination: list[BassinMember]
    support: list[BassinMember]
    working_groups: list[WorkingGroupRow]
    weeks: list[OpenDoorsWeek]

    @property
    def missing_themes(self) -> bool:
        return any(row.group is None for row in self.working_groups)


@dataclass(frozen=True)
class Upcoming:
    """A planned session to come of one of the bassin's series."""

    public_id: object
    starts_at: datetime.datetime
    series_id: int
    series_name: str


@dataclass
class BassinPage:
    """The bassin's page. Its sections are one cached fragment (bassins.fragments),
    the same for whoever sees the same series of the bassin with the same rights:
    `content` is read only when the page renders it, that is when `key` is not in
    the cache. The fragment lists sessions to come: it is kept until the first of
    them starts (`timeout`), after which the list changes with time alone."""

    bassin: Territory
    can_change: bool  # the coordination team (or an admin): places municipalities, creates the groups
    can_open: bool  # may open an open-doors week
    content: BassinContent  # lazy
    upcoming: list[Upcoming]  # those the person sees, by date
    key: str
    timeout: int


def _seen_series_ids(user, series_ids: list[int]) -> set[int]:
    """Those of `series_ids` the person sees, as register_series reads it (admins:
    every series; others: those they coordinate or take part in), from the sets
    kept for the request. Both sets are read even when the first would do, so
    that the queries depend on the person's role, never on the bassin's data."""
    ids = set(series_ids)
    if user.is_authenticated and user.is_active and user.is_superuser:
        return ids
    return ids & (coordinated_series_ids(user) | participating_series_ids(user))


def _bassin_content(bassin: Territory, seen: set[int]) -> BassinContent:
    members = list(bassin.bassin_members.select_related("user", "operator").order_by("user__name"))
    groups = {wg.theme: wg for wg in bassin.working_groups.select_related("series")}
    rows = [
        WorkingGroupRow(theme, label, groups.get(theme), theme in groups and groups[theme].series_id in seen)
        for theme, label in WorkingGroupTheme.choices
    ]
    return BassinContent(
        municipalities=list(bassin_municipalities(bassin)),
        coordination=[m for m in members if m.team == Team.COORDINATION],
        support=[m for m in members if m.team == Team.SUPPORT],
        working_groups=rows,
        weeks=list(bassin.open_doors_weeks.all()),
    )


def _seconds_until(moment: datetime.datetime | None, now: datetime.datetime) -> int:
    """Seconds from `now` to `moment` (at least one), at most a fragment's timeout."""
    if moment is None:
        return FRAGMENT_TIMEOUT
    return max(1, min(FRAGMENT_TIMEOUT, math.ceil((moment - now).total_seconds())))


def bassin_upcoming(bassin: Territory, key: str, now: datetime.datetime) -> list[Upcoming]:
    """The next UPCOMING planned sessions of each of the bassin's series, by date:
    the same for everyone (each person sees those of the series they see).

    Kept in the cache at `key` (bassins.fragments.bassin_page_keys: the stamps of
    the bassin's series) until the first of them starts; one query when it is not."""
    rows = cache.get(key)
    if rows is None:
        rows, per_series = [], Counter()
        sessions = (
            Session.objects.filter(series__in=bassin_series(bassin), starts_at__gte=now, status=Session.Status.PLANNED)
            .order_by("starts_at", "pk")
            .values_list("public_id", "starts_at", "series_id", "series__name")
        )
        for public_id, starts_at, series_id, name in sessions:
            if per_series[series_id] < UPCOMING:
                per_series[series_id] += 1
                rows.append(Upcoming(public_id, starts_at, series_id, name))
        cache.set(key, rows, _seconds_until(rows[0].starts_at if rows else None, now))
    return [row for row in rows if row.starts_at >= now]


def bassin_page(user, bassin: Territory, *, now: datetime.datetime | None = None) -> BassinPage:
    """The bassin's municipalities, teams, working groups and the upcoming sessions
    of its series that the person may see. When its fragment is in the cache: the
    bassin's series, the person's rights, and the cache; else five queries more,
    whatever the bassin holds."""
    now = now or timezone.now()
    series_ids = _series_ids(bassin)
    seen = _seen_series_ids(user, series_ids)
    can_change = user.has_perm("bassins.change_bassin", bassin)
    can_open = user.has_perm("bassins.open_week", bassin)
    # The working groups link to the series the person sees; the buttons are the team's.
    key, upcoming_key = bassin_page_keys(bassin.pk, series_ids, seen, can_change, can_open)
    upcoming = [row for row in bassin_upcoming(bassin, upcoming_key, now) if row.series_id in seen][:UPCOMING]
    return BassinPage(
        bassin=bassin,
        can_change=can_change,
        can_open=can_open,
        content=SimpleLazyObject(lambda: _bassin_content(bassin, seen)),
        upcoming=upcoming,
        key=key,
        timeout=_seconds_until(upcoming[0].starts_at if upcoming else None, now),
    )


@dataclass
class MunicipalityChoice:
    """Where a municipality of the region lies, seen from one bassin."""

    municipality: Territory
    here: bool  # placed in this bassin, whole or in part
    split: bool  # shared between bassins: each of them may tick it
    elsewhere: Territory | None  # the other bassin it lies in whole: only its coordinators move it


def bassin_municipality_choices(bassin: Territory) -> list[MunicipalityChoice]:
    """The municipalities the bassin's coordinators may place, by name: those of
    its region (their parent is the region or one of its bassins) and those
    already in the bassin. A municipality is split when the admin named bassins
    sharing it. Two queries, however many municipalities."""
    around = Q(parent=bassin) | Q(split_between=bassin)
    if bassin.parent_id is not None:
        around |= Q(parent_id=bassin.parent_id) | Q(
            parent__parent_id=bassin.parent_id, parent__kind=Territory.Kind.BASSIN
        )
    municipalities = (
        Territory.objects.filter(around, kind=Territory.Kind.MUNICIPALITY)
        .select_related("parent")
        .prefetch_related("split_between")
        .distinct()
        .order_by("name")
    )
    choices = []
    for municipality in municipalities:
        sharing = {b.pk for b in municipality.split_between.all()}
        split = bool(sharing)
        parent = municipality.parent
        in_other = parent is not None and parent.kind == Territory.Kind.BASSIN and parent.pk != bassin.pk
        choices.append(
            MunicipalityChoice(
                municipality=municipality,
                here=municipality.parent_id == bassin.pk or bassin.pk in sharing,
                split=split,
                elsewhere=parent if in_other and not split else None,
            )
        )
    return choices


@dataclass
class BassinState:
    """The état des lieux: computed from what Carrefour knows, plus the notes."""

    bassin: Territory
    operator_count: int
    by_kind: list[tuple[str, int]]
    by_public: list[tuple[str, int]]
    by_municipality: list[tuple[Territory, int]]
    needs_by_stage: list[tuple[str, int]]
    needs_by_theme: list[tuple[str, int]]
    need_count: int
    notes: list[StateNote]
    computed_at: object


def _bassin_operators(bassin: Territory) -> QuerySet[Operator]:
    return Operator.objects.filter(in_bassin(bassin))


def bassin_needs(bassin: Territory) -> QuerySet[CooperationNeed]:
    """Cooperation needs raised in the bassin: in its series, or by its operators."""
    return CooperationNeed.objects.filter(
        Q(series__in=bassin_series(bassin)) | Q(raised_by__in=_bassin_operators(bassin))
    )


def _municipality_counts(
    bassin: Territory, operators: dict[int, int], served: list[tuple[int, int, int | None]]
) -> list[tuple[Territory, int]]:
    """Operators per municipality of the bassin (`operators`: their territory by id;
    `served`: the territories they serve); for a split municipality, only those that
    said they work in this bassin's part."""
    split_here = Territory.split_between.through.objects.filter(from_territory=OuterRef("pk"))
    municipalities = list(bassin_municipalities(bassin).annotate(split=Exists(split_here)))
    split = {m.pk for m in municipalities if m.split}
    places = {pk: set() if territory_id in split else {territory_id} for pk, territory_id in operators.items()}
    for operator_id, territory_id, part_of in served:
        if territory_id not in split or part_of == bassin.pk:
            places[operator_id].add(territory_id)
    counts = Counter(place for where in places.values() for place in where)
    return [(municipality, counts[municipality.pk]) for municipality in municipalities]


def bassin_state(bassin: Territory) -> BassinState:
    """The bassin's état des lieux, in a fixed number of queries whatever the bassin holds
    (none is skipped when a list is empty)."""
    active = _bassin_operators(bassin).filter(is_active=True)
    operators = list(active.order_by().values_list("pk", "kind", "territory_id"))
    kinds = Counter(kind for _pk, kind, _territory in operators)
    publics = Counter(OperatorPublic.objects.filter(operator__in=active.values("pk")).values_list("public", flat=True))
    served = list(
        OperatorTerritory.objects.filter(operator__in=active.values("pk")).values_list(
            "operator_id", "territory_id", "bassin_id"
        )
    )
    needs = bassin_needs(bassin)
    # Each need has one stage: their sum is the number of needs.
    stages = dict(needs.order_by().values("stage").annotate(n=Count("pk", distinct=True)).values_list("stage", "n"))
    # From the needs' themes (an inner join), not the needs less those without a theme (an anti-join over all).
    themes = (
        CooperationNeed.themes.through.objects.filter(cooperationneed__in=needs.values("pk"))
        .values("theme__name")
        .annotate(n=Count("cooperationneed_id", distinct=True))
        .order_by("theme__name")
        .values_list("theme__name", "n")
    )
    return BassinState(
        bassin=bassin,
        operator_count=len(operators),
        by_kind=[(label, kinds[code]) for code, label in Operator.Kind.choices if kinds[code]],
        by_public=[(label, publics[code]) for code, label in Public.choices if publics[code]],
        by_municipality=_municipality_counts(bassin, {pk: t for pk, _kind, t in operators}, served),
        needs_by_stage=[(label, stages.get(code, 0)) for code, label in NeedStage.choices],
        needs_by_theme=list(themes),
        need_count=sum(stages.values()),
        notes=list(bassin.state_notes.all()),
        computed_at=timezone.now(),
    )


@dataclass
class BassinStatePage:
    """The état des lieux as a page: its content is a cached fragment
    (bassins.fragments), read only when `key` is not in the cache."""

    bassin: Territory
    can_change: bool  # the coordination team: adds and removes the notes
    state: BassinState  # lazy
    key: str


def bassin_state_for_page(user, bassin: Territory) -> BassinStatePage:
    """The état des lieux for the page: one query and the cache when it was computed
    since the last write of what it shows, else the queries of `bassin_state`."""
    can_change = user.has_perm("bassins.change_bassin", bassin)
    return BassinStatePage(
        bassin=bassin,
        can_change=can_change,
        state=SimpleLazyObject(lambda: bassin_state(bassin)),
        # The series of the bassin: a series attached to it, or moved out, changes the key.
        key=bassin_state_key(bassin.pk, _series_ids(bassin), can_change),
    )
