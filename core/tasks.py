"""Celery tasks: emails sent from a worker, and the notifications' scan and delivery.

Thin: they load by id and call services.
"""

from celery import shared_task
from django.db import transaction

from .emails import email_send
from .notifications import scan, services

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


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notifications_scan_task() -> int:
    """Every minute (beat): make the rows that are due, then enqueue what is to send."""
    with transaction.atomic():
        scan.notifications_scan()
    ids = services.notifications_due()
    for notification_id in ids:
        notification_send_task.delay(notification_id)
    return len(ids)


# Time limits stay far below the broker's visibility timeout (settings), so a
# slow SMTP server never makes Redis hand the same message to a second worker;
# the hard one also bounds how long a killed worker's claim is kept.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=services.SEND_TIME_LIMIT,
    soft_time_limit=services.SEND_SOFT_TIME_LIMIT,
)
def notification_send_task(notification_id: int) -> str:
    """Send one notification; safe to run twice (the row is claimed first)."""
    return services.notification_send(notification_id=notification_id)
