"""The map of actors and their links (seed 003): who works with whom, from what
Carrefour records, and only from the series the person may see.

A link joins two operators and says why, with a count of each kind:
- series: both take part in the same series (over the period);
- action: an action owned by one on a need the other raised or is concerned
  by, or two owners of actions of the same decision;
- need: a cooperation need concerning both (raised by one, concerning the
  other, or concerning both);
- endorsement: one endorsed ("nous aussi") a need the other raised;
- visit: they met at an open-doors week (a visit confirmed as held, booked
  by a member of the one, hosted by the other);
- the kinds other apps register (bassins.registry.register_link_source),
  such as the help desk's collaborations.

Open-doors weeks are open to every signed-in person, and so are their links.
Every other piece of evidence belongs to a series, and a series counts only when
the person passes `meetings.view_series` on it: a private or charter-gated
series adds nothing for those outside it, not even to a node's activity.
The whole graph is read in a fixed number of queries.
"""

import datetime
import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.fragments import DIRECTORY, stamps
from meetings.fragments import series_scope
from meetings.models import Action, CooperationNeed, NeedEndorsement, Participation, Series
from operators.fragments import SCOPE as OPERATORS_SCOPE
from operators.models import Operator, Territory
from operators.selectors import in_bassin, in_municipality, in_territory

from ..fragments import VISITS_SCOPE
from ..models import BookingStatus, VisitBooking
from ..registry import link_sources


class LinkKind:
    SERIES = "series"
    ACTION = "action"
    NEED = "need"
    ENDORSEMENT = "endorsement"
    VISIT = "visit"

    labels = {
        SERIES: _("same series"),
        ACTION: _("joint action"),
        NEED: _("shared need"),
        ENDORSEMENT: _("endorsement"),
        VISIT: _("met at the open-doors week"),
    }
    order = [SERIES, ACTION, NEED, ENDORSEMENT, VISIT]

    @classmethod
    def label(cls, kind: str) -> str:
        if kind in cls.labels:
            return str(cls.labels[kind])
        source = link_sources().get(kind)
        return str(source.label) if source else kind

    @classmethod
    def all(cls) -> list[str]:
        return [*cls.order, *link_sources()]

    @classmethod
    def labelled(cls) -> dict[str, str]:
        """{kind: its label in the active language}, in order."""
        return {kind: cls.label(kind) for kind in cls.all()}


@dataclass
class Evidence:
    kind: str
    label: str
    url: str
    series: str

    @property
    def kind_label(self) -> str:
        return LinkKind.label(self.kind)


def _url(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs)


@dataclass
class Link:
    source: Operator
    target: Operator
    kinds: Counter = field(default_factory=Counter)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(self.kinds.values())

    def kind_labels(self, labels: dict[str, str] | None = None) -> list[str]:
        """The labels of its kinds, in the kinds' order (`labels`: LinkKind.labelled(), when already made)."""
        labels = labels or LinkKind.labelled()
        return [label for kind, label in labels.items() if self.kinds[kind]]

    def other(self, operator: Operator) -> Operator:
        return self.target if operator.pk == self.source.pk else self.source


