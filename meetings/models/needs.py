"""Cooperation needs: "émergence, stabilisation et vérification de la
convergence". A need is raised by an operator and followed across sessions;
each mention, endorsement and change of stage is kept as evidence for the
end-of-pilot evaluation. The stage machine is meetings.services.needs.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from operators.models import Operator

from .ritual import InfoRoundAnswer
from .series import Series, Session


class Theme(models.Model):
    """A tag shared by all series: "continuité des soins", "logement"…"""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("short identifier"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class NeedStage(models.TextChoices):
    EMERGING = "emerging", _("Emerging")
    STABILISED = "stabilised", _("Stabilised")
    CONVERGING = "converging", _("Converging")
    TAKEN_UP = "taken_up", _("Taken up")
    CLOSED = "closed", _("Closed")
    DROPPED = "dropped", _("Dropped")


class CooperationNeed(models.Model):
    Stage = NeedStage

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="needs")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="needs", blank=True)
    raised_by = models.ForeignKey(
        Operator, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="needs_raised"
    )
    operators_concerned = models.ManyToManyField(
        Operator, verbose_name=_("operators concerned"), related_name="needs_concerning", blank=True
    )
    source_session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="needs_raised"
    )
    source_answer = models.ForeignKey(
        InfoRoundAnswer, on_delete=models.SET_NULL, null=True, blank=True, related_name="needs"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=NeedStage.choices, default=NeedStage.EMERGING)
    stage_changed_at = models.DateTimeField(_("stage since"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cooperation need")
        verbose_name_plural = _("cooperation needs")
        ordering = ["-stage_changed_at", "-pk"]
        indexes = [
            # Serves the convergence board: needs of a series by stage.
            models.Index(fields=["series", "stage"], name="need_series_stage_idx"),
        ]

    def __str__(self):
        return self.title


class NeedEndorsement(models.Model):
    """ "Nous aussi": an operator shares the need."""

    need = models.ForeignKey(CooperationNeed, on_delete=models.CASCADE, related_name="endorsements")
    operator = models.ForeignKey(Operator, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="+")
    endorsed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["need", "operator"], name="need_endorsement_one_per_operator"),
        ]

    def __str__(self):
        return f"{self.operator_id} endorses {self.need_id}"


class NeedMention(models.Model):
    """A session that spoke of the need: the evidence of its life."""

    need = models.ForeignKey(CooperationNeed, on_delete=models.CASCADE, related_name="mentions")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="need_mentions")
    note = models.CharField(_("note"), max_length=500, blank=True)
    source_answer = models.ForeignKey(
        InfoRoundAnswer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["need", "session"], name="need_mention_one_per_session"),
        ]

    def __str__(self):
        return f"{self.need_id} in {self.session_id}"


class NeedStageChange(models.Model):
    need = models.ForeignKey(CooperationNeed, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=12, choices=NeedStage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=NeedStage.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("change of stage")
        verbose_name_plural = _("changes of stage")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_stage=models.F("to_stage")), name="need_stage_change_moves"),
        ]
        indexes = [
            # Serves "needs that changed stage" since a date (dashboards, digest).
            models.Index(fields=["at"], name="need_stage_change_at_idx"),
        ]

    def __str__(self):
        return f"{self.need_id}: {self.from_stage} → {self.to_stage}"
