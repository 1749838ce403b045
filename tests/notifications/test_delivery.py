"""Sending: once, in the recipient's language, retried when SMTP fails for a while, visible when it fails for good."""

import datetime
import smtplib

import icalendar
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import InfoRoundEntry, Session
from meetings.notifications import MeetingKind as Kind
from notifications import delivery
from notifications.models import Notification
from notifications.tasks import notification_send_task

from ..conftest import login
from .conftest import NOW, rows_of, scan_at, send_all


def test_an_invitation_is_sent_once_with_a_calendar_request(pilot, member):
    scan_at()
    send_all()
    send_all()
    messages = [m for m in mail.outbox if m.to == ["olivier@example.org"] and m.attachments]
    assert len(messages) == 1
    message = messages[0]
    assert message.subject.startswith("Séance programmée : Visioconférence des opérateurs carrefour")
    name, content, mimetype = message.attachments[0]
    assert "method=REQUEST" in mimetype
    cal = icalendar.Calendar.from_ical(content)
    assert cal["METHOD"] == "REQUEST"
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]) == f"{pilot.public_id}@carrefour"
    assert "mailto:olivier@example.org" in str(event["ATTENDEE"])
    # Invitations cannot be turned off: no unsubscribe header.
    assert "List-Unsubscribe" not in message.extra_headers
    assert rows_of(Kind.SESSION_INVITATION, recipient=member).get().state == Notification.State.SENT


def test_a_move_after_the_invitation_says_moved(pilot, member):
    scan_at()
    send_all()
    Session.objects.filter(pk=pilot.pk).update(sequence=1)
    scan_at()
    send_all()
    subjects = [m.subject for m in mail.outbox if m.to == ["olivier@example.org"]]
    assert any("déplacée" in s for s in subjects)


def test_each_email_is_in_the_recipients_language_with_an_unsubscribe_link(pilot, member):
    member.language = "en"
    member.save()
    scan_at()
    send_all()
    message = next(m for m in mail.outbox if m.to == ["olivier@example.org"] and "info round" in m.subject.lower())
    assert message.subject.startswith("Info round open")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url in message.body
    html_body = message.alternatives[0][0]
    assert "Stop these emails" in html_body


def test_emails_carry_no_info_round_answer(pilot, operator, member):
    from meetings.models import AgendaItem

    AgendaItem.objects.create(session=pilot, position=1, title="Tour de table", timebox=30)
    scan_at(pilot.starts_at - datetime.timedelta(hours=20))
    send_all(pilot.starts_at - datetime.timedelta(hours=20))
    reminder = next(m for m in mail.outbox if "Rappel" in m.subject and m.to == ["olivier@example.org"])
    assert "Tour de table" in reminder.body
    for message in mail.outbox:
        assert "<script" not in message.body


def test_a_submitted_info_round_skips_the_reminder_made_before(pilot, operator, member):
    scan_at()
    InfoRoundEntry.objects.create(
        session=pilot, operator=operator, status=InfoRoundEntry.Status.SUBMITTED, submitted_at=NOW
    )
    send_all()
    assert rows_of(Kind.INFO_ROUND_OPEN, recipient=member).get().state == Notification.State.SKIPPED


def test_the_same_row_is_sent_once_even_when_sent_twice(pilot, member):
    scan_at()
    pk = rows_of(Kind.SESSION_INVITATION, recipient=member).get().pk
    with time_machine.travel(NOW, tick=False):
        assert delivery.notification_send(notification_id=pk, now=NOW) == Notification.State.SENT
        assert delivery.notification_send(notification_id=pk, now=NOW) == Notification.State.SENT
    assert len([m for m in mail.outbox if m.to == ["olivier@example.org"]]) == 1


class _FailingBackend:
    def __init__(self, exc):
        self.exc = exc

    def __call__(self, *args, **kwargs):
        raise self.exc


