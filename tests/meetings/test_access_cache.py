"""Who takes part in which series is kept in the cache per person (meetings.selectors.access):
every write that changes it shows on the next request."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Participation
from meetings.selectors.access import participating_series_ids
from meetings.services.series import participation_add, participation_end
from registrations.models import Registration

from ..conftest import login
from ..factories import MembershipFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _page(client, series):
    return client.get(reverse("meetings:series_detail", kwargs={"series_id": series.public_id}))


def test_an_operator_joining_and_leaving_opens_and_closes_the_series_at_once(
    client, series, coordinator, other_operator, other_member
):
    login(client, other_member)
    assert _page(client, series).status_code == 404
    participation_add(actor=coordinator, series=series, operator=other_operator, since=datetime.date(2020, 9, 1))
    assert series.name in _page(client, series).content.decode()
    participation_end(actor=coordinator, participation=Participation.objects.get(operator=other_operator))
    assert _page(client, series).status_code == 404


def test_a_membership_ended_closes_the_series(client, series, member):
    login(client, member)
    assert _page(client, series).status_code == 200
    member.memberships.all().delete()
    assert _page(client, series).status_code == 404


def test_an_individual_registration_cancelled_closes_the_series(client, series, outsider):
    registration = RegistrationFactory(series=series, user=outsider)
    login(client, outsider)
    assert _page(client, series).status_code == 200
    registration.status = Registration.Status.CANCELLED
    registration.save()
    assert _page(client, series).status_code == 404


def test_the_participations_are_read_once_then_from_the_cache(series, member, other_operator):
    from accounts.models import User

    assert participating_series_ids(member) == {series.pk}
    fresh = User.objects.get(pk=member.pk)  # the next request's person
    with CaptureQueriesContext(connection) as queries:
        assert participating_series_ids(fresh) == {series.pk}
    assert not [q for q in queries.captured_queries if "meetings_participation" in q["sql"]]
    MembershipFactory(operator=other_operator, user=member)
    Participation.objects.create(series=series, operator=other_operator, since=datetime.date(2020, 9, 1))
    assert participating_series_ids(User.objects.get(pk=member.pk)) == {series.pk}  # read again, still one series
