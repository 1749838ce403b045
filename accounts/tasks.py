from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from core.emails import email_send

from . import services

# An SMTP server that is down, refuses or times out raises an OSError
# (smtplib's errors are OSErrors): the email is tried again later, up to eight
# times over about an hour, so that nobody waits on SMTP in a request.
EMAIL_RETRY = {"autoretry_for": (OSError,), "retry_backoff": 30, "retry_backoff_max": 600, "max_retries": 8}


@shared_task(**EMAIL_RETRY)
def invitation_send_task(invitation_id: int) -> bool:
    """Send a requested invitation email; safe to run twice."""
    return services.invitation_send(invitation_id=invitation_id)


@shared_task(**EMAIL_RETRY)
def email_send_task(*, template: str, to: str, language: str, context: dict) -> None:
    """Send one of Carrefour's emails (core.emails) from a worker."""
    email_send(template=template, to=to, language=language, context=context)


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