def test_a_transient_smtp_error_is_retried_with_backoff(pilot, member, monkeypatch):
    scan_at()
    pk = rows_of(Kind.SESSION_INVITATION, recipient=member).get().pk
    monkeypatch.setattr(
        "django.core.mail.EmailMultiAlternatives.send", _FailingBackend(smtplib.SMTPDataError(451, b"try later"))
    )
    with time_machine.travel(NOW, tick=False):
        assert delivery.notification_send(notification_id=pk, now=NOW) == Notification.State.PENDING
    row = Notification.objects.get(pk=pk)
    assert row.attempts == 1 and "451" in row.last_error
    assert row.due_at == NOW + datetime.timedelta(seconds=30)
    assert pk not in delivery.notifications_due(now=NOW)
    monkeypatch.undo()
    later = NOW + datetime.timedelta(seconds=31)
    assert pk in delivery.notifications_due(now=later)
    assert delivery.notification_send(notification_id=pk, now=later) == Notification.State.SENT


def test_a_permanent_smtp_error_fails_visibly_and_can_be_resent(
    pilot, member, admin_user, client, monkeypatch, django_capture_on_commit_callbacks
):
    scan_at()
    pk = rows_of(Kind.SESSION_INVITATION, recipient=member).get().pk
    monkeypatch.setattr(
        "django.core.mail.EmailMultiAlternatives.send",
        _FailingBackend(smtplib.SMTPRecipientsRefused({"olivier@example.org": (550, b"no such user")})),
    )
    assert delivery.notification_send(notification_id=pk, now=NOW) == Notification.State.FAILED
    monkeypatch.undo()
    login(client, admin_user)
    page = client.get(reverse("notifications:failed"))
    assert b"olivier@example.org" in page.content and b"550" in page.content
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(NOW, tick=False):
        response = client.post(reverse("notifications:resend", kwargs={"pk": pk}))
    assert response.status_code == 302
    assert Notification.objects.get(pk=pk).state == Notification.State.SENT  # eager Celery in the tests
    again = client.post(reverse("notifications:resend", kwargs={"pk": pk}), follow=True)
    assert "Seule une notification en échec".encode() in again.content


def test_a_worker_that_died_mid_send_gives_its_row_back_once_the_task_would_have_been_killed(pilot, member):
    # The bound follows the send task's hard time limit: past it the worker kills the send.
    bound = datetime.timedelta(seconds=notification_send_task.time_limit + delivery.STALE_MARGIN)
    assert delivery.stale_claim() == bound == datetime.timedelta(minutes=2, seconds=30)
    scan_at()
    row = rows_of(Kind.SESSION_INVITATION, recipient=member).get()
    Notification.objects.filter(pk=row.pk).update(state=Notification.State.SENDING, claimed_at=NOW)
    younger = NOW + bound - datetime.timedelta(seconds=1)
    assert row.pk not in delivery.notifications_due(now=younger)
    assert Notification.objects.get(pk=row.pk).state == Notification.State.SENDING
    older = NOW + bound + datetime.timedelta(seconds=1)
    assert row.pk in delivery.notifications_due(now=older)
    assert Notification.objects.get(pk=row.pk).state == Notification.State.PENDING


def test_invitations_link_to_the_calendar_file_and_a_move_says_from_when(pilot, member, coordinator, settings):
    from meetings.services.sessions import session_move

    settings.SITE_URL = "https://carrefour.example.be"
    ics = f"https://carrefour.example.be{reverse('meetings:session_ics', args=[pilot.public_id])}"
    scan_at()
    send_all()
    first = next(m for m in mail.outbox if m.to == ["olivier@example.org"] and m.attachments)
    assert f"Ajouter à mon agenda : {ics}" in first.body and f'href="{ics}"' in first.alternatives[0][0]
    assert "Déplacée depuis" not in first.body
    before = timezone.localtime(pilot.starts_at)
    pilot.series.pilot_end = None
    pilot.series.save()
    session_move(actor=coordinator, session=pilot, start_time=datetime.time(16, 0))
    mail.outbox.clear()
    scan_at()
    send_all()
    moved = next(m for m in mail.outbox if m.to == ["olivier@example.org"] and m.attachments)
    assert "déplacée" in moved.subject
    months = ["janvier", "février", "mars"]
    when = f"{before.day} {months[before.month - 1]} {before.year} {before:%H:%M}"
    assert "Déplacée depuis le " in moved.body and when in moved.body
    assert ics in moved.body
