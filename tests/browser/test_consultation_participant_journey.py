"""A professional registers to the thematic concertation (seed 003) and states an expectation
in the registration's own question; the coordinators answer it and publish the synthesis; the
participant then reads the synthesis and the answer to their expectation."""

import re

import pytest

from consultations import services
from consultations.models import Contribution
from registrations.models import Question, Registration

from ..factories import PASSWORD, UserFactory
from .conftest import axe_check, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPECTATION = "Savoir qui fait quoi dans le bassin : une cartographie à jour des services"


def test_a_participant_registers_states_an_expectation_and_reads_its_answer(page, coordinator, thematic, date):
    question = Question.objects.create(series=thematic, text="Vos attentes ?")
    services.contribution_question_set(actor=coordinator, question=question, kind="expectation")
    participant = UserFactory(name="Léa Vandamme", email="lea@example.org")

    # Registering to the next date, the expectation in the registration's question.
    sign_in(page, participant.email, PASSWORD)
    visit(page, f"/registrations/series/{thematic.public_id}/")
    page.get_by_role("link", name=re.compile("S'inscrire à cette date")).click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label(re.compile(r"^\s*Organisation")).fill("Maison médicale de Schaerbeek")
    page.get_by_label(re.compile(r"^\s*Profession")).fill("Assistante sociale")
    page.get_by_label("Vos attentes ?").fill(EXPECTATION)
    page.locator("main").get_by_role("button", name=re.compile("inscrire", re.IGNORECASE)).click()
    page.wait_for_load_state()
    axe_check(page)
    assert Registration.objects.get(user=participant).session == date

    # The answer became their expectation, on their own page of the session.
    expectation = Contribution.objects.get(author=participant)
    assert expectation.text == EXPECTATION and expectation.kind == "expectation" and expectation.session == date
    assert expectation.organisation == "Maison médicale de Schaerbeek"
    visit(page, f"/consultations/sessions/{date.public_id}/")
    assert EXPECTATION in page.locator("main").inner_text()

    # Later: the coordinators answer it and publish the synthesis.
    services.item_answer(actor=coordinator, item=expectation, status="retained")
    services.synthesis_update(actor=coordinator, session=date, version=1, context="Une première rencontre.")
    services.synthesis_publish(actor=coordinator, session=date)

    visit(page, f"/consultations/sessions/{date.public_id}/synthesis/")
    body = page.locator("main").inner_text()
    assert EXPECTATION in body and "Retenue" in body
    visit(page, f"/consultations/sessions/{date.public_id}/")
    mine = page.locator("main li").filter(has_text=EXPECTATION).first
    assert "Retenue" in mine.inner_text()
