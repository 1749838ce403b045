"""The emails of the open-doors week, registered with the notifications app.

To the visitor, at each step of their booking, as registrations do for a
session's places (the period "v<n>" is the booking's version, so each step is
sent once and a step overtaken by the next is not): a place booked (with the
visit's calendar file), the waiting list, a place freed and offered to them
(with the deadline to confirm it on the week's page). And a reminder the day before the visit, to those who have a
place (the calendar file again), unless they booked within that day.

What they say: the host service, the day, the time, the place and the links to
the week's page and the calendar file. Never the other visitors.
"""

import datetime

from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.links import absolute_url
from notifications.models import Notification
from notifications.registry import Attachment, Kind, register_finder, register_kind
from notifications.scan import DueRow, due_row

from .calendar import visit_calendar
from .models import BookingStatus, VisitBooking

RECENT = datetime.timedelta(days=2)
REMINDER_BEFORE = datetime.timedelta(days=1)
BOOKING = VisitBooking._meta.label_lower


class VisitKind(models.TextChoices):
    BOOKED = "open_doors_booked", _("Open-doors visit booked")
    WAITING = "open_doors_waiting", _("Open-doors visit: on the waiting list")
    PROMOTED = "open_doors_promoted", _("Open-doors visit: a place freed for you")
    REMINDER = "open_doors_reminder", _("Open-doors visit: reminder the day before")


def step_kind(booking: VisitBooking) -> str | None:
    """The email of the booking's current step (None: cancelled, nothing to say)."""
    if booking.status == BookingStatus.WAITING:
        return VisitKind.WAITING
    if booking.status == BookingStatus.OFFERED:
        return VisitKind.PROMOTED
    if booking.status == BookingStatus.BOOKED:
        return VisitKind.BOOKED
    return None


def steps_due(now: datetime.datetime) -> list[DueRow]:
    """One email per step of each booking that changed lately, for visits to come (one query)."""
    bookings = VisitBooking.objects.filter(
        status_changed_at__gte=now - RECENT,
        status__in=[BookingStatus.BOOKED, BookingStatus.OFFERED, BookingStatus.WAITING],
        slot__starts_at__gt=now,
        visitor__is_active=True,
    ).only("pk", "visitor_id", "status", "version")
    return [
        due_row(b.visitor_id, step_kind(b), BOOKING, b.pk, f"v{b.version}", now)
        for b in bookings
        if step_kind(b) is not None
    ]


def reminders_due(now: datetime.datetime) -> list[DueRow]:
    """The day before a visit, to each person with a place booked before that day (one query)."""
    rows = VisitBooking.objects.filter(
        status=BookingStatus.BOOKED,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + REMINDER_BEFORE,
        status_changed_at__lt=F("slot__starts_at") - REMINDER_BEFORE,
        visitor__is_active=True,
    ).values_list("pk", "visitor_id")
    return [due_row(visitor_id, VisitKind.REMINDER, BOOKING, pk, "", now) for pk, visitor_id in rows]


def _load(n: Notification) -> VisitBooking | None:
    if n.object_type != BOOKING or not n.object_id.isdigit():
        return None
    return (
        VisitBooking.objects.select_related("slot", "slot__host", "slot__week", "slot__week__bassin")
        .filter(pk=int(n.object_id))
        .first()
    )


def _own(person, booking: VisitBooking) -> bool:
    return booking.visitor_id == person.pk


def booking_context(booking: VisitBooking) -> dict:
    slot = booking.slot
    context = {
        "booking": booking,
        "slot": slot,
        "host": slot.host,
        "bassin": slot.week.bassin,
        "ends_at": slot.starts_at + datetime.timedelta(minutes=slot.duration),
        "week_url": absolute_url(reverse("bassins:week", kwargs={"week_id": slot.week.public_id})),
    }
    if booking.status == BookingStatus.BOOKED:
        context["calendar_url"] = absolute_url(reverse("bassins:slot_calendar", kwargs={"slot_id": slot.public_id}))
    return context


def _build_step(n: Notification, booking: VisitBooking) -> dict | None:
    if n.period != f"v{booking.version}" or step_kind(booking) != n.kind:
        return None  # overtaken by a later step, which has its own email
    return booking_context(booking)


def _build_reminder(n: Notification, booking: VisitBooking) -> dict | None:
    if booking.status != BookingStatus.BOOKED or booking.slot.starts_at <= timezone.now():
        return None
    return booking_context(booking)


def _calendar(n: Notification, booking: VisitBooking) -> Attachment | None:
    if booking.status != BookingStatus.BOOKED:
        return None
    return Attachment("visit.ics", visit_calendar(booking.slot), "text/calendar; charset=utf-8")


def _kind(code: VisitKind, build, **options) -> Kind:
    return Kind(code=code.value, label=code.label, load=_load, build=build, reaches=_own, **options)


KINDS = (
    # The person's own booking: never turned off (a missed step is a missed place).
    _kind(VisitKind.BOOKED, _build_step, mandatory=True, attachment=_calendar),
    _kind(VisitKind.WAITING, _build_step, mandatory=True),
    _kind(VisitKind.PROMOTED, _build_step, mandatory=True),
    _kind(VisitKind.REMINDER, _build_reminder, attachment=_calendar),
)

for _registered in KINDS:
    register_kind(_registered)
register_finder(steps_due)
register_finder(reminders_due)
