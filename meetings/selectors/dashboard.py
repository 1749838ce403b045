"""Reads for the home page's two dashboards: the operator member's and the coordinator's.

Both read straight from the models, in a fixed number of queries whatever
the number of series, sessions, actions or needs (tests/meetings/test_dashboard.py
counts them): one query per kind of row, never one per series. Every list is
capped; the action lists come with their full counts (one more query each,
a cheap index count) so that the page says how many there are in all and
links to the action register for the rest.

Both dashboards are cached fragments (core.fragments), read only when the
page renders them, that is when their key is not in the cache: the
coordinator's, shared by the coordinators of the same series; the person's
(their operators and the member's dashboard), keyed by the person. What a
request reads in all cases is what the keys need: the person's series (the
permission reads, once per request), the next session of each, and for a
member the times at which the member's part changes by itself (an info
round opens, its deadline passes, the "Join" button shows, the session
starts or ends).
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.cache import cache
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.selectors import user_operator_roles
from core.brussels import BRUSSELS
from core.fragments import TIMEOUT as FRAGMENT_TIMEOUT
from operators.models import Operator, OperatorMembership
from operators.selectors import memberships_for_user

from ..fragments import register_fragment_key
from ..models import (
    Action,
    AgendaItem,
    CooperationNeed,
    InfoRoundEntry,
    Minutes,
    NeedEndorsement,
    NeedStage,
    NeedStageChange,
    Participation,
    Series,
    Session,
    SlotPoll,
)
from ..video import JOIN_OPENS_BEFORE
from .access import charter_locked_series_ids, coordinated_series_ids, participating_series_ids
from .charter import series_held_by_charter
from .inforound import InfoRoundPhase, info_round_phase, info_round_window
from .polls import polls_awaiting_answer
from .sessions import session_rows, upcoming_sessions_for_user

STAGE_CHANGES_SINCE = datetime.timedelta(days=14)


# Closed and dropped needs stay on the member's dashboard this long after they ended.
ENDED_NEEDS_SHOWN_FOR = datetime.timedelta(days=30)


NEEDS_SHOWN = 20


MINUTES_SHOWN = 5


STAGE_CHANGES_SHOWN = 30


ACTIONS_SHOWN = 10  # the most urgent open actions; the action register has the rest


# What the dashboard's action tables show of an action and its relations:
# loading only these keeps the query narrow (the owner's password hash and the
# operator's address have no business there).
ACTION_FIELDS = (
    "public_id",
    "description",
    "due_date",
    "status",
    "created_at",
    "series__public_id",
    "series__name",
    "session__public_id",
    "session__starts_at",
    "owner_operator__name",
    "owner_operator__short_name",
    "owner_operator__slug",
    "owner_user__name",
)


ENDED_STAGES = (NeedStage.CLOSED, NeedStage.DROPPED)


class RoundStatus:
    """Where an operator's info round for a session stands, seen from the dashboard."""

    NOT_OPEN = "not_open"  # the round opens later
    TO_FILL = "to_fill"  # open, nothing saved yet
    DRAFT = "draft"  # saved, not submitted
    SUBMITTED = "submitted"  # submitted in time
    LATE = "late"  # submitted after the deadline, or the deadline passed without a submission
    MISSING = "missing"  # the session started without a submission


@dataclass
class OperatorRound:
    """One of my operators' info round for the next session of a series."""

    operator: Operator
    entry: InfoRoundEntry | None
    status: str
    opens_at: datetime.datetime
    deadline: datetime.datetime
    can_fill: bool


@dataclass
class MemberSeries:
    series: Series
    session: Session | None  # the next session, its agenda_items prefetched
    rounds: list[OperatorRound] = field(default_factory=list)


@dataclass
class MemberDashboard:
    series: list[MemberSeries]
    actions: list[Action]  # the ACTIONS_SHOWN most urgent open actions of my operators, annotated is_overdue
    needs: list[CooperationNeed]  # annotated we_raised, we_endorsed, n_endorsements
    minutes: list[Minutes]  # the latest published minutes of my series
    actions_total: int = 0  # open actions of my operators, in all
    actions_overdue: int = 0  # of which overdue
    operators: list[Operator] = field(default_factory=list)  # my operators taking part, by name (register links)


@dataclass
class CoordinatorSeries:
    series: Series  # annotated n_operators
    session: Session | None  # annotated n_submitted, n_late; agenda_items prefetched

    @property
    def agenda_minutes(self) -> int:
        return sum(item.timebox for item in self.session.agenda_items.all()) if self.session else 0

    @property
    def agenda_overruns(self) -> bool:
        if self.session is None:
            return False
        return self.agenda_minutes > self.session.duration_minutes


