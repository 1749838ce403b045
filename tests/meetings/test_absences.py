"""Chasing that respects absences, days off and office hours.

An absent operator is not chased (its substitute is, or nobody); an absent
person neither; the completion board says "absent"; the evaluation does not
count the session against the operator. Info-round emails go in the series'
office hours on working days (Brussels wall time), across both clock changes.
"""

import datetime
import html

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from evaluations.indicators import series_indicators
from meetings.models import Absence, InfoRoundEntry, Participation, Series, SeriesClosure, Session
from meetings.notifications import MeetingKind as Kind
from meetings.notifications.due import info_round_step
from meetings.notifications.schedule import session_schedule
from meetings.selectors.absences import OfficeHours, office_hours_of
from meetings.selectors.inforound import info_round_board
from meetings.services.absences import absence_declare, absence_withdraw
from notifications.models import Notification
from notifications.scan import notifications_scan

from ..conftest import login
from ..factories import MembershipFactory, SessionFactory
from .test_sessions import BRUSSELS

INFO_ROUND_KINDS = (Kind.INFO_ROUND_OPEN, Kind.INFO_ROUND_REMINDER, Kind.INFO_ROUND_LAST_CALL)


def at(y, m, d, hh=0, mm=0) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, mm, tzinfo=BRUSSELS)


def scan(now):
    with time_machine.travel(now, tick=False):
        notifications_scan(now=now)


def chased(kind=None) -> set[str]:
    rows = Notification.objects.filter(kind__in=[kind] if kind else INFO_ROUND_KINDS)
    return set(rows.values_list("recipient__email", flat=True))


def session_at(series, start) -> Session:
    return SessionFactory(series=series, starts_at=start, ends_at=start + datetime.timedelta(hours=1))


@pytest.fixture
def colleague(operator):
    """A third member of the operator (the substitute's role)."""
    return MembershipFactory(operator=operator, role="substitute", user__email="sam@example.org").user


# --- Absences: who is chased ---------------------------------------------------


def test_an_absent_operator_is_not_chased_and_its_substitute_is(series, referent, member, colleague, coordinator):
    session = session_at(series, at(2026, 3, 12, 13, 30))  # a Thursday
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        absence_declare(
            actor=referent,
            operator=referent.memberships.get().operator,
            starts_on=datetime.date(2026, 3, 9),
            ends_on=datetime.date(2026, 3, 13),
            substitute=colleague,
        )
    scan(at(2026, 3, 11, 14, 0))  # the day before: the reminder
    assert chased(Kind.INFO_ROUND_REMINDER) == {"sam@example.org"}
    assert info_round_board(session=session)[0].status == "absent"


def test_an_absent_operator_without_substitute_is_chased_by_nobody(series, referent, member, coordinator):
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        absence_declare(
            actor=coordinator,
            operator=referent.memberships.get().operator,
            starts_on=datetime.date(2026, 3, 9),
            ends_on=datetime.date(2026, 3, 13),
        )
    session_at(series, at(2026, 3, 12, 13, 30))
    scan(at(2026, 3, 11, 14, 0))
    scan(at(2026, 3, 12, 11, 45))  # the last call
    assert chased() == set()


def test_an_operator_absent_another_week_is_chased_as_usual(series, referent, member):
    Absence.objects.create(
        operator=referent.memberships.get().operator,
        starts_on=datetime.date(2026, 3, 16),
        ends_on=datetime.date(2026, 3, 20),
    )
    session_at(series, at(2026, 3, 12, 13, 30))
    scan(at(2026, 3, 11, 14, 0))
    assert chased(Kind.INFO_ROUND_REMINDER) == {"isabelle@example.org", "olivier@example.org"}


