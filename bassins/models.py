"""The Brussels bassins (seed 004): their teams, working groups and état des lieux.

A bassin is an `operators.Territory` of kind bassin; this app adds what the
territory alone does not say: the people of its coordination team and support
group, its four working groups (series of kind working group, one per theme)
and the text blocks of its état des lieux that no database knows.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
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


class OpenDoorsWeek(models.Model):
    """ "Une semaine portes ouvertes" (seed 004): the services of a bassin open
    their doors so that others come and get to know them."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bassin = models.ForeignKey(
        Territory, verbose_name=_("bassin"), on_delete=models.CASCADE, related_name="open_doors_weeks"
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    description = models.TextField(_("description"), max_length=4000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("open-doors week")
        verbose_name_plural = _("open-doors weeks")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="open_doors_ordered"),
        ]

    def __str__(self):
        return f"{self.bassin_id} {self.starts_on}"


class VisitSlot(models.Model):
    """A visit a service of the bassin offers during the week."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    week = models.ForeignKey(OpenDoorsWeek, on_delete=models.CASCADE, related_name="slots")
    host = models.ForeignKey(Operator, verbose_name=_("service"), on_delete=models.CASCADE, related_name="visit_slots")
    starts_at = models.DateTimeField(_("start"))
    duration = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    place = models.CharField(_("place"), max_length=300)
    programme = models.TextField(_("what the visitors will see"), max_length=2000)
    capacity = models.PositiveSmallIntegerField(_("places"), default=5)
    held_confirmed_at = models.DateTimeField(_("held, confirmed on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("visit slot")
        verbose_name_plural = _("visit slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1) & models.Q(capacity__lte=100), name="visit_slot_capacity_range"
            ),
            models.CheckConstraint(
                condition=models.Q(duration__gte=15) & models.Q(duration__lte=480), name="visit_slot_duration_range"
            ),
        ]

    def __str__(self):
        return f"{self.host_id} @ {self.starts_at:%Y-%m-%d %H:%M}"


class BookingStatus(models.TextChoices):
    """As a registration's places (registrations/services.py):

        booked ─────────────────────────────┐
        waiting ─(a place frees)─> offered ─(confirmed)─> booked
                                     └─(not confirmed in time)─> cancelled

    A place is taken by `booked` and `offered` (HOLDING_PLACE).
    """

    BOOKED = "booked", _("Booked")
    OFFERED = "offered", _("Place offered, to confirm")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


HOLDING_PLACE = (BookingStatus.BOOKED, BookingStatus.OFFERED)


class VisitBooking(models.Model):
    """A professional's place on a visit, or on its waiting list (first come, first served)."""

    slot = models.ForeignKey(VisitSlot, on_delete=models.CASCADE, related_name="bookings")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("visitor"), on_delete=models.CASCADE, related_name="visit_bookings"
    )
    operator = models.ForeignKey(
        Operator,
        verbose_name=_("visitor's service"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits_made",
    )
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # Each step of the booking (booked, waiting, moved up from the waiting list) is one
    # email: `version` names the step ("v<n>"), `status_changed_at` dates it.
    status_changed_at = models.DateTimeField(_("status changed on"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    offer_expires_at = models.DateTimeField(_("to confirm by"), null=True, blank=True)

    class Meta:
        verbose_name = _("visit booking")
        verbose_name_plural = _("visit bookings")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "visitor"], condition=~models.Q(status="cancelled"), name="visit_booking_one_live"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="offered") | models.Q(offer_expires_at__isnull=False),
                name="visit_booking_offer_has_deadline",
            ),
        ]
        indexes = [
            # Serves the places left and the waiting list of a slot.
            models.Index(fields=["slot", "status", "created_at"], name="visit_booking_slot_status_idx"),
            # Serves the scan of the bookings whose step changed lately (bassins/notifications.py).
            models.Index(fields=["status_changed_at"], name="visit_booking_changed_idx"),
        ]

    def __str__(self):
        return f"{self.visitor_id} → {self.slot_id} ({self.status})"
