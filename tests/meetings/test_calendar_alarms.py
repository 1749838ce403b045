"""The alarm (VALARM) of a person's calendar files, at the lead time they chose.

RFC 5545 §3.6.6: a DISPLAY alarm holds ACTION, TRIGGER and DESCRIPTION; the
TRIGGER is a duration before the start (RELATED=START); one alarm per event;
a cancelled session has none. The files are parsed with `icalendar` and,
once, imported into khal, a calendar program that reads them as a person's
calendar would.
"""

import os
import shutil
import subprocess
import textwrap
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import CalendarAlarm
from meetings import calendar
from meetings.models import Session
from meetings.services import feeds
from notifications import delivery
from notifications.scan import notifications_scan

from ..conftest import login
from ..factories import SessionFactory


@pytest.fixture(autouse=True)
def _english_wording():
    with translation.override("en"):
        yield


def _ics(client, session) -> icalendar.Calendar:
    response = client.get(reverse("meetings:session_ics", kwargs={"session_id": session.public_id}))
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def _alarms(event) -> list:
    return [c for c in event.subcomponents if c.name == "VALARM"]


@pytest.mark.parametrize(
    ("choice", "lead"),
    [(CalendarAlarm.MINUTES_15, "-PT15M"), (CalendarAlarm.HOUR_1, "-PT1H"), (CalendarAlarm.DAY_1, "-P1D")],
)
def test_the_session_file_carries_one_display_alarm_at_the_chosen_lead(client, member, session, choice, lead):
    member.calendar_alarm = choice
    member.save()
    [event] = _ics(login(client, member), session).events
    [alarm] = _alarms(event)
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm["DESCRIPTION"]
    assert alarm["TRIGGER"].dt == -timedelta(minutes=choice)
    assert alarm["TRIGGER"].params["RELATED"] == "START"
    assert f"TRIGGER;RELATED=START:{lead}" in alarm.to_ical().decode()


def test_no_alarm_without_a_preference(client, member, session):
    assert member.calendar_alarm is None
    [event] = _ics(login(client, member), session).events
    assert _alarms(event) == []


def test_a_cancelled_session_has_no_alarm(client, member, session):
    member.calendar_alarm = CalendarAlarm.HOUR_1
    member.save()
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    [event] = _ics(login(client, member), session).events
    assert event["STATUS"] == "CANCELLED"
    assert _alarms(event) == []


def test_the_personal_feed_follows_its_owner_preference_at_once(client, member, session, series):
    cancelled = SessionFactory(series=series, status=Session.Status.CANCELLED)
    feed = feeds.feed_get_or_create(user=member)
    url = reverse("meetings:person_feed", kwargs={"token": feed.token})
    events = icalendar.Calendar.from_ical(client.get(url).content).events
    assert all(_alarms(e) == [] for e in events)

    member.calendar_alarm = CalendarAlarm.MINUTES_15
    member.save()
    # The cached feed of the previous preference is not served again.
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(client.get(url).content).events}
    assert [a["TRIGGER"].dt for a in _alarms(events[calendar.session_uid(session)])] == [-timedelta(minutes=15)]
    assert _alarms(events[calendar.session_uid(cancelled)]) == []


def test_a_series_feed_shared_by_coordinators_has_no_alarm(client, coordinator, session, series):
    coordinator.calendar_alarm = CalendarAlarm.DAY_1
    coordinator.save()
    url = reverse("meetings:series_feed", kwargs={"series_id": series.public_id, "token": series.feed_token})
    [event] = icalendar.Calendar.from_ical(client.get(url).content).events
    assert _alarms(event) == []


def test_the_invitation_email_carries_the_recipient_alarm(member, session):
    member.calendar_alarm = CalendarAlarm.HOUR_1
    member.save()
    notifications_scan()
    for pk in delivery.notifications_due():
        delivery.notification_send(notification_id=pk)
    [message] = [m for m in mail.outbox if member.email in m.to and m.attachments]
    _name, body, _type = message.attachments[0]
    [event] = icalendar.Calendar.from_ical(body).events
    assert [a["TRIGGER"].dt for a in _alarms(event)] == [-timedelta(hours=1)]


def test_the_preferences_page_saves_the_alarm(client, member):
    login(client, member)
    response = client.post(reverse("notifications:preferences"), {"digest_weekday": "0", "calendar_alarm": "60"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.calendar_alarm == CalendarAlarm.HOUR_1
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'value="60" selected' in page or 'selected value="60"' in page or '"60" selected' in page

    refused = client.post(reverse("notifications:preferences"), {"digest_weekday": "0", "calendar_alarm": "7"})
    assert refused.status_code == 200 and "calendar_alarm" in refused.context["form"].errors
    member.refresh_from_db()
    assert member.calendar_alarm == CalendarAlarm.HOUR_1

    client.post(reverse("notifications:preferences"), {"digest_weekday": "0", "calendar_alarm": ""})
    member.refresh_from_db()
    assert member.calendar_alarm is None


def test_khal_imports_the_file_with_its_alarm(client, member, session, tmp_path):
    khal = shutil.which("khal")
    if khal is None:
        if os.environ.get("CARREFOUR_REQUIRE_SERVICES"):
            pytest.fail("khal is not installed (make khal)")
        pytest.skip("khal is not installed")
    member.calendar_alarm = CalendarAlarm.MINUTES_15
    member.save()
    response = login(client, member).get(reverse("meetings:session_ics", kwargs={"session_id": session.public_id}))
    ics = tmp_path / "session.ics"
    ics.write_bytes(response.content)
    vdir = tmp_path / "calendar"
    vdir.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        textwrap.dedent(f"""\
            [calendars]
            [[carrefour]]
            path = {vdir}
            type = calendar
            [locale]
            local_timezone = Europe/Brussels
            default_timezone = Europe/Brussels
            timeformat = %H:%M
            dateformat = %Y-%m-%d
            longdateformat = %Y-%m-%d
            datetimeformat = %Y-%m-%d %H:%M
            longdatetimeformat = %Y-%m-%d %H:%M
            [default]
            default_calendar = carrefour
            """)
    )
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "LANG": "C.UTF-8"}
    imported = subprocess.run(
        [khal, "-c", str(config), "import", "--batch", "-a", "carrefour", str(ics)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert imported.returncode == 0, imported.stderr
    [stored] = list(vdir.glob("*.ics"))
    [event] = icalendar.Calendar.from_ical(stored.read_bytes()).events
    assert [a["TRIGGER"].dt for a in _alarms(event)] == [-timedelta(minutes=15)]

    day = session.starts_at.astimezone(calendar.BRUSSELS)
    listed = subprocess.run(
        [
            khal,
            "-c",
            str(config),
            "list",
            "--format",
            "{start-time}|{title}|{alarm-symbol}",
            day.strftime("%Y-%m-%d"),
            "1d",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    # khal writes its alarm symbol (with a leading space) for an event that has an alarm.
    assert f"{day:%H:%M}|{session.series.name}| ⏰" in listed.stdout
