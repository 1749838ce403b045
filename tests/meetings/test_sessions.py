"""The recurrence and the sessions: services against the database, then the pages."""

import datetime as dt
import html
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from core.models import AuditEvent
from meetings.models import AgendaItem, CalendarDate, Mode, Series, Session
from meetings.services import sessions as services
from meetings.services.actions import action_record, decision_record
from meetings.services.agenda import agenda_apply, agenda_template_ensure
from meetings.services.inforound import info_round_entry_save
from meetings.services.needs import need_mention, need_raise

from ..conftest import login
from ..factories import OperatorFactory, SeriesFactory, SessionFactory

BRUSSELS = ZoneInfo("Europe/Brussels")
# The first in-person meeting of the Namur pilot, where the slot was chosen.
AUGUST_21 = dt.datetime(2020, 8, 21, 10, tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def _english_wording():
    """These tests read the English source wording of messages; French is the
    catalogue's business (tests/test_i18n.py checks it is complete)."""
    with translation.override("en"):
        yield


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BRUSSELS)


def local(session: Session) -> tuple[dt.date, dt.time]:
    start = session.starts_at.astimezone(BRUSSELS)
    return start.date(), start.time()


def thursdays(series, coordinator, now=AUGUST_21, **kwargs):
    args = {"weekday": 3, "start_time": dt.time(13, 30), "duration": 90} | kwargs
    return services.series_set_recurrence(actor=coordinator, series=series, recurrence="weekly", now=now, **args)


@pytest.fixture
def future_series(coordinator, operator):
    """A series whose period is still to come: the first quarter of 2031 (1 January is a Wednesday)."""
    series = SeriesFactory(pilot_start=dt.date(2031, 1, 1), pilot_end=dt.date(2031, 3, 31))
    series.coordinators.add(coordinator)
    series.participations.create(operator=operator, since=dt.date(2031, 1, 1))
    return series


# Generating ---------------------------------------------------------------------------------------


def test_weekly_sessions_fill_the_pilot_period_at_1330_brussels_time(series, coordinator):
    report = thursdays(series, coordinator)
    sessions = list(series.sessions.order_by("starts_at"))
    assert [local(s)[0] for s in sessions] == [dt.date(2020, 9, 3) + dt.timedelta(weeks=n) for n in range(13)]
    assert {local(s)[1] for s in sessions} == {dt.time(13, 30)}
    assert {s.ends_at - s.starts_at for s in sessions} == {dt.timedelta(minutes=90)}
    assert len(report.created) == 13 and report.removed == [] and report.kept == []
    # 29 October is after the change to winter time: same wall time, another UTC hour.
    assert sessions[7].starts_at == dt.datetime(2020, 10, 22, 11, 30, tzinfo=dt.UTC)
    assert sessions[8].starts_at == dt.datetime(2020, 10, 29, 12, 30, tzinfo=dt.UTC)
    series.refresh_from_db()
    assert (series.recurrence, series.weekday, series.start_time, series.default_duration) == (
        "weekly",
        3,
        dt.time(13, 30),
        90,
    )
    assert AuditEvent.objects.filter(action="series.recurrence", object_id=str(series.pk)).exists()


def test_holidays_are_skipped_or_named(series, coordinator):
    services.series_set_recurrence(
        actor=coordinator, series=series, recurrence="weekly", weekday=2, start_time=dt.time(10), now=AUGUST_21
    )
    dates = [local(s)[0] for s in series.sessions.all()]
    assert dt.date(2020, 11, 11) not in dates and len(dates) == 12

    services.series_set_recurrence(
        actor=coordinator,
        series=series,
        recurrence="weekly",
        weekday=2,
        start_time=dt.time(10),
        skip_holidays=False,
        now=AUGUST_21,
    )
    named = {local(s)[0]: s.holiday for s in series.sessions.all()}
    assert len(named) == 13 and named[dt.date(2020, 11, 11)] == "Jour de l'Armistice"
    assert {name for day, name in named.items() if day != dt.date(2020, 11, 11)} == {""}


def test_monthly_and_every_n_weeks(series, coordinator):
    services.series_set_recurrence(
        actor=coordinator,
        series=series,
        recurrence="monthly",
        weekday=0,
        month_week=-1,
        start_time=dt.time(9),
        now=AUGUST_21,
    )
    assert [local(s)[0] for s in series.sessions.all()] == [
        dt.date(2020, 9, 28),
        dt.date(2020, 10, 26),
        dt.date(2020, 11, 30),
    ]
    services.series_set_recurrence(
        actor=coordinator,
        series=series,
        recurrence="every_n_weeks",
        weekday=1,
        interval_weeks=2,
        month_week=-1,
        start_time=dt.time(9),
        now=AUGUST_21,
    )
    tuesdays = [dt.date(2020, 9, 1) + dt.timedelta(weeks=2 * n) for n in range(7)]
    assert [local(s)[0] for s in series.sessions.all()] == tuesdays
    series.refresh_from_db()
    assert (series.interval_weeks, series.month_week) == (2, None)


