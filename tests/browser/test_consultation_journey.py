"""Seed 001 in the browser: a coordinator pastes the list of proposals, groups them into
themes with the keyboard, merges two duplicates, answers three (one not retained, with a
reason), publishes the synthesis and downloads it as PDF and DOCX; a participant reads the
synthesis and sees the answer to their expectation."""

import io
import re

import pytest
from docx import Document
from pypdf import PdfReader

from consultations.models import Contribution
from devtools.demo_consultations import SEED_001_PROPOSALS

from ..factories import PASSWORD, RegistrationFactory, SessionFactory, UserFactory
from ..factories.consultations import ContributionFactory, consultation_series
from .conftest import axe_check, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _item(page, text: str):
    return page.locator("li[id^=item-]").filter(has_text=text).first


def test_paste_group_merge_answer_publish_and_read(page, coordinator):
    sitting = SessionFactory(series=consultation_series(coordinator))
    participant = UserFactory(name="Léa Vandamme", email="lea@example.org")
    RegistrationFactory(series=sitting.series, user=participant, organisation_name="Maison médicale")
    ContributionFactory(
        session=sitting, author=participant, kind="expectation", text="Une cartographie des services du bassin"
    )

    # The coordinator pastes the list, reviews it, records it.
    sign_in(page, coordinator.email, PASSWORD)
    visit(page, f"/consultations/sessions/{sitting.public_id}/paste/")
    axe_check(page)
    page.get_by_label("La liste").fill(SEED_001_PROPOSALS)
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.locator("#paste-preview li").count() == 38
    page.get_by_role("button", name="Enregistrer ces contributions").click()
    page.wait_for_load_state()
    assert Contribution.objects.count() == 39
    axe_check(page)

    # Two themes, and items moved into them with the keyboard only.
    for name in ("Réseau et collaborations", "Cartographie"):
        page.get_by_label("Nom").fill(name)
        page.get_by_role("button", name="Ajouter la thématique").click()
        page.wait_for_load_state()
    for text, theme in (
        ("Une cartographie des services", "Cartographie"),
        ("Mettre en avant le rôle et l’expertise des maisons médicales", "Réseau et collaborations"),
    ):
        select = _item(page, text).get_by_label("Thème")
        select.focus()
        select.select_option(label=theme)  # what arrow keys do on a focused select
        page.keyboard.press("Tab")  # to the "Move" button
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert Contribution.objects.filter(theme__name="Cartographie").count() == 1
    axe_check(page)

    # Two duplicates merged into one item that keeps them.
    _item(page, "Créer un site internet").get_by_role("checkbox").check()
    _item(page, "Insister sur l’approche ambulatoire").get_by_role("checkbox").check()
    page.get_by_role("button", name="Fusionner", exact=True).click()
    page.wait_for_load_state()
    merged = Contribution.objects.filter(sources__isnull=False, merged_into__isnull=True).distinct().get()
    assert merged.sources.count() == 2

    # Three answers, one not retained with its reason (refused first without one).
    answers = [
        ("Une cartographie des services", "Retenue", ""),
        ("Mettre en avant le rôle", "En cours", ""),
        ("Développer des approches préventives", "Non retenue", ""),
    ]
    for text, status, reason in answers:
        _item(page, text).get_by_role("link", name=re.compile("Répondre")).click()
        page.wait_for_load_state()
        page.get_by_label("Réponse").select_option(label=status)
        page.get_by_label("Motif ou commentaire").fill(reason)
        page.get_by_role("button", name="Enregistrer la réponse").click()
        page.wait_for_load_state()
    assert page.get_by_text("Dites pourquoi elle n’est pas retenue.", exact=True).is_visible()
    axe_check(page)
    page.get_by_label("Motif ou commentaire").fill("Hors du cadre du protocole.")
    page.get_by_role("button", name="Enregistrer la réponse").click()
    page.wait_for_load_state()
    assert Contribution.objects.filter(status="not_retained", reason="Hors du cadre du protocole.").exists()

    # The synthesis composed, previewed, published, downloaded.
    visit(page, f"/consultations/sessions/{sitting.public_id}/synthesis/edit/")
    axe_check(page)
    page.get_by_label("Contexte").fill("Une première visioconférence s’est tenue ce 26 avril 2021.")
    page.get_by_label("Remerciements").fill("Encore merci aux participants pour leurs contributions.")
    page.get_by_label("Prochaine séance : début").fill("2021-05-17T13:30")
    page.get_by_label("Prochaine séance : fin").fill("2021-05-17T15:30")
    page.get_by_role("button", name="Enregistrer et prévisualiser").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("button", name="Publier").click()
    page.wait_for_load_state()
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Télécharger (PDF)").click()
    text = " ".join(p.extract_text() for p in PdfReader(pdf.value.path()).pages)
    assert "Cartographie" in text and "Prochaine séance" in text
    with page.expect_download() as docx:
        page.get_by_role("link", name="Télécharger (Word)").click()
    with open(docx.value.path(), "rb") as handle:
        paragraphs = [p.text for p in Document(io.BytesIO(handle.read())).paragraphs]
    assert "Cartographie" in paragraphs and "Hors du cadre du protocole." in " ".join(paragraphs)

    # The participant reads the synthesis and the answer to their expectation.
    page.context.clear_cookies()
    sign_in(page, participant.email, PASSWORD)
    visit(page, f"/consultations/sessions/{sitting.public_id}/")
    axe_check(page)
    assert page.get_by_text("Retenue").first.is_visible()
    visit(page, f"/consultations/sessions/{sitting.public_id}/synthesis/")
    axe_check(page)
    body = page.locator("main").inner_text()
    assert "Une cartographie des services du bassin" in body and "Retenue" in body
    assert "17 mai 2021" in body
