from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from core.tasks import EMAIL_RETRY

from .delivery import invitation_send


@shared_task(**EMAIL_RETRY)
def invitation_send_task(invitation_id: int) -> bool:
    """Send a requested invitation email; safe to run twice."""
    return invitation_send(invitation_id=invitation_id)


@shared_task(**EMAIL_RETRY)
def account_email_send_task(message: dict) -> None:
    """Send an email allauth rendered in the request (password reset, address
    confirmation…), given as `accounts.adapter.message_as_dict` made it."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message["headers"],
        alternatives=[tuple(alternative) for alternative in message["alternatives"]],
    )
    email.content_subtype = message["content_subtype"]
    email.send()