@dataclass
class CoordinatorDashboard:
    series: list[CoordinatorSeries]
    overdue_actions: list[Action]  # the ACTIONS_SHOWN oldest overdue actions of my series
    stage_changes: list[NeedStageChange]
    minutes_waiting: list[Minutes]  # draft or approved, oldest session first
    overdue_total: int = 0  # overdue actions of my series, in all


# The version of what _timetable keeps in the cache: change it with its shape.
TIMETABLE_SHAPE = 2


@dataclass
class Timetable:
    """What the home page reads of its sessions on every request: the next
    sessions of the person's series (the table) and the next session of each
    series of the dashboards (their keys)."""

    upcoming: list[SimpleNamespace]  # as session_rows' rows, with series.name and series.public_id
    # series id → (next session id, its end, the moments its member's card changes by itself:
    # _moments); the id None when none is planned
    next_sessions: dict[int, tuple]
    key: str = ""  # the key of the table's fragment: the timetable's, and which "Join" buttons show


@dataclass
class Dashboard:
    # Read only when rendered: a cached fragment under `person_key` (None when the
    # person's operators take part in no series they see).
    member: MemberDashboard | None
    # Read only when rendered: a cached fragment under `coordinator_key` ("" when None).
    coordinator: CoordinatorDashboard | None
    today: datetime.date
    coordinator_key: str = ""
    person_key: str = ""  # the key of the person's fragments: their operators, and the member's part
    member_key: str = ""  # person_key when there is a member's part, "" otherwise
    timetable: Timetable | None = None  # the person's next sessions (their table) and their series'


def operator_round(*, session: Session, operator: Operator, entry, now: datetime.datetime) -> OperatorRound:
    """The dashboard's view of one operator's info round for `session`."""
    opens_at, deadline = info_round_window(session)
    submitted = entry is not None and entry.status == InfoRoundEntry.Status.SUBMITTED
    if submitted:
        status = RoundStatus.LATE if entry.is_late else RoundStatus.SUBMITTED
    elif now >= session.starts_at:
        status = RoundStatus.MISSING
    elif entry is None and now < opens_at:
        status = RoundStatus.NOT_OPEN
    elif now > deadline:
        status = RoundStatus.LATE
    else:
        status = RoundStatus.DRAFT if entry is not None else RoundStatus.TO_FILL
    can_fill = info_round_phase(session, now) == InfoRoundPhase.OPEN
    return OperatorRound(operator, entry, status, opens_at, deadline, can_fill)


def _series_with_next_session(series_ids, now, *, times=False):
    """The series, each annotated with its next session's id (not over, not cancelled),
    and with `times` its start and end (next_starts_at, next_ends_at)."""
    next_session = (
        Session.objects.filter(series=OuterRef("pk"), ends_at__gt=now)
        .exclude(status__in=[Session.Status.CANCELLED, Session.Status.HELD])
        .order_by("starts_at", "pk")
    )
    annotations = {"next_session_id": Subquery(next_session.values("pk")[:1])}
    if times:
        annotations["next_starts_at"] = Subquery(next_session.values("starts_at")[:1])
        annotations["next_ends_at"] = Subquery(next_session.values("ends_at")[:1])
    return list(Series.objects.filter(pk__in=series_ids).annotate(**annotations).order_by("name", "pk"))


def _participations(operator_ids, participating_ids) -> list[Participation]:
    """The participations of the person's operators in the series they see, with the operators."""
    if not (operator_ids and participating_ids):
        return []
    return list(
        Participation.objects.filter(operator_id__in=operator_ids, until__isnull=True, series_id__in=participating_ids)
        .select_related("operator")
        .order_by("operator__name", "pk")
    )


def _count_operators(rows) -> None:
    """Set n_operators, the operators taking part now, on each series of `rows` (one query)."""
    counts = dict(
        Participation.objects.filter(series_id__in=[row.series.pk for row in rows], until__isnull=True)
        .order_by()
        .values("series")
        .annotate(n=Count("pk"))
        .values_list("series", "n")
    )
    for row in rows:
        row.series.n_operators = counts.get(row.series.pk, 0)


def _moments(row: Series) -> tuple[datetime.datetime, ...]:
    """The moments at which the member's card of `row`'s next session (annotated
    next_starts_at) changes with the clock alone: its info round opens, its
    deadline passes, the "Join" button shows, the session starts (when it ends,
    the next one is another session)."""
    starts_at = row.next_starts_at
    opens_at, deadline = info_round_window(Session(starts_at=starts_at, series=row))
    return (opens_at, deadline, starts_at - JOIN_OPENS_BEFORE, starts_at)


