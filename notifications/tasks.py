"""Celery tasks of the notifications: the scan and the sending. Thin: they load by id and call delivery."""

from celery import shared_task
from django.db import transaction

from . import delivery, scan


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notifications_scan_task() -> int:
    """Every minute (beat): make the rows that are due, then enqueue what is to send."""
    with transaction.atomic():
        scan.notifications_scan()
    ids = delivery.notifications_due()
    singles, digest_batches = delivery.send_plan(ids)
    for notification_id in singles:
        notification_send_task.delay(notification_id)
    for batch in digest_batches:
        notifications_send_batch_task.delay(batch)
    return len(ids)


# Time limits stay far below the broker's visibility timeout (settings), so a
# slow SMTP server never makes Redis hand the same message to a second worker;
# the hard one also bounds how long a killed worker's claim is kept.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=delivery.SEND_TIME_LIMIT,
    soft_time_limit=delivery.SEND_SOFT_TIME_LIMIT,
)
def notification_send_task(notification_id: int) -> str:
    """Send one notification; safe to run twice (the row is claimed first)."""
    return delivery.notification_send(notification_id=notification_id)


# A batch sends its rows one after the other, each claimed on its own (a row
# is held only while it is sent, as by notification_send_task): its limits
# cover the whole batch.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=delivery.SEND_TIME_LIMIT * 5,
    soft_time_limit=delivery.SEND_SOFT_TIME_LIMIT * 5,
)
def notifications_send_batch_task(notification_ids: list[int]) -> list[str]:
    """Send a batch of digests, read together; safe to run twice (each row is claimed first)."""
    return delivery.notifications_send_batch(notification_ids=notification_ids)
