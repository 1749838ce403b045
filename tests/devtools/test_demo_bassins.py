"""The demo of the Brussels bassins: Bassin Sud, its groups, its priority actions, the map."""

import pytest
from django.core.management import call_command

from accounts.models import User
from bassins.models import BassinMember, BookingStatus, OpenDoorsWeek, StateNote, VisitBooking, WorkingGroup
from bassins.selectors.bassin import bassin_state
from bassins.selectors.network import MapFilters, network_build
from devtools.demo_bassins import PRIORITY_ACTIONS, SUD_SERIES
from meetings.models import CooperationNeed
from operators.models import Territory
from operators.selectors import bassin_municipalities


@pytest.fixture
def demo(db):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    return Territory.objects.get(slug="bruxelles-sud")


def test_bassin_sud_has_its_municipalities_groups_and_teams(demo):
    assert Territory.objects.filter(kind=Territory.Kind.BASSIN).count() == 5
    assert [t.name for t in bassin_municipalities(demo)] == [
        "Bruxelles",
        "Forest",
        "Ixelles",
        "Saint-Gilles",
        "Uccle",
        "Watermael-Boitsfort",
    ]
    assert WorkingGroup.objects.filter(bassin=demo).count() == 4
    assert BassinMember.objects.filter(bassin=demo).count() == 4
    assert StateNote.objects.filter(bassin=demo).count() == 1


def test_the_nine_priority_actions_of_2023_are_needs_of_the_bassin(demo):
    needs = CooperationNeed.objects.filter(series__name=SUD_SERIES, title__in=PRIORITY_ACTIONS)
    assert sorted(needs.values_list("title", flat=True)) == sorted(PRIORITY_ACTIONS) and len(PRIORITY_ACTIONS) == 9
    # And the need the help desk handed over to the bassin's coordination (devtools/demo_helpdesk.py).
    assert bassin_state(demo).need_count == 9 + 1


def test_the_map_shows_the_namur_and_brussels_networks(demo):
    admin = User.objects.get(email="admin@carrefour.example")
    slugs = {frozenset((link.source.slug, link.target.slug)) for link in network_build(admin, MapFilters()).links}
    assert frozenset(("canopee", "polaris")) in slugs
    assert frozenset(("ssm-forest", "spad-sud")) in slugs
    # The bassin's coordinator sees the Brussels network, filtered to the bassin.
    nathalie = User.objects.get(email="nathalie.verbeke@brusano.example")
    network = network_build(nathalie, MapFilters(bassin=demo))
    assert network.links and all(link.source.slug != "canopee" for link in network.links)


def test_an_open_doors_week_with_a_dozen_visits_and_a_waiting_list(demo):
    week = OpenDoorsWeek.objects.get(bassin=demo)
    assert week.slots.count() == 12
    statuses = set(VisitBooking.objects.filter(slot__week=week).values_list("status", flat=True))
    assert statuses == {BookingStatus.BOOKED, BookingStatus.WAITING}
