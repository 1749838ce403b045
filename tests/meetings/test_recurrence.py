"""meetings.recurrence: dates first, then wall time to UTC, across time zones and clock changes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from meetings import recurrence as rec

UTC = dt.UTC
BRUSSELS = ZoneInfo("Europe/Brussels")


def weekly(weekday=3, at=dt.time(13, 30), duration=60, **kwargs):
    return rec.RecurrenceSpec(kind=rec.WEEKLY, weekday=weekday, start_time=at, duration=duration, **kwargs)


def test_a_weekly_1330_meeting_stays_at_1330_across_the_october_change():
    found = rec.occurrences(weekly(), dt.date(2020, 10, 15), dt.date(2020, 11, 5))
    assert [o.local_date for o in found] == [dt.date(2020, 10, d) for d in (15, 22, 29)] + [dt.date(2020, 11, 5)]
    assert [o.starts_at.astimezone(BRUSSELS).time() for o in found] == [dt.time(13, 30)] * 4
    # Summer time before 25 October, winter time after: the UTC instant moves.
    assert [o.starts_at.time() for o in found] == [dt.time(11, 30), dt.time(11, 30), dt.time(12, 30), dt.time(12, 30)]
    assert all(o.ends_at - o.starts_at == dt.timedelta(hours=1) for o in found)


def test_a_weekly_1330_meeting_stays_at_1330_across_the_march_change():
    found = rec.occurrences(weekly(), dt.date(2021, 3, 18), dt.date(2021, 4, 1))
    assert [o.starts_at for o in found] == [
        dt.datetime(2021, 3, 18, 12, 30, tzinfo=UTC),
        dt.datetime(2021, 3, 25, 12, 30, tzinfo=UTC),
        dt.datetime(2021, 4, 1, 11, 30, tzinfo=UTC),
    ]


def test_a_nonexistent_wall_time_moves_forward_by_the_gap():
    # 28 March 2021: 02:00 → 03:00 in Brussels; 02:30 does not exist.
    (found,) = rec.occurrences(weekly(weekday=6, at=dt.time(2, 30)), dt.date(2021, 3, 28), dt.date(2021, 3, 28))
    local = found.starts_at.astimezone(BRUSSELS)
    assert (local.date(), local.time()) == (dt.date(2021, 3, 28), dt.time(3, 30))
    assert found.starts_at == dt.datetime(2021, 3, 28, 1, 30, tzinfo=UTC)


def test_an_ambiguous_wall_time_takes_the_first_occurrence():
    # 25 October 2020: 03:00 → 02:00; 02:30 happens twice, first in summer time.
    (found,) = rec.occurrences(weekly(weekday=6, at=dt.time(2, 30)), dt.date(2020, 10, 25), dt.date(2020, 10, 25))
    assert found.starts_at == dt.datetime(2020, 10, 25, 0, 30, tzinfo=UTC)
    assert found.starts_at.astimezone(BRUSSELS).utcoffset() == dt.timedelta(hours=2)


def test_holidays_are_named_in_the_requested_language_and_can_be_skipped():
    wednesdays = weekly(weekday=2, skip_holidays=False)
    found = rec.occurrences(wednesdays, dt.date(2020, 11, 1), dt.date(2020, 11, 30))
    assert {o.local_date: o.holiday for o in found}[dt.date(2020, 11, 11)] == "Jour de l'Armistice"
    english = rec.occurrences(wednesdays, dt.date(2020, 11, 11), dt.date(2020, 11, 11), language="en")
    assert english[0].holiday == "Armistice Day"

    skipping = weekly(weekday=2, skip_holidays=True)
    kept = rec.occurrences(skipping, dt.date(2020, 11, 1), dt.date(2020, 11, 30))
    assert dt.date(2020, 11, 11) not in [o.local_date for o in kept]
    assert len(kept) == len(found) - 1
    preview = rec.occurrences(skipping, dt.date(2020, 11, 1), dt.date(2020, 11, 30), include_skipped=True)
    assert [(o.local_date, o.skipped) for o in preview if o.skipped] == [(dt.date(2020, 11, 11), True)]


def test_every_n_weeks_counts_from_the_anchor_not_from_the_window():
    spec = rec.RecurrenceSpec(
        kind=rec.EVERY_N_WEEKS,
        weekday=2,
        start_time=dt.time(9),
        duration=90,
        interval_weeks=3,
        anchor=dt.date(2020, 9, 1),
    )
    whole = [o.local_date for o in rec.occurrences(spec, dt.date(2020, 9, 1), dt.date(2020, 12, 31))]
    assert whole == [dt.date(2020, 9, 2) + dt.timedelta(weeks=3 * n) for n in range(6)]
    assert whole[-1] == dt.date(2020, 12, 16)
    later = [o.local_date for o in rec.occurrences(spec, dt.date(2020, 10, 1), dt.date(2020, 12, 31))]
    assert later == whole[2:]


@pytest.mark.parametrize(
    "month_week,expected",
    [
        (1, [dt.date(2020, 9, 7), dt.date(2020, 10, 5), dt.date(2020, 11, 2)]),
        (4, [dt.date(2020, 9, 28), dt.date(2020, 10, 26), dt.date(2020, 11, 23)]),
        (-1, [dt.date(2020, 9, 28), dt.date(2020, 10, 26), dt.date(2020, 11, 30)]),
    ],
)
def test_monthly_on_the_nth_weekday(month_week, expected):
    spec = rec.RecurrenceSpec(kind=rec.MONTHLY, weekday=0, month_week=month_week, start_time=dt.time(10), duration=60)
    assert [o.local_date for o in rec.occurrences(spec, dt.date(2020, 9, 1), dt.date(2020, 11, 30))] == expected


def test_an_explicit_calendar_keeps_each_dates_time_venue_and_host():
    spec = rec.RecurrenceSpec(
        kind=rec.EXPLICIT,
        duration=60,
        dates=(
            rec.ExplicitDate(dt.date(2021, 6, 15), dt.time(9, 30), 150, "Namur", 7),
            rec.ExplicitDate(dt.date(2021, 2, 4), dt.time(14, 0), 150, "Dinant", None),
            rec.ExplicitDate(dt.date(2022, 1, 1), dt.time(14, 0), 150, "Outside", None),
        ),
        skip_holidays=True,
    )
    found = rec.occurrences(spec, dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert [(o.local_date, o.venue, o.host_operator_id) for o in found] == [
        (dt.date(2021, 2, 4), "Dinant", None),
        (dt.date(2021, 6, 15), "Namur", 7),
    ]
    assert found[1].starts_at.astimezone(BRUSSELS).time() == dt.time(9, 30)
    assert found[1].ends_at - found[1].starts_at == dt.timedelta(minutes=150)


def test_a_holiday_in_an_explicit_calendar_is_named_but_never_skipped():
    spec = rec.RecurrenceSpec(
        kind=rec.EXPLICIT, duration=60, dates=(rec.ExplicitDate(dt.date(2021, 7, 21), dt.time(9), 60),)
    )
    (found,) = rec.occurrences(spec, dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert found.holiday == "Fête nationale"


def test_an_incomplete_spec_is_refused():
    with pytest.raises(ValueError):
        rec.occurrences(weekly(weekday=None), dt.date(2021, 1, 1), dt.date(2021, 2, 1))
    with pytest.raises(ValueError):
        rec.occurrences(
            rec.RecurrenceSpec(kind=rec.MONTHLY, weekday=0, month_week=5, start_time=dt.time(9), duration=60),
            dt.date(2021, 1, 1),
            dt.date(2021, 2, 1),
        )
    assert rec.occurrences(weekly(), dt.date(2021, 2, 1), dt.date(2021, 1, 1)) == []


# Properties ---------------------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2045, 12, 31))
wall_times = st.builds(dt.time, hour=st.integers(0, 23), minute=st.sampled_from([0, 15, 30, 45]))
time_zones = st.one_of(
    st.sampled_from(
        [BRUSSELS, ZoneInfo("America/Santiago"), ZoneInfo("Australia/Lord_Howe"), ZoneInfo("Pacific/Apia")]
    ),
    st.timezones(),
)


def _expected_weekly_dates(start, end, weekday, interval, anchor):
    """Brute force: every day of the window, kept when it is the weekday and in the cycle."""
    first = anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7)
    days, day = [], start
    while day <= end:
        if day.weekday() == weekday and day >= first and ((day - first).days // 7) % interval == 0:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _wall_time_rule_holds(occurrence, wall: dt.time, tz) -> bool:
    naive = dt.datetime.combine(occurrence.local_date, wall)
    local = occurrence.starts_at.astimezone(tz).replace(tzinfo=None)
    earlier, later = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    exists = [c for c in (earlier, later) if c.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive]
    if exists:
        # Kept as asked; when it happens twice, the first of the two instants.
        return local == naive and occurrence.starts_at == min(c.astimezone(UTC) for c in exists)
    # In a gap: moved forward by exactly the length of the gap.
    gap = later.utcoffset() - earlier.utcoffset()
    return gap > dt.timedelta(0) and local == naive + gap


@settings(max_examples=300, deadline=None)
@given(
    tz=time_zones,
    start=dates,
    span=st.integers(0, 800),
    anchor_back=st.integers(0, 400),
    weekday=st.integers(0, 6),
    wall=wall_times,
    interval=st.integers(1, 8),
    duration=st.integers(5, 720),
)
def test_weekly_dates_are_complete_unique_and_keep_their_wall_time(
    tz, start, span, anchor_back, weekday, wall, interval, duration
):
    end = start + dt.timedelta(days=span)
    anchor = start - dt.timedelta(days=anchor_back)
    spec = rec.RecurrenceSpec(
        kind=rec.EVERY_N_WEEKS,
        weekday=weekday,
        start_time=wall,
        duration=duration,
        interval_weeks=interval,
        anchor=anchor,
        skip_holidays=False,
    )
    found = rec.occurrences(spec, start, end, tz=tz)
    # No missing and no extra occurrence, each date once, in order.
    assert [o.local_date for o in found] == _expected_weekly_dates(start, end, weekday, interval, anchor)
    assert all(a.starts_at < b.starts_at for a, b in zip(found, found[1:], strict=False))
    for occurrence in found:
        assert occurrence.starts_at.tzinfo is UTC
        assert occurrence.ends_at - occurrence.starts_at == dt.timedelta(minutes=duration)
        assert _wall_time_rule_holds(occurrence, wall, tz)


ZONES_WITH_CHANGES = [
    "Europe/Brussels",
    "Europe/London",
    "America/New_York",
    "America/Havana",  # changes at midnight
    "America/Santiago",
    "Australia/Lord_Howe",  # a 30-minute change
    "Pacific/Chatham",
    "Africa/Casablanca",  # several changes a year
    "Pacific/Apia",  # skipped 30 December 2011 entirely
]


def _transitions(tz, year):
    """(utc instant, offset before, offset after) of every change of offset in `year`."""
    found = []
    moment = dt.datetime(year, 1, 1, tzinfo=UTC)
    step = dt.timedelta(minutes=15)
    day_offset = moment.astimezone(tz).utcoffset()
    for _ in range(366):
        next_day = moment + dt.timedelta(days=1)
        if next_day.astimezone(tz).utcoffset() != day_offset:
            instant, before = moment, day_offset
            while instant < next_day:
                after = (instant + step).astimezone(tz).utcoffset()
                if after != before:
                    found.append((instant + step, before, after))
                    before = after
                instant += step
            day_offset = next_day.astimezone(tz).utcoffset()
        moment = next_day
    return found


@st.composite
def clock_change_cases(draw):
    """A time zone, a wall time within an hour of one of its clock changes, and a window around it."""
    tz = ZoneInfo(draw(st.one_of(st.sampled_from(ZONES_WITH_CHANGES), st.timezones().map(str))))
    year = draw(st.integers(1995, 2040) | st.just(2011))
    changes = _transitions(tz, year)
    assume(changes)
    instant, before, after = draw(st.sampled_from(changes))
    change_wall = (instant + before).replace(tzinfo=None)  # the wall time at which the clocks jump
    wall = change_wall + dt.timedelta(minutes=15 * draw(st.integers(-4, 8)))
    weeks_before, weeks_after = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    start = wall.date() - dt.timedelta(weeks=weeks_before, days=draw(st.integers(0, 6)))
    end = wall.date() + dt.timedelta(weeks=weeks_after, days=draw(st.integers(0, 6)))
    return tz, wall, start, end


@settings(max_examples=300, deadline=None)
@given(case=clock_change_cases())
def test_around_clock_changes_nothing_is_missing_doubled_or_shifted_but_by_the_rule(case):
    tz, wall, start, end = case
    spec = weekly(weekday=wall.weekday(), at=wall.time(), skip_holidays=False)
    found = rec.occurrences(spec, start, end, tz=tz)
    assert [o.local_date for o in found] == _expected_weekly_dates(start, end, wall.weekday(), 1, start)
    assert wall.date() in [o.local_date for o in found]
    assert all(a.starts_at < b.starts_at for a, b in zip(found, found[1:], strict=False))
    assert all(_wall_time_rule_holds(o, wall.time(), tz) for o in found)


@settings(max_examples=200, deadline=None)
@given(start=dates, span=st.integers(0, 1500), weekday=st.integers(0, 6), hour=st.integers(6, 21))
def test_in_brussels_office_hours_never_move(start, span, weekday, hour):
    end = start + dt.timedelta(days=span)
    found = rec.occurrences(weekly(weekday=weekday, at=dt.time(hour, 30), skip_holidays=False), start, end)
    assert all(o.starts_at.astimezone(BRUSSELS).time() == dt.time(hour, 30) for o in found)
    for a, b in zip(found, found[1:], strict=False):
        # A week apart in wall time; in UTC an hour more or less when the clocks changed in between.
        offset_change = a.starts_at.astimezone(BRUSSELS).utcoffset() - b.starts_at.astimezone(BRUSSELS).utcoffset()
        assert b.starts_at - a.starts_at == dt.timedelta(weeks=1) + offset_change
        assert offset_change in (dt.timedelta(0), dt.timedelta(hours=1), dt.timedelta(hours=-1))


@settings(max_examples=200, deadline=None)
@given(
    tz=time_zones,
    start=dates,
    span=st.integers(0, 1200),
    weekday=st.integers(0, 6),
    month_week=st.sampled_from(rec.MONTH_WEEKS),
    wall=wall_times,
)
def test_monthly_gives_one_date_per_month_on_the_right_week(tz, start, span, weekday, month_week, wall):
    end = start + dt.timedelta(days=span)
    spec = rec.RecurrenceSpec(
        kind=rec.MONTHLY, weekday=weekday, month_week=month_week, start_time=wall, duration=60, skip_holidays=False
    )
    found = rec.occurrences(spec, start, end, tz=tz)
    months = [(o.local_date.year, o.local_date.month) for o in found]
    assert len(months) == len(set(months))
    for occurrence in found:
        day = occurrence.local_date
        assert start <= day <= end and day.weekday() == weekday
        if month_week == -1:
            assert (day + dt.timedelta(days=7)).month != day.month
        else:
            assert (month_week - 1) * 7 < day.day <= month_week * 7
        assert _wall_time_rule_holds(occurrence, wall, tz)
    # No month missing: every month wholly inside the window has its date.
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        expected = rec.nth_weekday(year, month, weekday, month_week)
        assert ((year, month) in months) == (start <= expected <= end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


@settings(max_examples=100, deadline=None)
@given(start=dates, span=st.integers(0, 800), weekday=st.integers(0, 6))
def test_skipping_holidays_removes_exactly_the_holidays(start, span, weekday):
    end = start + dt.timedelta(days=span)
    every = rec.occurrences(weekly(weekday=weekday, skip_holidays=False), start, end)
    skipping = rec.occurrences(weekly(weekday=weekday, skip_holidays=True), start, end)
    names = rec.public_holidays(start, end)
    assert [o.local_date for o in skipping] == [o.local_date for o in every if o.local_date not in names]
    assert all(o.holiday == names.get(o.local_date, "") for o in every)
