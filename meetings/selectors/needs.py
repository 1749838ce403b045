"""Reads of cooperation needs: the convergence board, a need's page and
timeline, what changed since a date (dashboards), counts per series."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.selectors import user_operator_roles
from core.brussels import BRUSSELS, brussels_date
from operators.models import Operator

from ..fragments import register_fragment_key
from ..models import CooperationNeed, NeedEndorsement, NeedMention, NeedStage, NeedStageChange, Series, Session, Theme
from .access import participating_operator_ids, register_series

BOARD_STAGES = (NeedStage.EMERGING, NeedStage.STABILISED, NeedStage.CONVERGING, NeedStage.TAKEN_UP)


FINAL_STAGES = (NeedStage.CLOSED, NeedStage.DROPPED)


def _with_card_relations(qs: QuerySet[CooperationNeed]) -> QuerySet[CooperationNeed]:
    """What a card of the board shows (need_card.html), and no more: series
    and raiser, themes, endorsing operators (three queries after the needs)."""
    return qs.select_related("series", "raised_by").prefetch_related(
        "themes",
        Prefetch(
            "endorsements",
            queryset=NeedEndorsement.objects.select_related("operator")
            .only("need_id", "created_at", "operator__name", "operator__short_name")
            .order_by("created_at"),
        ),
    )


def _with_board_relations(qs: QuerySet[CooperationNeed]) -> QuerySet[CooperationNeed]:
    return qs.select_related("series", "raised_by").prefetch_related(
        "themes",
        "operators_concerned",
        Prefetch("endorsements", queryset=NeedEndorsement.objects.select_related("operator").order_by("created_at")),
    )


# The board shows at most this many needs per stage column (the most recently
# moved); the rest are one "and N more" link away, on the paginated list.
BOARD_CAP = 10


# Closed or dropped needs stay on the board this many days, then only on the list of ended needs.
ENDED_RECENT_DAYS = 90


ENDED = "ended"  # the list of closed and dropped needs, as a stage filter


def _board_needs(
    *, user, series: Series | None = None, theme: Theme | None = None, operator: Operator | None = None
) -> QuerySet[CooperationNeed]:
    """The needs of the person's series, filtered; an operator's needs are
    those it raised, endorsed or is concerned by (a subquery: no DISTINCT)."""
    qs = CooperationNeed.objects.filter(series__in=register_series(user))
    if series is not None:
        qs = qs.filter(series=series)
    if theme is not None:
        qs = qs.filter(themes=theme)
    if operator is not None:
        theirs = CooperationNeed.objects.filter(
            Q(raised_by=operator) | Q(endorsements__operator=operator) | Q(operators_concerned=operator)
        )
        qs = qs.filter(pk__in=theirs.values("pk"))
    return qs


@dataclass
class NeedBoard:
    """What the board shows: at most BOARD_CAP needs per open stage and of the
    recently ended ones (`needs`), and how many there are in all (`counts`:
    {stage: n}, plus "ended" and "ended_recent")."""

    needs: list
    counts: dict


def needs_board(
    *,
    user,
    series: Series | None = None,
    theme: Theme | None = None,
    operator: Operator | None = None,
    now: datetime.datetime | None = None,
) -> NeedBoard:
    """The board of the person's series, filtered: the living needs, the most
    recently moved first, capped per stage; the needs ended in the last
    ENDED_RECENT_DAYS, capped too; and the counts of each. Five queries
    (counts, needs, themes, endorsements) whatever the data size."""
    qs = _board_needs(user=user, series=series, theme=theme, operator=operator)
    since = (now or timezone.now()) - datetime.timedelta(days=ENDED_RECENT_DAYS)
    counts = dict.fromkeys([*NeedStage.values, ENDED, "ended_recent"], 0)
    rows = qs.values("stage").annotate(n=Count("pk"), recent=Count("pk", filter=Q(stage_changed_at__gte=since)))
    for row in rows.order_by():
        counts[row["stage"]] = row["n"]
        if row["stage"] in FINAL_STAGES:
            counts[ENDED] += row["n"]
            counts["ended_recent"] += row["recent"]
    column = Case(When(stage__in=FINAL_STAGES, then=Value(ENDED)), default=F("stage"))
    rank = Window(RowNumber(), partition_by=[column], order_by=[F("stage_changed_at").desc(), F("pk").desc()])
    shown = qs.filter(Q(stage__in=BOARD_STAGES) | Q(stage__in=FINAL_STAGES, stage_changed_at__gte=since))
    shown = shown.annotate(rank=rank).filter(rank__lte=BOARD_CAP)
    return NeedBoard(list(_with_card_relations(shown).order_by("-stage_changed_at", "-pk")), counts)


def needs_list(
    *, user, stage: str, series: Series | None = None, theme: Theme | None = None, operator: Operator | None = None
) -> QuerySet[CooperationNeed]:
    """The needs of the board at one stage ("ended": closed or dropped), the
    most recently moved first, with the relations a card shows: paginate it."""
    qs = _board_needs(user=user, series=series, theme=theme, operator=operator)
    qs = qs.filter(stage__in=FINAL_STAGES) if stage == ENDED else qs.filter(stage=stage)
    return _with_card_relations(qs).order_by("-stage_changed_at", "-pk")


@dataclass
class ThemeGroup:
    theme: Theme | None
    needs: list


@dataclass
class StageColumn:
    stage: str
    label: str
    count: int  # all the needs at this stage (or ended), shown or not
    groups: list[ThemeGroup]
    shown: int = 0  # those on the board
    recent: int = 0  # for the ended ones: those ended in the last ENDED_RECENT_DAYS

    @property
    def more(self) -> int:
        """The needs left off the board, one link away."""
        return self.count - self.shown


def board_columns(board: NeedBoard) -> tuple[list[StageColumn], StageColumn]:
    """The board's columns: one per open stage, needs grouped by their first
    theme (alphabetically; those without a theme last), and closed or dropped apart."""

    def column(stage, label, members, count, recent=0):
        groups: dict = {}
        for need in members:
            themes = sorted(need.themes.all(), key=lambda t: t.name.lower())
            key = themes[0] if themes else None
            groups.setdefault(key, []).append(need)
        ordered = sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0].name.lower() if kv[0] else ""))
        return StageColumn(stage, label, count, [ThemeGroup(t, n) for t, n in ordered], len(members), recent)

    needs, counts = board.needs, board.counts
    columns = [column(s, s.label, [n for n in needs if n.stage == s], counts[s]) for s in BOARD_STAGES]
    ended = [n for n in needs if n.stage in FINAL_STAGES]
    closed = column(ENDED, "", ended, counts[ENDED], counts["ended_recent"])
    return columns, closed


@dataclass
class BoardPage:
    columns: list[StageColumn]
    closed: StageColumn


def need_board_page(*, user, filters: dict, query: str, now: datetime.datetime | None = None):
    """The board page of `user` for the valid `filters` (and `query`, the
    query string they came from): (its columns, read only when rendered; the
    key of its cached fragment). The key changes with every write in the
    person's series, with the filters, the day and the language; "recently
    ended" counts from the start of the day, so the fragment holds all day."""
    day = brussels_date(now or timezone.now())
    day_start = datetime.datetime.combine(day, datetime.time(), tzinfo=BRUSSELS)
    board = SimpleLazyObject(lambda: BoardPage(*board_columns(needs_board(user=user, now=day_start, **filters))))
    series_ids = register_series(user).values_list("pk", flat=True)
    return board, register_fragment_key("need-board", series_ids, query, day)


