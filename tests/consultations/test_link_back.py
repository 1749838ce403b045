"""The link back from an item relaunched in another series (an agenda item of its next session,
or a cooperation need) to its source: its page for the source's coordinators, its synthesis
once published for those who may read it; nobody else learns where it is."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations import services
from meetings.models import Visibility

from ..factories import SessionFactory
from ..factories.consultations import ContributionFactory, consultation_series

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def relaunched(coordinator, operator, series):
    """A private consultation's item proposed on the crisis videoconference's next agenda and raised
    there as a need."""
    sitting = SessionFactory(series=consultation_series(coordinator, visibility=Visibility.PRIVATE))
    crisis_next = SessionFactory(series=series)
    item = ContributionFactory(session=sitting, text="Un numéro unique dédié à la santé mentale")
    services.item_forward(actor=coordinator, item=item, series=series)
    as_need = services.item_forward(actor=coordinator, item=item, series=series, kind="need", operator=operator)
    return sitting, crisis_next, item, as_need.need


def _pages(user, crisis_next, need):
    client = _client(user)
    session_page = client.get(reverse("meetings:session_detail", args=[crisis_next.public_id])).content.decode()
    need_page = client.get(reverse("meetings:need_detail", args=[need.public_id])).content.decode()
    return session_page, need_page


def test_the_coordinators_of_the_source_reach_the_item_page(coordinator, relaunched):
    sitting, crisis_next, item, need = relaunched
    item_url = reverse("consultations:item_answer", args=[item.public_id])
    for page in _pages(coordinator, crisis_next, need):
        assert item_url in page and "l’élément dans « Votre opinion compte ! »" in page


def test_the_source_stays_hidden_from_those_not_part_of_a_private_consultation(coordinator, member, relaunched):
    sitting, crisis_next, item, need = relaunched
    synthesis_url = reverse("consultations:synthesis", args=[sitting.public_id])
    item_url = reverse("consultations:item_answer", args=[item.public_id])
    services.synthesis_publish(actor=coordinator, session=sitting)
    for page in _pages(member, crisis_next, need):
        assert "Un numéro unique" in page  # the need and the agenda item themselves
        assert synthesis_url not in page and item_url not in page
        assert "la synthèse de" not in page and "l’élément dans" not in page and "Points relayés" not in page


def test_once_published_a_public_synthesis_is_linked_for_the_target_series_participants(
    coordinator, member, relaunched
):
    sitting, crisis_next, item, need = relaunched
    synthesis_url = reverse("consultations:synthesis", args=[sitting.public_id])
    sitting.series.visibility = Visibility.PUBLIC
    sitting.series.save()
    assert synthesis_url not in _pages(member, crisis_next, need)[1]  # not published yet
    services.synthesis_publish(actor=coordinator, session=sitting, now=timezone.now())
    for page in _pages(member, crisis_next, need):
        assert synthesis_url in page and "la synthèse de « Votre opinion compte ! »" in page
    assert _client(member).get(synthesis_url).status_code == 200