def test_an_absent_person_is_replaced_by_their_substitute(series, referent, member, colleague):
    Absence.objects.create(
        user=member, starts_on=datetime.date(2026, 3, 10), ends_on=datetime.date(2026, 3, 11), substitute=colleague
    )
    session_at(series, at(2026, 3, 12, 13, 30))
    scan(at(2026, 3, 11, 14, 0))
    assert chased(Kind.INFO_ROUND_REMINDER) == {"isabelle@example.org", "sam@example.org"}
    # Back on the 12th: the last call reaches them again.
    scan(at(2026, 3, 12, 11, 45))
    assert chased(Kind.INFO_ROUND_LAST_CALL) == {"isabelle@example.org", "olivier@example.org", "sam@example.org"}


def test_the_board_says_absent_only_for_what_was_not_submitted(series, referent, other_operator, member):
    Participation.objects.create(series=series, operator=other_operator, since=datetime.date(2020, 9, 1))
    session = session_at(series, at(2026, 3, 12, 13, 30))
    operator = referent.memberships.get().operator
    for op in (operator, other_operator):
        Absence.objects.create(operator=op, starts_on=datetime.date(2026, 3, 12), ends_on=datetime.date(2026, 3, 12))
    InfoRoundEntry.objects.create(
        session=session, operator=other_operator, status="submitted", submitted_at=at(2026, 3, 10)
    )
    statuses = {row.operator.pk: row.status for row in info_round_board(session=session)}
    assert statuses == {operator.pk: "absent", other_operator.pk: "submitted"}


def test_the_board_page_shows_absent_instead_of_missing(client, series, coordinator, referent):
    session = session_at(series, at(2026, 3, 12, 13, 30))
    Absence.objects.create(
        operator=referent.memberships.get().operator,
        starts_on=datetime.date(2026, 3, 12),
        ends_on=datetime.date(2026, 3, 12),
    )
    with time_machine.travel(at(2026, 3, 13, 10), tick=False):
        body = login(client, coordinator).get(reverse("meetings:inforound_board", args=[session.public_id]))
    text = html.unescape(body.content.decode())
    assert "Absent (déclaré)" in text and "Non rempli" not in text.split("<tbody>")[1]


def test_punctuality_does_not_count_an_absence_against_the_operator(series, referent):
    operator = referent.memberships.get().operator
    held = [session_at(series, at(2020, 10, d, 13, 30)) for d in (6, 13, 20)]
    Session.objects.filter(pk__in=[s.pk for s in held]).update(status=Session.Status.HELD)
    InfoRoundEntry.objects.create(session=held[0], operator=operator, status="submitted", submitted_at=at(2020, 10, 5))
    InfoRoundEntry.objects.create(
        session=held[1], operator=operator, status="submitted", submitted_at=at(2020, 10, 13, 13), is_late=True
    )
    # Nothing on the 20th, late on the 13th: both in a declared absence.
    Absence.objects.create(
        operator=operator, starts_on=datetime.date(2020, 10, 12), ends_on=datetime.date(2020, 10, 23)
    )
    [row] = series_indicators(series, today=datetime.date(2020, 12, 1))["info_round"]["per_operator"]
    assert (row["expected"], row["submitted"], row["late"]) == (1, 1, 0)
    assert row["completion"] == 1.0 and row["punctuality"] == 1.0


# --- Office hours, days off, clock changes --------------------------------------


def steps(series, start, moments) -> list:
    hours = office_hours_of(series, start.date() - datetime.timedelta(days=15), start.date())
    return [info_round_step(starts_at=start, open_days=3, now=m, hours=hours) for m in moments]


def test_a_reminder_due_on_the_sunday_of_the_spring_clock_change_waits_for_monday_9(series):
    # 29 March 2026: Brussels moves from UTC+1 to UTC+2 at 2:00.
    start = at(2026, 3, 30, 13, 30)
    got = steps(series, start, [at(2026, 3, 29, 14), at(2026, 3, 30, 8, 59), at(2026, 3, 30, 9, 0)])
    assert got == [Kind.INFO_ROUND_OPEN, Kind.INFO_ROUND_OPEN, Kind.INFO_ROUND_REMINDER]
    assert at(2026, 3, 30, 9, 0).utcoffset() == datetime.timedelta(hours=2)


