"""Reads of the charter: where a person stands, the signatories, the gate's cost."""

import datetime

import pytest
from django.urls import reverse

from core.request_cache import forget
from meetings.models import CharterAcceptance, Participation
from meetings.selectors.access import participating_series_ids
from meetings.selectors.charter import Standing, signatories_page, standing_of
from meetings.services.charter import charter_withdraw
from operators.models import MembershipRole

from ..conftest import login
from ..factories import MembershipFactory, OperatorFactory, SeriesFactory
from ..factories.charter import accepted_by, charter_publish_version


def _record(version, kind):
    return CharterAcceptance(version=version, version_id=version.pk, kind=kind, signed_name="X")


def test_standing_of_each_history(series, coordinator):
    v1 = charter_publish_version(series, coordinator)
    v2 = charter_publish_version(series, coordinator, title="v2")
    accepted, withdrawn = CharterAcceptance.Kind.ACCEPTED, CharterAcceptance.Kind.WITHDRAWN
    assert standing_of([], v2).standing == Standing.PENDING
    assert standing_of([_record(v1, accepted)], v2).standing == Standing.OUTDATED
    assert standing_of([_record(v1, accepted), _record(v2, accepted)], v2).standing == Standing.ACCEPTED
    assert standing_of([_record(v2, accepted), _record(v2, withdrawn)], v2).standing == Standing.WITHDRAWN
    again = standing_of([_record(v2, accepted), _record(v2, withdrawn), _record(v2, accepted)], v2)
    assert again.standing == Standing.ACCEPTED and again.accepted.version == v2


def test_signatories_list_everyone_who_takes_part_and_who_answered(series, coordinator, member, referent, operator):
    charter_publish_version(series, coordinator)
    accepted_by(series, member, referent)
    charter_withdraw(actor=referent, series=series)
    charter_publish_version(series, coordinator, title="v2")
    newcomer = MembershipFactory(operator=operator, role=MembershipRole.MEMBER, user__name="Zoé Neuve").user
    page = signatories_page(series=series)
    standings = {s.person: s.standing.standing for s in page.signatories}
    assert standings == {member: "outdated", referent: "withdrawn", newcomer: "pending"}
    assert coordinator not in standings and page.coordinators == [coordinator]
    assert all(s.operators == ["Canopée"] for s in page.signatories)
    assert page.counts == {"accepted": 0, "outdated": 1, "withdrawn": 1, "pending": 1}


def _people_who_accept(series, coordinator, count):
    charter_publish_version(series, coordinator)
    for _ in range(count):
        operator = OperatorFactory()
        Participation.objects.create(series=series, operator=operator, since=datetime.date(2020, 9, 1))
        for _person in range(2):
            person = MembershipFactory(operator=operator).user
            accepted_by(series, person)
    charter_publish_version(series, coordinator, title="v2")


@pytest.mark.parametrize("count", [1, 12])
def test_signatories_page_query_count_is_fixed(client, series, coordinator, count, django_assert_num_queries):
    _people_who_accept(series, coordinator, count)
    login(client, coordinator)
    url = reverse("meetings:charter_signatories", kwargs={"series_id": series.public_id})
    with django_assert_num_queries(13):
        response = client.get(url)
    assert len(response.context["page"].signatories) == 2 * count


@pytest.mark.parametrize("count", [1, 12])
def test_the_gate_costs_no_query_per_series(series, coordinator, member, operator, count, django_assert_num_queries):
    """Whatever the number of series under a charter, what the person may see costs the same queries."""
    for number in range(count):
        gated = SeriesFactory(name=f"Concertation {number}")
        gated.coordinators.add(coordinator)
        Participation.objects.create(series=gated, operator=operator, since=datetime.date(2020, 9, 1))
        charter_publish_version(gated, coordinator)
        if number % 2:
            accepted_by(gated, member)
    forget(member)
    # The person's operators, the participations with their charters, the series they take part in
    # in their own name with their charters, the series they coordinate.
    with django_assert_num_queries(4):
        visible = participating_series_ids(member)
    assert len(visible) == 1 + count // 2


def test_an_individual_participant_is_held_back_and_listed_like_a_member(series, coordinator, individual):
    charter_publish_version(series, coordinator)
    forget(individual)
    assert series.pk not in participating_series_ids(individual)
    page = signatories_page(series=series)
    (row,) = [s for s in page.signatories if s.person == individual]
    assert row.standing.standing == Standing.PENDING
    accepted_by(series, individual)
    forget(individual)
    assert series.pk in participating_series_ids(individual)
