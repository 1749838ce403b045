"""The help desk's periodic job: thin, it calls the service."""

from celery import shared_task

from .services.requests import requests_purge


@shared_task
def requests_purge_task() -> int:
    """Purge the situation texts of requests closed long enough ago (daily; safe to run twice)."""
    return requests_purge()
