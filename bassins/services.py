"""Writes on bassins: each function owns one change and checks its permission."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.brussels import brussels_date
from core.permissions import require_perm
from core.request_cache import forget
from core.services import audit_record
from meetings.models import Series
from meetings.services.series import series_create
from operators.models import Operator, Territory
from operators.selectors import in_bassin
from registrations.services import OFFER_TIME

from .models import (
    HOLDING_PLACE,
    BookingStatus,
    OpenDoorsWeek,
    StateNote,
    VisitBooking,
    VisitSlot,
    WorkingGroup,
    WorkingGroupTheme,
)
from .selectors.bassin import bassin_municipality_choices

WEEK_MAX_DAYS = 14


@transaction.atomic
def bassin_working_groups_create(*, actor, bassin: Territory) -> list[WorkingGroup]:
    """Create, from the template of the four themes, the working groups the bassin
    lacks: one series of kind working group per theme, coordinated by the actor
    and attached to the bassin. Themes that have their group are left alone, so
    running it twice creates nothing more. Returns the groups created."""
    require_perm(actor, "bassins.change_bassin", bassin)
    existing = set(bassin.working_groups.values_list("theme", flat=True))
    created = []
    for theme, label in WorkingGroupTheme.choices:
        if theme in existing:
            continue
        series = series_create(
            actor=actor,
            name=_("Working group %(theme)s — %(bassin)s") % {"theme": label.lower(), "bassin": bassin.name},
            kind=Series.Kind.WORKING_GROUP,
            territory=bassin,
            default_mode="in_person",
            video_provider=Series.VideoProvider.NONE,
            description=_("Working group of the %(bassin)s on %(theme)s.")
            % {"bassin": bassin.name, "theme": label.lower()},
        )
        created.append(WorkingGroup.objects.create(bassin=bassin, theme=theme, series=series))
    if created:
        forget(actor)  # the actor now coordinates the new series
    audit_record(actor=actor, action="bassin.working_groups", obj=bassin, detail={"created": len(created)})
    return created


@transaction.atomic
def bassin_municipalities_set(*, actor, bassin: Territory, municipality_ids: Iterable[int]) -> tuple[int, int]:
    """Place in the bassin exactly the municipalities `municipality_ids` of its region.

    A municipality ticked is placed whole (its parent becomes the bassin), or, when
    split between bassins, shared with this one too; one unticked returns to the
    region, or stops being shared with this bassin. A municipality another bassin
    holds whole, or one outside the region, is refused with nothing saved. The
    region's row is locked, so that two bassins never take the same municipality
    at once. Returns how many municipalities were placed and how many removed."""
    require_perm(actor, "bassins.change_bassin", bassin)
    region_id = bassin.parent_id
    list(Territory.objects.select_for_update().filter(pk=region_id or bassin.pk).values_list("pk", flat=True))
    choices = {c.municipality.pk: c for c in bassin_municipality_choices(bassin)}
    wanted = set(municipality_ids)
    if wanted - choices.keys():
        raise ValidationError({"municipalities": _("Choose among the municipalities of the bassin's region.")})
    taken = [choices[pk].municipality.name for pk in wanted if choices[pk].elsewhere is not None]
    if taken:
        raise ValidationError(
            {
                "municipalities": _("Another bassin holds %(names)s: its coordinators keep it.")
                % {"names": ", ".join(sorted(taken))}
            }
        )
    placed = removed = 0
    for pk, choice in choices.items():
        municipality = choice.municipality
        if pk in wanted and not choice.here:
            if choice.split:
                municipality.split_between.add(bassin)
            else:
                municipality.parent = bassin
                municipality.save(update_fields=["parent"])
            placed += 1
        elif pk not in wanted and choice.here:
            if municipality.parent_id == bassin.pk:
                municipality.parent_id = region_id
                municipality.save(update_fields=["parent"])
            municipality.split_between.remove(bassin)
            removed += 1
    audit_record(
        actor=actor,
        action="bassin.municipalities",
        obj=bassin,
        detail={"placed": placed, "removed": removed, "total": len(wanted)},
    )
    return placed, removed


def state_note_add(*, actor, bassin: Territory, **fields) -> StateNote:
    """Add a dated, sourced text block to the bassin's état des lieux."""
    require_perm(actor, "bassins.change_bassin", bassin)
    note = StateNote(bassin=bassin, author=actor, **fields)
    note.full_clean()
    note.save()
    audit_record(actor=actor, action="bassin.note_add", obj=note, detail={"bassin": bassin.pk})
    return note


