"""Sending notifications: claim, render, send, record.

A row goes pending → sending → sent (or skipped, or failed). The claim is a
conditional UPDATE (pending → sending), so two workers, a retried task or
the same task enqueued twice never send one row twice. A worker killed while
a row is "sending" leaves it so; the sweep gives it back once the claim is
older than the send task's hard time limit and a margin (`stale_claim`):
past that limit the worker would have killed the send, so nobody holds it
any more (the only case where a message may go twice: killed after the SMTP
server took it and before the row was marked; each email carries a
Message-ID derived from the row, so mail programs show it once).

SMTP errors: a 4xx answer, a refused or dropped connection or a time-out are
transient: the row goes back to pending with a growing delay (BACKOFF) until
MAX_ATTEMPTS; a 5xx answer is permanent: the row fails at once, and admins
see it on the failed-notifications page with a resend button.
"""

import datetime
import logging
import smtplib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.links import absolute_url

from .digest import DigestKind, digest_batch
from .models import Notification
from .registry import Kind, kind_get
from .unsubscribe import unsubscribe_token

logger = logging.getLogger("carrefour.notifications")

MAX_ATTEMPTS = 6
SWEEP_LIMIT = 2000
# The send task's time limits (tasks.py): the worker kills a send that
# runs past the hard one (SMTP itself times out after EMAIL_TIMEOUT per step).
SEND_TIME_LIMIT = 120
SEND_SOFT_TIME_LIMIT = 100
# Workers' and the database's clocks differ a little.
STALE_MARGIN = 30


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait after the n-th failed attempt: 30 s, 1 min, 2 min… up to an hour (by default)."""
    return datetime.timedelta(seconds=min(settings.NOTIFICATION_RETRY_SECONDS * 2 ** max(attempts - 1, 0), 3600))


def stale_claim() -> datetime.timedelta:
    """How old a "sending" claim is when no live worker can hold it any more:
    the send task's hard time limit and a margin (2 min 30 s), or
    NOTIFICATION_STALE_SECONDS when that is shorter (the fault tests)."""
    return datetime.timedelta(seconds=min(SEND_TIME_LIMIT + STALE_MARGIN, settings.NOTIFICATION_STALE_SECONDS))


# --- Rendering ----------------------------------------------------------------


def _message_id(notification: Notification) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "carrefour.localhost"
    return f"<notification-{notification.pk}-{notification.created_at:%Y%m%d%H%M%S}@{domain}>"


def notification_render(notification: Notification) -> EmailMultiAlternatives | None:
    """The email of a row in its recipient's language, or None when there is nothing to say
    (its object is gone, its recipient may no longer receive it, or it has nothing left to say)."""
    kind = kind_get(notification.kind)
    recipient = notification.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        obj = kind.load(notification)
        if obj is None or (kind.reaches is not None and not kind.reaches(recipient, obj)):
            return None
        context = kind.build(notification, obj)
        if context is None:
            return None
        message = _message(notification, kind, context)
    attachment = kind.attachment(notification, obj) if kind.attachment is not None else None
    if attachment is not None:  # None: nothing to attach to this one
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def _message(notification: Notification, kind: Kind, context: dict) -> EmailMultiAlternatives:
    recipient = notification.recipient
    unsubscribe_url = ""
    if not kind.mandatory:
        token = unsubscribe_token(notification=notification)
        unsubscribe_url = absolute_url(reverse("notifications:unsubscribe", kwargs={"token": token}))
    context |= {
        "recipient": recipient,
        "site_url": settings.SITE_URL.rstrip("/"),
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "unsubscribe_url": unsubscribe_url,
        "kind_label": kind.label,
    }
    subject = " ".join(render_to_string(f"{kind.template_prefix}_subject.txt", context).split())
    text = render_to_string(f"{kind.template_prefix}_body.txt", context)
    html = render_to_string(f"{kind.template_prefix}_body.html", context)
    headers = {"Message-ID": _message_id(notification), "Auto-Submitted": "auto-generated"}
    if unsubscribe_url:
        # RFC 8058: mail programs offer a one-click unsubscribe that POSTs here.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


# --- Sending ------------------------------------------------------------------


def _transient(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, OSError | smtplib.SMTPException)


def _finish(notification_id: int, **fields) -> None:
    Notification.objects.filter(pk=notification_id, state=Notification.State.SENDING).update(**fields)


def notification_send(*, notification_id: int, now: datetime.datetime | None = None) -> str:
    """Send one due row if nobody else is sending it; return its state afterwards.

    Safe to call twice or concurrently: only the caller whose conditional
    UPDATE claims the row sends it.
    """
    now = now or timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, state=Notification.State.PENDING, due_at__lte=now).update(
        state=Notification.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        row = Notification.objects.filter(pk=notification_id).values_list("state", flat=True).first()
        return row or ""
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    try:
        kind = kind_get(notification.kind)
    except KeyError:  # a kind no app registers any more
        logger.error("notification %s is of an unknown kind", notification_id)
        _finish(notification_id, state=Notification.State.FAILED, last_error="unknown kind")
        return Notification.State.FAILED
    try:
        message = None if (kind.off_for(recipient) or not recipient.is_active) else notification_render(notification)
    except Exception as exc:  # a bug in one template must not stop the others
        logger.exception("notification %s could not be rendered", notification_id)
        _finish(notification_id, state=Notification.State.FAILED, last_error=f"render: {type(exc).__name__}")
        return Notification.State.FAILED
    if message is None:
        _finish(notification_id, state=Notification.State.SKIPPED)
        return Notification.State.SKIPPED
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
        if _transient(exc) and notification.attempts < MAX_ATTEMPTS:
            _finish(
                notification_id,
                state=Notification.State.PENDING,
                due_at=timezone.now() + backoff(notification.attempts),
                last_error=error,
            )
            logger.warning("notification %s: transient failure, retrying (%s)", notification_id, type(exc).__name__)
            return Notification.State.PENDING
        _finish(notification_id, state=Notification.State.FAILED, last_error=error)
        logger.error("notification %s failed for good (%s)", notification_id, type(exc).__name__)
        return Notification.State.FAILED
    _finish(notification_id, state=Notification.State.SENT, sent_at=timezone.now(), last_error="")
    logger.info("notification %s sent (%s)", notification_id, notification.kind)
    return Notification.State.SENT


# The weekly run sends the digests by batches of this many: each batch reads
# its digests together (notifications.digest.digest_batch).
DIGEST_BATCH = 100


def notifications_send_batch(*, notification_ids: list[int], now: datetime.datetime | None = None) -> list[str]:
    """Send due rows one by one, each claimed as notification_send claims it,
    the digests among them read ahead together (a fixed number of queries for
    the batch). Returns their states afterwards."""
    recipients = [
        row.recipient
        for row in Notification.objects.filter(pk__in=notification_ids, kind=DigestKind.DIGEST).select_related(
            "recipient"
        )
    ]
    with digest_batch(users=recipients, now=now):
        return [notification_send(notification_id=pk, now=now) for pk in notification_ids]


def send_plan(notification_ids: list[int]) -> tuple[list[int], list[list[int]]]:
    """(the rows to send one by one, the digests in batches of DIGEST_BATCH) of `notification_ids` (one query)."""
    digests = set(
        Notification.objects.filter(pk__in=notification_ids, kind=DigestKind.DIGEST).values_list("pk", flat=True)
    )
    ordered = [pk for pk in notification_ids if pk in digests]
    singles = [pk for pk in notification_ids if pk not in digests]
    return singles, [ordered[n : n + DIGEST_BATCH] for n in range(0, len(ordered), DIGEST_BATCH)]


def notifications_due(*, now: datetime.datetime | None = None, limit: int = SWEEP_LIMIT) -> list[int]:
    """Ids of the rows to send now, after giving back those a dead worker held."""
    now = now or timezone.now()
    Notification.objects.filter(state=Notification.State.SENDING, claimed_at__lt=now - stale_claim()).update(
        state=Notification.State.PENDING
    )
    return list(
        Notification.objects.filter(state=Notification.State.PENDING, due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