def test_without_a_period_sessions_are_generated_for_twelve_months_from_today(coordinator):
    series = SeriesFactory()
    series.coordinators.add(coordinator)
    now = timezone.now()
    services.series_set_recurrence(
        actor=coordinator, series=series, recurrence="weekly", weekday=0, start_time=dt.time(9), skip_holidays=False
    )
    days = [local(s)[0] for s in series.sessions.all()]
    today = timezone.localdate(now)
    assert len(days) in (52, 53)
    assert days[0] >= today and days[0] - today < dt.timedelta(days=7)
    assert days[-1] < services._one_year_later(today)


def test_generating_twice_changes_nothing(series, coordinator):
    thursdays(series, coordinator)
    before = list(series.sessions.values_list("pk", "public_id", "sequence", "starts_at"))
    report = services.sessions_generate(series=series, now=AUGUST_21)
    assert (report.created, report.removed, report.kept, report.updated) == ([], [], [], [])
    assert list(series.sessions.values_list("pk", "public_id", "sequence", "starts_at")) == before


def test_changing_the_recurrence_regenerates_only_the_untouched_future(series, coordinator, operator):
    thursdays(series, coordinator)
    sessions = list(series.sessions.order_by("starts_at"))
    # Two sessions were held in September, one is moved, one cancelled, one extra added.
    Session.objects.filter(pk__in=[sessions[0].pk, sessions[1].pk]).update(status=Session.Status.HELD)
    moved = services.session_move(actor=coordinator, session=sessions[6], start_time=dt.time(15))
    cancelled = services.session_cancel(actor=coordinator, session=sessions[9], reason="Congé")
    extra = services.session_add(
        actor=coordinator, series=series, date=dt.date(2020, 11, 3), start_time=dt.time(10), duration=60
    )
    now = at(dt.date(2020, 10, 1), 8)  # the coordinators change the slot on 1 October
    report = services.series_set_recurrence(
        actor=coordinator, series=series, recurrence="weekly", weekday=3, start_time=dt.time(10), now=now
    )
    # The past (1 to 4 September held, then 10 to 24 September) is left alone.
    past = [s for s in series.sessions.all() if s.starts_at < now]
    assert [(local(s)[0], local(s)[1]) for s in past] == [
        (dt.date(2020, 9, d), dt.time(13, 30)) for d in (3, 10, 17, 24)
    ]
    # Kept: the moved (15 October), the cancelled (5 November) and the extra session.
    assert sorted(s.pk for s in report.kept) == sorted([moved.pk, cancelled.pk, extra.pk])
    assert {s.pk for s in report.removed} == {s.pk for s in sessions[4:] if s.pk not in (moved.pk, cancelled.pk)}
    future = [local(s) for s in series.sessions.filter(starts_at__gte=now, is_customised=False)]
    # Thursdays at 10:00 from 1 October, except the dates that hold a kept session.
    expected_days = [dt.date(2020, 10, 1) + dt.timedelta(weeks=n) for n in range(9)]
    expected_days = [d for d in expected_days if d not in (dt.date(2020, 10, 15), dt.date(2020, 11, 5))]
    assert future == [(d, dt.time(10)) for d in expected_days]
    assert len(report.created) == len(expected_days)
    moved.refresh_from_db()
    assert local(moved) == (dt.date(2020, 10, 15), dt.time(15))
    assert Session.objects.filter(pk=cancelled.pk, status=Session.Status.CANCELLED).exists()


def test_a_changed_default_mode_updates_generated_sessions_and_their_sequence(series, coordinator):
    thursdays(series, coordinator)
    Series.objects.filter(pk=series.pk).update(default_mode=Mode.IN_PERSON, default_venue="CNP Saint-Martin")
    series.refresh_from_db()
    report = services.sessions_generate(series=series, now=AUGUST_21)
    assert len(report.updated) == 13 and report.created == report.removed == []
    assert set(series.sessions.values_list("mode", "venue", "sequence", "is_customised")) == {
        (Mode.IN_PERSON, "CNP Saint-Martin", 1, False)
    }


def test_a_session_outside_the_period_is_removed_when_untouched(series, session, coordinator):
    assert session.starts_at > timezone.now()  # the fixture session is after the 2020 pilot
    report = thursdays(series, coordinator)
    assert [s.pk for s in report.removed] == [session.pk]
    assert not Session.objects.filter(pk=session.pk).exists()


