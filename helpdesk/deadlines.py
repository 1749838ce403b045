"""Deadlines in working days (Europe/Brussels dates).

A working day is a weekday that is not a Belgian public holiday and on which
the people who must answer are not all away (their declared absences,
meetings.Absence: a person's own, or one of their operator's). Before anyone
owns a request, the whole help-desk team must answer: a day counts unless
every member is away. Once owned, the owner's absences count.

`add_working_days(start, n, days_off)` is the whole rule; `request_due_date`
reads the holidays and absences it needs (two queries).
"""

import datetime
from collections.abc import Iterable

from django.db.models import Q

from core.brussels import brussels_date
from meetings.models import Absence
from meetings.recurrence import public_holidays
from operators.models import OperatorMembership

# The window read for holidays and absences: far more than any deadline needs.
HORIZON_DAYS = 120


def add_working_days(start: datetime.date, n: int, days_off: Iterable[datetime.date] = ()) -> datetime.date:
    """The `n`th working day after `start` (`start` itself never counts: a request
    of Friday evening with two days is due on Tuesday). Weekends and `days_off`
    are skipped; with n = 0, `start` itself."""
    off = set(days_off)
    day = start
    left = n
    for _ in range(n + HORIZON_DAYS * 3):
        if left <= 0:
            return day
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            left -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date, days_off: Iterable[datetime.date] = ()) -> int:
    """How many working days after `start` up to `end` included (0 when `end` <= `start`)."""
    off = set(days_off)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            count += 1
    return count


def _days(first: datetime.date, last: datetime.date, start: datetime.date, end: datetime.date) -> set[datetime.date]:
    day, days = max(first, start), set()
    while day <= min(last, end):
        days.add(day)
        day += datetime.timedelta(days=1)
    return days


def people_away(user_ids: Iterable[int], start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """The days of `start`–`end` on which every one of `user_ids` is away (two queries)."""
    user_ids = set(user_ids)
    if not user_ids:
        return set()
    operators: dict[int, set[int]] = {}
    for user_id, operator_id in OperatorMembership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "operator_id"
    ):
        operators.setdefault(operator_id, set()).add(user_id)
    away: dict[int, set[datetime.date]] = {user_id: set() for user_id in user_ids}
    for user_id, operator_id, first, last in Absence.objects.filter(
        Q(user_id__in=user_ids) | Q(operator_id__in=set(operators)), starts_on__lte=end, ends_on__gte=start
    ).values_list("user_id", "operator_id", "starts_on", "ends_on"):
        for person in {user_id} if user_id else operators.get(operator_id, set()):
            away[person] |= _days(first, last, start, end)
    return set.intersection(*away.values())


def days_off(user_ids: Iterable[int], start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """Public holidays and days all of `user_ids` are away, over `start`–`end`."""
    return set(public_holidays(start, end)) | people_away(user_ids, start, end)


def due_date(moment: datetime.datetime, n: int, user_ids: Iterable[int]) -> datetime.date:
    """The date `n` working days after the Brussels day of `moment`, for people `user_ids`."""
    start = brussels_date(moment)
    return add_working_days(start, n, days_off(user_ids, start, start + datetime.timedelta(days=HORIZON_DAYS)))
