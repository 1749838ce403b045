import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .registry import kind_choices


class Notification(models.Model):
    """One email to one person about one object for one period.

    Rows are made by the periodic scan (notifications.scan) and sent by a
    task that claims them with a conditional UPDATE. The unique constraint
    on (recipient, kind, object, period) is what makes a rerun of the scan, a
    retried task or a second beat harmless: the same message is never made,
    so never sent, twice.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent (nothing to say or turned off)")
        FAILED = "failed", _("Failed")

    # What an unsubscribe link names (signed, with its date): a random key
    # that says nothing of the recipient.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    # The kinds are those the apps registered (registry.py): a new kind needs
    # no migration, and a row of a kind no app registers any more still loads.
    kind = models.CharField(_("kind"), max_length=32, choices=kind_choices)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    # What the message covers: "" for once per object, "v3" for the third
    # version of a session, "2026-11-23" for the digest of that week…
    period = models.CharField(max_length=32, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    due_at = models.DateTimeField(_("due"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_type", "object_id", "period"], name="notification_once"
            ),
        ]
        indexes = [
            # Serves the sender's sweep: "pending rows that are due", oldest first.
            models.Index(
                fields=["due_at"], condition=models.Q(state__in=["pending", "sending"]), name="notification_due_idx"
            ),
            # Serves "what was sent about this session" on the session page.
            models.Index(fields=["object_type", "object_id"], name="notification_object_idx"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id} ({self.state})"