def test_session_has_content_when_customised_or_written_about(session, operator, coordinator):
    from meetings.models import Attendance, InfoRoundEntry

    other = SessionFactory(series=session.series, starts_at=session.starts_at + dt.timedelta(days=7))
    third = SessionFactory(series=session.series, starts_at=session.starts_at + dt.timedelta(days=14))
    assert services.session_has_content(session) is False
    Session.objects.filter(pk=session.pk).update(is_customised=True)
    InfoRoundEntry.objects.create(session=other, operator=operator)
    Attendance.objects.create(session=third, operator=operator, status="present", recorded_by=coordinator)
    fourth = SessionFactory(series=session.series, starts_at=session.starts_at + dt.timedelta(days=21))
    assert services.sessions_with_content([session, other, third, fourth]) == {session.pk, other.pk, third.pk}


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"weekday": None}, "weekday"),
        ({"weekday": 9}, "weekday"),
        ({"start_time": None}, "start_time"),
        ({"start_time": "25:00"}, "start_time"),
        ({"duration": 0}, "duration"),
        ({"duration": 100_000}, "duration"),
        ({"recurrence": "every_n_weeks", "interval_weeks": 99}, "interval_weeks"),
        ({"recurrence": "monthly", "month_week": 5}, "month_week"),
        ({"recurrence": "none"}, "recurrence"),
        ({"recurrence": "<script>"}, "recurrence"),
    ],
)
def test_an_incomplete_recurrence_is_refused_on_its_field(series, coordinator, kwargs, field):
    args = {"recurrence": "weekly", "weekday": 3, "start_time": dt.time(13, 30)} | kwargs
    with pytest.raises(ValidationError) as caught:
        services.series_set_recurrence(actor=coordinator, series=series, now=AUGUST_21, **args)
    assert field in caught.value.message_dict
    series.refresh_from_db()
    assert series.recurrence == "none" and not series.sessions.exists()


def test_a_recurrence_without_any_date_is_refused(coordinator):
    series = SeriesFactory(pilot_start=dt.date(2020, 9, 1), pilot_end=dt.date(2020, 9, 7))
    series.coordinators.add(coordinator)
    with pytest.raises(ValidationError, match="no date between"):
        services.series_set_recurrence(
            actor=coordinator,
            series=series,
            recurrence="monthly",
            weekday=0,
            month_week=4,
            start_time=dt.time(9),
            now=AUGUST_21,
        )
    # Nothing saved, and the caller's object is as it was.
    assert series.recurrence == "none" and series.month_week is None
    series.refresh_from_db()
    assert series.recurrence == "none"
    with pytest.raises(ValidationError, match="add dates first"):
        services.series_set_recurrence(actor=coordinator, series=series, recurrence="explicit", now=AUGUST_21)


def test_a_series_whose_period_is_over_gets_no_new_session(series, coordinator):
    thursdays(series, coordinator)
    with pytest.raises(ValidationError, match="already past"):
        thursdays(series, coordinator, now=timezone.now(), start_time=dt.time(10))
    assert {local(s)[1] for s in series.sessions.all()} == {dt.time(13, 30)}


def test_only_coordinators_of_the_series_change_it(series, member, other_coordinator):
    for actor in (member, other_coordinator):
        with pytest.raises(PermissionDenied):
            thursdays(series, actor)
    assert not series.sessions.exists()


# Explicit calendar ---------------------------------------------------------------------------------


def test_an_explicit_calendar_with_rotating_day_place_and_host(series, coordinator, operator):
    hosts = {dt.date(2020, 9, 15): operator, dt.date(2020, 10, 8): None, dt.date(2020, 11, 20): operator}
    for day, host in hosts.items():
        services.calendar_date_add(
            actor=coordinator,
            series=series,
            date=day,
            start_time=dt.time(9, 30),
            duration=150,
            venue=f"Salle {day.month}",
            host_operator=host,
        )
    report = services.series_set_recurrence(actor=coordinator, series=series, recurrence="explicit", now=AUGUST_21)
    assert len(report.created) == 3
    rows = [(local(s), s.venue, s.host_operator, s.ends_at - s.starts_at) for s in series.sessions.all()]
    assert rows == [
        ((day, dt.time(9, 30)), f"Salle {day.month}", host, dt.timedelta(minutes=150)) for day, host in hosts.items()
    ]
    # A new date becomes a session at once; removing one removes its untouched session.
    added = services.calendar_date_add(
        actor=coordinator, series=series, date=dt.date(2020, 11, 26), start_time=dt.time(14), duration=60, now=AUGUST_21
    )
    assert series.sessions.count() == 4
    services.calendar_date_remove(actor=coordinator, calendar_date=added, now=AUGUST_21)
    assert series.sessions.count() == 3
    # A customised session outlives its date.
    first = series.sessions.first()
    services.session_cancel(actor=coordinator, session=first, reason="Salle indisponible")
    report = services.calendar_date_remove(
        actor=coordinator, calendar_date=series.calendar_dates.get(date=dt.date(2020, 9, 15)), now=AUGUST_21
    )
    assert [s.pk for s in report.kept] == [first.pk] and Session.objects.filter(pk=first.pk).exists()


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"date": dt.date(2021, 1, 5)}, "date"),
        ({"date": dt.date(2020, 8, 31)}, "date"),
        ({"duration": 2}, "duration"),
        ({"host_operator": "other"}, "host_operator"),
    ],
)
def test_calendar_dates_are_checked(series, coordinator, kwargs, field):
    if kwargs.get("host_operator") == "other":
        kwargs["host_operator"] = OperatorFactory()
    args = {"date": dt.date(2020, 9, 15), "start_time": dt.time(9), "duration": 60} | kwargs
    with pytest.raises(ValidationError) as caught:
        services.calendar_date_add(actor=coordinator, series=series, **args)
    assert field in caught.value.message_dict
    assert not CalendarDate.objects.exists()


def test_a_calendar_date_is_unique_per_date_and_time(series, coordinator):
    args = {"actor": coordinator, "series": series, "date": dt.date(2020, 9, 15), "start_time": dt.time(9)}
    services.calendar_date_add(duration=60, **args)
    with pytest.raises(ValidationError, match="already has a meeting"):
        services.calendar_date_add(duration=90, **args)