def test_a_reminder_due_on_the_sunday_of_the_autumn_clock_change_waits_for_monday_9(series, referent, member):
    # 25 October 2026: Brussels moves from UTC+2 to UTC+1 at 3:00.
    session_at(series, at(2026, 10, 26, 13, 30))
    scan(at(2026, 10, 25, 14, 0))
    assert not chased(Kind.INFO_ROUND_REMINDER)
    scan(at(2026, 10, 26, 8, 59))
    assert not chased(Kind.INFO_ROUND_REMINDER)
    monday_nine = at(2026, 10, 26, 9, 0)
    assert monday_nine.astimezone(datetime.UTC).hour == 8  # 9:00 wall time, winter offset
    scan(monday_nine)
    assert chased(Kind.INFO_ROUND_REMINDER) == {"isabelle@example.org", "olivier@example.org"}


def test_nobody_is_chased_at_night_and_a_call_past_the_start_is_dropped(series, referent):
    start = at(2026, 3, 11, 8, 0)  # a Wednesday, early
    got = steps(series, start, [at(2026, 3, 10, 8, 30), at(2026, 3, 10, 9, 0), at(2026, 3, 11, 6, 0)])
    # The reminder (Tuesday 8:00) waits for 9:00; the last call (6:00) would wait past the start: dropped.
    assert got == [Kind.INFO_ROUND_OPEN, Kind.INFO_ROUND_REMINDER, Kind.INFO_ROUND_REMINDER]


def test_an_evening_last_call_after_office_hours_is_dropped(series):
    start = at(2026, 3, 10, 19, 0)
    got = steps(series, start, [at(2026, 3, 10, 16, 59), at(2026, 3, 10, 17, 30), at(2026, 3, 10, 18, 30)])
    assert got == [Kind.INFO_ROUND_REMINDER] * 3


def test_easter_monday_moves_the_reminder_to_tuesday(series):
    start = at(2026, 4, 7, 14, 0)  # Tuesday after Easter Monday (6 April 2026)
    # Opening on Saturday 4 April waits for Tuesday 9:00 too: nothing goes over the long weekend.
    got = steps(series, start, [at(2026, 4, 6, 12, 0), at(2026, 4, 7, 9, 0), at(2026, 4, 7, 12, 0)])
    assert got == [None, Kind.INFO_ROUND_REMINDER, Kind.INFO_ROUND_LAST_CALL]


def test_a_closed_period_of_the_series_moves_the_reminder(series):
    SeriesClosure.objects.create(
        series=series, starts_on=datetime.date(2026, 12, 21), ends_on=datetime.date(2026, 12, 24), label="Noël"
    )
    start = at(2026, 12, 28, 14, 0)  # Monday after the closure and Christmas
    hours = office_hours_of(series, datetime.date(2026, 12, 1), start.date())
    assert hours.next_open(at(2026, 12, 22, 10)) == at(2026, 12, 28, 9, 0)
    assert steps(series, start, [at(2026, 12, 24, 10), at(2026, 12, 28, 9)]) == [None, Kind.INFO_ROUND_REMINDER]


