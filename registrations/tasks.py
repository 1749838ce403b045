"""Celery tasks of registrations: thin, they call a service."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def registration_offers_lapse_task() -> int:
    """Every few minutes (beat): offers not confirmed in time go to the next person waiting. Safe to run twice."""
    return services.registration_offers_lapse()
