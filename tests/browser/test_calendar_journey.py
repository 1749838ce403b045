"""A coordinator changes the address of the series' calendar feed from the
series page, after a confirmation; the former address shows nothing more."""

import pytest

from ..factories import PASSWORD
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_regenerates_the_series_feed_address(page, live_server, coordinator, series):
    sign_in(page, coordinator.email, PASSWORD)
    visit(page, f"/series/{series.public_id}/")
    address = page.get_by_label("Adresse d'abonnement au calendrier du dispositif")
    old = address.input_value()
    assert page.request.get(old).status == 200
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.message))  # accepted by the page fixture
    page.get_by_role("button", name="Changer l'adresse d'abonnement").click()
    page.wait_for_load_state()
    axe_check(page)
    assert asked and asked[0].startswith("Obtenir une nouvelle adresse d'abonnement pour ce dispositif ?")
    assert page.get_by_text("Le calendrier de ce dispositif a une nouvelle adresse d'abonnement").is_visible()
    new = address.input_value()
    assert new != old
    assert page.request.get(old).status == 404
    assert page.request.get(new).status == 200
    screenshot(page, "series-feed-regenerated")
