"""Relaunching an item in another series, and following up the previous session's items."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from consultations import services
from consultations.models import Forward
from consultations.selectors import follow_up, series_overview
from meetings.models import AgendaItem

from ..factories import SessionFactory
from ..factories.consultations import ContributionFactory, consultation_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitting(coordinator):
    return SessionFactory(series=consultation_series(coordinator))


def test_an_item_is_proposed_on_the_next_agenda_of_the_crisis_videoconference(coordinator, series, sitting):
    crisis_next = SessionFactory(series=series)
    item = ContributionFactory(session=sitting, text="Un numéro unique dédié à la santé mentale")
    client = Client()
    client.force_login(coordinator)
    response = client.post(reverse("consultations:item_forward", args=[item.public_id]), {"series": series.pk})
    assert response.status_code == 302
    forward = Forward.objects.get()
    assert forward.session == crisis_next and forward.series == series
    agenda = AgendaItem.objects.get(session=crisis_next, pk=forward.agenda_item_id)
    assert "Un numéro unique" in agenda.title and "Votre opinion compte" in agenda.title
    page = client.get(reverse("consultations:board", args=[sitting.public_id])).content.decode()
    assert series.name in page


def test_forwarding_is_only_to_a_series_one_coordinates(other_coordinator, coordinator, series, sitting):
    item = ContributionFactory(session=sitting)
    with pytest.raises(PermissionDenied):
        services.item_forward(actor=other_coordinator, item=item, series=series)
    with pytest.raises(ValidationError):
        services.item_forward(actor=coordinator, item=item, series=sitting.series)


def test_the_next_session_follows_up_the_previous_ones_items(coordinator, sitting):
    later = SessionFactory(series=sitting.series, starts_at=sitting.starts_at + datetime.timedelta(days=21))
    retained = ContributionFactory(session=sitting, text="Une cartographie")
    ContributionFactory(session=sitting, text="Un répertoire")
    services.item_answer(actor=coordinator, item=retained, status="retained")
    grouped = follow_up(later)
    assert [i.text for i in grouped["Retenue"]] == ["Une cartographie"]
    assert [i.text for i in grouped["À examiner"]] == ["Un répertoire"]
    services.follow_up_add(actor=coordinator, session=later)
    assert AgendaItem.objects.filter(session=later, title__icontains="suivi des attentes").exists()
    overview = series_overview(sitting.series)
    assert {i.text for i in overview.open_items} == {"Une cartographie", "Un répertoire"}
