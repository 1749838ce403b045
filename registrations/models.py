"""Individual participants: professionals taking part in a series, or in one
of its sessions, in their own name, with their organisation and profession.

A registration is for the whole series (`session` empty: an individual
participant, who sees what a member of a participating operator sees) or for
one session (a thematic concertation, a workshop). A session may have a
capacity (meetings.Session.capacity): past it, registrations wait in line and
are offered the places freed, in order, each with a deadline to confirm.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Registration(models.Model):
    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Email address to verify")
        REQUESTED = "requested", _("Awaiting the coordinators")
        REGISTERED = "registered", _("Registered")
        OFFERED = "offered", _("Place offered, to confirm")
        WAITING = "waiting", _("On the waiting list")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    # Still in play: one of these per person and series (or session) at most.
    ACTIVE = (Status.UNVERIFIED, Status.REQUESTED, Status.REGISTERED, Status.OFFERED, Status.WAITING)
    # Taking one of a session's places.
    HOLDING = (Status.REGISTERED, Status.OFFERED)

    # What links and the cancellation key name: random, never the row's number.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(
        "meetings.Series", verbose_name=_("series"), on_delete=models.CASCADE, related_name="registrations"
    )
    session = models.ForeignKey(
        "meetings.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="registrations"
    )
    # The organisation: a directory entry when there is one (a coordinator may
    # link it later), its name as typed otherwise.
    operator = models.ForeignKey(
        "operators.Operator",
        verbose_name=_("organisation in the directory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="individual_registrations",
    )
    organisation_name = models.CharField(_("organisation"), max_length=200)
    profession = models.CharField(_("profession"), max_length=150)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UNVERIFIED)
    # Each change of status raises the version: the email of each step is
    # sent once (notifications' period "v<n>"), and a step overtaken is not.
    version = models.PositiveIntegerField(default=1, editable=False)
    # When the status last changed; the waiting list is served in this order.
    status_changed_at = models.DateTimeField(_("since"))
    offer_expires_at = models.DateTimeField(_("to confirm by"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("registered on"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(
                    session__isnull=False, status__in=["unverified", "requested", "registered", "offered", "waiting"]
                ),
                name="registration_one_active_per_session",
            ),
            models.UniqueConstraint(
                fields=["series", "user"],
                condition=Q(
                    session__isnull=True, status__in=["unverified", "requested", "registered", "offered", "waiting"]
                ),
                name="registration_one_active_per_series",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="registration_offer_has_deadline",
            ),
            models.CheckConstraint(
                condition=Q(session__isnull=False) | ~Q(status__in=["offered", "waiting"]),
                name="registration_waiting_is_for_a_session",
            ),
        ]
        indexes = [
            # Serves a session's counts, its places taken and its waiting list in order.
            models.Index(fields=["session", "status", "status_changed_at"], name="registration_session_idx"),
            # Serves the scan's "registrations that changed lately" and the lapse of offers.
            models.Index(fields=["status_changed_at"], name="registration_changed_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.session_id or self.series_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def organisation(self) -> str:
        """The organisation's name: its directory entry's when linked."""
        return self.operator.name if self.operator_id and self.operator else self.organisation_name


class Question(models.Model):
    """One of a series' own questions to those who register ("vos attentes")."""

    series = models.ForeignKey("meetings.Series", on_delete=models.CASCADE, related_name="registration_questions")
    text = models.CharField(_("question"), max_length=300)
    required = models.BooleanField(_("answer required"), default=False)
    position = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class Answer(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("answer"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="registration_answer_once"),
        ]

    def __str__(self):
        return f"{self.registration_id}/{self.question_id}"


class ParticipantAttendance(models.Model):
    """Whether an individual participant attended a session (operators' attendance is in the minutes)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey("meetings.Session", on_delete=models.CASCADE, related_name="participant_attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("participant attendance")
        verbose_name_plural = _("participant attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="participant_attendance_once"),
        ]

    def __str__(self):
        return f"{self.user_id} @ {self.session_id}: {self.status}"
