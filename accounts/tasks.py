from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=8)
def invitation_send_task(invitation_id: int) -> bool:
    """Send a requested invitation email; safe to run twice."""
    return services.invitation_send(invitation_id=invitation_id)
