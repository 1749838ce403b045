import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Language


class NoticeText(models.Model):
    """The responsible organisation's own words in the privacy notice, one row
    per language. The figures (retention, contact) come from the settings."""

    language = models.CharField(_("language"), max_length=8, choices=Language.choices, unique=True)
    introduction = models.TextField(
        _("introduction"), help_text=_("Who the organisation is and why it runs this portal.")
    )
    complement = models.TextField(
        _("further information"),
        blank=True,
        help_text=_("Anything the organisation adds: its processors, its hosting, its own procedures."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("privacy notice text")
        verbose_name_plural = _("privacy notice texts")
        ordering = ["language"]

    def __str__(self):
        return self.get_language_display()


class RetentionNotice(models.Model):
    """Where an inactive account stands on the way to its erasure: warned,
    then deactivated. Deleted when the person signs in again."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="retention_notice"
    )
    warned_at = models.DateTimeField(_("warned"), default=timezone.now)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)

    class Meta:
        verbose_name = _("inactive account")
        verbose_name_plural = _("inactive accounts")

    def __str__(self):
        return str(self.user_id)


class DataExport(models.Model):
    """A person's copy of their data: the log of who asked and downloaded it,
    and the ZIP file while it lasts (a day)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Removed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="data-exports/", blank=True, max_length=300)
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded"), null=True, blank=True)

    class Meta:
        verbose_name = _("copy of personal data")
        verbose_name_plural = _("copies of personal data")
        ordering = ["-requested_at"]
        indexes = [
            # Serves the purge: "finished exports whose time is up".
            models.Index(fields=["expires_at"], condition=models.Q(status="done"), name="dataexport_expiry_idx"),
        ]

    def __str__(self):
        return str(self.public_id)
