"""When the sessions of a series fall: pure functions, no database.

A recurrence is a wall time in a time zone (Europe/Brussels for Carrefour):
a weekly meeting at 13:30 is at 13:30 in winter and in summer, so its UTC
instant moves by an hour at the clock changes. The rules, applied in this
order:

- Dates are computed on the calendar first (weekday, every N weeks counted
  from an anchor date, nth weekday of the month, or an explicit list), then
  each date's wall time is turned into a UTC instant.
- A wall time that does not exist on that date (the spring gap, e.g. 02:30
  on the last Sunday of March in Brussels) is moved forward by the length of
  the gap (02:30 becomes 03:30 summer time). A wall time that occurs twice
  (the autumn overlap, e.g. 02:30 on the last Sunday of October) takes the
  first occurrence (summer time). This is Python's `fold=0`, so the rule is
  the same in every time zone.
- The duration is elapsed time: the end is the start plus the duration.
- Belgian public holidays are named on the dates they fall on. With
  `skip_holidays`, a generated date that is a holiday is left out (not moved);
  the dates of an explicit calendar are chosen by hand and are never skipped.
"""

import calendar
import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from core.brussels import BRUSSELS

UTC = datetime.UTC
HOLIDAY_COUNTRY = "BE"

WEEKLY = "weekly"
EVERY_N_WEEKS = "every_n_weeks"
MONTHLY = "monthly"
EXPLICIT = "explicit"
KINDS = (WEEKLY, EVERY_N_WEEKS, MONTHLY, EXPLICIT)
MONTH_WEEKS = (1, 2, 3, 4, -1)


@dataclass(frozen=True)
class ExplicitDate:
    """One date of an explicit calendar, with its own time, duration, venue and host."""

    date: datetime.date
    start_time: datetime.time
    duration: int
    venue: str = ""
    host_operator_id: int | None = None


@dataclass(frozen=True)
class RecurrenceSpec:
    """What a series' recurrence says, in wall time.

    `anchor` is the date from which "every N weeks" is counted: the first
    matching weekday on or after it is an occurrence, then every N weeks.
    """

    kind: str
    duration: int
    weekday: int | None = None
    start_time: datetime.time | None = None
    interval_weeks: int = 1
    month_week: int | None = None
    anchor: datetime.date | None = None
    dates: tuple[ExplicitDate, ...] = ()
    skip_holidays: bool = True
    venue: str = ""


@dataclass(frozen=True)
class Occurrence:
    """One date the recurrence gives: UTC-aware start and end, the local date and its holiday."""

    local_date: datetime.date
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    holiday: str = ""
    venue: str = ""
    host_operator_id: int | None = None
    skipped: bool = field(default=False, compare=False)


def wall_to_utc(day: datetime.date, wall: datetime.time, tz: ZoneInfo = BRUSSELS) -> datetime.datetime:
    """The UTC instant of `wall` on `day` in `tz` (gap: moved forward; overlap: first occurrence)."""
    local = datetime.datetime.combine(day, wall.replace(tzinfo=None, fold=0), tzinfo=tz)
    return local.astimezone(UTC)


def holiday_language(language: str | None) -> str:
    """The `holidays` package's name for a Django language code (French by default)."""
    code = (language or "fr").lower().replace("-", "_")
    if code.startswith("en"):
        return "en_US"
    base = code.split("_")[0]
    return base if base in ("fr", "nl", "de") else "fr"


def public_holidays(start: datetime.date, end: datetime.date, language: str | None = "fr") -> dict:
    """{date: name} of the Belgian public holidays between `start` and `end` (inclusive)."""
    if end < start:
        return {}
    import holidays  # here: it loads every country's calendar (11 MB a worker)

    found = holidays.country_holidays(
        HOLIDAY_COUNTRY, years=range(start.year, end.year + 1), language=holiday_language(language)
    )
    return {day: name for day, name in found.items() if start <= day <= end}


def _weekly_dates(spec: RecurrenceSpec, start: datetime.date, end: datetime.date):
    interval = spec.interval_weeks if spec.kind == EVERY_N_WEEKS else 1
    anchor = spec.anchor or start
    first = anchor + datetime.timedelta(days=(spec.weekday - anchor.weekday()) % 7)
    if first < start:
        # Jump to the first occurrence of the cycle on or after `start`.
        weeks = -(-(start - first).days // 7)
        first += datetime.timedelta(weeks=-(-weeks // interval) * interval)
    day = first
    while day <= end:
        yield day
        day += datetime.timedelta(weeks=interval)


def nth_weekday(year: int, month: int, weekday: int, month_week: int) -> datetime.date:
    """The `month_week`-th `weekday` of the month (1 to 4, or -1 for the last)."""
    days_in_month = calendar.monthrange(year, month)[1]
    if month_week == -1:
        last = datetime.date(year, month, days_in_month)
        return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (month_week - 1))


def _monthly_dates(spec: RecurrenceSpec, start: datetime.date, end: datetime.date):
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        day = nth_weekday(year, month, spec.weekday, spec.month_week)
        if start <= day <= end:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def validate_spec(spec: RecurrenceSpec) -> None:
    """Raise ValueError when the spec cannot be computed (the forms give users the friendly version)."""
    if spec.kind not in KINDS:
        raise ValueError(f"unknown recurrence {spec.kind!r}")
    if spec.kind == EXPLICIT:
        return
    if spec.weekday is None or not 0 <= spec.weekday <= 6:
        raise ValueError("a weekday from 0 (Monday) to 6 (Sunday) is needed")
    if spec.start_time is None:
        raise ValueError("a start time is needed")
    if not 5 <= spec.duration <= 720:
        raise ValueError("the duration is 5 to 720 minutes")
    if spec.kind == EVERY_N_WEEKS and not 1 <= spec.interval_weeks <= 52:
        raise ValueError("the interval is 1 to 52 weeks")
    if spec.kind == MONTHLY and spec.month_week not in MONTH_WEEKS:
        raise ValueError("the week of the month is 1 to 4 or -1")


def occurrences(
    spec: RecurrenceSpec,
    start: datetime.date,
    end: datetime.date,
    *,
    tz: ZoneInfo = BRUSSELS,
    language: str | None = "fr",
    include_skipped: bool = False,
) -> list[Occurrence]:
    """The occurrences of `spec` whose local date is between `start` and `end` (inclusive), in order.

    Guarantees: each local date at most once for the periodic kinds, starts
    strictly increasing, start < end, the wall time kept as described in the
    module docstring. Holidays skipped by the spec are left out, or returned
    with `skipped=True` when `include_skipped` (for previews).
    """
    validate_spec(spec)
    if end < start:
        return []
    names = public_holidays(start, end, language)
    if spec.kind == EXPLICIT:
        rows = [
            (d.date, d.start_time, d.duration, d.venue, d.host_operator_id)
            for d in sorted(spec.dates, key=lambda d: (d.date, d.start_time))
            if start <= d.date <= end
        ]
    else:
        days = _monthly_dates(spec, start, end) if spec.kind == MONTHLY else _weekly_dates(spec, start, end)
        rows = [(day, spec.start_time, spec.duration, spec.venue, None) for day in days]
    found = []
    for day, wall, duration, venue, host in rows:
        holiday = names.get(day, "")
        skipped = bool(holiday) and spec.skip_holidays and spec.kind != EXPLICIT
        if skipped and not include_skipped:
            continue
        starts_at = wall_to_utc(day, wall, tz)
        found.append(
            Occurrence(
                local_date=day,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=duration),
                holiday=holiday,
                venue=venue,
                host_operator_id=host,
                skipped=skipped,
            )
        )
    return found