# One session -----------------------------------------------------------------------------------------


def test_an_extra_session_in_the_period(series, coordinator, operator):
    session = services.session_add(
        actor=coordinator,
        series=series,
        date=dt.date(2020, 11, 11),
        start_time=dt.time(13, 30),
        duration=60,
        mode=Mode.HYBRID,
        venue="CNP Saint-Martin",
        host_operator=operator,
    )
    assert local(session) == (dt.date(2020, 11, 11), dt.time(13, 30))
    assert (session.is_extra, session.is_customised, session.sequence) == (True, True, 0)
    assert (session.holiday, session.mode, session.host_operator) == ("Jour de l'Armistice", Mode.HYBRID, operator)
    with pytest.raises(ValidationError) as caught:
        services.session_add(
            actor=coordinator, series=series, date=dt.date(2020, 12, 1), start_time=dt.time(9), duration=60
        )
    assert "date" in caught.value.message_dict


def test_moving_a_session_counts_the_change(series, session, coordinator):
    moved = services.session_move(
        actor=coordinator,
        session=session,
        date=dt.date(2020, 10, 29),
        start_time=dt.time(14),
        duration=45,
        video_url="https://meet.example.org/room",
    )
    assert local(moved) == (dt.date(2020, 10, 29), dt.time(14))
    assert moved.ends_at - moved.starts_at == dt.timedelta(minutes=45)
    assert (moved.sequence, moved.is_customised, moved.video_url) == (1, True, "https://meet.example.org/room")
    # Saving the same values is no change.
    same = services.session_move(actor=coordinator, session=moved, date=dt.date(2020, 10, 29), start_time=dt.time(14))
    assert same.sequence == 1
    changed = services.session_change_mode(actor=coordinator, session=moved, mode=Mode.IN_PERSON)
    assert (changed.mode, changed.sequence) == (Mode.IN_PERSON, 2)


def test_a_session_cannot_move_out_of_the_period_or_to_a_plain_link(series, session, coordinator):
    with pytest.raises(ValidationError) as caught:
        services.session_move(actor=coordinator, session=session, date=dt.date(2021, 3, 1), start_time=dt.time(9))
    assert "date" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.session_move(
            actor=coordinator, session=session, date=dt.date(2020, 10, 1), video_url="javascript:alert(1)"
        )
    assert "video_url" in caught.value.message_dict
    session.refresh_from_db()
    assert (session.sequence, session.is_customised) == (0, False)


def test_cancelling_needs_a_reason_and_happens_once(session, coordinator):
    with pytest.raises(ValidationError) as caught:
        services.session_cancel(actor=coordinator, session=session, reason="   ")
    assert "reason" in caught.value.message_dict
    cancelled = services.session_cancel(actor=coordinator, session=session, reason="Grève des transports")
    assert (cancelled.status, cancelled.cancel_reason, cancelled.sequence) == ("cancelled", "Grève des transports", 1)
    with pytest.raises(ValidationError):
        services.session_cancel(actor=coordinator, session=cancelled, reason="Encore")
    with pytest.raises(ValidationError):
        services.session_move(actor=coordinator, session=cancelled, start_time=dt.time(8))


def test_members_cannot_change_sessions(session, member):
    with pytest.raises(PermissionDenied):
        services.session_cancel(actor=member, session=session, reason="Non")
    with pytest.raises(PermissionDenied):
        services.session_move(actor=member, session=session, start_time=dt.time(8))


# Pages -------------------------------------------------------------------------------------------------


def _recurrence_data(**changes):
    data = {
        "recurrence": "weekly",
        "weekday": "3",
        "start_time": "13:30",
        "duration": "90",
        "interval_weeks": "2",
        "month_week": "",
        "skip_holidays": "on",
    }
    return data | changes


def test_recurrence_preview_lists_the_dates_and_the_skipped_holidays(client, future_series, coordinator):
    url = reverse("meetings:recurrence_edit", kwargs={"series_id": future_series.public_id})
    response = login(client, coordinator).post(url, _recurrence_data(weekday="2", preview="1"))
    assert response.status_code == 200
    preview = response.context["preview"]
    wednesdays = [(o.local_date, o.holiday, o.skipped) for o in preview["occurrences"]]
    assert wednesdays[0] == (dt.date(2031, 1, 1), "Nouvel An", True)
    assert [d for d, _, _ in wednesdays] == [dt.date(2031, 1, 1) + dt.timedelta(weeks=n) for n in range(13)]
    assert not any(skipped for _, _, skipped in wednesdays[1:])
    assert "Nouvel An" in response.content.decode()
    assert not future_series.sessions.exists()  # a preview saves nothing


