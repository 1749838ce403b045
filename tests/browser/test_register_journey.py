"""The action register, whose rows are a cached fragment: a coordinator
reopens a closed action and sees it open at once."""

import datetime

import pytest
from django.utils import timezone

from meetings.models import Action
from meetings.services.actions import action_close

from ..factories import PASSWORD, SessionFactory
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_reopens_an_action_from_the_register(page, live_server, series, operator, coordinator):
    held = timezone.now() - datetime.timedelta(days=7)
    past = SessionFactory(series=series, starts_at=held, ends_at=held + datetime.timedelta(hours=1), status="held")
    action = Action.objects.create(
        series=series, session=past, description="Envoyer la fiche de liaison", owner_operator=operator
    )
    action_close(actor=coordinator, action=action, status=Action.Status.DONE)

    sign_in(page, coordinator.email, PASSWORD)
    visit(page, "/series/actions/")
    row = page.get_by_role("row").filter(has_text="Envoyer la fiche de liaison")
    assert "Fait" in row.inner_text()
    axe_check(page)
    screenshot(page, "action-register-closed")
    # The button posts the one form outside the cached rows, with its CSRF token.
    row.get_by_role("button", name="Rouvrir").click()
    page.wait_for_load_state()
    row = page.get_by_role("row").filter(has_text="Envoyer la fiche de liaison")
    assert "Ouvert" in row.inner_text() and row.get_by_role("link", name="Clôturer").count() == 1
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN
