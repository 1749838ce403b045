from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMessage
from django.db import transaction

from core.redirects import local_path

from .tasks import account_email_send_task


def message_as_dict(message: EmailMessage) -> dict:
    """What a worker needs to send a rendered email again (JSON for the broker)."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "content_subtype": message.content_subtype,
    }


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join Carrefour through an invitation."""

    def is_safe_url(self, url):
        # `next` of sign-in and sign-out: a path of this site only, as everywhere
        # else (allauth would pass `home` to redirect(), which reverses it).
        return local_path(url, host=allauth_context.request.get_host()) is not None

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render the email now, in the request's language, and send it from a
        worker once the request's transaction is committed: a password reset
        answers normally while SMTP is down, and the worker retries."""
        request = allauth_context.request
        context = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = message_as_dict(self.render_mail(template_prefix, email, context))
        transaction.on_commit(lambda: account_email_send_task.delay(message))
