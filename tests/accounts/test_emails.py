"""Account emails leave through a Celery task, retried while SMTP fails: a
password reset answers normally when the SMTP server is down."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from accounts import services
from config.celery_app import app as celery_app
from operators.models import MembershipRole


class FlakySMTPBackend(EmailBackend):
    """An SMTP server that is down for the first `failures` sends."""

    failures = 0

    def send_messages(self, messages):
        if FlakySMTPBackend.failures:
            FlakySMTPBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def smtp_down_once(settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.accounts.test_emails.FlakySMTPBackend"
    # Eager tasks run their retries at once, as long as a failure is not
    # propagated to the caller (as a worker would not).
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)
    FlakySMTPBackend.failures = 1
    yield
    FlakySMTPBackend.failures = 0


def test_a_password_reset_while_smtp_is_down_answers_and_is_sent_on_retry(
    client, member, smtp_down_once, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302 and response["Location"] == reverse("account_reset_password_done")
    assert FlakySMTPBackend.failures == 0  # the first attempt met the failure
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert "/accounts/password/reset/key/" in message.body
    assert message.subject.startswith("[Carrefour] ")


def test_the_reset_email_speaks_the_language_of_the_request(client, member, django_capture_on_commit_callbacks):
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": member.email})
    assert "Password Reset" in mail.outbox[0].subject


def test_the_added_email_is_sent_on_retry(
    coordinator, operator, other_member, smtp_down_once, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=coordinator, email=other_member.email, operator=operator, role=MembershipRole.MEMBER
        )
    assert FlakySMTPBackend.failures == 0
    assert [m.to for m in mail.outbox] == [[other_member.email]]
    assert operator.name in mail.outbox[0].body