def board_themes(user) -> QuerySet[Theme]:
    """The themes used in the person's series: the choices of the theme filter."""
    used = CooperationNeed.objects.filter(series__in=register_series(user)).values("themes")
    return Theme.objects.filter(pk__in=used).order_by("name")


def need_get_for_user(user, public_id) -> CooperationNeed:
    """The need at `public_id` if the person sees its series; 404 otherwise."""
    need = _with_board_relations(CooperationNeed.objects.filter(public_id=public_id)).first()
    if need is None or not user.has_perm("meetings.view_series", need.series):
        raise Http404
    return need


def need_timeline(need: CooperationNeed) -> list[dict]:
    """Mentions, endorsements and stage changes of the need, oldest first (four queries)."""
    events = []
    for mention in need.mentions.select_related("session", "created_by"):
        events.append({"kind": "mention", "at": mention.created_at, "obj": mention})
    for endorsement in need.endorsements.all():  # prefetched with their operator
        events.append({"kind": "endorsement", "at": endorsement.created_at, "obj": endorsement})
    for change in need.stage_changes.select_related("by", "session"):
        events.append({"kind": "stage", "at": change.at, "obj": change})
    events.sort(key=lambda e: e["at"])
    return events


def need_links(need: CooperationNeed) -> dict:
    """The decisions and actions that took the need up, with their session."""
    return {
        "decisions": list(need.decisions.select_related("session").order_by("created_at")),
        "actions": list(need.actions.select_related("session", "owner_operator").order_by("created_at")),
    }


def need_endorsing_operators(user, need: CooperationNeed) -> list[Operator]:
    """The person's operators that may still say "nous aussi" to the need:
    taking part in its series, not its raiser, not endorsed yet."""
    if need.stage in FINAL_STAGES:
        return []
    done = {e.operator_id for e in need.endorsements.all()} | {need.raised_by_id}
    ids = [pk for pk in participating_operator_ids(user, need.series) if pk not in done]
    return list(Operator.objects.filter(pk__in=ids).order_by("name")) if ids else []


def need_raising_operators(user, series: Series) -> QuerySet[Operator]:
    """The operators the person may raise a need for in `series`: all those
    taking part for its coordinators, their own ones for the others."""
    taking_part = Operator.objects.filter(participations__series=series, participations__until__isnull=True)
    if not user.has_perm("meetings.change_series", series):
        taking_part = taking_part.filter(pk__in=list(user_operator_roles(user)))
    return taking_part.order_by("name").distinct()


def needs_changed_since(*, user, since: datetime.datetime) -> list[CooperationNeed]:
    """The needs of the person's series whose stage changed since `since`,
    latest first, each with its `recent_changes` (the changes since then,
    oldest first). A fixed number of queries."""
    changes = NeedStageChange.objects.filter(at__gte=since).select_related("by", "session").order_by("at", "pk")
    return list(
        CooperationNeed.objects.filter(series__in=register_series(user), stage_changed_at__gte=since)
        .select_related("series", "raised_by")
        .prefetch_related(Prefetch("stage_changes", queryset=changes, to_attr="recent_changes"))
        .order_by("-stage_changed_at", "-pk")
    )


def series_need_counts(*, series: Series) -> dict[str, int]:
    """{stage: number of needs} for every stage of the series (one query)."""
    counts = dict.fromkeys(NeedStage.values, 0)
    for row in series.needs.values("stage").annotate(n=Count("pk")).order_by():
        counts[row["stage"]] = row["n"]
    return counts


def session_mentions(*, session: Session) -> list[NeedMention]:
    """The needs mentioned in `session`, with the need."""
    return list(session.need_mentions.select_related("need", "need__raised_by").order_by("created_at", "pk"))
