"""The Brussels bassins (seed 004): their teams, working groups and état des lieux.

A bassin is an `operators.Territory` of kind bassin; this app adds what the
territory alone does not say: the people of its coordination team and support
group, its four working groups (series of kind working group, one per theme)
and the text blocks of its état des lieux that no database knows.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models import Series
from operators.models import Operator, Territory


class Team(models.TextChoices):
    COORDINATION = "coordination", _("Coordination team")
    SUPPORT = "support", _("Support group")


class BassinMember(models.Model):
    """A person in a bassin's coordination team or support group, with a role."""

    bassin = models.ForeignKey(
        Territory,
        verbose_name=_("bassin"),
        on_delete=models.CASCADE,
        related_name="bassin_members",
        limit_choices_to={"kind": Territory.Kind.BASSIN},
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="bassin_roles"
    )
    team = models.CharField(_("team"), max_length=16, choices=Team.choices)
    role = models.CharField(_("role"), max_length=120, blank=True)
    operator = models.ForeignKey(
        Operator,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bassin member")
        verbose_name_plural = _("bassin members")
        ordering = ["team", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["bassin", "user", "team"], name="bassin_member_unique"),
        ]

    def __str__(self):
        return f"{self.user_id} in {self.bassin_id} ({self.team})"


class WorkingGroupTheme(models.TextChoices):
    """The four working groups each bassin creates (seed 004)."""

    MENTAL_HEALTH = "mental_health", _("Mental health")
    HEALTH_CRISIS = "health_crisis", _("Health crisis")
    PREVENTION = "prevention", _("Prevention and health promotion")
    LIAISON = "liaison", _("Hospital and ambulatory sector liaison")


class WorkingGroup(models.Model):
    """A series of kind working group attached to a bassin, one per theme."""

    bassin = models.ForeignKey(
        Territory, verbose_name=_("bassin"), on_delete=models.CASCADE, related_name="working_groups"
    )
    theme = models.CharField(_("theme"), max_length=16, choices=WorkingGroupTheme.choices)
    series = models.OneToOneField(
        Series, verbose_name=_("series"), on_delete=models.CASCADE, related_name="bassin_working_group"
    )

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["bassin", "theme"]
        constraints = [
            models.UniqueConstraint(fields=["bassin", "theme"], name="working_group_one_per_theme"),
        ]

    def __str__(self):
        return f"{self.bassin_id}: {self.theme}"


class StateNote(models.Model):
    """A dated, sourced text block of a bassin's état des lieux: what no database
    of Carrefour knows (population figures, a written diagnosis…)."""

    bassin = models.ForeignKey(
        Territory, verbose_name=_("bassin"), on_delete=models.CASCADE, related_name="state_notes"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=8000)
    as_of = models.DateField(_("date of the information"))
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("link to the source"), max_length=500, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("état des lieux note")
        verbose_name_plural = _("état des lieux notes")
        ordering = ["-as_of", "-pk"]

    def __str__(self):
        return self.title
