"""Celery tasks of the evaluations: thin, they load by id and call the exports."""

from celery import shared_task

from . import exports


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=540, soft_time_limit=500)
def evaluation_export_task(job_id: int) -> str:
    """Build one export; safe to run twice (the job is claimed first)."""
    return exports.export_run(job_id=job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def evaluation_exports_purge_task() -> int:
    """Periodically (beat): remove the files of exports older than a day."""
    return exports.exports_purge()
