"""Who is away, and when a series does not chase anyone.

An absence is declared for an operator (its whole team) or for one person,
over whole days (Europe/Brussels dates, inclusive), with an optional
substitute: a member of the operator (for a person's absence, a colleague of
one of their operators) who receives the info-round emails in their stead.
A series' closed periods (Christmas week…) and the Belgian public holidays are
days off on which nobody is chased (meetings.selectors.absences).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from operators.models import Operator

from .series import Series


class Absence(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.CASCADE, null=True, blank=True, related_name="absences"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="absences",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("substitute"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="substitutions",
    )
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(operator__isnull=False, user__isnull=True) | Q(operator__isnull=True, user__isnull=False),
                name="absence_of_operator_or_person",
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="absence_period_ordered"),
            models.CheckConstraint(
                condition=Q(substitute__isnull=True) | Q(user__isnull=True) | ~Q(substitute=F("user")),
                name="absence_substitute_not_self",
            ),
        ]
        indexes = [
            # Serves "absences in effect during these days" (the reminders' scan, the board).
            models.Index(fields=["ends_on", "starts_on"], name="absence_period_idx"),
        ]

    def __str__(self):
        return f"absence {self.pk} ({self.starts_on}–{self.ends_on})"


class SeriesClosure(models.Model):
    """Days on which a series chases nobody (Christmas week, summer break…)."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    label = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")
        ordering = ["series", "starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="series_closure_period_ordered"),
        ]

    def __str__(self):
        return self.label or f"{self.starts_on}–{self.ends_on}"
