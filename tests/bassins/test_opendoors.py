"""The open-doors week: a week, visits published by the bassin's services, bookings
with a waiting list, visits confirmed as held becoming links on the map."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from bassins.models import BookingStatus, VisitSlot
from bassins.selectors.network import LinkKind, MapFilters, network_build
from bassins.selectors.opendoors import week_figures
from bassins.services import (
    booking_cancel,
    booking_confirm,
    slot_book,
    slot_confirm_held,
    slot_publish,
    visit_offers_lapse,
    week_open,
)
from core.brussels import BRUSSELS

from ..conftest import login
from ..factories import MembershipFactory, OperatorFactory, UserFactory


def _at(week, day_offset=0, hour=10):
    day = week.starts_on + datetime.timedelta(days=day_offset)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BRUSSELS)


def _publish(week, host, capacity=1, **changes):
    fields = {
        "starts_at": _at(week),
        "duration": 90,
        "place": "Rue de Fierlant",
        "programme": "Visite",
        "capacity": capacity,
    }
    fields.update(changes)
    referent = host.memberships.get().user
    return slot_publish(actor=referent, week=week, host=host, **fields)


def test_only_the_team_opens_a_week_of_two_weeks_at_most(sud, bassin_coordinator, coordinator):
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        week_open(actor=coordinator, bassin=sud, starts_on=today, ends_on=today)
    with pytest.raises(ValidationError):
        week_open(actor=bassin_coordinator, bassin=sud, starts_on=today, ends_on=today + datetime.timedelta(days=20))
    with pytest.raises(ValidationError):
        week_open(actor=bassin_coordinator, bassin=sud, starts_on=today, ends_on=today - datetime.timedelta(days=1))


def test_a_service_of_the_bassin_publishes_visits_on_the_week_days(week, host, territory, member):
    slot = _publish(week, host)
    assert slot.host == host and slot.capacity == 1
    with pytest.raises(ValidationError):
        _publish(week, host, starts_at=_at(week, day_offset=10))
    with pytest.raises(PermissionDenied):  # not a member of the host
        slot_publish(
            actor=member, week=week, host=host, starts_at=_at(week), duration=60, place="x", programme="y", capacity=2
        )
    elsewhere = OperatorFactory(territory=territory)  # Namur: not in the bassin
    referent = MembershipFactory(operator=elsewhere).user
    with pytest.raises(ValidationError):
        slot_publish(
            actor=referent,
            week=week,
            host=elsewhere,
            starts_at=_at(week),
            duration=60,
            place="x",
            programme="y",
            capacity=2,
        )


def test_the_last_place_goes_and_the_waiting_list_moves_up(week, host):
    slot = _publish(week, host, capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    assert slot_book(actor=first, slot=slot).status == BookingStatus.BOOKED
    assert slot_book(actor=second, slot=slot).status == BookingStatus.WAITING
    assert slot_book(actor=third, slot=slot).status == BookingStatus.WAITING
    assert slot_book(actor=second, slot=slot).status == BookingStatus.WAITING  # once per person
    with pytest.raises(ValidationError):  # a host does not visit itself
        slot_book(actor=host.memberships.get().user, slot=slot)
    # As registrations' places: the freed place is offered to the first waiting, to confirm.
    offered = booking_cancel(actor=first, slot=slot)
    assert offered.visitor == second and offered.status == BookingStatus.OFFERED
    assert slot_book(actor=UserFactory(), slot=slot).status == BookingStatus.WAITING  # the offer holds the place
    with pytest.raises(ValidationError):  # nothing offered to the third
        booking_confirm(actor=third, slot=slot)
    assert booking_confirm(actor=second, slot=slot).status == BookingStatus.BOOKED
    assert booking_cancel(actor=third, slot=slot) is None  # a waiting place frees nothing
    statuses = dict(slot.bookings.filter(visitor__in=[first, second, third]).values_list("visitor_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "booked", third.pk: "cancelled"}


def test_an_offer_not_confirmed_in_time_goes_to_the_next_person_waiting(week, host):
    slot = _publish(week, host, capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    for person in (first, second, third):
        slot_book(actor=person, slot=slot)
    now = timezone.now()
    offered = booking_cancel(actor=first, slot=slot, now=now)
    assert offered.offer_expires_at == now + datetime.timedelta(hours=48)
    assert visit_offers_lapse(now=now + datetime.timedelta(hours=47)) == 0
    later = now + datetime.timedelta(hours=48)
    assert visit_offers_lapse(now=later) == 1
    assert visit_offers_lapse(now=later) == 0  # safe to run twice
    with pytest.raises(ValidationError):
        booking_confirm(actor=second, slot=slot, now=later)
    statuses = dict(slot.bookings.values_list("visitor_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "cancelled", third.pk: "offered"}


def test_a_started_visit_is_no_longer_booked(week, host):
    slot = _publish(week, host)
    VisitSlot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    slot.refresh_from_db()
    with pytest.raises(ValidationError):
        slot_book(actor=UserFactory(), slot=slot)


def test_a_visit_held_becomes_a_link_on_the_map_for_everyone(week, host, operator, member, outsider):
    slot = _publish(week, host, capacity=3)
    slot_book(actor=member, slot=slot)  # a member of Canopée
    referent = host.memberships.get().user
    with pytest.raises(ValidationError):  # not yet: the visit is to come
        slot_confirm_held(actor=referent, slot=slot)
    VisitSlot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=2))
    slot.refresh_from_db()
    with pytest.raises(PermissionDenied):
        slot_confirm_held(actor=member, slot=slot)
    slot_confirm_held(actor=referent, slot=slot)
    link = next(iter(network_build(outsider, MapFilters()).links))
    assert {link.source, link.target} == {host, operator} and dict(link.kinds) == {LinkKind.VISIT: 1}
    figures = week_figures(week)
    assert (figures.services, figures.slots, figures.visits_held, figures.links) == (1, 1, 1, 1)


def test_the_week_page_shows_places_and_only_hosts_see_visitors(client, week, host, member, outsider):
    slot = _publish(week, host, capacity=1)
    slot_book(actor=member, slot=slot)
    url = reverse("bassins:week", kwargs={"week_id": week.public_id})
    page = login(client, outsider).get(url).content.decode()
    assert "places prises : 1 sur 1" in page and "S'inscrire sur la liste d'attente" in page
    assert member.name not in page
    login(client, host.memberships.get().user)
    page = client.get(url).content.decode()
    assert member.name in page and "Confirmer que la visite a eu lieu" in page
    # Browsing by kind of service.
    assert "SSM de Forest" not in client.get(url, {"kind": "hospital"}).content.decode()


def test_book_and_cancel_through_the_pages(client, week, host, outsider):
    slot = _publish(week, host, capacity=1)
    login(client, outsider)
    client.post(reverse("bassins:slot_book", kwargs={"slot_id": slot.public_id}))
    assert slot.bookings.get().status == BookingStatus.BOOKED
    client.post(reverse("bassins:slot_cancel", kwargs={"slot_id": slot.public_id}))
    assert slot.bookings.get().status == BookingStatus.CANCELLED
