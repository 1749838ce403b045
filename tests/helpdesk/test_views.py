"""The help desk's pages: asking behind the guard, the request's page for its
requester and the team, the queue at a fixed number of queries, confidentiality."""

import datetime

import pytest
from django.urls import reverse

from core.brussels import BRUSSELS
from helpdesk.models import MessageKind, Request, RequestAccess, Status
from helpdesk.services.requests import contact_record, message_post, request_take

from ..factories import UserFactory
from ..factories.helpdesk import help_request

PHONE = "0470 12 34 56"


def form_data(**changes):
    return {
        "sectors": ["mental_health", "youth"],
        "situation": "Une adolescente de 15 ans en rupture scolaire, famille épuisée.",
        "tried": "Un suivi au PMS.",
        "need": "concertation",
        "urgency": "days",
        "contact_preference": "email",
    } | changes


def test_the_form_shows_the_emergency_numbers(client, sud, team):
    client.force_login(UserFactory())
    response = client.get(reverse("helpdesk:create", kwargs={"slug": sud.slug}))
    assert response.status_code == 200
    assert "112" in response.content.decode()
    assert response["Cache-Control"].count("no-store") == 1


def test_the_guard_stops_and_keeps_the_text(client, sud, team):
    client.force_login(UserFactory())
    situation = f"Madame, joignable au {PHONE}, n'a plus de logement."
    response = client.post(reverse("helpdesk:create", kwargs={"slug": sud.slug}), form_data(situation=situation))
    assert response.status_code == 400
    page = response.content.decode()
    assert f"<mark>{PHONE}</mark>" in page
    assert "n&#x27;a plus de logement." in page  # the text is kept in the form
    assert not Request.objects.exists()


def test_a_request_is_sent_and_followed(client, sud, team):
    requester = UserFactory()
    client.force_login(requester)
    response = client.post(reverse("helpdesk:create", kwargs={"slug": sud.slug}), form_data())
    request = Request.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("helpdesk:request", kwargs={"request_id": request.public_id})
    page = client.get(response["Location"])
    assert "rupture scolaire" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert RequestAccess.objects.filter(request=request, user=requester).count() == 1


def test_the_requester_does_not_see_internal_notes(client, sud, agent):
    request = help_request(sud)
    message_post(actor=agent, request=request, kind=MessageKind.NOTE, body="Note interne de l'équipe")
    client.force_login(request.requester)
    page = client.get(reverse("helpdesk:request", kwargs={"request_id": request.public_id})).content.decode()
    assert "Note interne" not in page
    client.force_login(agent)
    page = client.get(reverse("helpdesk:request", kwargs={"request_id": request.public_id})).content.decode()
    assert "Note interne" in page


@pytest.mark.parametrize("who", ["outsider", "admin_user", "bassin_coordinator"])
def test_others_get_a_404(client, sud, team, who, request):
    help_request_ = help_request(sud)
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("helpdesk:request", kwargs={"request_id": help_request_.public_id}))
    assert response.status_code == 404


def test_take_conflict_shows_a_message(client, sud, agent, colleague):
    request = help_request(sud)
    request_take(actor=colleague, request=request, version=1)
    client.force_login(agent)
    url = reverse("helpdesk:take", kwargs={"request_id": request.public_id})
    response = client.post(url, {"version": 1}, follow=True)
    assert "entre-temps" in response.content.decode()
    assert Request.objects.get().owner == colleague


def test_the_owner_closes_with_an_outcome(client, sud, agent, operator):
    request = request_take(actor=agent, request=help_request(sud), version=1)
    client.force_login(agent)
    base = {"request_id": request.public_id}
    client.post(reverse("helpdesk:contact", kwargs=base), {"contact-operator": operator.pk, "contact-result": "agreed"})
    response = client.post(
        reverse("helpdesk:close", kwargs=base), {"close-version": request.version, "close-outcome": ""}
    )
    assert response.status_code == 400
    response = client.post(
        reverse("helpdesk:close", kwargs=base), {"close-version": request.version, "close-outcome": "concertation"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.outcome, request.contacts.count()) == (Status.CLOSED, "concertation", 1)


def test_the_requester_answers(client, sud, agent):
    request = help_request(sud)
    message_post(actor=agent, request=request, kind=MessageKind.QUESTION, body="Depuis quand ?")
    client.force_login(request.requester)
    url = reverse("helpdesk:message", kwargs={"request_id": request.public_id})
    assert client.post(url, {"body": "Depuis trois mois."}).status_code == 302
    request.refresh_from_db()
    assert request.status == Status.ASSIGNED


def test_the_queue_is_for_the_team(client, sud, agent):
    url = reverse("helpdesk:queue", kwargs={"slug": sud.slug})
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(agent)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [1, 1000])
def test_the_queue_runs_a_fixed_number_of_queries(client, sud, agent, colleague, count, django_assert_num_queries):
    model = help_request(sud)
    requester = model.requester
    old = datetime.date(2026, 1, 5)
    Request.objects.bulk_create(
        Request(
            bassin=sud,
            requester=requester,
            sectors=["housing"],
            situation="Situation",
            need="advice",
            status=Status.ASSIGNED if i % 3 == 0 else Status.NEW,
            owner=colleague if i % 3 == 0 else None,
            first_answer_due=old if i % 2 else model.first_answer_due,
        )
        for i in range(count - 1)
    )
    client.force_login(agent)
    client.get(reverse("helpdesk:queue", kwargs={"slug": sud.slug}))  # warm the session
    with django_assert_num_queries(14):
        response = client.get(reverse("helpdesk:queue", kwargs={"slug": sud.slug}), {"overdue": "on"})
    assert response.status_code == 200
    assert len(response.context["queue"].requests) == (count - 1) // 2


def test_overdue_requests_show_on_the_queue(client, sud, agent):
    help_request(sud, at=datetime.datetime(2026, 1, 5, 10, tzinfo=BRUSSELS))
    client.force_login(agent)
    page = client.get(reverse("helpdesk:queue", kwargs={"slug": sud.slug})).content.decode()
    assert "data-overdue-alert" in page


def test_the_desk_page_and_the_state_show_figures_without_text(client, sud, agent):
    request = help_request(sud)
    request_take(actor=agent, request=request, version=1)
    client.force_login(UserFactory())
    for url in (
        reverse("helpdesk:desk", kwargs={"slug": sud.slug}),
        reverse("bassins:state", kwargs={"slug": sud.slug}),
    ):
        page = client.get(url).content.decode()
        assert "<svg" in page
        assert "sans logement" not in page


def test_the_figures_export(client, sud, agent):
    help_request(sud)
    client.force_login(UserFactory())
    response = client.get(reverse("helpdesk:figures_xlsx", kwargs={"slug": sud.slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_contacts_become_links_on_the_map(client, sud, agent, operator, other_operator):
    request = help_request(sud, requester_operator=None)
    Request.objects.filter(pk=request.pk).update(requester_operator=other_operator)
    request.refresh_from_db()
    contact_record(actor=agent, request=request, operator=operator, result="agreed")
    client.force_login(UserFactory())
    response = client.get(reverse("bassins:map_link", kwargs={"a": operator.slug, "b": other_operator.slug}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "collaboration" in page
    assert "sans logement" not in page
