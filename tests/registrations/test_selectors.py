"""The registration pages read a fixed number of queries whatever the number
of registrations (1 and many), and the notifications of each step."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.notifications.audience import series_participants
from meetings.notifications.due import sessions_due
from registrations.models import Registration
from registrations.notifications import RegistrationKind, closings_due, registrations_due
from registrations.selectors import CLOSES_BEFORE

from ..conftest import login
from ..factories import RegistrationFactory, SessionFactory

Status = Registration.Status


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _fill(series, session, registered: int, waiting: int) -> None:
    RegistrationFactory.create_batch(registered, series=series, session=session)
    RegistrationFactory.create_batch(waiting, series=series, session=session, status=Status.WAITING)
    RegistrationFactory.create_batch(registered, series=series)  # individual participants of the series


@pytest.mark.parametrize("name", ["session_registrations", "attendance_sheet"])
def test_the_session_list_and_waiting_list_read_a_fixed_number_of_queries(client, thematic, date, coordinator, name):
    date.capacity = None
    date.save()
    login(client, coordinator)
    url = reverse(f"registrations:{name}", kwargs={"session_id": date.public_id})
    _fill(thematic, date, 1, 1)
    one = _queries(client, url)
    _fill(thematic, date, 6, 5)
    assert _queries(client, url) == one


def test_the_manage_page_reads_a_fixed_number_of_queries(client, thematic, date, coordinator):
    login(client, coordinator)
    url = reverse("registrations:manage", kwargs={"series_id": thematic.public_id})
    _fill(thematic, date, 1, 1)
    RegistrationFactory(series=thematic, status=Status.REQUESTED)
    one = _queries(client, url)
    _fill(thematic, SessionFactory(series=thematic), 6, 5)
    RegistrationFactory.create_batch(3, series=thematic, status=Status.REQUESTED)
    assert _queries(client, url) == one


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_public_page_reads_a_fixed_number_of_queries(client, thematic, date, outsider, signed_in):
    if signed_in:
        login(client, outsider)
    url = reverse("registrations:series_public", kwargs={"series_id": thematic.public_id})
    _fill(thematic, date, 1, 1)
    one = _queries(client, url)
    for _ in range(4):
        _fill(thematic, SessionFactory(series=thematic), 3, 2)
    assert _queries(client, url) == one


def test_each_step_of_a_registration_is_due_once(thematic, date):
    registration = RegistrationFactory(series=thematic, session=date)
    now = timezone.now()
    rows = registrations_due(now)
    assert [(r.kind, r.period) for r in rows] == [(RegistrationKind.CONFIRMED, "v1")]
    Registration.objects.filter(pk=registration.pk).update(status=Status.CANCELLED, version=2)
    assert [(r.kind, r.period) for r in registrations_due(now)] == [(RegistrationKind.CANCELLED, "v2")]
    assert registrations_due(now + datetime.timedelta(days=3)) == []


def test_coordinators_hear_when_registrations_close(thematic, date, coordinator):
    RegistrationFactory(series=thematic, session=date)
    closing = date.starts_at - CLOSES_BEFORE
    assert closings_due(closing - datetime.timedelta(minutes=1)) == []
    rows = closings_due(closing)
    assert [(r.recipient_id, r.kind) for r in rows] == [(coordinator.pk, RegistrationKind.CLOSING)]


def test_registered_people_get_the_session_emails(thematic, date, coordinator):
    participant = RegistrationFactory(series=thematic).user
    registrant = RegistrationFactory(series=thematic, session=date).user
    waiting = RegistrationFactory(series=thematic, session=date, status=Status.WAITING).user
    assert participant.pk in series_participants({thematic.pk})[thematic.pk]
    invited = {r.recipient_id for r in sessions_due(timezone.now()) if r.object_id == str(date.pk)}
    assert {participant.pk, registrant.pk, coordinator.pk} <= invited
    assert waiting.pk not in invited
