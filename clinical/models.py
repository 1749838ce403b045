"""Anonymised clinical situations of a clinical concertation (seed 002).

A participant who accepted the series' charter proposes a structured
vignette; the carrier group (the series' coordinators) asks for rework or
chooses it for a session; the facilitator notes the recommendations raised
at that session (non-decisional); the presenter gives a brief follow-up at a
later session. Every text goes through the anonymisation guard before it is
stored; a text the guard flags and the author holds to be a false positive
waits, outside the situation, in a PendingText until the carrier group
confirms it. After the series' retention the texts are replaced by
"[texte supprimé le …]" (services.situation_purge): only the fact that a
situation was presented at a session stays, for the evaluation's counts.

Treat every text here as pseudonymised health data (GDPR art. 9): never in
emails, calendars, exports or logs.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Series, Session
from operators.models import Operator

MAX_CONTEXT = 1500
MAX_SERVICES_OTHER = 300
MAX_TRIED = 1500
MAX_QUESTION = 600
MAX_MESSAGE = 1000
MAX_RECOMMENDATION = 2000
MAX_FOLLOW_UP = 1000


class ClinicalSettings(models.Model):
    """The carrier group's settings of a clinical series."""

    series = models.OneToOneField(Series, on_delete=models.CASCADE, related_name="clinical_settings")
    situations_per_session = models.PositiveSmallIntegerField(_("situations per session"), default=2)
    retention_months = models.PositiveSmallIntegerField(_("retention (months after the last feedback)"), default=12)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("clinical settings")
        verbose_name_plural = _("clinical settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(situations_per_session__gte=1) & Q(situations_per_session__lte=6),
                name="clinical_settings_per_session_range",
            ),
            models.CheckConstraint(
                condition=Q(retention_months__gte=1) & Q(retention_months__lte=60),
                name="clinical_settings_retention_range",
            ),
        ]

    def __str__(self):
        return f"clinical settings of {self.series_id}"