def test_saving_the_recurrence_schedules_and_reports_kept_sessions(client, future_series, coordinator):
    url = reverse("meetings:recurrence_edit", kwargs={"series_id": future_series.public_id})
    login(client, coordinator)
    response = client.post(url, _recurrence_data(save="1"))
    assert response["Location"] == reverse("meetings:series_detail", kwargs={"series_id": future_series.public_id})
    first = future_series.sessions.first()
    services.session_cancel(actor=coordinator, session=first, reason="Formation")
    response = client.post(url, _recurrence_data(start_time="10:00", save="1"), follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert "12 séances créées. 12 séances supprimées." in texts  # the coordinator reads French
    assert any(t.startswith("Séances conservées telles quelles") and "2 janvier 2031 13:30" in t for t in texts)
    assert {local(s)[1] for s in future_series.sessions.exclude(pk=first.pk)} == {dt.time(10)}


def test_the_recurrence_page_shows_the_current_dates(client, series, coordinator):
    thursdays(series, coordinator)
    response = login(client, coordinator).get(
        reverse("meetings:recurrence_edit", kwargs={"series_id": series.public_id})
    )
    assert response.status_code == 200 and response.context["preview"] is not None
    assert response.context["form"].initial["start_time"] == dt.time(13, 30)


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"start_time": "25:00"}, "start_time"),
        ({"start_time": "<script>"}, "start_time"),
        ({"weekday": ""}, "weekday"),
        ({"weekday": "99"}, "weekday"),
        ({"duration": "0"}, "duration"),
        ({"duration": "9" * 50}, "duration"),
        ({"recurrence": "monthly", "month_week": ""}, "month_week"),
        ({"recurrence": "every_n_weeks", "interval_weeks": "53"}, "interval_weeks"),
        ({"recurrence": "none"}, "recurrence"),
    ],
)
def test_bad_recurrence_input_gives_field_errors(client, series, coordinator, changes, field):
    url = reverse("meetings:recurrence_edit", kwargs={"series_id": series.public_id})
    response = login(client, coordinator).post(url, _recurrence_data(save="1", **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not series.sessions.exists()


def test_a_recurrence_without_dates_is_a_form_error(client, coordinator):
    series = SeriesFactory(pilot_start=dt.date(2031, 9, 1), pilot_end=dt.date(2031, 9, 7))
    series.coordinators.add(coordinator)
    url = reverse("meetings:recurrence_edit", kwargs={"series_id": series.public_id})
    response = login(client, coordinator).post(
        url, _recurrence_data(recurrence="monthly", weekday="0", month_week="4", save="1")
    )
    assert response.status_code == 200
    assert "ne donne aucune date entre" in " ".join(response.context["form"].non_field_errors())


def _date_data(**changes):
    return {"date": "2020-10-15", "start_time": "09:30", "end_time": "12:00", "venue": "Namur", "add": "1"} | changes


def test_calendar_dates_page_adds_and_removes(client, series, coordinator, operator):
    url = reverse("meetings:calendar_dates", kwargs={"series_id": series.public_id})
    login(client, coordinator)
    response = client.post(url, _date_data(host_operator=operator.pk))
    assert response.status_code == 302
    date = series.calendar_dates.get()
    assert (date.date, date.start_time, date.duration, date.host_operator) == (
        dt.date(2020, 10, 15),
        dt.time(9, 30),
        150,
        operator,
    )
    client.post(url, {"remove": "1", "calendar_date": date.pk})
    assert not series.calendar_dates.exists()


def test_another_series_calendar_date_cannot_be_removed(client, series, coordinator):
    other = SeriesFactory()
    date = CalendarDate.objects.create(series=other, date=dt.date(2020, 10, 1), start_time=dt.time(9), duration=60)
    url = reverse("meetings:calendar_dates", kwargs={"series_id": series.public_id})
    response = login(client, coordinator).post(url, {"remove": "1", "calendar_date": date.pk}, follow=True)
    assert response.status_code == 200
    assert CalendarDate.objects.filter(pk=date.pk).exists()
    response = client.post(url, {"remove": "1", "calendar_date": "not a number"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"end_time": "09:00"}, "end_time"),
        ({"end_time": "09:32"}, "end_time"),
        ({"start_time": "25:00"}, "start_time"),
        ({"date": "2021-02-30"}, "date"),
        ({"date": "2021-01-15"}, "date"),
        ({"date": "99999-01-01"}, "date"),
        ({"venue": "x" * 100_000}, "venue"),
        ({"venue": "nul\x00"}, "venue"),
        ({"host_operator": "999999"}, "host_operator"),
    ],
)
def test_bad_calendar_date_input_gives_field_errors(client, series, coordinator, changes, field):
    url = reverse("meetings:calendar_dates", kwargs={"series_id": series.public_id})
    response = login(client, coordinator).post(url, _date_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not series.calendar_dates.exists()


@pytest.mark.parametrize("count", [1, 50])
def test_calendar_dates_page_query_count_is_fixed(
    client, series, coordinator, operator, count, django_assert_num_queries
):
    CalendarDate.objects.bulk_create(
        CalendarDate(
            series=series,
            date=dt.date(2020, 9, 1) + dt.timedelta(days=n),
            start_time=dt.time(9),
            duration=60,
            host_operator=operator,
        )
        for n in range(count)
    )
    login(client, coordinator)
    url = reverse("meetings:calendar_dates", kwargs={"series_id": series.public_id})
    # session, user, savepoint pair, series, coordinated series, dates, coordinator group (menu), host choices
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["rows"]) == count


