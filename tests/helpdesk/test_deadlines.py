"""The deadlines in working days: weekends, Belgian public holidays, the team's
absences, Brussels dates across the clock changes."""

import datetime

import pytest

from core.brussels import BRUSSELS
from helpdesk.deadlines import add_working_days, due_date, people_away, working_days_between
from meetings.models import Absence
from operators.models import OperatorMembership

from ..factories import UserFactory

D = datetime.date


def at(day: D, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 3, 2), 2, D(2026, 3, 4)),  # Monday → Wednesday
        (D(2026, 3, 5), 2, D(2026, 3, 9)),  # Thursday → Monday
        (D(2026, 3, 6), 2, D(2026, 3, 10)),  # Friday → Tuesday
        (D(2026, 3, 7), 2, D(2026, 3, 10)),  # Saturday → Tuesday
        (D(2026, 3, 8), 1, D(2026, 3, 9)),  # Sunday → Monday
        (D(2026, 3, 2), 0, D(2026, 3, 2)),
    ],
)
def test_weekends_do_not_count(start, n, expected):
    assert add_working_days(start, n) == expected


def test_days_off_are_skipped():
    assert add_working_days(D(2026, 3, 2), 2, {D(2026, 3, 3), D(2026, 3, 4)}) == D(2026, 3, 6)


def test_working_days_between():
    assert working_days_between(D(2026, 3, 6), D(2026, 3, 10)) == 2
    assert working_days_between(D(2026, 3, 10), D(2026, 3, 6)) == 0
    assert working_days_between(D(2026, 3, 6), D(2026, 3, 10), {D(2026, 3, 9)}) == 1


@pytest.mark.django_db
def test_belgian_public_holidays_do_not_count():
    # Easter Monday 2026 is 6 April: a request of Friday 3 April is due on Wednesday 8.
    assert due_date(at(D(2026, 4, 3), 10), 2, []) == D(2026, 4, 8)
    # Christmas and Boxing Day are not both Belgian holidays: 25 December is, 26 is not.
    assert due_date(at(D(2026, 12, 24), 10), 1, []) == D(2026, 12, 28)
    # 11 November (Armistice), a Wednesday in 2026.
    assert due_date(at(D(2026, 11, 10), 10), 1, []) == D(2026, 11, 12)


@pytest.mark.django_db
def test_brussels_date_decides_near_midnight():
    # 23:30 in Brussels on Friday is 22:30 UTC the same day: counted from Friday.
    late_friday = at(D(2026, 3, 6), 23, 30).astimezone(datetime.UTC)
    assert due_date(late_friday, 1, []) == D(2026, 3, 9)
    # 00:30 on Saturday in Brussels is still Friday in UTC: counted from Saturday.
    early_saturday = at(D(2026, 3, 7), 0, 30).astimezone(datetime.UTC)
    assert early_saturday.date() == D(2026, 3, 6)
    assert due_date(early_saturday, 1, []) == D(2026, 3, 9)


@pytest.mark.django_db
def test_across_the_clock_changes():
    # Clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October 2026.
    assert due_date(at(D(2026, 3, 27), 23, 30), 1, []) == D(2026, 3, 30)
    assert due_date(at(D(2026, 10, 23), 23, 30), 1, []) == D(2026, 10, 26)
    assert due_date(at(D(2026, 10, 24), 0, 30), 2, []) == D(2026, 10, 27)


@pytest.mark.django_db
def test_a_day_counts_while_one_member_is_present():
    anna, ben = UserFactory(), UserFactory()
    Absence.objects.create(user=anna, starts_on=D(2026, 3, 3), ends_on=D(2026, 3, 4))
    assert due_date(at(D(2026, 3, 2), 10), 2, [anna.pk, ben.pk]) == D(2026, 3, 4)
    Absence.objects.create(user=ben, starts_on=D(2026, 3, 3), ends_on=D(2026, 3, 3))
    # Tuesday 3: both away; Wednesday 4: Ben is back.
    assert due_date(at(D(2026, 3, 2), 10), 2, [anna.pk, ben.pk]) == D(2026, 3, 5)


@pytest.mark.django_db
def test_the_owners_absence_moves_the_follow_up():
    owner = UserFactory()
    Absence.objects.create(user=owner, starts_on=D(2026, 3, 9), ends_on=D(2026, 3, 13))
    assert due_date(at(D(2026, 3, 6), 10), 1, [owner.pk]) == D(2026, 3, 16)


@pytest.mark.django_db
def test_an_absence_of_the_members_operator_counts(operator):
    person = UserFactory()
    OperatorMembership.objects.create(user=person, operator=operator, role="member")
    Absence.objects.create(operator=operator, starts_on=D(2026, 3, 3), ends_on=D(2026, 3, 3))
    assert people_away([person.pk], D(2026, 3, 1), D(2026, 3, 31)) == {D(2026, 3, 3)}
    assert due_date(at(D(2026, 3, 2), 10), 1, [person.pk]) == D(2026, 3, 4)


@pytest.mark.django_db
def test_holidays_and_absences_together():
    owner = UserFactory()
    # Friday 1 May 2026 (Labour Day) and the owner away on Monday 4 May.
    Absence.objects.create(user=owner, starts_on=D(2026, 5, 4), ends_on=D(2026, 5, 4))
    assert due_date(at(D(2026, 4, 30), 16), 1, [owner.pk]) == D(2026, 5, 5)
