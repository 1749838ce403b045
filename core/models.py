import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what sensitive thing, and when: exports, confidential views,
    changes of roles. Never holds the confidential content itself."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.action} {self.object_type}:{self.object_id}"


class NotificationKind(models.TextChoices):
    SESSION_INVITATION = "session_invitation", _("Session scheduled or moved")
    SESSION_CANCELLED = "session_cancelled", _("Session cancelled")
    SESSION_REMINDER = "session_reminder", _("Reminder before a session")
    INFO_ROUND_OPEN = "info_round_open", _("Info round open")
    INFO_ROUND_REMINDER = "info_round_reminder", _("Info round reminder")
    INFO_ROUND_LAST_CALL = "info_round_last_call", _("Info round last call")
    MINUTES_PUBLISHED = "minutes_published", _("Minutes published")
    ACTION_DUE = "action_due", _("Action due soon")
    ACTION_OVERDUE = "action_overdue", _("Action overdue")
    POLL_INVITATION = "poll_invitation", _("Slot poll")
    POLL_REMINDER = "poll_reminder", _("Slot poll reminder")
    POLL_RESULT = "poll_result", _("Slot poll result")
    JOIN_REQUEST_RECEIVED = "join_request_received", _("Join request received")
    JOIN_REQUEST_DECIDED = "join_request_decided", _("Join request decided")
    EVALUATION_INVITATION = "evaluation_invitation", _("Evaluation invitation")
    EVALUATION_REMINDER = "evaluation_reminder", _("Evaluation reminder")
    DIGEST = "digest", _("Weekly digest")


class Notification(models.Model):
    """One email to one person about one object for one period.

    Rows are made by the periodic scan (core.notifications.scan) and sent by
    a task that claims them with a conditional UPDATE. The unique constraint
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

    Kind = NotificationKind

    # What an unsubscribe link names (signed, with its date): a random key
    # that says nothing of the recipient.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
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