def _timetable(*, user, dashboard_ids, now: datetime.datetime) -> Timetable:
    """The Timetable of `user` at `now`, `dashboard_ids` the series of their dashboards.

    Kept in the cache under the stamps of the series (any write of their
    sessions drops it) and the language (the labels), until the first of its
    sessions ends (it leaves the table, the next one is shown): two queries
    on a miss, none on a hit. The "Join" buttons open with the clock: worked
    out at each read."""
    upcoming_ids = coordinated_series_ids(user) | participating_series_ids(user)
    stamped = register_fragment_key(
        "home-timetable",
        upcoming_ids | dashboard_ids,
        ",".join(map(str, sorted(upcoming_ids))),
        ",".join(map(str, sorted(dashboard_ids))),
    )
    # Hashed: a person may take part in many series. The shape's version: a deploy that changes
    # what is kept must not read the values kept before it.
    key = f"home-timetable:{TIMETABLE_SHAPE}:" + hashlib.sha256(stamped.encode()).hexdigest()
    found = cache.get(key)
    if found is None or (found[0] is not None and now >= found[0]):
        found = _read_timetable(user=user, dashboard_ids=dashboard_ids, now=now)
        cache.set(key, found, FRAGMENT_TIMEOUT)
    _valid_until, upcoming, next_sessions = found
    rows = []
    for row in upcoming:
        row = SimpleNamespace(**row)
        row.series = SimpleNamespace(**row.series)
        # As video.join_is_open.
        row.join_open = bool(row.join_url) and row.starts_at - JOIN_OPENS_BEFORE <= now < row.ends_at
        rows.append(row)
    table_key = key + ":" + "".join("1" if row.join_open else "0" for row in rows)
    return Timetable(upcoming=rows, next_sessions=next_sessions, key=table_key)


def _read_timetable(*, user, dashboard_ids, now):
    """(valid until, the upcoming rows, the next sessions) as _timetable keeps them: plain values."""
    upcoming = [
        {
            "public_id": s.public_id,
            "status": s.status,
            "day_label": s.day_label,
            "hours_label": s.hours_label,
            "status_label": s.status_label,
            "join_url": s.join_url,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "series": {"name": s.series.name, "public_id": s.series.public_id},
        }
        for s in session_rows(upcoming_sessions_for_user(user, now=now, limit=5), now)
    ]
    series_rows = _series_with_next_session(dashboard_ids, now, times=True) if dashboard_ids else []
    next_sessions = {
        row.pk: (row.next_session_id, row.next_ends_at, _moments(row) if row.next_session_id else ())
        for row in series_rows
    }
    ends = [row["ends_at"] for row in upcoming] + [n[1] for n in next_sessions.values() if n[0] is not None]
    return (min(ends) if ends else None), upcoming, next_sessions


def _next_sessions(session_ids) -> dict[int, Session]:
    def entries(**filters):
        return Coalesce(
            Subquery(
                InfoRoundEntry.objects.filter(session=OuterRef("pk"), status=InfoRoundEntry.Status.SUBMITTED, **filters)
                .order_by()
                .values("session")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        )

    sessions = (
        Session.objects.filter(pk__in=session_ids)
        .select_related("series", "host_operator")
        .annotate(n_submitted=entries(), n_late=entries(is_late=True))
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "pk")))
    )
    return {s.pk: s for s in sessions}


def _first_actions(actions: QuerySet[Action], *ordering) -> QuerySet[Action]:
    """The ACTIONS_SHOWN first of `actions` in `ordering`, with their series,
    session and owners. The LIMIT applies to the ids alone, so that the
    related rows are joined for those few actions only, not for all of them."""
    first = actions.order_by(*ordering).values("pk")[:ACTIONS_SHOWN]
    return (
        Action.objects.filter(pk__in=first)
        .select_related("series", "session", "owner_operator", "owner_user")
        .only(*ACTION_FIELDS)
        .order_by(*ordering)
    )