def test_office_hours_are_a_setting_of_the_series(series):
    Series.objects.filter(pk=series.pk).update(
        office_hours_start=datetime.time(8, 0), office_hours_end=datetime.time(12, 0)
    )
    series.refresh_from_db()
    hours = office_hours_of(series, datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert hours.next_open(at(2026, 3, 10, 12, 30)) == at(2026, 3, 11, 8, 0)
    assert OfficeHours().next_open(at(2026, 3, 14, 10)) == at(2026, 3, 16, 9, 0)  # Saturday → Monday


def test_the_session_page_schedule_shows_the_moved_reminder(series):
    session = Session.objects.select_related("series").get(pk=session_at(series, at(2026, 3, 30, 13, 30)).pk)
    planned = {p.label: p.at for p in session_schedule(session=session, now=at(2026, 3, 20))}
    assert at(2026, 3, 30, 9, 0) in planned.values()


# --- Declaring, withdrawing ---------------------------------------------------------


def test_a_member_declares_the_absence_of_their_operator_on_the_page(client, series, referent, member, colleague):
    operator = referent.memberships.get().operator
    login(client, referent)
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        response = client.post(
            reverse("meetings:absences"),
            {"who": str(operator.pk), "starts_on": "2026-03-09", "ends_on": "2026-03-13", "substitute": colleague.pk},
        )
        assert response.status_code == 302
        absence = Absence.objects.get()
        assert (absence.operator, absence.substitute, absence.declared_by) == (operator, colleague, referent)
        page = html.unescape(client.get(reverse("meetings:absences")).content.decode())
        assert "du 9 mars 2026 au 13 mars 2026" in page and operator.name in page


def test_an_outsider_cannot_declare_for_an_operator_nor_name_a_stranger_as_substitute(
    client, series, referent, member, outsider, other_member
):
    operator = referent.memberships.get().operator
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        response = login(client, outsider).post(
            reverse("meetings:absences"), {"who": str(operator.pk), "starts_on": "2026-03-09", "ends_on": "2026-03-13"}
        )
        assert response.status_code == 200 and "who" in response.context["form"].errors
        response = login(client, member).post(
            reverse("meetings:absences"),
            {"who": "me", "starts_on": "2026-03-09", "ends_on": "2026-03-13", "substitute": other_member.pk},
        )
        assert response.status_code == 200 and "substitute" in response.context["form"].errors
        response = client.post(
            reverse("meetings:absences"), {"who": "me", "starts_on": "2026-03-13", "ends_on": "2026-03-09"}
        )
        assert response.status_code == 200 and "ends_on" in response.context["form"].errors
    assert not Absence.objects.exists()


def test_withdrawing_an_absence_only_by_who_speaks_for_it(client, series, referent, member, other_member):
    operator = referent.memberships.get().operator
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        absence = absence_declare(
            actor=member, operator=operator, starts_on=datetime.date(2026, 3, 9), ends_on=datetime.date(2026, 3, 13)
        )
        login(client, other_member).post(reverse("meetings:absence_withdraw"), {"absence": absence.pk})
        assert Absence.objects.filter(pk=absence.pk).exists()
        login(client, referent).post(reverse("meetings:absence_withdraw"), {"absence": absence.pk})
        assert not Absence.objects.filter(pk=absence.pk).exists()


def test_an_absence_that_is_over_stays_on_record(series, referent):
    operator = referent.memberships.get().operator
    absence = Absence.objects.create(
        operator=operator, starts_on=datetime.date(2026, 3, 9), ends_on=datetime.date(2026, 3, 13)
    )
    with time_machine.travel(at(2026, 3, 20, 10), tick=False), pytest.raises(ValidationError, match="terminée"):
        absence_withdraw(actor=referent, absence=absence)


def test_coordinators_add_and_remove_closed_periods(client, series, coordinator, member):
    url = reverse("meetings:series_closures", args=[series.public_id])
    login(client, coordinator).post(
        url, {"add": "1", "starts_on": "2026-12-21", "ends_on": "2026-12-31", "label": "Vacances d'hiver"}
    )
    closure = SeriesClosure.objects.get(series=series)
    assert closure.label == "Vacances d'hiver"
    refused = client.post(url, {"add": "1", "starts_on": "2026-12-31", "ends_on": "2026-12-21", "label": "x"})
    assert refused.status_code == 200 and refused.context["form"].errors
    client.post(url, {"remove": "1", "closure": closure.pk})
    assert not SeriesClosure.objects.exists()
    assert login(client, member).get(url).status_code == 403


def test_the_series_form_saves_its_office_hours(client, series, coordinator):
    url = reverse("meetings:series_edit", args=[series.public_id])
    login(client, coordinator)
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("coordinators", "organisations")}
    data |= {"coordinators": [coordinator.pk], "office_hours_start": "08:30", "office_hours_end": "12:00"}
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    client.post(url, data)
    series.refresh_from_db()
    assert (series.office_hours_start, series.office_hours_end) == (datetime.time(8, 30), datetime.time(12, 0))
    refused = client.post(url, data | {"office_hours_start": "13:00"})
    assert refused.status_code == 200 and "Les heures de bureau se terminent après leur début." in html.unescape(
        refused.content.decode()
    )


