"""Celery tasks: Carrefour's emails sent from a worker."""

from celery import shared_task
from django.db import transaction

from .emails import email_send

# An SMTP server that is down, refuses or times out raises an OSError
# (smtplib's errors are OSErrors): the email is tried again later, up to eight
# times over about an hour, so that nobody waits on SMTP in a request.
EMAIL_RETRY = {"autoretry_for": (OSError,), "retry_backoff": 30, "retry_backoff_max": 600, "max_retries": 8}


@shared_task(**EMAIL_RETRY)
def email_send_task(*, template: str, to: str, language: str, context: dict) -> None:
    """Send one of Carrefour's emails (core.emails) from a worker."""
    email_send(template=template, to=to, language=language, context=context)


def email_send_later(*, template: str, to: str, language: str, context: dict) -> None:
    """Send the email from a worker once the transaction commits, retried while SMTP fails.

    The context travels through the broker: ids, names of things and paths only.
    """
    email = {"template": template, "to": to, "language": language, "context": context}
    transaction.on_commit(lambda: email_send_task.delay(**email))
