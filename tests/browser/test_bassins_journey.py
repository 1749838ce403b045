"""A coordinator of the Bassin Sud opens its page and its état des lieux, then
the map of its network: filters it to the bassin and opens a link's evidence,
with the mouse and the keyboard on the map, and with the keyboard alone in the
table alternative; and places a municipality of the region in the bassin,
from the bassin's page to the form and back, where it is listed."""

import pytest

from devtools.demo import DEMO_PASSWORD
from devtools.demo_bassins import seed_bassins

from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COORDINATOR = "nathalie.verbeke@brusano.example"
EVIDENCE = "Un répertoire partagé des permanences sociales et de santé du bassin"


@pytest.fixture
def bassin_sud(db):
    seed_bassins()


def test_coordinator_opens_the_bassin_sud_and_its_state(page, live_server, bassin_sud):
    sign_in(page, COORDINATOR, DEMO_PASSWORD)
    visit(page, "/bassins/")
    page.get_by_role("link", name="Bassin Bruxelles Sud", exact=True).click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_role("heading", name="Bassin Bruxelles Sud", level=1).is_visible()
    team = page.locator("section", has=page.get_by_role("heading", name="Équipe de coordination et groupe d'appui"))
    assert "Nathalie Verbeke" in team.inner_text() and "Coordinatrice du bassin" in team.inner_text()
    groups = page.locator("section", has=page.get_by_role("heading", name="Groupes de travail")).inner_text()
    for theme in ("Santé mentale", "Crise sanitaire", "Prévention et promotion de la santé", "Liaison hôpital"):
        assert theme in groups
    assert "GT santé mentale — Bassin Bruxelles Sud" in page.locator("#upcoming ~ ul").inner_text()
    screenshot(page, "bassin-sud")

    page.get_by_role("link", name="État des lieux").click()
    page.wait_for_load_state()
    axe_check(page)
    offer = page.get_by_role("table", name="Services par commune").inner_text()
    assert "Forest" in offer and "Watermael-Boitsfort" in offer
    # The nine priority actions: three converge (services said "nous aussi"), six emerge.
    needs = page.get_by_role("table", name="Besoins par étape").inner_text().replace("\t", " ")
    assert "Émergent 6" in needs and "Convergent 3" in needs
    assert page.get_by_role("heading", name="Atelier du changement du 1er février").is_visible()
    screenshot(page, "bassin-sud-etat-des-lieux")
    pdf = page.request.get(page.get_by_role("link", name="PDF").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"


def test_coordinator_filters_the_map_and_opens_a_link_evidence(page, live_server, bassin_sud):
    sign_in(page, COORDINATOR, DEMO_PASSWORD)
    visit(page, "/bassins/map/")
    page.get_by_label("Bassin", exact=True).select_option(label="Bassin Bruxelles Sud")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state()
    page.locator("#network-map canvas").first.wait_for()
    axe_check(page)
    assert "6 opérateurs" in page.get_by_role("status").first.inner_text()
    legend = page.locator(".map-legend").inner_text()
    assert "Service de santé mentale (SSM)" in legend and "Maison médicale" in legend

    # The keyboard on the map: the first operator (by name), Enter lists its links.
    page.locator("#network-map").focus()
    page.keyboard.press("ArrowRight")
    assert page.locator("#map-panel-heading").inner_text().startswith("Brusano")
    page.keyboard.press("Enter")
    link = page.locator("#map-panel-links button", has_text="SSM Forest")
    assert "même série, soutien (2)" in link.inner_text()
    link.click()
    evidence = page.locator("#map-evidence")
    evidence.get_by_text(EVIDENCE).wait_for()
    assert "Coordination du Bassin Sud" in evidence.inner_text()
    axe_check(page)
    screenshot(page, "carte-bassin-sud")

    # On a phone, the map gives way to the table.
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.get_by_role("link", name="Ouvrir le tableau des liens").is_visible()
    assert not page.locator("#network-map").is_visible()


def test_the_same_evidence_from_the_table_with_the_keyboard(page, live_server, bassin_sud):
    sign_in(page, COORDINATOR, DEMO_PASSWORD)
    visit(page, "/bassins/map/table/?bassin=bruxelles-sud")
    row = page.locator("tr", has=page.get_by_role("rowheader", name="Brusano", exact=True))
    assert "Service de santé mentale de Forest" in row.inner_text()
    page.locator("body").focus()
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => [document.activeElement.textContent, document.activeElement.href || '']")
        if focused[0] == "Service de santé mentale de Forest" and "/map/links/brusano/" in focused[1]:
            break
    else:
        pytest.fail("The link from Brusano to the SSM of Forest cannot be reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe_check(page)
    assert page.get_by_role("heading", name="Lien entre Brusano et Service de santé mentale de Forest").is_visible()
    assert page.get_by_role("link", name=EVIDENCE).is_visible()


def test_a_service_publishes_two_visits_and_the_last_place_goes_to_the_waiting_list(page, live_server, bassin_sud):
    # The referent of the SSM of Forest publishes two visits of one place each.
    sign_in(page, "ines.morel@ssm-forest.example", DEMO_PASSWORD)
    visit(page, "/bassins/bruxelles-sud/")
    page.get_by_role("link", name="Semaine portes ouvertes du").first.click()
    page.wait_for_load_state()
    axe_check(page)
    week_url = page.url
    for place, time in (("Salle Jardin", "10:00"), ("Salle Atelier", "14:00")):
        page.get_by_role("link", name="Publier une visite").click()
        page.wait_for_load_state()
        axe_check(page)
        page.get_by_label("Service").select_option(label="Service de santé mentale de Forest")
        page.get_by_label("Horaire").fill(time)
        page.get_by_label("Lieu").fill(place)
        page.get_by_label("Ce que les visiteur·ses découvriront").fill("La permanence d'accueil.")
        page.get_by_label("Places").fill("1")
        page.get_by_role("button", name="Publier").click()
        page.wait_for_load_state()
        assert page.get_by_text("La visite est publiée.").is_visible()
    assert page.locator("article", has_text="Salle Atelier").is_visible()

    # A professional books the visit of the garden room: the last place.
    page.context.clear_cookies()
    sign_in(page, "hugo.dewit@mm-saint-gilles.example", DEMO_PASSWORD)
    visit(page, week_url)
    card = page.locator("article", has_text="Salle Jardin")
    card.get_by_role("button", name="Réserver une place").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_text("Votre place est réservée.").is_visible()
    assert "places prises : 1 sur 1" in page.locator("article", has_text="Salle Jardin").inner_text()

    # Another one comes too late: the waiting list.
    page.context.clear_cookies()
    sign_in(page, "amine.bouzid@midi.example", DEMO_PASSWORD)
    visit(page, week_url)
    slot = page.locator("article", has_text="Salle Jardin")
    slot.get_by_role("button", name="S'inscrire sur la liste d'attente").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_text("La visite est complète : vous êtes sur sa liste d'attente.").is_visible()
    assert "Vous êtes sur la liste d'attente." in page.locator("article", has_text="Salle Jardin").inner_text()

    # The host sees both visitors.
    page.context.clear_cookies()
    sign_in(page, "ines.morel@ssm-forest.example", DEMO_PASSWORD)
    visit(page, week_url)
    visitors = page.locator("article", has_text="Salle Jardin").inner_text()
    assert "Hugo Dewit" in visitors and "Amine Bouzid" in visitors and "liste d'attente" in visitors
    screenshot(page, "semaine-portes-ouvertes")


def test_coordinator_places_a_municipality_in_the_bassin_sud(page, live_server, bassin_sud):
    sign_in(page, COORDINATOR, DEMO_PASSWORD)
    visit(page, "/bassins/bruxelles-sud/")
    municipalities = page.locator("section", has=page.get_by_role("heading", name="Communes", exact=True))
    assert "Etterbeek" not in municipalities.inner_text()
    municipalities.get_by_role("link", name="Placer les communes").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_role("heading", name="Placer les communes du Bassin Bruxelles Sud", level=1).is_visible()
    group = page.get_by_role("group", name="Communes du bassin")
    assert group.get_by_label("Forest").is_checked()
    assert group.get_by_label("Bruxelles (partagée entre bassins)").is_checked()
    etterbeek = group.get_by_label("Etterbeek", exact=True)
    assert not etterbeek.is_checked()
    box = etterbeek.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    etterbeek.check()
    screenshot(page, "bassin-sud-communes")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.url.endswith("/bassins/bruxelles-sud/")
    assert "Les communes du bassin sont enregistrées." in page.locator(".messages").inner_text()
    municipalities = page.locator("section", has=page.get_by_role("heading", name="Communes", exact=True))
    assert municipalities.get_by_role("link", name="Etterbeek").is_visible()
