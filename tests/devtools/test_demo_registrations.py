"""The demo's Bassin Nord concertation (seed 003)."""

import datetime

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from devtools.demo_registrations import BASSIN_NORD_SERIES, next_date_day
from meetings.models import Admission, Series, Visibility
from registrations.models import Registration
from registrations.selectors import registrations_open, session_attended


def test_34_professionals_attended_and_the_next_date_is_open(db, client):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    series = Series.objects.get(name=BASSIN_NORD_SERIES)
    assert (series.visibility, series.admission) == (Visibility.PUBLIC, Admission.OPEN)
    first, upcoming = series.sessions.order_by("starts_at")
    assert session_attended(first) == 34
    assert Registration.objects.filter(session=first, status="registered").count() == 34
    assert registrations_open(upcoming, timezone.now())
    assert upcoming.capacity == 40 and upcoming.registrations.count() == 12
    assert (upcoming.starts_at.astimezone(datetime.UTC).hour, upcoming.starts_at.day) in ((8, 24),)
    page = client.get(reverse("registrations:series_public", kwargs={"series_id": series.public_id}))
    assert "28 places restantes" in page.content.decode()


def test_the_next_date_is_the_next_24_january_a_week_ahead():
    assert next_date_day(datetime.date(2026, 12, 1)) == datetime.date(2027, 1, 24)
    assert next_date_day(datetime.date(2027, 1, 20)) == datetime.date(2028, 1, 24)
    assert next_date_day(datetime.date(2027, 1, 10)) == datetime.date(2027, 1, 24)
