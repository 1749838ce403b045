"""A booking of the open-doors week as registrations are: a calendar file, an
email at each step (booked, waiting list, a place freed), a reminder the day
before; any signed-in professional books, a self-registered one included;
the week's page keeps a fixed number of queries."""

import datetime

import icalendar
import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from bassins.models import BookingStatus
from bassins.notifications import VisitKind, reminders_due, steps_due
from bassins.services import booking_cancel, booking_confirm, slot_book, slot_publish
from core.brussels import BRUSSELS
from notifications import delivery
from notifications.models import Notification
from notifications.scan import notifications_scan

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def _visit(week, host, capacity=1, hour=10, day=0):
    starts_at = datetime.datetime.combine(week.starts_on + datetime.timedelta(days=day), datetime.time(hour))
    return slot_publish(
        actor=host.memberships.get().user,
        week=week,
        host=host,
        starts_at=starts_at.replace(tzinfo=BRUSSELS),
        duration=90,
        place="Rue de Fierlant 12, Forest",
        programme="Rencontre avec Mme Dupont, l'assistante sociale",
        capacity=capacity,
    )


def _send_all(at):
    notifications_scan(now=at)
    with time_machine.travel(at, tick=False):
        for pk in delivery.notifications_due(now=at):
            delivery.notification_send(notification_id=pk, now=at)


def _kinds(booking):
    return [r.kind for r in steps_due(booking.status_changed_at) if r.object_id == str(booking.pk)]


def test_each_step_of_a_booking_is_one_email_with_the_calendar_file(week, host):
    slot = _visit(week, host, capacity=1)
    first = UserFactory(name="Jeanne Premier", email="jeanne@example.org")
    second = UserFactory(name="Paul Second", email="paul@example.org")
    booked = slot_book(actor=first, slot=slot)
    waiting = slot_book(actor=second, slot=slot)
    assert _kinds(booked) == [VisitKind.BOOKED] and _kinds(waiting) == [VisitKind.WAITING]

    now = booked.status_changed_at
    _send_all(now)
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {"jeanne@example.org", "paul@example.org"}
    confirmation = by_person["jeanne@example.org"]
    assert "SSM de Forest" in confirmation.subject
    name, content, mimetype = confirmation.attachments[0]
    assert name == "visit.ics" and mimetype.startswith("text/calendar")
    assert not by_person["paul@example.org"].attachments
    # The calendar file names the service, the place and the time: nobody, and not the programme.
    ics = content.decode() if isinstance(content, bytes) else content
    for personal in ("Jeanne", "jeanne@example.org", "Dupont", "Inès", "Paul"):
        assert personal not in ics
    for other in ("Dupont", "Inès", "Paul"):
        assert other not in confirmation.body

    # Jeanne cancels: the place is offered to Paul, who is told once, with the deadline.
    mail.outbox.clear()
    booking_cancel(actor=first, slot=slot)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.OFFERED and waiting.version == 2
    later = waiting.status_changed_at
    _send_all(later)
    _send_all(later + datetime.timedelta(minutes=10))
    assert [(m.to, len(m.attachments)) for m in mail.outbox] == [(["paul@example.org"], 0)]
    assert "avant le" in mail.outbox[0].body
    assert Notification.objects.filter(kind=VisitKind.PROMOTED, recipient=second).count() == 1

    # He confirms: his place is booked, with the calendar file.
    mail.outbox.clear()
    booking_confirm(actor=second, slot=slot)
    waiting.refresh_from_db()
    _send_all(waiting.status_changed_at)
    assert [(m.to, len(m.attachments)) for m in mail.outbox] == [(["paul@example.org"], 1)]


def test_the_reminder_goes_the_day_before_to_those_with_a_place(week, host):
    slot = _visit(week, host, capacity=1)
    early, waiting = UserFactory(), UserFactory()
    slot_book(actor=early, slot=slot)
    slot_book(actor=waiting, slot=slot)
    two_days_before = slot.starts_at - datetime.timedelta(days=2)
    assert reminders_due(two_days_before) == []
    day_before = slot.starts_at - datetime.timedelta(hours=20)
    assert [(r.recipient_id, r.kind) for r in reminders_due(day_before)] == [(early.pk, VisitKind.REMINDER)]
    assert reminders_due(slot.starts_at + datetime.timedelta(minutes=1)) == []

    _send_all(day_before)
    reminder = next(m for m in mail.outbox if "Demain" in m.subject)
    assert reminder.to == [early.email] and reminder.attachments


def test_who_books_within_the_day_gets_no_reminder_on_top(week, host):
    slot = _visit(week, host)
    late = UserFactory()
    with time_machine.travel(slot.starts_at - datetime.timedelta(hours=5), tick=False):
        slot_book(actor=late, slot=slot)
    assert reminders_due(slot.starts_at - datetime.timedelta(hours=4)) == []


def test_the_calendar_file_is_for_whoever_has_a_place(client, week, host):
    slot = _visit(week, host, capacity=1)
    booked, waiting = UserFactory(), UserFactory()
    slot_book(actor=booked, slot=slot)
    slot_book(actor=waiting, slot=slot)
    url = reverse("bassins:slot_calendar", kwargs={"slot_id": slot.public_id})
    client.force_login(waiting)
    assert client.get(url).status_code == 404
    client.force_login(booked)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["summary"]) == "Visite portes ouvertes : SSM de Forest"
    assert event["dtstart"].dt == slot.starts_at.astimezone(BRUSSELS)
    assert event["dtstart"].params["TZID"] == "Europe/Brussels"
    assert "Dupont" not in response.content.decode()
    week_page = client.get(reverse("bassins:week", kwargs={"week_id": week.public_id})).content.decode()
    assert url in week_page


def test_a_self_registered_professional_books_from_the_page(client, week, host, individual):
    slot = _visit(week, host, capacity=1)
    client.force_login(individual)
    response = client.post(reverse("bassins:slot_book", kwargs={"slot_id": slot.public_id}), follow=True)
    assert "Votre place est réservée." in response.content.decode()
    assert slot.bookings.get().visitor == individual


@pytest.mark.parametrize("count", [1, 6])
def test_the_week_page_runs_a_fixed_number_of_queries(client, week, host, count, django_assert_num_queries):
    visitor = UserFactory()
    for i in range(count):
        slot = _visit(week, host, capacity=1, hour=8 + i)
        slot_book(actor=visitor, slot=slot)
        slot_book(actor=UserFactory(), slot=slot)
    client.force_login(visitor)
    url = reverse("bassins:week", kwargs={"week_id": week.public_id})
    client.get(url)  # the territories' choices, cached after the first page
    with django_assert_num_queries(QUERIES_WEEK_PAGE):
        response = client.get(url)
    assert response.content.decode().count("calendar.ics") == count


QUERIES_WEEK_PAGE = 13  # session, user, the week, the filters, slots, bookings, visitors, hosting
