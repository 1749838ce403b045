"""Every email is three templates (subject, text, HTML) rendered here, in the
recipient's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def email_send(*, template: str, to: str, language: str, context: dict, headers: dict | None = None) -> None:
    """Render `emails/<template>_{subject,body}.{txt,html}` in `language` and send it.

    The context must hold nothing personal about third parties nor anything
    clinical: emails leave the platform.
    """
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    message.send()
