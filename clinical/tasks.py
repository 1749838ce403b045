from celery import shared_task

from .services import situations_purge_expired


@shared_task
def situations_purge_expired_task() -> int:
    """Daily: the texts of situations past their series' retention are purged (safe to run twice)."""
    return situations_purge_expired()