def state_note_delete(*, actor, note: StateNote) -> None:
    """Remove a text block from the état des lieux."""
    require_perm(actor, "bassins.change_bassin", note.bassin)
    audit_record(actor=actor, action="bassin.note_delete", obj=note, detail={"bassin": note.bassin_id})
    note.delete()


def week_open(
    *, actor, bassin: Territory, starts_on: datetime.date, ends_on: datetime.date, description=""
) -> OpenDoorsWeek:
    """Open an open-doors week in the bassin: its first and last days (two weeks at most)."""
    require_perm(actor, "bassins.open_week", bassin)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day comes after the first.")})
    if (ends_on - starts_on).days >= WEEK_MAX_DAYS:
        raise ValidationError({"ends_on": _("An open-doors week lasts two weeks at most.")})
    week = OpenDoorsWeek.objects.create(
        bassin=bassin, starts_on=starts_on, ends_on=ends_on, description=description.strip(), created_by=actor
    )
    audit_record(actor=actor, action="open_doors.open", obj=week)
    return week


def slot_publish(
    *,
    actor,
    week: OpenDoorsWeek,
    host: Operator,
    starts_at: datetime.datetime,
    duration: int,
    place: str,
    programme: str,
    capacity: int,
) -> VisitSlot:
    """Publish a visit of `host`, a service of the week's bassin that the actor belongs
    to, on one of the week's days (Brussels time)."""
    require_perm(actor, "bassins.host_visits", host)
    if not Operator.objects.filter(in_bassin(week.bassin), pk=host.pk).exists():
        raise ValidationError({"host": _("This service is not in the bassin.")})
    day = brussels_date(starts_at)
    if not week.starts_on <= day <= week.ends_on:
        raise ValidationError({"starts_at": _("Choose a day of the week.")})
    slot = VisitSlot(
        week=week,
        host=host,
        starts_at=starts_at,
        duration=duration,
        place=place.strip(),
        programme=programme.strip(),
        capacity=capacity,
        created_by=actor,
    )
    slot.full_clean()
    slot.save()
    audit_record(actor=actor, action="open_doors.slot", obj=slot)
    return slot


def _set_status(booking: VisitBooking, status: str, *, now: datetime.datetime, offer_expires_at=None) -> None:
    """A new step of the booking: dated and numbered, so that its email goes once."""
    booking.status = status
    booking.status_changed_at = now
    booking.version += 1
    booking.offer_expires_at = offer_expires_at
    booking.save(update_fields=["status", "status_changed_at", "version", "offer_expires_at"])


def _offer_free_places(slot: VisitSlot, *, now: datetime.datetime) -> list[VisitBooking]:
    """Offer the free places of `slot` (locked) to its waiting list, in the order of
    booking, each with OFFER_TIME to confirm (never past the visit's start)."""
    if slot.starts_at <= now:
        return []
    free = slot.capacity - slot.bookings.filter(status__in=HOLDING_PLACE).count()
    if free <= 0:
        return []
    offered = list(slot.bookings.filter(status=BookingStatus.WAITING).order_by("created_at", "pk")[:free])
    deadline = min(now + OFFER_TIME, slot.starts_at)
    for booking in offered:
        _set_status(booking, BookingStatus.OFFERED, now=now, offer_expires_at=deadline)
    return offered


