"""Celery tasks of bassins: thin, they call a service."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def visit_offers_lapse_task() -> int:
    """Every few minutes (beat): visit places offered and not confirmed in time go to the next person waiting."""
    return services.visit_offers_lapse()
