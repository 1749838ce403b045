"""The reads of the open-doors week: its page, its figures."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from accounts.selectors import user_operator_roles
from operators.models import Operator, Territory
from operators.selectors import in_bassin, in_municipality

from ..models import HOLDING_PLACE, BookingStatus, OpenDoorsWeek, VisitBooking, VisitSlot


def week_get(public_id) -> OpenDoorsWeek:
    week = OpenDoorsWeek.objects.select_related("bassin").filter(public_id=public_id).first()
    if week is None:
        raise Http404
    return week


def slot_get(public_id) -> VisitSlot:
    slot = VisitSlot.objects.select_related("week", "week__bassin", "host").filter(public_id=public_id).first()
    if slot is None:
        raise Http404
    return slot


def booked_slot_get(user, public_id) -> VisitSlot:
    """A visit on which `user` has a place (not the waiting list): 404 otherwise."""
    slot = slot_get(public_id)
    if not slot.bookings.filter(visitor=user, status=BookingStatus.BOOKED).exists():
        raise Http404
    return slot


def week_days(week: OpenDoorsWeek) -> list[datetime.date]:
    return [week.starts_on + datetime.timedelta(days=n) for n in range((week.ends_on - week.starts_on).days + 1)]


@dataclass
class WeekFigures:
    services: int
    slots: int
    visits_held: int
    links: int


def week_figures(week: OpenDoorsWeek) -> WeekFigures:
    """Services that opened, slots, visits held (booked places of visits confirmed as
    held) and the links made (pairs of services that met)."""
    held = VisitBooking.objects.filter(
        slot__week=week, slot__held_confirmed_at__isnull=False, status=BookingStatus.BOOKED
    )
    pairs = {
        tuple(sorted(pair))
        for pair in held.filter(operator__isnull=False).values_list("slot__host_id", "operator_id")
        if pair[0] != pair[1]
    }
    slots = week.slots.aggregate(n=Count("pk"), services=Count("host", distinct=True))
    return WeekFigures(services=slots["services"], slots=slots["n"], visits_held=held.count(), links=len(pairs))


@dataclass
class WeekPage:
    week: OpenDoorsWeek
    slots: list[VisitSlot]  # each with `booked`, `waiting`, `visitors` and `my_booking`
    hosting: set[int]
    figures: WeekFigures
    can_publish: bool


def week_page(
    user,
    week: OpenDoorsWeek,
    *,
    day: datetime.date | None = None,
    kind: str = "",
    municipality: Territory | None = None,
) -> WeekPage:
    """The week's visits (filtered by day, kind of service, municipality) with their
    places taken, the person's own bookings, and the visitors of the visits the
    person's services host (a fixed number of queries)."""
    my_operators = set(user_operator_roles(user))
    slots = (
        week.slots.select_related("host")
        .annotate(
            booked=Count("bookings", filter=Q(bookings__status__in=HOLDING_PLACE)),
            waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
        )
        .order_by("starts_at", "pk")
    )
    if day is not None:
        slots = slots.filter(starts_at__date=day)
    if kind:
        slots = slots.filter(host__kind=kind)
    if municipality is not None:
        slots = slots.filter(host__in=Operator.objects.filter(in_municipality(municipality)))
    visitors = VisitBooking.objects.exclude(status=BookingStatus.CANCELLED).select_related("visitor", "operator")
    slots = list(
        slots.prefetch_related(
            Prefetch("bookings", queryset=visitors.filter(slot__host_id__in=my_operators), to_attr="visitors")
        )
    )
    mine = {
        b.slot_id: b
        for b in VisitBooking.objects.filter(slot__week=week, visitor_id=user.pk).exclude(
            status=BookingStatus.CANCELLED
        )
    }
    for slot in slots:
        slot.my_booking = mine.get(slot.pk)
    return WeekPage(
        week=week,
        slots=slots,
        hosting={s.pk for s in slots if s.host_id in my_operators},
        figures=week_figures(week),
        can_publish=bool(publishable_hosts(user, week)),
    )


def publishable_hosts(user, week: OpenDoorsWeek) -> list[Operator]:
    """The services of the week's bassin the person may publish visits for."""
    qs = Operator.objects.filter(in_bassin(week.bassin), is_active=True)
    if not user.is_superuser:
        qs = qs.filter(pk__in=list(user_operator_roles(user)))
    return list(qs.order_by("name"))
