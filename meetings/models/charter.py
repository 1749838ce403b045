"""The confidentiality charter of a series (seed 002): "ouvert à tous, seule
condition : signature de la charte".

A series' coordinators write a draft and publish it as version n; while the
charter is required, a person taking part sees nothing of the series but its
description and the charter until they have accepted the current version
(meetings/selectors/access.py holds the gate). Acceptances and withdrawals are
records that are never changed or deleted: the latest one of a person for a
version says where they stand.

The rules that move these objects live in meetings/services/charter.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .series import Series

MAX_CHARTER_LENGTH = 50_000


class Charter(models.Model):
    """A series' charter: whether accepting it is required, the version in
    force, and the draft its coordinators are preparing."""

    series = models.OneToOneField(Series, on_delete=models.CASCADE, related_name="charter")
    required = models.BooleanField(
        _("accepting the charter is required to take part"),
        default=True,
        help_text=_("Until they accept the current version, participants see only the charter."),
    )
    current_version = models.ForeignKey(
        "CharterVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    draft_title = models.CharField(_("title"), max_length=200, blank=True)
    draft_body = models.TextField(_("text"), max_length=MAX_CHARTER_LENGTH, blank=True)
    # Raised at every save of the draft: a save that names an older revision
    # was written over another coordinator's work and is refused (a conflict).
    draft_revision = models.PositiveIntegerField(default=0, editable=False)
    draft_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    draft_updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("charter")
        verbose_name_plural = _("charters")

    def __str__(self):
        return f"charter of {self.series_id}"

    @property
    def is_gate(self) -> bool:
        """Whether the charter holds people back now: required, and a version is published."""
        return self.required and self.current_version_id is not None


class CharterVersion(models.Model):
    """One published version of a charter; never changed once published."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=MAX_CHARTER_LENGTH)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["charter", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "number"], name="charter_version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="charter_version_number_positive"),
        ]

    def __str__(self):
        return f"{self.title} (v{self.number})"


class CharterAcceptance(models.Model):
    """A person accepting one version, or withdrawing their acceptance: a
    record of what they said and when, never changed or deleted."""

    class Kind(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    version = models.ForeignKey(CharterVersion, on_delete=models.PROTECT, related_name="acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="charter_acceptances")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # The name the person signed with, as they typed it.
    signed_name = models.CharField(_("name"), max_length=150)
    at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("charter acceptance")
        verbose_name_plural = _("charter acceptances")
        ordering = ["-at", "-pk"]
        indexes = [
            # Serves the gate: "the latest record of this person for this version".
            models.Index(fields=["user", "version", "-at"], name="charter_acceptance_user_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind} v{self.version_id}"


class CharterReminder(models.Model):
    """A coordinator asking those who have not accepted the current version to
    do so: the periodic scan emails each of them once (meetings/notifications)."""

    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="reminders")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("charter reminder")
        verbose_name_plural = _("charter reminders")
        ordering = ["-created_at"]

    def __str__(self):
        return f"reminder of v{self.version_id} at {self.created_at:%Y-%m-%d}"
