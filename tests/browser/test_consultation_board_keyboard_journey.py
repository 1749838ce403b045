"""Grouping 200 contributions into 8 themes stays usable with the keyboard only: Tab to an
item's theme, arrow keys to choose one, Tab to "Move" and Enter; no mouse click anywhere."""

import pytest

from consultations.models import Contribution, Theme

from ..factories import PASSWORD, SessionFactory
from ..factories.consultations import consultation_series
from .conftest import axe_check, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THEMES = [
    "Cartographie",
    "Réseau et collaborations",
    "Formations",
    "Thématiques spécifiques",
    "Continuité",
    "Plaidoyer",
    "Première ligne",
    "Jeunes",
]


def _tab_to(page, selector: str, limit: int = 800) -> None:
    """Press Tab until the element has the focus, as a keyboard user does."""
    for _press in range(limit):
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus")


def _open_theme(page, theme: Theme) -> None:
    """Follow the theme's link in the list of themes: its items only."""
    _tab_to(page, f'a[href="?theme={theme.pk}"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def _move(page, item: Contribution, arrows: int, key: str = "ArrowDown") -> None:
    _tab_to(page, f"#theme-{item.public_id}")
    for _press in range(arrows):
        page.keyboard.press(key)
    page.keyboard.press("Tab")  # to the "Move" button
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Déplacer"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_two_hundred_items_are_grouped_into_eight_themes_with_the_keyboard(page, coordinator):
    sitting = SessionFactory(series=consultation_series(coordinator))
    for position, name in enumerate(THEMES, start=1):
        Theme.objects.create(session=sitting, name=name, position=position)
    Contribution.objects.bulk_create(
        Contribution(session=sitting, text=f"Proposition {n:03d}", position=n) for n in range(1, 201)
    )
    first, second, third = (Contribution.objects.get(text=f"Proposition {n:03d}") for n in (1, 2, 3))

    sign_in(page, coordinator.email, PASSWORD)
    visit(page, f"/consultations/sessions/{sitting.public_id}/board/")
    assert page.locator("li[id^=item-]").count() == 50  # a page of the 200, not all at once

    _move(page, first, 3)  # "Non classé" → the third theme
    _move(page, second, 8)  # → the eighth, the last
    _move(page, third, 1)  # → the first
    axe_check(page)
    themes = dict(
        Contribution.objects.filter(pk__in=[first.pk, second.pk, third.pk]).values_list("text", "theme__name")
    )
    assert themes == {"Proposition 001": "Formations", "Proposition 002": "Jeunes", "Proposition 003": "Cartographie"}

    # From one theme to another, from each theme's own list: two down from "Formations", one up
    # from "Jeunes"; a moved item leaves the list it was in, the page stays where it was.
    _open_theme(page, Theme.objects.get(name="Formations"))
    _move(page, first, 2)
    assert page.locator("li[id^=item-]").filter(has_text="Proposition").count() == 0
    _open_theme(page, Theme.objects.get(name="Jeunes"))
    _move(page, second, 1, key="ArrowUp")
    themes = dict(Contribution.objects.filter(pk__in=[first.pk, second.pk]).values_list("text", "theme__name"))
    assert themes == {"Proposition 001": "Continuité", "Proposition 002": "Première ligne"}
    assert page.get_by_text("200 éléments, dont 0 avec une réponse.").is_visible()
    axe_check(page)