def test_the_other_coordinators_other_series_host_is_refused(client, series, coordinator, other_operator):
    url = reverse("meetings:session_add", kwargs={"series_id": series.public_id})
    data = {"date": "2020-10-15", "start_time": "09:30", "end_time": "11:00", "mode": "video"}
    response = login(client, coordinator).post(url, data | {"host_operator": other_operator.pk})
    assert "host_operator" in response.context["form"].errors


def test_adding_a_session_from_the_page(client, series, coordinator):
    url = reverse("meetings:session_add", kwargs={"series_id": series.public_id})
    data = {"date": "2020-10-15", "start_time": "09:30", "end_time": "11:00", "mode": "in_person", "venue": "Namur"}
    response = login(client, coordinator).post(url, data)
    session = series.sessions.get()
    assert response["Location"] == reverse("meetings:session_detail", kwargs={"session_id": session.public_id})
    assert local(session) == (dt.date(2020, 10, 15), dt.time(9, 30)) and session.is_extra


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"end_time": "08:00"}, "end_time"),
        ({"start_time": "25:00"}, "start_time"),
        ({"date": "2021-06-01"}, "date"),
        ({"mode": "teleport"}, "mode"),
        ({"mode": "in_person", "venue": ""}, "venue"),
        ({"video_url": "http://insecure.example.org"}, "video_url"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
        ({"venue": "<b>" * 1000}, "venue"),
    ],
)
def test_bad_session_input_gives_field_errors(client, series, session, coordinator, changes, field):
    data = {"date": "2020-10-15", "start_time": "09:30", "end_time": "11:00", "mode": "video", "venue": ""}
    url = reverse("meetings:session_edit", kwargs={"session_id": session.public_id})
    response = login(client, coordinator).post(url, data | changes)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    session.refresh_from_db()
    assert session.sequence == 0


def test_editing_a_session_from_the_page(client, series, session, coordinator):
    url = reverse("meetings:session_edit", kwargs={"session_id": session.public_id})
    login(client, coordinator)
    assert client.get(url).context["form"].initial["start_time"] == local(session)[1]
    data = {"date": "2020-10-15", "start_time": "09:30", "end_time": "11:00", "mode": "video"}
    response = client.post(url, data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert (local(session), session.sequence, session.is_customised) == (
        (dt.date(2020, 10, 15), dt.time(9, 30)),
        1,
        True,
    )


def test_cancelling_from_the_page_shows_the_reason_to_members(client, session, coordinator, member):
    url = reverse("meetings:session_cancel", kwargs={"session_id": session.public_id})
    login(client, coordinator)
    response = client.post(url, {"reason": ""})
    assert "reason" in response.context["form"].errors
    response = client.post(url, {"reason": "<script>alert(1)</script> Grève"})
    assert response.status_code == 302
    body = login(client, member).get(reverse("meetings:session_detail", kwargs={"session_id": session.public_id}))
    text = body.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Grève" in text and "<script>alert(1)" not in text
    # A cancelled session can no longer be changed.
    login(client, coordinator)
    edit = client.get(reverse("meetings:session_edit", kwargs={"session_id": session.public_id}))
    assert edit.status_code == 302


def test_session_page_shows_time_venue_host_and_the_join_button(client, series, coordinator, member, operator):
    starts = timezone.now() + dt.timedelta(minutes=5)
    session = SessionFactory(
        series=series,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=90),
        mode=Mode.HYBRID,
        venue="CNP Saint-Martin",
        host_operator=operator,
        video_url="https://meet.example.org/crise",
    )
    response = login(client, member).get(reverse("meetings:session_detail", kwargs={"session_id": session.public_id}))
    body = response.content.decode()
    assert "CNP Saint-Martin" in body and operator.name in body
    assert "https://meet.example.org/crise" in body
    assert starts.astimezone(BRUSSELS).strftime("%H:%M") in body
    assert response.context["session"].duration_minutes == 90
    assert reverse("meetings:session_edit", kwargs={"session_id": session.public_id}) not in body


def test_session_page_is_404_outside_the_series(client, session, other_member, other_coordinator):
    url = reverse("meetings:session_detail", kwargs={"session_id": session.public_id})
    assert login(client, other_member).get(url).status_code == 404
    assert login(client, other_coordinator).get(url).status_code == 404


def test_a_moved_session_keeps_its_slot_when_the_recurrence_is_regenerated(series, coordinator):
    """Moving Tuesday's session to Wednesday must not bring back a Tuesday session."""
    import datetime as _dt

    from meetings.models import Series as _Series
    from meetings.services.sessions import series_set_recurrence, session_move

    now = _dt.datetime(2020, 8, 1, tzinfo=_dt.UTC)
    series_set_recurrence(
        actor=coordinator,
        series=series,
        recurrence=_Series.Recurrence.WEEKLY,
        weekday=1,
        start_time=_dt.time(13, 30),
        duration=60,
        now=now,
    )
    count = series.sessions.count()
    tuesday = series.sessions.order_by("starts_at")[2]
    session_move(actor=coordinator, session=tuesday, date=tuesday.original_date + _dt.timedelta(days=1))
    report = series_set_recurrence(
        actor=coordinator,
        series=series,
        recurrence=_Series.Recurrence.WEEKLY,
        weekday=1,
        start_time=_dt.time(13, 30),
        duration=90,
        now=now,
    )
    assert series.sessions.count() == count
    assert tuesday.pk in {s.pk for s in report.kept}
    dates = [s.starts_at.date() for s in series.sessions.all()]
    assert len(dates) == len(set(dates))


