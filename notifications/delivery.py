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
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.services import audit_record

from ..models import Notification, NotificationKind
from .kinds import KINDS, OPTIONAL_KINDS, absolute

logger = logging.getLogger("carrefour.notifications")

MAX_ATTEMPTS = 6
UNSUBSCRIBE_SALT = "carrefour.notifications.unsubscribe"
# Long enough for an email kept in an inbox; a year-old link leads to the preferences.
UNSUBSCRIBE_MAX_AGE = datetime.timedelta(days=365)
SWEEP_LIMIT = 2000
# The send task's time limits (core/tasks.py): the worker kills a send that
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


# --- Unsubscribing ------------------------------------------------------------


def _unsubscribe_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(*, notification: Notification) -> str:
    """The key of the unsubscribe link of one email: the row's random public
    id, dated and signed. It names no person; it works UNSUBSCRIBE_MAX_AGE."""
    return _unsubscribe_signer().sign(notification.public_id.hex)


def unsubscribe_read(token: str) -> Notification:
    """The row an unsubscribe link was made for, with its recipient.

    Raises signing.SignatureExpired when the link is older than
    UNSUBSCRIBE_MAX_AGE, and signing.BadSignature when it is not one of ours
    (changed, cut, of a removed row or an inactive person, or of a kind
    nobody can turn off).
    """
    key = _unsubscribe_signer().unsign(token, max_age=UNSUBSCRIBE_MAX_AGE)
    try:
        public_id = uuid.UUID(hex=key)
    except ValueError:  # a link of the former kind, which named the person: no longer honoured
        raise signing.BadSignature("Not an unsubscribe key") from None
    notification = (
        Notification.objects.select_related("recipient").filter(public_id=public_id, recipient__is_active=True).first()
    )
    if notification is None or KINDS[notification.kind].mandatory:
        raise signing.BadSignature("No unsubscribe link of ours")
    return notification


@transaction.atomic
def notification_unsubscribe(*, user, kind: str) -> bool:
    """Turn one kind off for `user` (the digest: no digest). False if it cannot be turned off."""
    user = type(user).objects.select_for_update().get(pk=user.pk)
    if kind == NotificationKind.DIGEST:
        user.digest_weekday = None
        user.save(update_fields=["digest_weekday"])
        return True
    if kind not in OPTIONAL_KINDS:
        return False
    if kind not in user.notifications_off:
        user.notifications_off = sorted({*user.notifications_off, kind})
        user.save(update_fields=["notifications_off"])
    return True


@transaction.atomic
def notification_preferences_update(*, user, kinds_on: list[str], digest_weekday: int | None) -> None:
    """Save which optional kinds the person receives and the day of their digest (None: off)."""
    unknown = set(kinds_on) - set(OPTIONAL_KINDS)
    if unknown:
        raise ValidationError({"kinds": _("Choose among the listed notifications.")})
    if digest_weekday is not None and not 0 <= digest_weekday <= 6:
        raise ValidationError({"digest_weekday": _("Choose a day of the week.")})
    user.notifications_off = sorted(set(OPTIONAL_KINDS) - set(kinds_on))
    user.digest_weekday = digest_weekday
    user.save(update_fields=["notifications_off", "digest_weekday"])


# --- Rendering ----------------------------------------------------------------


def _message_id(notification: Notification) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "carrefour.localhost"
    return f"<notification-{notification.pk}-{notification.created_at:%Y%m%d%H%M%S}@{domain}>"


def _calendar_file(notification: Notification, method: str) -> bytes:
    from meetings.calendar import session_invitation

    from .kinds import notification_session

    return session_invitation(notification_session(notification), method=method, attendee=notification.recipient.email)


def notification_render(notification: Notification) -> EmailMultiAlternatives | None:
    """The email of a row in its recipient's language, or None when there is nothing to say."""
    spec = KINDS[notification.kind]
    recipient = notification.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = spec.build(notification)
        if context is None:
            return None
        preferences_url = absolute(reverse("notifications:preferences"))
        unsubscribe_url = ""
        if not spec.mandatory:
            token = unsubscribe_token(notification=notification)
            unsubscribe_url = absolute(reverse("notifications:unsubscribe", kwargs={"token": token}))
        context |= {
            "recipient": recipient,
            "site_url": settings.SITE_URL.rstrip("/"),
            "preferences_url": preferences_url,
            "unsubscribe_url": unsubscribe_url,
            "kind_label": NotificationKind(notification.kind).label,
        }
        base = f"emails/notify/{notification.kind}"
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = render_to_string(f"{base}_body.txt", context)
        html = render_to_string(f"{base}_body.html", context)
    headers = {"Message-ID": _message_id(notification), "Auto-Submitted": "auto-generated"}
    if unsubscribe_url:
        # RFC 8058: mail programs offer a one-click unsubscribe that POSTs here.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email], headers=headers)
    message.attach_alternative(html, "text/html")
    if spec.calendar:
        ics = _calendar_file(notification, spec.calendar)
        message.attach("invite.ics", ics, f"text/calendar; charset=utf-8; method={spec.calendar}")
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
    spec = KINDS[notification.kind]
    turned_off = not spec.mandatory and (
        notification.kind in (recipient.notifications_off or [])
        or (notification.kind == NotificationKind.DIGEST and recipient.digest_weekday is None)
    )
    try:
        message = None if (turned_off or not recipient.is_active) else notification_render(notification)
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


@transaction.atomic
def notification_resend(*, actor, notification: Notification) -> Notification:
    """Put a failed row back in the queue (admins)."""
    if not (actor.is_active and actor.is_superuser):
        raise PermissionDenied
    updated = Notification.objects.filter(pk=notification.pk, state=Notification.State.FAILED).update(
        state=Notification.State.PENDING, due_at=timezone.now(), attempts=0, last_error=""
    )
    if not updated:
        raise ValidationError(_("Only a failed notification can be sent again."))
    audit_record(actor=actor, action="notification.resend", obj=notification)
    from ..tasks import notification_send_task

    transaction.on_commit(lambda: notification_send_task.delay(notification.pk))
    notification.refresh_from_db()
    return notification
