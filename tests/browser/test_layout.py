"""What a person sees at phone, tablet and laptop widths: the navigation,
the dashboards, the live page's small buttons and the links in alerts."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Action
from meetings.services.polls import poll_create

from ..factories import PASSWORD, SessionFactory
from ..factories.minutes import session_under_way
from .conftest import screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"


def _on_screen(page, locator, width: int) -> dict:
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    return box


def test_the_admin_navbar_fits_from_320_px_with_sign_out_on_screen(page, admin_user):
    admin_user.name = "Marie-Christine Vandenbroucke-Delacroix"
    admin_user.save()
    sign_in(page, admin_user.email, PASSWORD)
    for width in (320, 1024, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        visit(page, "/")
        assert page.evaluate(FITS), f"the page scrolls sideways at {width} px"
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():  # a small screen: the menu opens from its button
            toggler.click()
            expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))  # opened, not opening
        _on_screen(page, page.get_by_role("button", name="Se déconnecter"), width)
        assert page.evaluate(FITS), f"the open menu scrolls sideways at {width} px"
        # The admin entries wait in one menu, each on one line.
        page.get_by_role("button", name="Administration").click()
        box = _on_screen(page, page.get_by_role("link", name="E-mails en échec"), width)
        assert box["height"] < 40, box
        _on_screen(page, page.get_by_role("link", name="Site d'administration"), width)
        screenshot(page, f"navbar-admin-{width}")


def test_the_coordinator_dashboard_reads_on_a_phone(page, series, operator, coordinator):
    starts_at = (timezone.now() + datetime.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    session = SessionFactory(series=series, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1))
    Action.objects.create(
        series=series,
        session=session,
        description="Transmettre le calendrier des permanences de la cellule de crise",
        owner_operator=operator,
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, coordinator.email, PASSWORD)
    visit(page, "/")
    assert page.evaluate(FITS)
    # No table scrolls sideways: each row is a card whose cells say their column.
    assert page.evaluate(
        "() => [...document.querySelectorAll('.table-responsive')].every(box => box.scrollWidth <= box.clientWidth)"
    )
    prep = page.get_by_role("region", name="Préparation des prochaines séances")
    cell = prep.locator("td[data-label]").first
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Prochaine séance"'
    row = prep.get_by_role("row").filter(has_text=series.name)
    assert row.bounding_box()["width"] <= 390
    screenshot(page, "dashboard-coordinator-390")


def test_the_live_page_small_buttons_are_at_least_24_px(page, series, coordinator):
    session = session_under_way(series, minutes_ago=5)
    sign_in(page, coordinator.email, PASSWORD)
    visit(page, f"/series/sessions/{session.public_id}/live/")
    buttons = page.get_by_role("button", name="Enregistrer maintenant")
    assert buttons.count() == session.agenda_items.count()
    for button in buttons.all():
        box = button.bounding_box()
        assert box["height"] >= 24 and box["width"] >= 24, box


def test_the_links_of_the_operator_dashboard_alert_are_readable(page, series, coordinator, member):
    poll_create(
        actor=coordinator,
        series=series,
        title="Choix du créneau hebdomadaire",
        message="",
        deadline=timezone.now() + datetime.timedelta(days=7),
        slots=[(1, datetime.time(13, 30), 90)],
    )
    sign_in(page, member.email, PASSWORD)
    visit(page, "/")  # axe measures the contrast of the link in the .alert-info
    expect(page.locator(".alert-info").get_by_role("link", name="Choix du créneau hebdomadaire")).to_be_visible()