# A move leaves a trace; a held session is over ---------------------------------------------------


def _wall(moment) -> str:
    """How the pages write an instant in French: "jeudi 22 octobre 2020 13:30"."""
    from django.utils import dateformat

    with translation.override("fr"):
        return dateformat.format(timezone.localtime(moment), "l j F Y H:i")


def test_a_moved_session_shows_where_it_moved_from(client, series, session, coordinator):
    before = session.starts_at
    moved = services.session_move(
        actor=coordinator, session=session, date=dt.date(2020, 10, 29), start_time=dt.time(14)
    )
    assert moved.moved_from == before
    # Another change that keeps the time keeps the trace of the move.
    assert services.session_change_mode(actor=coordinator, session=moved, mode=Mode.HYBRID).moved_from == before
    login(client, coordinator)
    page = client.get(reverse("meetings:session_detail", args=[session.public_id])).content.decode()
    assert f"Déplacée depuis le {_wall(before)}." in page
    series_page = client.get(reverse("meetings:series_detail", args=[series.public_id])).content.decode()
    assert f"déplacée depuis le {_wall(before)}" in series_page


def test_a_session_never_moved_shows_no_move(client, series, coordinator):
    start = dt.datetime(2020, 10, 20, 11, 30, tzinfo=dt.UTC)
    session = SessionFactory(series=series, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    services.session_change_mode(actor=coordinator, session=session, mode=Mode.HYBRID)
    session.refresh_from_db()
    assert session.moved_from is None
    page = login(client, coordinator).get(reverse("meetings:session_detail", args=[session.public_id]))
    assert "Déplacée depuis" not in page.content.decode()


def test_a_held_session_leaves_the_upcoming_lists_before_its_planned_end(client, series, coordinator, member):
    from meetings.services.minutes import session_end

    start = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=20)
    held = SessionFactory(series=series, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    session_end(actor=coordinator, session=held)
    login(client, member)
    response = client.get(reverse("meetings:series_detail", args=[series.public_id]))
    assert held.pk not in [s.pk for s in response.context["page"].upcoming]
    assert held.pk in [s.pk for s in response.context["page"].past]
    home = client.get(reverse("core:home"))
    assert held.pk not in [s.pk for s in home.context["upcoming"]]


def test_the_session_page_offers_its_calendar_file(client, session, member):
    page = login(client, member).get(reverse("meetings:session_detail", args=[session.public_id])).content.decode()
    assert f'href="{reverse("meetings:session_ics", args=[session.public_id])}" download>Ajouter à mon agenda' in page


def test_the_schedule_of_emails_says_what_was_sent_and_what_is_to_come(client, series, operator, coordinator):
    from notifications import delivery as notification_services
    from notifications import scan

    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    planned = SessionFactory(series=series, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    url = reverse("meetings:session_detail", args=[planned.public_id])
    page = html.unescape(login(client, coordinator).get(url).content.decode())
    # The invitation's time (14 days before) is past, but beat has not run: it was not sent.
    assert 'Invitation avec le fichier d\'agenda <span class="text-muted">(non envoyé)</span>' in page
    assert "✓" not in page and "Aucun e-mail n'a encore été envoyé" in page
    scan.notifications_scan()
    for pk in notification_services.notifications_due():
        notification_services.notification_send(notification_id=pk)
    page = html.unescape(client.get(url).content.decode())
    assert "✓ " in page and 'Invitation avec le fichier d\'agenda <span class="text-muted">(envoyé)</span>' in page
    assert 'Rappel de la séance avec le lien de connexion <span class="text-muted">(programmé)</span>' in page


def test_a_cancel_refused_after_the_fact_gives_the_reason_back(client, series, coordinator):
    from meetings.services.minutes import session_end

    start = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=20)
    held = SessionFactory(series=series, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    login(client, coordinator)
    session_end(actor=coordinator, session=held)
    response = client.post(
        reverse("meetings:session_cancel", args=[held.public_id]), {"reason": "Grève des transports en commun."}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Rien n'a été enregistré." in body and "Seule une séance prévue peut être annulée" in body
    assert "Grève des transports en commun.</textarea>" in body
    held.refresh_from_db()
    assert held.status == Session.Status.HELD


def test_every_crispy_form_says_at_its_top_that_nothing_was_saved(client, series, coordinator):
    response = login(client, coordinator).post(
        reverse("meetings:session_add", args=[series.public_id]),
        {"date": "2020-12-25", "start_time": "13:30", "mode": "video"},
    )
    body = response.content.decode()
    summary, form = body.index("data-error-summary"), body.index('name="date"')
    assert summary < form and "Rien n'a été enregistré." in body[summary:form]
    assert '<a href="#id_end_time">Heure de fin : Ce champ est obligatoire.</a>' in body[summary:form]
    assert not Session.objects.filter(is_extra=True).exists()


MARCH_5, MARCH_10, MARCH_12 = dt.date(2030, 3, 5), dt.date(2030, 3, 10), dt.date(2030, 3, 12)


def _busy_session(series, coordinator, operator, member, count):
    """A planned session after one that recorded `count` decisions, actions and
    needs (carried into its follow-up), with the agenda of the series' template
    and `count` more items, an info-round draft of `operator` and `count` needs
    mentioned in it."""
    before = SessionFactory(series=series, starts_at=at(MARCH_5, 13, 30), ends_at=at(MARCH_5, 15))
    session = SessionFactory(series=series, starts_at=at(MARCH_12, 13, 30), ends_at=at(MARCH_12, 15))
    agenda_apply(sessions=[session], template=agenda_template_ensure(series=series))
    for n in range(count):
        AgendaItem.objects.create(session=session, position=100 + n, title=f"Point {n}", kind="other", timebox=10)
        decision_record(actor=coordinator, session=before, text=f"Décision {n}")
        action_record(actor=coordinator, session=before, description=f"Action {n}", owner_operator=operator)
        need = need_raise(actor=member, series=series, operator=operator, title=f"Besoin {n}")
        need_mention(actor=coordinator, need=need, session=session)
    info_round_entry_save(actor=member, session=session, operator=operator, answers={}, version=0, now=at(MARCH_10, 9))
    return session


# The session (with its series, host, agenda version and minutes), the
# person's series and operators, the agenda, the info-round panel (the
# member's operators and entries), the follow-up (carried actions, decisions,
# actions, mentions), the coordinators' notifications panel (with the series'
# closed periods, for the info-round steps in office hours), and the menu's.
# The member: one more than before individual participants (the series they take part in their own name).
# One more with the link back of the agenda items relaunched from a consultation (meetings.origins).
# The coordinators: one more for the key of their emails table (kept in the cache while its rows stay the same).
SESSION_PAGE_QUERIES = {"member": 18, "coordinator": 19}


@pytest.mark.parametrize("persona", ["member", "coordinator"])
@pytest.mark.parametrize("count", [1, 6])
def test_session_page_query_count_is_fixed(
    client, series, coordinator, operator, member, persona, count, django_assert_num_queries, request
):
    session = _busy_session(series, coordinator, operator, member, count)
    url = reverse("meetings:session_detail", kwargs={"session_id": session.public_id})
    with time_machine.travel(at(MARCH_10, 10), tick=False):
        login(client, request.getfixturevalue(persona))
        with django_assert_num_queries(SESSION_PAGE_QUERIES[persona]):
            response = client.get(url)
    body = html.unescape(response.content.decode())
    assert "Action 0" in body and f"Action {count - 1}" in body and f"Point {count - 1}" in body
    assert f"Besoin {count - 1}" in body
    assert ("Remplir le tour de table" in body) == (persona == "member")  # open, for the member's operator


def test_duration_is_the_length_in_whole_minutes_across_the_clock_change(series):
    # The night of 25 October 2026 is an hour longer in Brussels: 01:30 to 03:30 lasts three hours.
    start = at(dt.date(2026, 10, 25), 1, 30)
    session = SessionFactory(series=series, starts_at=start, ends_at=start + dt.timedelta(minutes=180, seconds=59))
    assert session.duration_minutes == 180


def test_the_coordinators_see_the_emails_of_the_session_in_brussels_time(client, session, coordinator, member):
    from notifications.models import Notification

    # 31 March 2030 at 1:30 UTC is 3:30 in Brussels: summer time began at 1:00 UTC that night.
    sent = dt.datetime(2030, 3, 31, 1, 30, tzinfo=dt.UTC)
    Notification.objects.create(
        recipient=member,
        kind="session_reminder",
        object_type="meetings.session",
        object_id=str(session.pk),
        state=Notification.State.SENT,
        sent_at=sent,
    )
    url = reverse("meetings:session_detail", kwargs={"session_id": session.public_id})
    body = html.unescape(login(client, coordinator).get(url).content.decode())
    row = body.split('id="notifications-heading"')[1]
    assert member.name in row and "31 Mar 2030 03:30" in row  # "Mar": mars, in French too
    assert 'id="notifications-heading"' not in login(client, member).get(url).content.decode()


def test_the_emails_table_is_kept_until_a_row_changes_even_in_bulk(client, session, coordinator, member):
    from notifications.models import Notification

    url = reverse("meetings:session_detail", kwargs={"session_id": session.public_id})
    login(client, coordinator)

    def table():
        return html.unescape(client.get(url).content.decode()).split('id="notifications-heading"')[1]

    assert "Olivier" not in table()
    row = Notification.objects.create(
        recipient=member, kind="session_reminder", object_type="meetings.session", object_id=str(session.pk)
    )
    assert member.name in table() and "Programmée" in table()  # pending, in French
    # The sending writes in bulk (no signal): the table shows it all the same.
    Notification.objects.filter(pk=row.pk).update(state=Notification.State.SENT, sent_at=timezone.now())
    assert "Envoyée" in table()
    member.name = "Olivia Marchal"
    member.save()
    assert "Olivia Marchal" in table()