class MeetingOwner(models.Model):
    """The member of the carrier group who owns the tasks of one meeting (rooms,
    choice of situations, facilitation: seed 002's shared tasks)."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="clinical_owner")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("task owner"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("task owner of a meeting")
        verbose_name_plural = _("task owners of meetings")

    def __str__(self):
        return f"owner of {self.session_id}"


class AgeRange(models.TextChoices):
    CHILD = "0-11", _("Child (0–11)")
    TEEN = "12-17", _("Teenager (12–17)")
    YOUNG_ADULT = "18-25", _("Young adult (18–25)")
    ADULT = "26-64", _("Adult (26–64)")
    SENIOR = "65+", _("Older person (65 and over)")


class Situation(models.Model):
    """A structured, anonymised vignette proposed to a clinical series."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        REWORK = "rework", _("Rework asked")
        CHOSEN = "chosen", _("Chosen for a session")
        PRESENTED = "presented", _("Presented")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="situations")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="clinical_situations"
    )
    age_range = models.CharField(_("age range"), max_length=8, choices=AgeRange.choices, blank=True)
    life_context = models.TextField(_("life context"), max_length=MAX_CONTEXT)
    services = models.ManyToManyField(
        Operator, verbose_name=_("services involved (directory)"), related_name="+", blank=True
    )
    services_other = models.CharField(_("other services involved"), max_length=MAX_SERVICES_OTHER, blank=True)
    tried = models.TextField(_("what has been tried"), max_length=MAX_TRIED)
    question = models.TextField(_("the question to the group"), max_length=MAX_QUESTION)
    preferred_session = models.ForeignKey(
        Session,
        verbose_name=_("preferred meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The session the carrier group chose it for (then presented at).
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="clinical_situations"
    )
    rework_message = models.TextField(_("what to rework"), max_length=MAX_MESSAGE, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    # Optimistic locking: every change names the version it was made on.
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    presented_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The retention runs from here: presentation, a follow-up, closing.
    last_feedback_at = models.DateTimeField(null=True, blank=True, editable=False)
    purged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("clinical situation")
        verbose_name_plural = _("clinical situations")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Serves the series' list of situations and the carrier group's proposals.
            models.Index(fields=["series", "status"], name="situation_series_status_idx"),
            # Serves the purge: unpurged situations by their last feedback.
            models.Index(fields=["last_feedback_at"], condition=Q(purged_at__isnull=True), name="situation_purge_idx"),
        ]

    def __str__(self):
        return f"situation {self.pk}"

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None

    @property
    def is_proposal(self) -> bool:
        """Seen only by its author and the carrier group until it is chosen."""
        return self.status in (self.Status.PROPOSED, self.Status.REWORK)

    @property
    def awaits_feedback(self) -> bool:
        """Carried onto the next sessions' "retour" until its presenter follows it up or closes it."""
        return self.status == self.Status.PRESENTED and self.last_feedback_at == self.presented_at


class Recommendation(models.Model):
    """An avenue or recommendation raised by the group for a situation at a session
    (the group is non-decisional: not a decision)."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="recommendations")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("avenue or recommendation"), max_length=MAX_RECOMMENDATION)
    noted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("avenue or recommendation")
        verbose_name_plural = _("avenues and recommendations")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"recommendation {self.pk}"


class FollowUp(models.Model):
    """The presenter's brief feedback on a situation at a later session."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="follow_ups")
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    text = models.TextField(_("brief follow-up"), max_length=MAX_FOLLOW_UP)
    closes = models.BooleanField(_("close the situation"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"follow-up {self.pk}"


HELD_TEXT_LABELS = {
    "life_context": _("Life context"),
    "services_other": _("Other services involved"),
    "tried": _("What has been tried"),
    "question": _("The question to the group"),
    "text": _("Text"),
}


class PendingText(models.Model):
    """A text the guard flagged and its author holds to be a false positive:
    held here, never in the situation, until the carrier group confirms it
    (then the situation is written from it and the row loses its text) or
    refuses it (the row loses its text). Seen by its author and the carrier
    group only; purged with the situation or after PENDING_DAYS."""

    class Target(models.TextChoices):
        PROPOSAL = "proposal", _("A new situation")
        EDIT = "edit", _("A change to a situation")
        RECOMMENDATION = "recommendation", _("An avenue or recommendation")
        FOLLOW_UP = "follow_up", _("A follow-up")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the carrier group")
        CONFIRMED = "confirmed", _("Confirmed")
        REFUSED = "refused", _("Refused")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="+")
    situation = models.ForeignKey(
        Situation, on_delete=models.CASCADE, null=True, blank=True, related_name="pending_texts"
    )
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    target = models.CharField(_("what"), max_length=16, choices=Target.choices)
    # The form's cleaned values (texts, ids), emptied once decided.
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("text waiting for confirmation")
        verbose_name_plural = _("texts waiting for confirmation")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"pending text {self.pk}"

    @property
    def texts(self) -> list[tuple[str, str]]:
        """The held texts, labelled, for the carrier group to read."""
        return [
            (HELD_TEXT_LABELS[key], value) for key, value in self.payload.items() if key in HELD_TEXT_LABELS and value
        ]


class SituationAccess(models.Model):
    """Who viewed, changed or purged a situation, and when (the access log)."""

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed")
        CHANGED = "changed", _("Changed")
        DOWNLOADED = "downloaded", _("Downloaded")
        PURGED = "purged", _("Purged")

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(_("what"), max_length=12, choices=Action.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("access to a situation")
        verbose_name_plural = _("accesses to situations")
        ordering = ["-at", "-pk"]
        indexes = [
            # Serves a situation's log, newest first.
            models.Index(fields=["situation", "-at"], name="situation_access_idx"),
            # Serves the admins' whole log, newest first.
            models.Index(fields=["-at"], name="situation_access_at_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.action} {self.situation_id}"
