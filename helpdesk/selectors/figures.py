"""The help desk's figures for a bassin: counts and delays, never a text.

Requests per month by sector and by outcome, the time to a first answer in
working days (median and 90th percentile), the share answered within the
deadline, and the requests handed over to a series. Read in one query,
whatever the number of requests; shown on the help desk's page, in the
bassin's état des lieux (through bassins.registry) and in the XLSX export.
"""

import datetime
import math
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from core import formats
from core.brussels import BRUSSELS, brussels_date
from meetings.recurrence import public_holidays
from operators.models import Territory

from ..deadlines import working_days_between
from ..models import Outcome, Request, Sector, Status

MONTHS = 12


@dataclass
class Bar:
    label: str
    value: float
    text: str
    width: float  # percent of the widest bar


@dataclass
class Chart:
    name: str
    title: str
    headers: list[str]
    rows: list[list]
    bars: list[Bar]

    @property
    def height(self) -> int:
        return 28 * max(len(self.bars), 1)


@dataclass
class Figures:
    bassin: Territory
    since: datetime.date
    total: int
    months: list[str]
    by_sector: dict[str, Counter]  # sector label -> month -> count
    by_outcome: dict[str, Counter]
    per_month: Counter
    answered: int
    median_days: float | None
    p90_days: float | None
    within_deadline: float | None
    handed_over: int
    concertations: int
    charts: list[Chart]

    @property
    def empty(self) -> bool:
        return self.total == 0


def percentile(values: list[float], p: float) -> float | None:
    """The `p`th percentile (0–100) of `values`, by linear interpolation; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _month(moment: datetime.datetime) -> str:
    return moment.astimezone(BRUSSELS).strftime("%Y-%m")


def _bars(pairs: list[tuple[str, float]]) -> list[Bar]:
    top = max((v for _l, v in pairs), default=0) or 1
    return [Bar(label, value, formats.number(value, 0), round(100 * value / top, 1)) for label, value in pairs]


def help_desk_figures(bassin: Territory, *, now: datetime.datetime | None = None) -> Figures:
    """The figures of the bassin's help desk over the last MONTHS months (one query)."""
    now = now or timezone.now()
    today = brussels_date(now)
    since = (today.replace(day=1) - datetime.timedelta(days=31 * (MONTHS - 1))).replace(day=1)
    rows = list(
        Request.objects.filter(bassin=bassin, created_at__date__gte=since).values_list(
            "created_at", "sectors", "status", "outcome", "first_answer_due", "first_answered_at", "handed_to_kind"
        )
    )
    holidays = set(public_holidays(since, today))
    sector_labels, outcome_labels = dict(Sector.choices), dict(Outcome.choices)
    by_sector: dict[str, Counter] = {str(label): Counter() for label in sector_labels.values()}
    by_outcome: dict[str, Counter] = {str(label): Counter() for label in outcome_labels.values()}
    delays, within, judged, handed, concertations = [], 0, 0, 0, 0
    months, per_month = set(), Counter()
    for created, sectors, status, outcome, due, answered_at, handed_kind in rows:
        month = _month(created)
        months.add(month)
        per_month[month] += 1
        for sector in sectors:
            if sector in sector_labels:
                by_sector[str(sector_labels[sector])][month] += 1
        if status == Status.CLOSED and outcome in outcome_labels:
            by_outcome[str(outcome_labels[outcome])][month] += 1
        if answered_at is not None:
            delays.append(working_days_between(brussels_date(created), brussels_date(answered_at), holidays))
            judged += 1
            within += brussels_date(answered_at) <= due
        elif due < today:
            judged += 1  # overdue without an answer: not within the deadline
        handed += bool(handed_kind)
        concertations += outcome == Outcome.CONCERTATION
    median, p90 = percentile(delays, 50), percentile(delays, 90)
    share = within / judged if judged else None
    figures = Figures(
        bassin=bassin,
        since=since,
        total=len(rows),
        months=sorted(months),
        by_sector=by_sector,
        by_outcome=by_outcome,
        per_month=per_month,
        answered=len(delays),
        median_days=median,
        p90_days=p90,
        within_deadline=share,
        handed_over=handed,
        concertations=concertations,
        charts=[],
    )
    figures.charts = _charts(figures)
    return figures


def _charts(figures: Figures) -> list[Chart]:
    sectors = [(label, sum(c.values())) for label, c in figures.by_sector.items()]
    outcomes = [(label, sum(c.values())) for label, c in figures.by_outcome.items()]
    return [
        Chart(
            "sectors",
            _("Requests by sector"),
            [_("Sector"), _("Requests")],
            [[label, n] for label, n in sectors],
            _bars(sectors),
        ),
        Chart(
            "outcomes",
            _("Closed requests by outcome"),
            [_("Outcome"), _("Requests")],
            [[label, n] for label, n in outcomes],
            _bars(outcomes),
        ),
        Chart(
            "months",
            _("Requests per month"),
            [_("Month"), _("Requests")],
            [[month, figures.per_month[month]] for month in figures.months],
            _bars([(month, figures.per_month[month]) for month in figures.months]),
        ),
    ]


def state_section(bassin: Territory) -> dict | None:
    """The help desk's part of the bassin's état des lieux (None when it has no request)."""
    figures = help_desk_figures(bassin)
    return None if figures.empty else {"figures": figures}


def figures_table(figures: Figures) -> tuple[list[str], list[list]]:
    """The rows of the XLSX export: one per month (requests, by sector, by outcome), then the delays."""
    headers = [_("Month"), _("Requests"), *figures.by_sector, *figures.by_outcome]
    rows = [
        [
            month,
            figures.per_month[month],
            *(c[month] for c in figures.by_sector.values()),
            *(c[month] for c in figures.by_outcome.values()),
        ]
        for month in figures.months
    ]
    rows += [
        [],
        [_("Time to a first answer, median (working days)"), figures.median_days],
        [_("Time to a first answer, 90th percentile (working days)"), figures.p90_days],
        [_("Answered within the deadline"), figures.within_deadline],
        [_("Handed over to a series"), figures.handed_over],
        [_("Closed with a concertation organised"), figures.concertations],
    ]
    return headers, rows
