"""Relaunching in another instance, in the browser: a coordinator forwards an item of the
consultation to the crisis videoconference (the operators' videoconference they also
coordinate): it appears on its next agenda, with a link back to the item for them and none for
a participant of the videoconference who is not part of the (private) consultation; the same
item raised there as a cooperation need in the name of a participating operator."""

import pytest

from consultations.models import Forward
from meetings.models import AgendaItem, CooperationNeed, Visibility

from ..factories import PASSWORD, SessionFactory
from ..factories.consultations import ContributionFactory, consultation_series
from .conftest import axe_check, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_item_forwarded_to_the_crisis_videoconference_is_on_its_next_agenda(
    page, coordinator, member, operator, series
):
    sitting = SessionFactory(series=consultation_series(coordinator, visibility=Visibility.PRIVATE))
    crisis_next = SessionFactory(series=series)
    item = ContributionFactory(session=sitting, text="Un numéro unique dédié à la santé mentale")

    sign_in(page, coordinator.email, PASSWORD)
    visit(page, f"/consultations/items/{item.public_id}/answer/")
    page.get_by_label("Dispositifs que vous coordonnez").select_option(label=series.name)
    page.get_by_role("radio", name="un point proposé à l’ordre du jour de sa prochaine séance").check()
    page.get_by_role("button", name="Relayer", exact=True).click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_text(f"Proposé à « {series.name} »").is_visible()
    agenda_item = AgendaItem.objects.get(pk=Forward.objects.get().agenda_item_id)
    assert agenda_item.session == crisis_next

    # On the videoconference's next session: the item on the agenda, and the link back.
    visit(page, f"/series/sessions/{crisis_next.public_id}/")
    agenda = page.locator("#agenda-heading").locator("xpath=..").locator("xpath=..")
    assert "Un numéro unique dédié à la santé mentale" in agenda.inner_text()
    page.get_by_role("link", name="l’élément dans « Votre opinion compte ! »").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/consultations/items/{item.public_id}/answer/")

    # The same item raised there as a cooperation need, in the name of a participating operator.
    page.get_by_role("radio", name="un besoin de coopération").check()
    page.get_by_label("Opérateur qui porte le besoin (pour un besoin de coopération)").select_option(
        label=operator.name
    )
    page.get_by_role("button", name="Relayer", exact=True).click()
    page.wait_for_load_state()
    need = CooperationNeed.objects.get()
    assert need.raised_by == operator and need.series == series
    page.get_by_role("link", name=f"Relayé comme besoin de coopération dans « {series.name} »").click()
    page.wait_for_load_state()
    axe_check(page)
    assert "Un numéro unique dédié à la santé mentale" in page.locator("main").inner_text()

    # A participant of the videoconference sees the agenda item, not where it comes from.
    page.context.clear_cookies()
    sign_in(page, member.email, PASSWORD)
    visit(page, f"/series/sessions/{crisis_next.public_id}/")
    body = page.locator("main").inner_text()
    assert "Un numéro unique dédié à la santé mentale" in body
    assert page.get_by_role("link", name="l’élément dans « Votre opinion compte ! »").count() == 0
