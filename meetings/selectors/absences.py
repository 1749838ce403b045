"""Reads of absences, closed periods and office hours: whom the info-round
emails go to, and when.

- An operator absent on the day of a session is not chased for that
  session's info round: its substitute is, or nobody; the completion board
  says "absent", and the evaluation does not count the session against it.
- A person absent on the day an email goes does not receive it: their
  substitute does, or nobody (their colleagues are chased as usual).
- A session's reminder is not sent to a person absent on the day of the
  session (their substitute gets it, or nobody), nor to the members of an
  operator absent that day: the same rule (AbsenceBook.recipients).
- Info-round emails and session reminders go within the series' office hours (Brussels wall time) on
  a working day: not on a weekend, a Belgian public holiday or one of the
  series' closed periods. A step that falls outside moves to the next opening
  (OfficeHours.next_open); one that would move past the session's start is
  not sent.

Every read here is one query for a bounded window, whatever its size.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from accounts.selectors import user_coordinated_operator_ids, user_operator_roles
from core.brussels import BRUSSELS

from .. import recurrence
from ..models import Absence, Series, SeriesClosure

# How far next_open looks for a working moment (a year of closures is absurd, not endless).
MAX_DAYS_AHEAD = 366


@dataclass(frozen=True)
class OfficeHours:
    """When a series may chase people: `start`–`end` (Brussels) on working days, none of `closed`."""

    start: datetime.time = datetime.time(9, 0)
    end: datetime.time = datetime.time(17, 0)
    closed: frozenset = frozenset()

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in self.closed

    def next_open(self, at: datetime.datetime) -> datetime.datetime:
        """The first moment at or after `at` within office hours on a working day.

        Wall-time arithmetic in Brussels: 9:00 stays 9:00 on either side of a
        clock change (office hours never start in the night hour that changes).
        """
        local = at.astimezone(BRUSSELS)
        day = local.date()
        for _ in range(MAX_DAYS_AHEAD):
            if self.is_working_day(day):
                opens = datetime.datetime.combine(day, self.start, tzinfo=BRUSSELS)
                closes = datetime.datetime.combine(day, self.end, tzinfo=BRUSSELS)
                if local < opens:
                    return opens
                if local < closes:
                    return at
            day += datetime.timedelta(days=1)
            local = datetime.datetime.combine(day, datetime.time.min, tzinfo=BRUSSELS)
        return at


def series_office_hours(
    series: dict[int, tuple[datetime.time, datetime.time]], start: datetime.date, end: datetime.date
) -> dict[int, OfficeHours]:
    """{series id: OfficeHours} for days `start`–`end`, from {series id: (opens, closes)} (one query)."""
    holidays = set(recurrence.public_holidays(start, end))
    closed = defaultdict(set)
    for series_id, first, last in SeriesClosure.objects.filter(
        series_id__in=set(series), starts_on__lte=end, ends_on__gte=start
    ).values_list("series_id", "starts_on", "ends_on"):
        day = max(first, start)
        while day <= min(last, end):
            closed[series_id].add(day)
            day += datetime.timedelta(days=1)
    return {
        series_id: OfficeHours(opens, closes, frozenset(holidays | closed[series_id]))
        for series_id, (opens, closes) in series.items()
    }


def office_hours_of(series: Series, start: datetime.date, end: datetime.date) -> OfficeHours:
    """The OfficeHours of one series over `start`–`end` (one query)."""
    hours = {series.pk: (series.office_hours_start, series.office_hours_end)}
    return series_office_hours(hours, start, end)[series.pk]


@dataclass(frozen=True)
class Away:
    starts_on: datetime.date
    ends_on: datetime.date
    substitute_id: int | None


@dataclass
class AbsenceBook:
    """The absences over a window, by operator and by person."""

    operators: dict[int, list[Away]] = field(default_factory=dict)
    people: dict[int, list[Away]] = field(default_factory=dict)

    @staticmethod
    def _on(periods: list[Away], day: datetime.date) -> Away | None:
        return next((a for a in periods if a.starts_on <= day <= a.ends_on), None)

    def operator_away(self, operator_id: int, day: datetime.date) -> Away | None:
        return self._on(self.operators.get(operator_id, []), day)

    def person_away(self, user_id: int, day: datetime.date) -> Away | None:
        return self._on(self.people.get(user_id, []), day)

    def recipients(self, *, operator_id: int | None, members: Iterable[int], session_day, today) -> set[int]:
        """Who gets an email about a session on `session_day` sent on `today`,
        in place of `members` (of the operator `operator_id`, or people in
        their own right when None): nobody of an operator absent on the
        session's day but its substitute; a person absent on `today` is
        replaced by their substitute, or left out."""
        away = self.operator_away(operator_id, session_day) if operator_id is not None else None
        if away is not None:
            return {away.substitute_id} if away.substitute_id else set()
        chased = set()
        for user_id in members:
            person = self.person_away(user_id, today)
            if person is None:
                chased.add(user_id)
            elif person.substitute_id:
                chased.add(person.substitute_id)
        return chased


def absence_book(start: datetime.date, end: datetime.date, *, operator_ids: Iterable[int] | None = None) -> AbsenceBook:
    """The absences overlapping `start`–`end` (of these operators only, when given; one query)."""
    qs = Absence.objects.filter(starts_on__lte=end, ends_on__gte=start)
    if operator_ids is not None:
        qs = qs.filter(Q(operator_id__in=set(operator_ids)) | Q(user__isnull=False))
    book = AbsenceBook(defaultdict(list), defaultdict(list))
    for operator_id, user_id, first, last, substitute_id in qs.values_list(
        "operator_id", "user_id", "starts_on", "ends_on", "substitute_id"
    ).order_by("starts_on", "pk"):
        away = Away(first, last, substitute_id)
        if operator_id:
            book.operators[operator_id].append(away)
        else:
            book.people[user_id].append(away)
    return book


def absences_for_user(user, *, today: datetime.date) -> QuerySet[Absence]:
    """The absences, current and to come, the person sees on their page: their
    own, those of their operators and of the operators of the series they
    coordinate, and those where they are the substitute."""
    operators = set(user_operator_roles(user)) | user_coordinated_operator_ids(user)
    return (
        Absence.objects.filter(ends_on__gte=today)
        .filter(Q(user=user) | Q(operator_id__in=operators) | Q(substitute=user))
        .select_related("operator", "user", "substitute")
        .order_by("starts_on", "pk")
    )
