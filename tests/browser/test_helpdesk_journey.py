"""A field worker asks the Bassin Sud's help desk for help: the guard stops a name and a
phone number in the situation, she rephrases and sends; a member of the team takes the
request and asks a question; the field worker answers; the owner records two
contacts and, with her agreement, hands it over to a clinical concertation: it is
closed as "concertation organised" and appears as a proposed situation among the
carrier group's proposals (the field worker sees only the series' name). The demo's
overdue request shows on the team's queue, and on a phone the queue still reads."""

import pytest

from accounts.models import User
from clinical.models import Situation
from devtools.demo import DEMO_PASSWORD
from devtools.demo_bassins import seed_bassins
from devtools.demo_helpdesk import seed_help_desk
from helpdesk.models import Request, Status

from ..factories import PASSWORD, UserFactory
from ..factories.clinical import clinical_series
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIELD_WORKER = "ines.morel@ssm-forest.example"
TEAM_MEMBER = "melanie.dubois@brusano.example"
PHONE = "0470 12 34 56"
NAME = "Jean Peeters"


@pytest.fixture
def help_desk(db):
    seed_bassins()
    seed_help_desk()


def _as(page, email, password=DEMO_PASSWORD):
    page.context.clear_cookies()
    sign_in(page, email, password)


def _concertation(team_member_email):
    """A clinical concertation the team member takes part in (through her service, under its
    accepted charter), carried by a coordinator of its own."""
    member = User.objects.get(email=team_member_email)
    carrier = UserFactory(name="Hélène Porteuse", email="helene.porteuse@example.org", coordinator=True)
    return carrier, clinical_series(carrier, member.memberships.first().operator, member)


def _submit(page):
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_load_state()


def test_a_request_from_the_field_to_its_closing(page, live_server, help_desk):
    _as(page, FIELD_WORKER)
    visit(page, "/help-desk/bruxelles-sud/ask/")
    assert "112" in page.get_by_role("complementary").inner_text()
    page.get_by_label("Santé mentale").check()
    page.get_by_label("Logement").check()
    situation = f"Monsieur {NAME}, joignable au {PHONE}, vit dans sa voiture depuis deux mois et refuse les soins."
    page.get_by_label("La situation").fill(situation)
    page.get_by_label("Une concertation").check()
    _submit(page)
    axe_check(page)
    assert page.locator("mark", has_text=PHONE).is_visible()
    assert page.locator("mark", has_text=NAME).is_visible()
    assert page.get_by_label("La situation").input_value() == situation  # kept
    screenshot(page, "help-desk-garde-fou")
    page.get_by_label("La situation").fill(
        "Un homme d'une cinquantaine d'années vit dans sa voiture depuis deux mois et refuse les soins."
    )
    _submit(page)
    axe_check(page)
    assert "Votre demande a été envoyée au help desk." in page.get_by_role("status").first.inner_text()
    request = Request.objects.get(situation__contains="vit dans sa voiture")
    request_url = page.url

    _as(page, TEAM_MEMBER)
    visit(page, "/help-desk/bruxelles-sud/queue/")
    assert page.locator("[data-overdue-alert]").is_visible()  # the demo's overdue request
    page.goto(request_url)
    page.get_by_role("button", name="Prendre cette demande").click()
    page.wait_for_load_state()
    axe_check(page)
    assert "Suivie par Mélanie Dubois" in page.locator("main").inner_text()
    page.get_by_label("Ce que vous écrivez").select_option(label="Question au ou à la demandeur·se")
    page.locator("#id_message-body").fill("Quels services l'ont déjà rencontré ?")
    page.get_by_role("button", name="Envoyer", exact=True).click()
    page.wait_for_load_state()
    request.refresh_from_db()
    assert request.status == Status.WAITING_REQUESTER

    _as(page, FIELD_WORKER)
    visit(page, request_url)
    assert "Quels services" in page.locator("main").inner_text()
    page.get_by_label("Votre réponse").fill("Le service social du Midi, une fois.")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    page.wait_for_load_state()
    request.refresh_from_db()
    assert request.status == Status.ASSIGNED

    _as(page, TEAM_MEMBER)
    visit(page, request_url)
    assert "Le service social du Midi, une fois." in page.locator("main").inner_text()
    contacts = (("SSM Forest", "Joint : prend la situation en charge"), ("SPAD Sud", "Pas encore de réponse"))
    for service, result in contacts:
        page.get_by_label("Service contacté").select_option(label=service)
        page.get_by_label("Résultat").select_option(label=result)
        page.get_by_role("button", name="Noter le contact").click()
        page.wait_for_load_state()
    contacts = page.locator("section", has=page.get_by_role("heading", name="Contacts pris")).inner_text()
    assert "Service de santé mentale de Forest" in contacts and "Soins psychiatriques à domicile" in contacts
    carrier, concertation = _concertation(TEAM_MEMBER)
    visit(page, request_url)
    assert page.locator("#id_situation-life_context").input_value() == request.situation  # prefilled
    page.locator("#id_situation-series").select_option(label=concertation.name)
    page.locator("#id_situation-age_range").select_option("26-64")
    page.locator("#id_situation-tried").fill("Deux contacts pris par le help desk, une consultation en SSM.")
    page.get_by_label("La question posée au groupe").fill("Quel réseau mobiliser pour un retour aux soins ?")
    page.locator("#id_situation-requester_agreed").check()
    page.get_by_role("button", name="Proposer à la concertation").click()
    page.wait_for_load_state()
    axe_check(page)
    request.refresh_from_db()
    assert (request.status, request.outcome, request.contacts.count()) == (Status.CLOSED, "concertation", 2)
    situation = Situation.objects.get(series=concertation)
    assert page.get_by_role("link", name=concertation.name).get_attribute("href") == request.handed_to_url
    screenshot(page, "help-desk-demande-cloturee")

    _as(page, carrier.email, PASSWORD)  # the carrier group sees it among the proposals
    visit(page, f"/clinical/series/{concertation.public_id}/")
    proposals = page.get_by_role("table").inner_text()
    assert "Proposée" in proposals and "Mélanie Dubois" in proposals
    page.locator(f"a[href='/clinical/situations/{situation.public_id}/']").click()
    page.wait_for_load_state()
    assert "vit dans sa voiture" in page.locator("main").inner_text()

    _as(page, FIELD_WORKER)  # the requester sees where it went, without a link
    visit(page, request_url)
    assert concertation.name in page.locator("main").inner_text()
    assert page.get_by_role("link", name=concertation.name).count() == 0
    _as(page, TEAM_MEMBER)

    page.set_viewport_size({"width": 390, "height": 800})
    visit(page, "/help-desk/bruxelles-sud/queue/?overdue=on")
    assert page.locator("[data-overdue-alert]").is_visible()
    screenshot(page, "help-desk-file-telephone")


def test_the_figures_of_the_help_desk(page, live_server, help_desk):
    _as(page, FIELD_WORKER)
    visit(page, "/help-desk/")
    assert page.get_by_role("link", name="Bassin Bruxelles Sud").first.is_visible()
    visit(page, "/help-desk/bruxelles-sud/")
    assert page.get_by_role("img", name="Demandes par secteur").is_visible()
    assert "Logement" in page.get_by_role("table", name="Données du graphique « Demandes par secteur »").inner_text()
    screenshot(page, "help-desk-chiffres")
    visit(page, "/bassins/bruxelles-sud/state/")
    assert page.get_by_role("heading", name="Help desk").is_visible()
