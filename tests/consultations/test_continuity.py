"""Relaunching an item in another series, and following up the previous session's items."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from consultations import services
from consultations.models import Forward
from consultations.selectors import follow_up, series_overview
from meetings.models import AgendaItem, CooperationNeed

from ..factories import OperatorFactory, SessionFactory
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


def test_an_item_is_raised_as_a_cooperation_need_in_the_name_of_a_participating_operator(
    coordinator, operator, series, sitting
):
    item = ContributionFactory(session=sitting, text="Un numéro unique dédié à la santé mentale")
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("consultations:item_answer", args=[item.public_id])).content.decode()
    assert f'<option value="{operator.pk}">{operator.name}</option>' in page
    url = reverse("consultations:item_forward", args=[item.public_id])
    response = client.post(url, {"series": series.pk, "kind": "need", "operator": operator.pk})
    assert response.status_code == 302
    forward = Forward.objects.get()
    need = CooperationNeed.objects.get(pk=forward.need_id)
    assert forward.kind == "need" and forward.agenda_item is None
    assert need.series == series and need.raised_by == operator and "Un numéro unique" in need.title
    assert "Votre opinion compte" in need.description and "Un numéro unique" in need.description
    board = client.get(reverse("consultations:board", args=[sitting.public_id])).content.decode()
    assert "Relayé comme besoin de coopération" in board
    assert reverse("meetings:need_detail", args=[need.public_id]) in board


def test_the_operator_raising_the_need_must_take_part_in_the_target_series(coordinator, series, sitting):
    item = ContributionFactory(session=sitting)
    stranger = OperatorFactory()
    client = Client()
    client.force_login(coordinator)
    url = reverse("consultations:item_forward", args=[item.public_id])
    for data in (
        {"series": series.pk, "kind": "need", "operator": stranger.pk},
        {"series": series.pk, "kind": "need"},
        {"series": series.pk, "kind": "need", "operator": "1' OR 1=1"},
        {"series": series.pk, "kind": "bogus"},
    ):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
    assert not Forward.objects.exists() and not CooperationNeed.objects.exists()
    with pytest.raises(ValidationError):
        services.item_forward(actor=coordinator, item=item, series=series, kind="need", operator=stranger)
    with pytest.raises(ValidationError):
        services.item_forward(actor=coordinator, item=item, series=series, kind="need")
