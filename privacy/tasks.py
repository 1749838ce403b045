"""Celery tasks of the privacy app: thin, they call the services."""

from celery import shared_task

from . import exports, retention


@shared_task(acks_late=True, reject_on_worker_lost=True)
def retention_apply_task() -> dict:
    """Daily (beat): apply every retention rule; safe to run twice."""
    return retention.retention_apply().counts()


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=540, soft_time_limit=500)
def data_export_task(export_id: int) -> str:
    """Build one person's copy of their data; safe to run twice (the row is claimed first)."""
    return exports.data_export_run(export_id=export_id)
