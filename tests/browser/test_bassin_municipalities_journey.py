"""A coordinator of the Bassin Sud places a municipality of the region in the
bassin: from the bassin's page to the form and back, where it is listed."""

import pytest

from devtools.demo import DEMO_PASSWORD
from devtools.demo_bassins import seed_bassins

from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COORDINATOR = "nathalie.verbeke@brusano.example"


@pytest.fixture
def bassin_sud(db):
    seed_bassins()


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