# --- The session reminder: absences and office hours as the info round ----------


def reminded() -> set[str]:
    return chased(Kind.SESSION_REMINDER)


def test_no_session_reminder_to_a_person_absent_that_day_but_to_their_substitute(
    series, referent, member, colleague, coordinator
):
    Absence.objects.create(
        user=member, starts_on=datetime.date(2026, 3, 12), ends_on=datetime.date(2026, 3, 12), substitute=colleague
    )
    Absence.objects.create(user=coordinator, starts_on=datetime.date(2026, 3, 12), ends_on=datetime.date(2026, 3, 13))
    session_at(series, at(2026, 3, 12, 13, 30))  # a Thursday; the reminder goes 24 hours before
    scan(at(2026, 3, 11, 14, 0))
    assert reminded() == {"isabelle@example.org", "sam@example.org"}


def test_no_session_reminder_to_the_members_of_an_operator_absent_that_day(series, referent, member, coordinator):
    Absence.objects.create(
        operator=referent.memberships.get().operator,
        starts_on=datetime.date(2026, 3, 9),
        ends_on=datetime.date(2026, 3, 13),
    )
    session_at(series, at(2026, 3, 12, 13, 30))
    scan(at(2026, 3, 11, 14, 0))
    assert reminded() == {"claire@example.org"}  # the coordinator only


def test_an_absence_another_day_keeps_the_session_reminder(series, referent, member, coordinator):
    Absence.objects.create(user=member, starts_on=datetime.date(2026, 3, 16), ends_on=datetime.date(2026, 3, 20))
    session_at(series, at(2026, 3, 12, 13, 30))
    scan(at(2026, 3, 11, 14, 0))
    assert reminded() == {"claire@example.org", "isabelle@example.org", "olivier@example.org"}


def test_a_session_reminder_due_on_the_sunday_of_the_autumn_clock_change_waits_for_monday_9(
    series, referent, member, coordinator
):
    # 25 October 2026: Brussels moves from UTC+2 to UTC+1 at 3:00; the reminder
    # of a Monday 13:30 session is due on Sunday 13:30 and waits for Monday 9:00.
    session_at(series, at(2026, 10, 26, 13, 30))
    scan(at(2026, 10, 25, 14, 0))
    scan(at(2026, 10, 26, 8, 59))
    assert not reminded()
    scan(at(2026, 10, 26, 9, 0))
    assert reminded() == {"claire@example.org", "isabelle@example.org", "olivier@example.org"}


def test_a_session_reminder_that_would_wait_past_the_start_is_not_sent(series, referent):
    session = session_at(series, at(2026, 3, 11, 8, 0))  # Wednesday 8:00: due Tuesday 8:00, waits for 9:00
    scan(at(2026, 3, 10, 8, 30))
    assert not reminded()
    scan(at(2026, 3, 10, 9, 0))
    assert reminded() == {"claire@example.org", "isabelle@example.org"}
    Notification.objects.all().delete()
    Series.objects.filter(pk=series.pk).update(reminder_hours=2)  # due Wednesday 6:00: would wait past the start
    session.refresh_from_db()
    scan(at(2026, 3, 11, 7, 0))
    assert not reminded()
    planned = session_schedule(session=Session.objects.select_related("series").get(pk=session.pk), now=at(2026, 3, 1))
    assert all("reminder with the join link" not in str(p.label) for p in planned)


def test_the_session_page_schedule_shows_the_reminder_moved_to_monday(series):
    session = Session.objects.select_related("series").get(pk=session_at(series, at(2026, 3, 30, 13, 30)).pk)
    with translation.override("en"):
        planned = {str(p.label): p.at for p in session_schedule(session=session, now=at(2026, 3, 20))}
    assert planned["Session reminder with the join link"] == at(2026, 3, 30, 9, 0)