def _member_dashboard(*, operator_ids, participations, series_rows, sessions, now, today, visible_ids):
    my_series_ids = {p.series_id for p in participations}
    operators_by_series: dict[int, list[Operator]] = {}
    for p in participations:
        operators_by_series.setdefault(p.series_id, []).append(p.operator)
    next_ids = [row.next_session_id for row in series_rows if row.pk in my_series_ids and row.next_session_id]
    entries = {
        (e.session_id, e.operator_id): e
        for e in InfoRoundEntry.objects.filter(session_id__in=next_ids, operator_id__in=operator_ids).select_related(
            "updated_by"
        )
    }
    rows = []
    for row in series_rows:
        if row.pk not in my_series_ids:
            continue
        session = sessions.get(row.next_session_id)
        item = MemberSeries(series=row, session=session)
        if session is not None:
            item.rounds = [
                operator_round(session=session, operator=op, entry=entries.get((session.pk, op.pk)), now=now)
                for op in operators_by_series[row.pk]
            ]
        rows.append(item)

    open_actions = Action.objects.filter(
        owner_operator_id__in=operator_ids, status=Action.Status.OPEN, series_id__in=visible_ids
    )
    actions = list(
        _first_actions(open_actions, F("due_date").asc(nulls_last=True), "created_at", "pk").annotate(
            is_overdue=Q(due_date__lt=today)
        )
    )
    counts = open_actions.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    endorsed = NeedEndorsement.objects.filter(need=OuterRef("pk"), operator_id__in=operator_ids)
    n_endorsements = (
        NeedEndorsement.objects.filter(need=OuterRef("pk"))
        .order_by()
        .values("need")
        .annotate(n=Count("pk"))
        .values("n")
    )
    needs = list(
        CooperationNeed.objects.filter(series_id__in=visible_ids)
        .annotate(
            we_endorsed=Exists(endorsed),
            we_raised=Q(raised_by_id__in=operator_ids),
            n_endorsements=Coalesce(Subquery(n_endorsements, output_field=IntegerField()), Value(0)),
        )
        .filter(Q(raised_by_id__in=operator_ids) | Q(we_endorsed=True))
        .exclude(stage__in=ENDED_STAGES, stage_changed_at__lt=_day_start(today - ENDED_NEEDS_SHOWN_FOR))
        .select_related("series", "raised_by")
        .order_by("-stage_changed_at", "-pk")[:NEEDS_SHOWN]
    )
    minutes = list(
        Minutes.objects.filter(status=Minutes.Status.PUBLISHED, session__series_id__in=my_series_ids)
        .select_related("session", "session__series")
        .order_by("-published_at", "-pk")[:MINUTES_SHOWN]
    )
    operators = sorted({p.operator for p in participations}, key=lambda op: (op.name, op.pk))
    return MemberDashboard(
        series=rows,
        actions=actions,
        needs=needs,
        minutes=minutes,
        actions_total=counts["total"],
        actions_overdue=counts["overdue"],
        operators=operators,
    )


