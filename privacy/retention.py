"""The retention rules of the privacy notice, applied by one daily job
(tasks.retention_apply_task) and previewed by `manage.py retention --dry-run`.

Every rule works in batches of RETENTION_BATCH_SIZE rows and only touches rows
whose time is up, so that running it twice, or two at once, does no harm.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.emails import email_send
from core.models import AuditEvent
from notifications.models import Notification

from .erasure import ERASED_DOMAIN, account_erase, is_erased
from .exports import data_exports_expired, data_exports_purge
from .models import RetentionNotice

logger = logging.getLogger(__name__)

# Rows the sender is done with; pending and sending rows are still work to do.
SETTLED_NOTIFICATIONS = [Notification.State.SENT, Notification.State.SKIPPED, Notification.State.FAILED]


@dataclass
class RetentionReport:
    """What a pass did (or, dry, would do): the people by rule, the rows by table."""

    warned: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    erased: list[str] = field(default_factory=list)
    notifications: int = 0
    audit_events: int = 0
    data_exports: int = 0

    def counts(self) -> dict[str, int]:
        """How many of each, without naming anyone (what the admin page and the beat job show)."""
        return {
            "warned": len(self.warned),
            "deactivated": len(self.deactivated),
            "erased": len(self.erased),
            "notifications": self.notifications,
            "audit_events": self.audit_events,
            "data_exports": self.data_exports,
        }


def _days(name: str) -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, name))


def _batches(qs):
    """The primary keys of `qs` in ascending order, a batch at a time; each batch
    is read after the previous one was handled (so deleted rows are not read again)."""
    size = settings.RETENTION_BATCH_SIZE
    last = 0
    while True:
        ids = list(qs.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return
        last = ids[-1]
        yield ids


def _label(user) -> str:
    return f"{user.pk} {user.email}"


def to_warn(now: datetime.datetime):
    """Active accounts without a sign-in (or, never signed in, created) before the warning threshold."""
    cutoff = now - _days("RETENTION_INACTIVE_WARN_DAYS")
    return (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False, retention_notice__isnull=True)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .exclude(email__endswith="@" + ERASED_DOMAIN)
        .order_by("pk")
    )


def to_deactivate(now: datetime.datetime):
    cutoff = now - _days("RETENTION_INACTIVE_DEACTIVATE_DAYS")
    return RetentionNotice.objects.filter(deactivated_at__isnull=True, warned_at__lte=cutoff).select_related("user")


def to_erase(now: datetime.datetime):
    cutoff = now - _days("RETENTION_INACTIVE_ERASE_DAYS")
    # An administrator who reactivated the account meanwhile keeps it.
    return RetentionNotice.objects.filter(deactivated_at__lte=cutoff, user__is_active=False).select_related("user")


def _warn(user) -> bool:
    try:
        email_send(
            template="inactive_account",
            to=user.email,
            language=user.language,
            context={
                "deactivate_days": settings.RETENTION_INACTIVE_DEACTIVATE_DAYS,
                "erase_days": settings.RETENTION_INACTIVE_ERASE_DAYS,
                "privacy_url": reverse("privacy:notice"),
            },
        )
    except OSError:
        # Warned tomorrow instead: nobody is deactivated without the email.
        logger.warning("Inactive account %s: the warning could not be sent", user.pk)
        return False
    return True


def retention_apply(*, now: datetime.datetime | None = None, dry_run: bool = False) -> RetentionReport:
    """Apply every retention rule once. Guarantees: inactive accounts are warned
    (an email, then a RetentionNotice), deactivated RETENTION_INACTIVE_DEACTIVATE_DAYS
    after a warning, erased RETENTION_INACTIVE_ERASE_DAYS after that; settled
    notifications older than RETENTION_NOTIFICATION_DAYS and audit events older
    than RETENTION_AUDIT_DAYS are deleted; copies of personal data are removed
    after a day. With `dry_run`, nothing changes and the report says what would.
    """
    now = now or timezone.now()
    report = RetentionReport()
    if dry_run:
        report.warned = [_label(u) for u in to_warn(now)]
        report.deactivated = [_label(n.user) for n in to_deactivate(now)]
        report.erased = [_label(n.user) for n in to_erase(now)]
    else:
        User = get_user_model()
        for ids in _batches(to_warn(now)):
            for user in User.objects.filter(pk__in=ids):
                if _warn(user):
                    RetentionNotice.objects.get_or_create(user=user, defaults={"warned_at": now})
                    report.warned.append(_label(user))
        for ids in _batches(to_deactivate(now)):
            for notice in RetentionNotice.objects.filter(pk__in=ids, deactivated_at__isnull=True).select_related(
                "user"
            ):
                User.objects.filter(pk=notice.user_id).update(is_active=False)
                RetentionNotice.objects.filter(pk=notice.pk).update(deactivated_at=now)
                report.deactivated.append(_label(notice.user))
        for ids in _batches(to_erase(now)):
            for notice in RetentionNotice.objects.filter(pk__in=ids).select_related("user"):
                user = notice.user
                if is_erased(user):
                    continue
                label = _label(user)
                try:
                    account_erase(user=user, actor=None, reason="retention")
                except ValidationError:
                    # The last coordinator of an active series: an administrator hands it over first.
                    logger.warning("Inactive account %s could not be erased: it coordinates a series alone", user.pk)
                    continue
                report.erased.append(label)
    notifications = Notification.objects.filter(
        state__in=SETTLED_NOTIFICATIONS, created_at__lt=now - _days("RETENTION_NOTIFICATION_DAYS")
    )
    events = AuditEvent.objects.filter(at__lt=now - _days("RETENTION_AUDIT_DAYS"))
    if dry_run:
        report.notifications = notifications.count()
        report.audit_events = events.count()
        report.data_exports = data_exports_expired(now).count()
    else:
        for ids in _batches(notifications):
            report.notifications += Notification.objects.filter(pk__in=ids).delete()[0]
        for ids in _batches(events):
            report.audit_events += AuditEvent.objects.filter(pk__in=ids).delete()[0]
        report.data_exports = data_exports_purge(now=now)
    return report
