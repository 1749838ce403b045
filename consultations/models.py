"""Consultations and thematic concertations (seeds 001 and 003): contributions
collected per session, grouped into themes, answered, and published as a synthesis.

A contribution is a proposal or an expectation of a participant (its author),
or one the coordinators recorded from what was said orally (no author). An
*item* is a contribution that is not merged into another: merging duplicates
makes a new item the sources point to (`merged_into`), their texts stay
visible under it. Each item carries its answer (Decidim's accountability):
to be examined, retained, not retained (with a reason), in progress, done.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Collection(models.Model):
    """Whether participants may still state, edit and withdraw contributions for a session."""

    session = models.OneToOneField("meetings.Session", on_delete=models.CASCADE, related_name="collection")
    is_open = models.BooleanField(_("collection open"), default=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("collection of contributions")
        verbose_name_plural = _("collections of contributions")

    def __str__(self):
        return f"{self.session_id}: {'open' if self.is_open else 'closed'}"


class ContributionQuestion(models.Model):
    """The registration question (registrations.Question) whose answers become contributions."""

    question = models.OneToOneField(
        "registrations.Question", on_delete=models.CASCADE, related_name="contribution_flag"
    )
    kind = models.CharField(_("kind"), max_length=12, default="expectation")

    class Meta:
        verbose_name = _("contribution question")
        verbose_name_plural = _("contribution questions")

    def __str__(self):
        return f"{self.question_id} → {self.kind}"


class Theme(models.Model):
    """A theme of a session's synthesis, with its "► Attentes" statement."""

    session = models.ForeignKey("meetings.Session", on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("theme"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    statement = models.TextField(_("statement"), max_length=3000, blank=True)
    # Raised at every save of the statement: an edit made from an older version is a conflict.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "name"], name="theme_name_once_per_session"),
        ]

    def __str__(self):
        return self.name


class Contribution(models.Model):
    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal")
        EXPECTATION = "expectation", _("Expectation")

    class Status(models.TextChoices):
        TO_EXAMINE = "to_examine", _("To be examined")
        RETAINED = "retained", _("Retained")
        NOT_RETAINED = "not_retained", _("Not retained")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    # Answered: every status but the first.
    ANSWERED = (Status.RETAINED, Status.NOT_RETAINED, Status.IN_PROGRESS, Status.DONE)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey("meetings.Session", on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PROPOSAL)
    # Empty: recorded by the coordinators (said orally, pasted from a list, or a merged item).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    text = models.TextField(_("text"), max_length=2000)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    # The registration answer it came from, if any (one contribution per answer).
    source_answer = models.OneToOneField(
        "registrations.Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="contribution"
    )
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="items")
    position = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="sources", editable=False
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(_("answer"), max_length=14, choices=Status.choices, default=Status.TO_EXAMINE)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="not_retained") | ~Q(reason=""), name="contribution_not_retained_has_reason"
            ),
        ]
        indexes = [
            # Serves a session's items (not merged, not withdrawn) by theme and position.
            models.Index(fields=["session", "theme", "position"], name="contribution_session_idx"),
        ]

    def __str__(self):
        return f"{self.session_id}/{self.pk}"

    @property
    def is_item(self) -> bool:
        return self.merged_into_id is None and self.withdrawn_at is None

    @property
    def is_answered(self) -> bool:
        return self.status in self.ANSWERED


class Synthesis(models.Model):
    """The synthesis document of a session: composed, previewed, published."""

    session = models.OneToOneField("meetings.Session", on_delete=models.CASCADE, related_name="synthesis")
    context = models.TextField(_("context"), max_length=10000, blank=True)
    thanks = models.TextField(_("thanks"), max_length=2000, blank=True)
    # Raised at every save: an edit made from an older version is a conflict.
    version = models.PositiveIntegerField(default=1)
    next_starts_at = models.DateTimeField(_("next session: start"), null=True, blank=True)
    next_ends_at = models.DateTimeField(_("next session: end"), null=True, blank=True)
    next_place = models.CharField(_("next session: place or link"), max_length=500, blank=True)
    next_details = models.TextField(_("next session: details"), max_length=2000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("synthesis")
        verbose_name_plural = _("syntheses")
        constraints = [
            models.CheckConstraint(
                condition=Q(next_ends_at__isnull=True)
                | Q(next_starts_at__isnull=False, next_ends_at__gt=models.F("next_starts_at")),
                name="synthesis_next_session_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.session_id}: synthesis"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Forward(models.Model):
    """An item relaunched in another series ("relancer les discussions dans d'autres instances"):
    a proposed item of that series' next session's agenda, or a cooperation need raised there
    in the name of one of its participating operators."""

    class As(models.TextChoices):
        AGENDA = "agenda", _("a proposed agenda item of its next session")
        NEED = "need", _("a cooperation need")

    item = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="forwards")
    kind = models.CharField(_("forwarded as"), max_length=8, choices=As.choices, default=As.AGENDA)
    series = models.ForeignKey("meetings.Series", on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey("meetings.Session", on_delete=models.SET_NULL, null=True, related_name="+")
    agenda_item = models.ForeignKey("meetings.AgendaItem", on_delete=models.SET_NULL, null=True, related_name="+")
    need = models.ForeignKey("meetings.CooperationNeed", on_delete=models.SET_NULL, null=True, related_name="+")
    forwarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    forwarded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("forwarded item")
        verbose_name_plural = _("forwarded items")
        ordering = ["forwarded_at", "pk"]

    def __str__(self):
        return f"{self.item_id} → {self.series_id}"
