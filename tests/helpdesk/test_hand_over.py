"""The hand-over of a request: to a clinical concertation (a proposed situation, through
clinical's rules, guard and proposal service, the request closed as "concertation
organised"), and to a cooperation need (a refused series is an error next to the field)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from clinical.models import Situation
from clinical.selectors import series_situations
from core.request_cache import forget
from helpdesk.models import HandOver, Outcome, Request, Status
from helpdesk.services.handover import hand_over_link, request_hand_over_to_situation
from helpdesk.services.requests import RequestConflict, request_hand_over_to_need, request_take
from meetings.models import CooperationNeed
from operators.models import OperatorMembership

from ..factories import OperatorFactory
from ..factories.clinical import clinical_series
from ..factories.helpdesk import help_request

NISS = "85.07.30-033.28"
QUESTION = "Comment l'accompagner vers les soins sans rompre le lien ?"


@pytest.fixture
def archipel(agent, coordinator, operator):
    """A clinical concertation the agent takes part in (through `operator`) under its accepted charter."""
    OperatorMembership.objects.create(user=agent, operator=operator, role="member")
    series = clinical_series(coordinator, operator, agent)
    forget(agent)
    return series


@pytest.fixture
def request_(sud, agent):
    request = help_request(sud, tried="Deux rendez-vous au CPAS.", services_involved="Le CPAS, un SSM")
    return request_take(actor=agent, request=request, version=request.version)


def _hand_over(agent, request, series, **changes):
    data = {
        "requester_agreed": True,
        "version": request.version,
        "age_range": "26-64",
        "life_context": request.situation,
        "tried": request.tried,
        "services_other": request.services_involved,
        "question": QUESTION,
    } | changes
    return request_hand_over_to_situation(actor=agent, request=request, series=series, **data)


def test_the_request_becomes_a_proposed_situation_and_is_closed(agent, coordinator, archipel, request_):
    situation = _hand_over(agent, request_, archipel)
    assert (situation.series, situation.author, situation.status) == (archipel, agent, Situation.Status.PROPOSED)
    assert (situation.life_context, situation.tried, situation.services_other) == (
        request_.situation,
        "Deux rendez-vous au CPAS.",
        "Le CPAS, un SSM",
    )
    request = Request.objects.get(pk=request_.pk)
    assert (request.status, request.outcome) == (Status.CLOSED, Outcome.CONCERTATION)
    assert (request.handed_to_kind, request.handed_to_id) == (HandOver.SITUATION, str(situation.public_id))
    assert request.handed_to_label == archipel.name
    assert request.handed_to_url == reverse("clinical:situation", kwargs={"situation_id": situation.public_id})
    assert request.events.filter(action="hand_over", to_status=Status.CLOSED).exists()
    forget(coordinator)
    assert situation in series_situations(coordinator, archipel)  # the carrier group sees it among proposals


def test_without_the_requesters_agreement_nothing_is_stored(agent, archipel, request_):
    with pytest.raises(ValidationError) as refused:
        _hand_over(agent, request_, archipel, requester_agreed=False)
    assert "requester_agreed" in refused.value.error_dict
    assert not Situation.objects.exists()
    assert Request.objects.get(pk=request_.pk).status == Status.ASSIGNED


def test_a_series_where_the_owner_may_not_propose_is_refused_next_to_the_field(
    agent, coordinator, operator, request_, other_coordinator
):
    not_signed = clinical_series(other_coordinator, operator, name="Concertation clinique Sans charte")
    OperatorMembership.objects.get_or_create(user=agent, operator=operator, defaults={"role": "member"})
    forget(agent)
    with pytest.raises(ValidationError) as refused:
        _hand_over(agent, request_, not_signed)
    assert "series" in refused.value.error_dict
    assert not Situation.objects.exists()


@pytest.mark.parametrize("field", ["life_context", "tried", "services_other", "question"])
def test_the_guard_checks_the_vignette_again(agent, archipel, request_, field):
    with pytest.raises(ValidationError) as refused:
        _hand_over(agent, request_, archipel, **{field: f"Suivi, NISS {NISS}."})
    assert field in refused.value.error_dict
    assert not Situation.objects.exists()
    request = Request.objects.get(pk=request_.pk)
    assert (request.status, request.handed_to_kind) == (Status.ASSIGNED, "")


def test_a_stale_version_stores_nothing(agent, archipel, request_):
    with pytest.raises(RequestConflict):
        _hand_over(agent, request_, archipel, version=request_.version - 1)
    assert not Situation.objects.exists()


def test_a_request_is_handed_over_once(agent, archipel, request_):
    _hand_over(agent, request_, archipel)
    request = Request.objects.get(pk=request_.pk)
    with pytest.raises(ValidationError):
        _hand_over(agent, request, archipel)
    assert Situation.objects.count() == 1


def test_the_link_to_the_situation_follows_clinicals_view_rule(agent, colleague, archipel, request_):
    _hand_over(agent, request_, archipel)
    request = Request.objects.get(pk=request_.pk)
    assert hand_over_link(agent, request) == request.handed_to_url  # its author, a signatory
    assert hand_over_link(colleague, request) == ""  # team, but not in the concertation
    assert hand_over_link(request.requester, request) == ""


def test_the_page_links_the_situation_only_for_who_may_see_it(client, agent, colleague, archipel, request_):
    _hand_over(agent, request_, archipel)
    request = Request.objects.get(pk=request_.pk)
    url = reverse("helpdesk:request", kwargs={"request_id": request.public_id})
    client.force_login(agent)
    assert f'href="{request.handed_to_url}"' in client.get(url).content.decode()
    for person in (colleague, request.requester):
        forget(person)
        client.force_login(person)
        page = client.get(url).content.decode()
        assert request.handed_to_url not in page
        assert archipel.name in page


def _situation_post(request, series, **changes):
    return {
        "situation-version": request.version,
        "situation-series": series.pk,
        "situation-age_range": "26-64",
        "situation-life_context": request.situation,
        "situation-tried": "Deux rendez-vous au CPAS.",
        "situation-question": QUESTION,
        "situation-requester_agreed": "on",
    } | changes


def test_the_form_is_prefilled_and_offers_the_series_where_the_owner_may_propose(
    client, agent, archipel, request_, operator, other_coordinator
):
    clinical_series(other_coordinator, operator, name="Concertation clinique Sans charte")
    forget(agent)
    client.force_login(agent)
    page = client.get(reverse("helpdesk:request", kwargs={"request_id": request_.public_id})).content.decode()
    assert 'name="situation-life_context"' in page
    assert "Deux rendez-vous au CPAS." in page
    choices = page.split('name="situation-series"')[1].split("</select>")[0]
    assert archipel.name in choices
    assert "Sans charte" not in choices


def test_the_view_hands_over_and_redirects(client, agent, archipel, request_):
    client.force_login(agent)
    url = reverse("helpdesk:hand_over_situation", kwargs={"request_id": request_.public_id})
    response = client.post(url, _situation_post(request_, archipel))
    assert response.status_code == 302
    assert Situation.objects.get().series == archipel
    assert Request.objects.get(pk=request_.pk).outcome == Outcome.CONCERTATION


def test_the_view_shows_the_guard_and_keeps_the_text(client, agent, archipel, request_):
    client.force_login(agent)
    url = reverse("helpdesk:hand_over_situation", kwargs={"request_id": request_.public_id})
    question = f"Joindre au {NISS} ?"
    response = client.post(url, _situation_post(request_, archipel, **{"situation-question": question}))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error_1_id_situation-question"' in page or "is-invalid" in page
    assert NISS in page  # what was typed is kept
    assert not Situation.objects.exists()


def test_a_refused_series_is_an_error_next_to_the_field_not_a_403(client, agent, operator, request_, other_coordinator):
    not_signed = clinical_series(other_coordinator, operator, name="Concertation clinique Sans charte")
    OperatorMembership.objects.get_or_create(user=agent, operator=operator, defaults={"role": "member"})
    client.force_login(agent)
    url = reverse("helpdesk:hand_over_situation", kwargs={"request_id": request_.public_id})
    response = client.post(url, _situation_post(request_, not_signed, **{"situation-question": "Quelle piste ?"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error_1_id_situation-series"' in page
    assert "Quelle piste ?" in page
    assert "choisissez une concertation clinique dont vous avez accepté la charte" in page
    assert not Situation.objects.exists()


def test_a_cooperation_need_refused_for_the_service_is_an_error_next_to_the_series(sud, agent, series, operator):
    foreign = OperatorFactory(name="Ailleurs")
    request = help_request(sud)
    with pytest.raises(ValidationError) as refused:
        request_hand_over_to_need(
            actor=agent,
            request=request,
            series=series,
            operator=foreign,
            title="Logement",
            requester_agreed=True,
            version=request.version,
        )
    assert "series" in refused.value.error_dict
    assert not CooperationNeed.objects.exists()


def test_the_need_hand_over_view_answers_400_and_keeps_the_title(client, sud, agent, series, operator, monkeypatch):
    OperatorMembership.objects.create(user=agent, operator=operator, role="member")
    request = help_request(sud)

    def refuse(**kwargs):
        raise PermissionDenied  # need_raise's answer to someone who may not raise a need there

    monkeypatch.setattr("helpdesk.services.requests.need_raise", refuse)
    client.force_login(agent)
    url = reverse("helpdesk:hand_over", kwargs={"request_id": request.public_id})
    data = {
        "handover-version": request.version,
        "handover-series": series.pk,
        "handover-operator": operator.pk,
        "handover-title": "Un titre tapé",
        "handover-requester_agreed": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error_1_id_handover-series"' in page
    assert "Un titre tapé" in page