@dataclass
class MapFilters:
    territory: Territory | None = None
    bassin: Territory | None = None
    municipality: Territory | None = None
    kind: str = ""
    public: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None

    # The names of the map's filters in the querystring, in the filter form's order.
    FIELDS = ("territory", "bassin", "municipality", "kind", "public", "since", "until")

    def query(self) -> str:
        """The filters as the filter form's querystring says them ("" for none): the
        part of the cache keys of the map that stands for them."""
        values = {
            "territory": self.territory.slug if self.territory else "",
            "bassin": self.bassin.slug if self.bassin else "",
            "municipality": self.municipality.slug if self.municipality else "",
            "kind": self.kind,
            "public": self.public,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return urlencode([(name, values[name]) for name in self.FIELDS if values[name]])


@dataclass
class Network:
    operators: list[Operator]
    links: list[Link]
    activity: Counter
    filters: MapFilters

    def links_of(self, operator: Operator) -> list[Link]:
        return self.by_operator().get(operator.pk, [])

    def by_operator(self) -> dict[int, list[Link]]:
        """{operator id: its links}, in the order of `links` (computed once)."""
        if not hasattr(self, "_by_operator"):
            index = defaultdict(list)
            for link in self.links:
                index[link.source.pk].append(link)
                index[link.target.pk].append(link)
            self._by_operator = dict(index)
        return self._by_operator


def map_operators(filters: MapFilters) -> list[Operator]:
    """The active operators the filters keep, by name (one query)."""
    # Without their long texts: the map shows names, kinds and territories.
    qs = Operator.objects.filter(is_active=True).select_related("territory").defer("description", "search_text")
    if filters.territory is not None:
        qs = qs.filter(in_territory(filters.territory))
    if filters.bassin is not None:
        qs = qs.filter(in_bassin(filters.bassin))
    if filters.municipality is not None:
        qs = qs.filter(in_municipality(filters.municipality))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.public:
        qs = qs.filter(publics__public=filters.public)
    return list(qs.distinct().order_by("name", "pk"))


def visible_series(user, series_ids=None) -> dict[int, Series]:
    """The series among `series_ids` (all when None) that the person may see, through
    the `meetings.view_series` rule (one query; the rule's facts are cached per request)."""
    found = Series.objects.all() if series_ids is None else Series.objects.filter(pk__in=set(series_ids))
    return {s.pk: s for s in found.only("pk", "name", "public_id", "kind") if user.has_perm("meetings.view_series", s)}


def _in_period(qs, filters: MapFilters, field_name: str = "created_at"):
    if filters.since:
        qs = qs.filter(**{f"{field_name}__date__gte": filters.since})
    if filters.until:
        qs = qs.filter(**{f"{field_name}__date__lte": filters.until})
    return qs


class _Builder:
    """Gathers the links. The evidence of one pair only (`evidence_of`, the
    pair a link's page shows) is kept; the map, its table and its exports
    need only the kinds and their counts. Evidence comes as a callable, called
    only for that pair (its label and address cost a `reverse` each)."""

    def __init__(self, operators: list[Operator], evidence_of: tuple[int, int] | None = None):
        self.by_id = {op.pk: op for op in operators}
        self.links: dict[tuple[int, int], Link] = {}
        self.activity: Counter = Counter()
        self.evidence_of = tuple(sorted(evidence_of)) if evidence_of else None

    def add(self, a: int, b: int, kind: str, evidence) -> None:
        if a == b or a not in self.by_id or b not in self.by_id:
            return
        key = (a, b) if a < b else (b, a)
        link = self.links.get(key)
        if link is None:
            link = self.links[key] = Link(self.by_id[key[0]], self.by_id[key[1]])
        link.kinds[kind] += 1
        if key == self.evidence_of:
            link.evidence.append(evidence() if callable(evidence) else evidence)


def _pairs(operator_ids):
    ordered = sorted(set(operator_ids))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            yield a, b


def _series_links(builder: _Builder, participations, seen: dict[int, Series]) -> None:
    members = defaultdict(list)
    for series_id, operator_id in participations:
        if series_id in seen:
            members[series_id].append(operator_id)
            builder.activity[operator_id] += 1
    for series_id, operator_ids in members.items():
        series = seen[series_id]

        def evidence(series=series):
            url = _url("meetings:series_detail", series_id=series.public_id)
            return Evidence(LinkKind.SERIES, series.name, url, series.name)

        for a, b in _pairs(operator_ids):
            builder.add(a, b, LinkKind.SERIES, evidence)


@dataclass(frozen=True)
class _Need:
    series_id: int
    raised_by_id: int
    title: str
    public_id: str
    operators: frozenset  # the raiser and the operators concerned

    def evidence(self, kind: str, seen: dict[int, Series], label: str = "") -> Evidence:
        url = _url("meetings:need_detail", need_id=self.public_id)
        return Evidence(kind, label or self.title, url, seen[self.series_id].name)


def _need_links(builder: _Builder, needs: dict[int, _Need], seen: dict[int, Series]) -> None:
    for need in needs.values():
        builder.activity[need.raised_by_id] += 1
        for a, b in _pairs(need.operators):
            builder.add(a, b, LinkKind.NEED, lambda need=need: need.evidence(LinkKind.NEED, seen))


def _action_links(builder: _Builder, actions, needs: dict[int, _Need], seen: dict[int, Series]) -> None:
    by_decision = defaultdict(list)
    for series_id, owner, need_id, decision_id, description, session_id in actions:
        if series_id not in seen:
            continue
        builder.activity[owner] += 1

        def evidence(description=description, session_id=session_id, series_id=series_id):
            url = _url("meetings:session_detail", session_id=session_id)
            return Evidence(LinkKind.ACTION, description[:120], url, seen[series_id].name)

        need = needs.get(need_id)
        if need is not None:
            for other in need.operators:
                builder.add(owner, other, LinkKind.ACTION, evidence)
        if decision_id:
            by_decision[decision_id].append((owner, evidence))
    for owners in by_decision.values():
        for i, (a, evidence) in enumerate(owners):
            for b, _other in owners[i + 1 :]:
                builder.add(a, b, LinkKind.ACTION, evidence)


def _endorsement_links(builder: _Builder, endorsements, seen: dict[int, Series]) -> None:
    for endorser, raiser, series_id, title, need_public_id in endorsements:
        if series_id not in seen:
            continue
        builder.activity[endorser] += 1

        def evidence(title=title, need_public_id=need_public_id, series_id=series_id):
            url = _url("meetings:need_detail", need_id=need_public_id)
            return Evidence(LinkKind.ENDORSEMENT, title, url, seen[series_id].name)

        builder.add(endorser, raiser, LinkKind.ENDORSEMENT, evidence)


def _visit_links(builder: _Builder, ids: list[int], filters: MapFilters) -> None:
    visits = VisitBooking.objects.filter(
        status=BookingStatus.BOOKED,
        slot__held_confirmed_at__isnull=False,
        slot__host_id__in=ids,
        operator_id__in=ids,
    )
    visits = _in_period(visits, filters, "slot__starts_at").values_list(
        "slot__host_id", "operator_id", "slot__host__name", "slot__starts_at", "slot__week__public_id"
    )
    for host, visitor, host_name, starts_at, week_id in visits:
        builder.activity[visitor] += 1
        label = _("Visit of %(host)s on %(date)s") % {"host": host_name, "date": date_format(localtime(starts_at))}
        url = reverse("bassins:week", kwargs={"week_id": week_id})
        builder.add(host, visitor, LinkKind.VISIT, Evidence(LinkKind.VISIT, str(label), url, ""))


def _needs(ids: list[int], filters: MapFilters, *, evidence: bool) -> dict[int, _Need]:
    """The needs raised by or concerning the operators `ids`, with the operators
    they concern (two queries, plain rows; titles and addresses only for evidence)."""
    needs = _in_period(
        CooperationNeed.objects.filter(Q(raised_by_id__in=ids) | Q(operators_concerned__in=ids)).distinct(), filters
    )
    columns = ("pk", "series_id", "raised_by_id", *(("title", "public_id") if evidence else ()))
    rows = [(*row, "", "")[:5] for row in needs.values_list(*columns)]
    concerned = defaultdict(set)
    through = CooperationNeed.operators_concerned.through
    for need_id, operator_id in through.objects.filter(cooperationneed_id__in=needs.values("pk")).values_list(
        "cooperationneed_id", "operator_id"
    ):
        concerned[need_id].add(operator_id)
    return {
        pk: _Need(series_id, raised_by, title, public_id, frozenset({raised_by, *concerned.get(pk, ())}))
        for pk, series_id, raised_by, title, public_id in rows
    }


def network_build(user, filters: MapFilters, *, evidence_of: tuple[Operator, Operator] | None = None) -> Network:
    """The operators the filters keep and the links between them that the person
    may see, in a fixed number of queries; with `evidence_of` (two operators),
    only their link, with its evidence.

    The links of five years of records cost reading thousands of rows: they
    are kept in the cache (see `_map_keys`) and computed anew after any write
    of what they come from. The evidence of one pair is always read from the
    database (its rows only)."""
    seen = visible_series(user)
    links_key = "" if evidence_of else _map_keys(user, seen, filters.query())[0]
    return _network(user, filters, map_operators(filters), seen, evidence_of, links_key=links_key)


def _network(user, filters: MapFilters, operators, seen, evidence_of=None, *, links_key: str = "") -> Network:
    if evidence_of:
        pair = (evidence_of[0].pk, evidence_of[1].pk)
        builder = _Builder([op for op in operators if op.pk in pair], pair)
        _links_read(builder, user, filters, seen, evidence=True)
    else:
        builder = _Builder(operators)
        kept = cache.get(links_key)
        if kept is None:
            _links_read(builder, user, filters, seen, evidence=False)
            kept = (
                [(a, b, dict(link.kinds)) for (a, b), link in builder.links.items()],
                dict(builder.activity),
            )
            cache.set(links_key, kept, LINKS_TIMEOUT)
        else:
            links, activity = kept
            builder.activity.update(activity)
            by_id = builder.by_id
            for a, b, kinds in links:
                if a in by_id and b in by_id:
                    builder.links[(a, b)] = Link(by_id[a], by_id[b], Counter(kinds))
    links = sorted(builder.links.values(), key=lambda link: (link.source.name, link.target.name))
    return Network(operators=operators, links=links, activity=builder.activity, filters=filters)


# The links computed for a person and filters stay an hour unused at most; a write drops them at once.
LINKS_TIMEOUT = 3600


def _map_keys(user, seen: dict[int, Series], query: str) -> tuple[str, str]:
    """The keys of the map of `user` with the filters `query` (MapFilters.query), in one
    round trip to the cache: that of its links, and that of what its pages show of
    them (the operators' names and kinds too, in the active language).

    The links are the person's (the series they may see, `seen`, and the other apps'
    link sources answer for them) and come from the records of these series, the
    open-doors visits, the link sources and the operators the filters keep (the
    operators' scope: operators, their publics, the territories and the areas they
    serve); a write of any drops a stamp and so changes both keys."""
    scopes = (
        *(series_scope(pk) for pk in sorted(seen)),
        VISITS_SCOPE,
        *(source.scope for source in link_sources().values()),
        OPERATORS_SCOPE,
    )
    links_stamps, directory_stamp = stamps(*scopes, DIRECTORY).rsplit(".", 1)
    # Hashed: short whatever the number of series.
    links = "map-links:" + hashlib.sha256(f"{user.pk}|{query}|{links_stamps}".encode()).hexdigest()
    shown = "map:" + hashlib.sha256(f"{links}|{directory_stamp}|{get_language() or ''}".encode()).hexdigest()
    return links, shown


@dataclass(frozen=True)
class MapCounts:
    operators: int
    links: int


@dataclass(frozen=True)
class TableRow:
    """An operator of the table of the links, and its links: (the other operator,
    the address of their evidence, the kinds' labels, the count) each."""

    operator: Operator
    kind_label: str
    links: list[tuple[Operator, str, str, int]]


class VisibleMap:
    """The map one person sees with some filters, as its pages read it: from the
    cache, under the keys of what it comes from (`_map_keys`), the network being
    built on a miss only.

    `query` is the filters as the querystring says them (MapFilters.query, or the
    filter form's fields as sent: two ways of saying the same filters only make two
    keys); `read_filters` reads them (it validates the form: a query of the
    territories), called on a miss only. The series the person may see are read at
    every request: they are the permission, never taken from the cache."""

    def __init__(self, user, query: str, read_filters: Callable[[], MapFilters]):
        self.user = user
        self.query = query
        self._read_filters = read_filters
        self.seen = visible_series(user)
        self.links_key, self.key = _map_keys(user, self.seen, query)
        self._counts = None

    @cached_property
    def filters(self) -> MapFilters:
        return self._read_filters()

    @cached_property
    def network(self) -> Network:
        filters = self.filters
        return _network(self.user, filters, map_operators(filters), self.seen, links_key=self.links_key)

    def counts(self) -> MapCounts:
        """How many operators and links the map shows (read once)."""
        if self._counts is None:
            key = f"{self.key}:counts"
            self._counts = cache.get(key)
            if self._counts is None:
                self._counts = MapCounts(len(self.network.operators), len(self.network.links))
                cache.set(key, self._counts, LINKS_TIMEOUT)
        return self._counts

    def data(self) -> str:
        """The map's data as its script reads it (JSON)."""
        key = f"{self.key}:graph"
        data = cache.get(key)
        if data is None:
            data = json.dumps(network_data(self.network))
            cache.set(key, data, LINKS_TIMEOUT)
        return data

    def fragment_key(self, name: str, *vary) -> str:
        """The key of a fragment of a page of the map `name`, for `vary` (what else changes it)."""
        return ":".join([self.key, name, *(str(v) for v in vary)])

    def rows(self, start: int, stop: int) -> list[TableRow]:
        """The operators from `start` to `stop` (by name) with their links, for the table."""
        network = self.network
        labels = LinkKind.labelled()
        kind_labels = dict(Operator.Kind.choices)
        link_url = _url_pattern("bassins:map_link", a="slug0", b="slug1")
        suffix = f"?{self.query}" if self.query else ""
        rows = []
        for op in network.operators[start:stop]:
            links = [
                (
                    link.other(op),
                    link_url(link.source.slug, link.target.slug) + suffix,
                    ", ".join(link.kind_labels(labels)),
                    link.count,
                )
                for link in network.links_of(op)
            ]
            rows.append(TableRow(op, str(kind_labels.get(op.kind, op.kind)), links))
        return rows


def _links_read(builder: _Builder, user, filters: MapFilters, seen: dict[int, Series], *, evidence: bool) -> None:
    """The links among the builder's operators, from the records of the series in `seen`.

    Only the rows' numbers (ids) are read, unless `evidence` (one pair): then
    their titles and addresses too."""
    ids = list(builder.by_id)
    participations = Participation.objects.filter(operator_id__in=ids)
    if filters.since:
        participations = participations.filter(Q(until__isnull=True) | Q(until__gte=filters.since))
    if filters.until:
        participations = participations.filter(since__lte=filters.until)
    participations = list(participations.values_list("series_id", "operator_id").distinct())
    columns = ("series_id", "owner_operator_id", "need_id", "decision_id")
    actions = [
        (*row, "", "")[:6]
        for row in _in_period(Action.objects.filter(owner_operator_id__in=ids), filters).values_list(
            *columns, *(("description", "session__public_id") if evidence else ())
        )
    ]
    needs = _needs(ids, filters, evidence=evidence)
    endorsements = [
        (*row, "", "")[:5]
        for row in _in_period(NeedEndorsement.objects.filter(operator_id__in=ids), filters).values_list(
            "operator_id",
            "need__raised_by_id",
            "need__series_id",
            *(("need__title", "need__public_id") if evidence else ()),
        )
    ]
    visible_needs = {pk: n for pk, n in needs.items() if n.series_id in seen}
    _series_links(builder, participations, seen)
    _need_links(builder, visible_needs, seen)
    _action_links(builder, actions, visible_needs, seen)
    _endorsement_links(builder, endorsements, seen)
    _visit_links(builder, ids, filters)
    for source in link_sources().values():
        for a, b, label, url in source.find(user, ids, filters.since, filters.until):
            builder.activity[a] += 1
            builder.add(a, b, source.kind, Evidence(source.kind, str(label), url, ""))


def network_link(network: Network, a: Operator, b: Operator) -> Link | None:
    """The link between two operators of the network, if the person may see one."""
    for link in network.links:
        if {link.source.pk, link.target.pk} == {a.pk, b.pk}:
            return link
    return None


KIND_ORDER = [code for code, _label in Operator.Kind.choices]


def node_position(operator: Operator) -> tuple[int, int]:
    """Where an operator sits on the map, the same at every visit and whatever the
    filters: each kind has its sector of a disc, and a hash of the operator's id
    places it within (no randomness in the browser)."""
    digest = hashlib.sha256(f"carrefour-map-{operator.pk}".encode()).digest()
    sector = 2 * math.pi / len(KIND_ORDER)
    index = KIND_ORDER.index(operator.kind) if operator.kind in KIND_ORDER else len(KIND_ORDER) - 1
    angle = sector * (index + 0.1 + 0.8 * digest[0] / 255)
    radius = 60 + 240 * (int.from_bytes(digest[1:3], "big") / 65535)
    return round(radius * math.cos(angle)), round(radius * math.sin(angle))


def _url_pattern(name: str, **placeholders: str):
    """A function making the address of `name` for its arguments, from one `reverse`
    (thousands of nodes and edges: one reverse each would cost more than the rest)."""
    path = reverse(name, kwargs=placeholders)
    keys = list(placeholders)
    return lambda *values: path.replace("/".join(placeholders[k] for k in keys), "/".join(str(v) for v in values))


def network_data(network: Network) -> dict:
    """The graph as the map's script reads it (cytoscape elements)."""
    peak = max(network.activity.values(), default=0)
    operator_url = _url_pattern("operators:detail", slug="slug0")
    labels = LinkKind.labelled()
    kind_labels = dict(Operator.Kind.choices)
    nodes = []
    for op in network.operators:
        x, y = node_position(op)
        nodes.append(
            {
                "data": {
                    "id": f"op{op.pk}",
                    "slug": op.slug,
                    "label": str(op),
                    "name": op.name,
                    "kind": op.kind,
                    "kindLabel": str(kind_labels.get(op.kind, op.kind)),
                    "activity": network.activity[op.pk],
                    "size": 20 + (40 * network.activity[op.pk] // peak if peak else 0),
                    "url": operator_url(op.slug),
                },
                "position": {"x": x, "y": y},
            }
        )
    edges = [
        {
            "data": {
                "id": f"l{link.source.pk}-{link.target.pk}",
                "source": f"op{link.source.pk}",
                "target": f"op{link.target.pk}",
                "kinds": link.kind_labels(labels),
                "count": link.count,
                "width": min(1 + link.count, 10),
            }
        }
        for link in network.links
    ]
    return {"nodes": nodes, "edges": edges}