def slot_book(*, actor, slot: VisitSlot) -> VisitBooking:
    """Book a place on a visit; when the places are taken, a place on its waiting
    list (first come, first served). Once per person: booking again returns the
    live booking. Refused once the visit has started. The slot's row is locked,
    so that two people never take the last place."""
    require_perm(actor, "bassins.book_visit", slot)
    with transaction.atomic():
        slot = VisitSlot.objects.select_for_update().get(pk=slot.pk)
        if slot.starts_at <= timezone.now():
            raise ValidationError(_("This visit has started: it can no longer be booked."))
        if actor.memberships.filter(operator_id=slot.host_id).exists():
            raise ValidationError(_("Your service hosts this visit."))
        live = slot.bookings.exclude(status=BookingStatus.CANCELLED).filter(visitor=actor).first()
        if live is not None:
            return live
        taken = slot.bookings.filter(status__in=HOLDING_PLACE).count()
        membership = actor.memberships.select_related("operator").order_by("operator__name").first()
        booking = VisitBooking.objects.create(
            slot=slot,
            visitor=actor,
            operator=membership.operator if membership else None,
            status=BookingStatus.BOOKED if taken < slot.capacity else BookingStatus.WAITING,
        )
    audit_record(actor=actor, action="open_doors.book", obj=booking, detail={"status": booking.status})
    return booking


def booking_cancel(*, actor, slot: VisitSlot, now: datetime.datetime | None = None) -> VisitBooking | None:
    """Cancel the actor's booking on a visit; a place freed is offered to the first
    on the waiting list, who has OFFER_TIME to confirm it (as registrations' places
    are) and is told by email. Returns the booking offered the place, if any."""
    now = now or timezone.now()
    with transaction.atomic():
        slot = VisitSlot.objects.select_for_update().get(pk=slot.pk)
        booking = slot.bookings.exclude(status=BookingStatus.CANCELLED).filter(visitor=actor).first()
        if booking is None:
            return None
        freed = booking.status in HOLDING_PLACE
        _set_status(booking, BookingStatus.CANCELLED, now=now)
        offered = _offer_free_places(slot, now=now) if freed else []
    audit_record(actor=actor, action="open_doors.cancel", obj=booking)
    return offered[0] if offered else None


def booking_confirm(*, actor, slot: VisitSlot, now: datetime.datetime | None = None) -> VisitBooking:
    """The person takes the place offered to them on a visit, before its deadline."""
    now = now or timezone.now()
    with transaction.atomic():
        slot = VisitSlot.objects.select_for_update().get(pk=slot.pk)
        booking = slot.bookings.filter(visitor=actor, status=BookingStatus.OFFERED).first()
        if booking is None:
            raise ValidationError(_("There is no place waiting for your confirmation."))
        if booking.offer_expires_at <= now:
            raise ValidationError(_("The time to confirm this place has passed."))
        _set_status(booking, BookingStatus.BOOKED, now=now)
    audit_record(actor=actor, action="open_doors.confirm", obj=booking)
    return booking


def visit_offers_lapse(*, now: datetime.datetime | None = None) -> int:
    """Cancel the offers not confirmed in time and offer their places to the next
    people waiting. Safe to run twice or concurrently: each offer is claimed under
    its slot's lock and only while still offered and expired. Returns how many lapsed."""
    now = now or timezone.now()
    lapsed = 0
    expired = VisitBooking.objects.filter(status=BookingStatus.OFFERED, offer_expires_at__lte=now)
    for pk, slot_id in expired.values_list("pk", "slot_id")[:500]:
        with transaction.atomic():
            slot = VisitSlot.objects.select_for_update().get(pk=slot_id)
            claimed = slot.bookings.filter(pk=pk, status=BookingStatus.OFFERED, offer_expires_at__lte=now).first()
            if claimed is None:
                continue
            _set_status(claimed, BookingStatus.CANCELLED, now=now)
            lapsed += 1
            _offer_free_places(slot, now=now)
    return lapsed


def slot_confirm_held(*, actor, slot: VisitSlot) -> VisitSlot:
    """The host confirms the visit took place, once it has started: its booked
    visitors' services are then linked to the host on the map."""
    require_perm(actor, "bassins.host_visits", slot.host)
    if slot.starts_at > timezone.now():
        raise ValidationError(_("A visit is confirmed once it has taken place."))
    if slot.held_confirmed_at is None:
        slot.held_confirmed_at = timezone.now()
        slot.save(update_fields=["held_confirmed_at"])
        audit_record(actor=actor, action="open_doors.held", obj=slot)
    return slot