def _coordinator_dashboard(*, coordinated_ids, series_rows, sessions, today):
    rows = [
        CoordinatorSeries(series=row, session=sessions.get(row.next_session_id))
        for row in series_rows
        if row.pk in coordinated_ids
    ]
    _count_operators(rows)
    overdue_actions = Action.objects.filter(
        series_id__in=coordinated_ids, status=Action.Status.OPEN, due_date__lt=today
    )
    overdue = list(_first_actions(overdue_actions, "due_date", "created_at", "pk"))
    changes = list(
        NeedStageChange.objects.filter(
            need__series_id__in=coordinated_ids, at__gte=_day_start(today - STAGE_CHANGES_SINCE)
        )
        .select_related("need", "need__series", "need__raised_by")
        .order_by("-at", "-pk")[:STAGE_CHANGES_SHOWN]
    )
    waiting = list(
        Minutes.objects.filter(
            session__series_id__in=coordinated_ids, status__in=[Minutes.Status.DRAFT, Minutes.Status.APPROVED]
        )
        .select_related("session", "session__series")
        .order_by("session__starts_at", "pk")
    )
    return CoordinatorDashboard(
        series=rows,
        overdue_actions=overdue,
        stage_changes=changes,
        minutes_waiting=waiting,
        overdue_total=overdue_actions.count(),
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    """The start of the (Brussels) `day`: the stage changes and the ended needs shown
    start there, so that the lists change with the day, not the minute (the
    fragments are keyed by the day)."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=BRUSSELS)


def dashboard_for_user(*, user, now: datetime.datetime | None = None, vary: str = "") -> Dashboard:
    """What the home page shows a person: the member's part when one of their
    operators takes part in a series, the coordinator's part when they
    coordinate one (both for a person with both roles, neither otherwise).

    Both parts are read only when rendered: their cached fragments' keys
    (`coordinator_key`, `person_key`) are what this reads. `vary` goes into the
    person's key (the view's digest of the person's CSRF secret: the member's
    part holds forms)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    roles = user_operator_roles(user)
    operator_ids = list(roles)
    # The series whose charter the person has not accepted show nothing (the charter gate):
    # participating_series_ids leaves them out (it reads them once per request).
    participating_ids = participating_series_ids(user)
    member_series_ids = set()
    if operator_ids and participating_ids:
        member_series_ids = set(
            Participation.objects.filter(
                operator_id__in=operator_ids, until__isnull=True, series_id__in=participating_ids
            ).values_list("series_id", flat=True)
        )
    coordinated_ids = coordinated_series_ids(user)
    visible_ids = member_series_ids | coordinated_ids
    timetable = _timetable(user=user, dashboard_ids=visible_ids, now=now)
    # The person's part (their operators, the member's dashboard) changes with the data
    # of their series, their operators and roles, the day and, for a member, the moments
    # their next sessions change by themselves: all in its key.
    person_vary = [f"person-{user.pk}", today, sorted(roles.items()), vary]
    if not visible_ids:
        key = register_fragment_key("home-person", (), *person_vary)
        return Dashboard(member=None, coordinator=None, today=today, person_key=key, timetable=timetable)
    next_sessions = timetable.next_sessions
    # What the parts show is read when one is rendered, after their keys' stamps: a write
    # in between drops them (core.fragments.stamps). What was read before only makes the keys.
    series_rows = SimpleLazyObject(lambda: _series_with_next_session(visible_ids, now))
    next_ids = [n[0] for n in next_sessions.values() if n[0] is not None]
    sessions = SimpleLazyObject(lambda: _next_sessions(next_ids))
    member = None
    if member_series_ids:
        member = SimpleLazyObject(
            lambda: _member_dashboard(
                operator_ids=operator_ids,
                participations=_participations(operator_ids, participating_ids),
                series_rows=series_rows,
                sessions=sessions,
                now=now,
                today=today,
                visible_ids=visible_ids,
            )
        )
        person_vary.append(
            [
                # How many of the moments that change the card by themselves have passed: a fragment
                # keyed by this is rendered again at each.
                (next_sessions[pk][0], sum(moment <= now for moment in next_sessions[pk][2]))
                for pk in sorted(member_series_ids)
                if next_sessions[pk][0] is not None
            ]
        )
    person_key = register_fragment_key("home-person", visible_ids, *person_vary)
    member_key = person_key if member is not None else ""
    if not coordinated_ids:
        return Dashboard(
            member=member,
            coordinator=None,
            today=today,
            person_key=person_key,
            member_key=member_key,
            timetable=timetable,
        )
    # The coordinator's part changes with the data of the series, the day and
    # their next sessions (one ends, the next one is shown): all in its key.
    coordinator = SimpleLazyObject(
        lambda: _coordinator_dashboard(
            coordinated_ids=coordinated_ids, series_rows=series_rows, sessions=sessions, today=today
        )
    )
    next_coordinated = [next_sessions[pk][0] for pk in sorted(coordinated_ids)]
    key = register_fragment_key("coordinator-dashboard", coordinated_ids, today, next_coordinated)
    return Dashboard(
        member=member,
        coordinator=coordinator,
        today=today,
        coordinator_key=key,
        person_key=person_key,
        member_key=member_key,
        timetable=timetable,
    )


@dataclass
class HomePage:
    """Everything the home page shows, read before it renders (the person's
    operators and dashboards when their cached fragments miss)."""

    memberships: list[OperatorMembership]  # the person's operators, by name (lazy: under dashboard.person_key)
    upcoming: list[SimpleNamespace]  # the next sessions of their series (Timetable.upcoming)
    polls: list[SlotPoll]  # open polls awaiting an answer of their operators
    dashboard: Dashboard
    charters_to_accept: list[Series]  # series closed to them until they accept their charter


def _takes_part(user) -> bool:
    """Whether an operator of the person (or the person alone) takes part in a series now."""
    return bool(participating_series_ids(user) or charter_locked_series_ids(user))


def home_page(*, user, now: datetime.datetime, vary: str = "") -> HomePage:
    """The home page of `user` at `now`: their dashboards, next sessions,
    polls to answer and operators, in a fixed number of queries (`vary`:
    see dashboard_for_user)."""
    dashboard = dashboard_for_user(user=user, now=now, vary=vary)
    return HomePage(
        memberships=SimpleLazyObject(lambda: list(memberships_for_user(user=user))),
        upcoming=dashboard.timetable.upcoming,
        # Polls are answered by the operators taking part: none when they take part in nothing
        # (the series they take part in, locked by their charter or not, are read already).
        polls=list(polls_awaiting_answer(user=user)) if _takes_part(user) else [],
        dashboard=dashboard,
        charters_to_accept=series_held_by_charter(user),
    )
