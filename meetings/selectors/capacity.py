"""The network's capacity at a glance: the capacity signals the operators
gave in their submitted info rounds, session after session.

The board reads three queries whatever the number of sessions and operators
(tested at 1 and 200 sessions × 60 operators): the sessions, the operators
that ever took part, and the signals. Everything else is computed here, in one
place, for the page, the compiled round, the digest and the evaluation.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from operators.models import Operator

from ..models import AnswerType, CapacityStatus, InfoRoundAnswer, InfoRoundEntry, Series, Session

# How many consecutive saturated weeks make an operator stand out on the board.
SATURATED_ALERT_WEEKS = 3
# The board shows the sessions whose info round may already be open.
AHEAD = datetime.timedelta(days=14)
CHART_WIDTH, CHART_HEIGHT = 600, 120
# The chart of the board's page: the sessions of about a year, up to the last one shown.
CHART_SESSIONS = 52
DIGEST_WEEK = datetime.timedelta(days=7)
LEVEL_ORDER = {CapacityStatus.AVAILABLE: 0, CapacityStatus.STRAINED: 1, CapacityStatus.SATURATED: 2}


@dataclass(frozen=True)
class Signal:
    level: str
    waiting_days: int | None = None
    places: int | None = None


@dataclass
class CapacityRow:
    operator: Operator
    cells: list[Signal | None]
    # Consecutive latest sessions saturated (counted back from the latest
    # session where anyone gave a signal); "worse", "better", "same" or "".
    saturated_streak: int = 0
    trend: str = ""

    @property
    def alert(self) -> bool:
        return self.saturated_streak >= SATURATED_ALERT_WEEKS


@dataclass
class ShareOfSaturated:
    session: Session
    saturated: int
    signals: int

    @property
    def share(self) -> float | None:
        return round(self.saturated / self.signals, 4) if self.signals else None


@dataclass
class CapacityBoard:
    sessions: list[Session]
    rows: list[CapacityRow]
    shares: list[ShareOfSaturated] = field(default_factory=list)
    # A window of the sessions (the page): how many windows back from the latest,
    # and whether there are sessions before it.
    earlier: int = 0
    has_earlier: bool = False

    @property
    def alerts(self) -> list[CapacityRow]:
        return [row for row in self.rows if row.alert]

    def chart_bars(self, *, width: int = CHART_WIDTH, height: int = CHART_HEIGHT) -> list[dict]:
        """The bars of the share-of-saturated chart (an SVG drawn by the
        template): one per session with signals, its height the share."""
        shown = [s for s in self.shares if s.signals]
        if not shown:
            return []
        step = width / len(shown)
        bars = []
        for i, item in enumerate(shown):
            bar_height = round(item.share * height, 1)
            bars.append(
                {
                    "x": round(i * step + step * 0.1, 1),
                    "width": round(step * 0.8, 1),
                    "y": round(height - bar_height, 1),
                    "height": bar_height,
                    "item": item,
                }
            )
        return bars


def capacity_signals(session_ids) -> QuerySet:
    """(session id, operator id, level, waiting days, places) of the signals
    given in submitted entries of these sessions (one query)."""
    return (
        InfoRoundAnswer.objects.filter(
            entry__session_id__in=session_ids,
            entry__status=InfoRoundEntry.Status.SUBMITTED,
            question__answer_type=AnswerType.CAPACITY,
        )
        .exclude(capacity="")
        .values_list("entry__session_id", "entry__operator_id", "capacity", "waiting_days", "places")
        .order_by()
    )


def _trend(signals: list[Signal]) -> str:
    if len(signals) < 2:
        return ""
    last, before = LEVEL_ORDER[signals[-1].level], LEVEL_ORDER[signals[-2].level]
    return "worse" if last > before else "better" if last < before else "same"


def _streak(cells: list[Signal | None], last_column: int) -> int:
    streak = 0
    for cell in reversed(cells[: last_column + 1]):
        if cell is None or cell.level != CapacityStatus.SATURATED:
            break
        streak += 1
    return streak


def _board_sessions(series: Series, now: datetime.datetime):
    return Session.objects.filter(series=series, starts_at__lte=now + AHEAD).exclude(status=Session.Status.CANCELLED)


def capacity_board_reach(*, series: Series, now: datetime.datetime) -> int:
    """How many sessions the board covers at `now` (one light query): with the
    series' stamp (meetings.fragments), it tells whether the board changed,
    sessions entering it only as time passes, in order."""
    return _board_sessions(series, now).count()


def capacity_board(
    *, series: Series, now: datetime.datetime, window: int | None = None, earlier: int = 0
) -> CapacityBoard:
    """Operators × sessions of the series (not cancelled, up to those whose
    round may be open now), each cell the operator's signal; per operator its
    streak of saturated weeks and its trend; per session the network's share
    of saturated signals. Three queries.

    With `window`, the grid shows that many sessions only, `earlier` windows
    back from the latest (the page: five years of weekly sessions make a grid
    nobody reads, and a page that weighs megabytes); the share of saturated
    covers the year that ends with it (CHART_SESSIONS), from counts (a fourth query)."""
    every = list(_board_sessions(series, now).order_by("starts_at", "pk"))
    sessions, has_earlier, charted = every, False, every
    if window is not None:
        last_windows = max(0, (len(every) - 1) // window)
        earlier = min(max(earlier, 0), last_windows)
        end = len(every) - earlier * window
        sessions, has_earlier = every[max(0, end - window) : end], end - window > 0
        charted = every[max(0, end - CHART_SESSIONS) : end]
    operators = list(Operator.objects.filter(participations__series=series).distinct().order_by("name", "pk"))
    column = {s.pk: i for i, s in enumerate(sessions)}
    grid: dict[int, list[Signal | None]] = {op.pk: [None] * len(sessions) for op in operators}
    counts = [Counter() for _ in sessions]
    for session_id, operator_id, level, waiting, places in capacity_signals(list(column)):
        if operator_id in grid:
            grid[operator_id][column[session_id]] = Signal(level, waiting, places)
            counts[column[session_id]][level] += 1
    signalled = [i for i, c in enumerate(counts) if c]
    last_column = signalled[-1] if signalled else -1
    rows = []
    for op in operators:
        cells = grid[op.pk]
        given = [c for c in cells if c is not None]
        rows.append(CapacityRow(op, cells, _streak(cells, last_column), _trend(given)))
    if window is None:
        shares = [
            ShareOfSaturated(s, counts[i][CapacityStatus.SATURATED], sum(counts[i].values()))
            for i, s in enumerate(sessions)
        ]
    else:
        shares = _shares(charted, {op.pk for op in operators})
    return CapacityBoard(sessions=sessions, rows=rows, shares=shares, earlier=earlier, has_earlier=has_earlier)


def _shares(sessions: list[Session], operator_ids: set[int]) -> list[ShareOfSaturated]:
    """The share of saturated signals of each session, from counts (one query)."""
    counts = {s.pk: Counter() for s in sessions}
    rows = (
        capacity_signals(list(counts))
        .filter(entry__operator_id__in=operator_ids)
        .values_list("entry__session_id", "capacity")
        .annotate(n=Count("pk"))
    )
    for session_id, level, n in rows:
        counts[session_id][level] += n
    return [ShareOfSaturated(s, counts[s.pk][CapacityStatus.SATURATED], sum(counts[s.pk].values())) for s in sessions]


@dataclass
class SeriesCapacityLine:
    """One line of the digest: how many operators of a series were saturated
    this week, and how that compares with the week before (None: no signal then)."""

    series: Series
    saturated: int
    previous: int | None

    @property
    def delta(self) -> int | None:
        return None if self.previous is None else self.saturated - self.previous

    @property
    def fewer(self) -> int:
        return -(self.delta or 0)


def capacity_digest_lines(*, series_ids, now: datetime.datetime) -> list[SeriesCapacityLine]:
    """Per series, the number of operators saturated at its latest session with
    signals in the week around `now`, against its previous one (counts only,
    never a text). Two queries whatever the number of series."""
    sessions = list(
        Session.objects.filter(
            series_id__in=series_ids, starts_at__gte=now - 3 * DIGEST_WEEK, starts_at__lt=now + DIGEST_WEEK
        )
        .exclude(status=Session.Status.CANCELLED)
        .select_related("series")
        .only("pk", "starts_at", "series__name", "series__public_id")
        .order_by("starts_at", "pk")
    )
    counts: dict[int, Counter] = {s.pk: Counter() for s in sessions}
    for session_id, _operator_id, level, _waiting, _places in capacity_signals(list(counts)):
        counts[session_id][level] += 1
    by_series: dict[int, list[Session]] = {}
    for s in sessions:
        if counts[s.pk]:
            by_series.setdefault(s.series_id, []).append(s)
    lines = []
    for signalled in by_series.values():
        latest = signalled[-1]
        if latest.starts_at < now - DIGEST_WEEK:
            continue  # nothing this week
        previous = signalled[-2] if len(signalled) > 1 else None
        lines.append(
            SeriesCapacityLine(
                series=latest.series,
                saturated=counts[latest.pk][CapacityStatus.SATURATED],
                previous=counts[previous.pk][CapacityStatus.SATURATED] if previous else None,
            )
        )
    return sorted(lines, key=lambda line: line.series.name)
