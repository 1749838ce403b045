"""The end-of-pilot evaluation, from opening to exports: a coordinator opens
it, two referents answer, a referent and a coordinator edit the same section
at once (the conflict shows both texts, nothing is lost), the coordinator
finalises, an admin downloads the PDF, DOCX, XLSX and CSV."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from evaluations.models import Evaluation, Response

from ..factories import PASSWORD
from ..factories.evaluations import pilot
from .conftest import axe_check, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, user) -> None:
    page.context.clear_cookies()
    sign_in(page, user.email, PASSWORD)


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()
    axe_check(page)


def _answer(page, evaluation, scale: str) -> None:
    for question in evaluation.questions.order_by("position"):
        name = f"q_{question.pk}"
        if question.kind == "scale":
            page.locator(f"[name={name}][value='{scale}']").check()
        elif question.kind == "single":
            page.locator(f"[name={name}][value='1']").check()
        elif question.kind == "multiple":
            page.locator(f"[name={name}][value='0']").check()
            page.locator(f"[name={name}][value='3']").check()
        else:
            page.locator(f"[name={name}]").fill("Garder le tour de table bref.")


def test_an_evaluation_from_opening_to_exports(
    page, browser, live_server, series, operator, coordinator, referent, admin_user
):
    built = pilot(series, operator)

    # The coordinator opens the evaluation of the series.
    _as(page, coordinator)
    visit(page, f"/evaluations/series/{series.public_id}/")
    deadline = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("Réponses attendues pour le").fill(deadline.isoformat())
    _click(page, "Ouvrir l'évaluation")
    evaluation = Evaluation.objects.get()
    detail = f"/evaluations/{evaluation.public_id}/"
    assert page.url.endswith(detail)

    # Two referents answer for their operators.
    for user, scale in ((referent, "4"), (built.other_referent, "5")):
        _as(page, user)
        visit(page, detail)
        page.get_by_role("link", name="Répondre au questionnaire").click()
        page.wait_for_load_state()
        axe_check(page)
        _answer(page, evaluation, scale)
        _click(page, "Envoyer nos réponses")
    assert Response.objects.filter(status="submitted").count() == 2
    visit(page, f"/evaluations/{evaluation.public_id}/answers/")
    assert "2 opérateurs ont répondu · moyenne 4,5 / 5" in page.content()

    # The coordinator closes the questionnaire; the report is being written.
    _as(page, coordinator)
    visit(page, detail)
    _click(page, "Clôturer le questionnaire et rédiger le rapport")

    # A referent and the coordinator edit "Contexte" at the same time.
    section = evaluation.sections.get(position=1)
    edit = f"/evaluations/{evaluation.public_id}/sections/{section.pk}/"
    other = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="fr-BE")
    try:
        referent_page = other.new_page()
        sign_in(referent_page, referent.email, PASSWORD)
        visit(referent_page, edit)
        visit(page, edit)  # the coordinator's page, opened on the same version
        referent_page.get_by_label("Texte de la section").fill("Cinq opérateurs, douze semaines.")
        _click(referent_page, "Enregistrer")
        page.get_by_label("Texte de la section").fill("Une expérimentation soutenue par trois réseaux.")
        _click(page, "Enregistrer")
        assert page.get_by_role("heading", name="Conflit de modification").is_visible()
        assert page.locator("[data-conflict-saved]").inner_text() == "Cinq opérateurs, douze semaines."
        assert page.locator("[data-conflict-yours]").inner_text() == "Une expérimentation soutenue par trois réseaux."
        section.refresh_from_db()
        assert section.body == "Cinq opérateurs, douze semaines."
        page.get_by_label("Texte de la section").fill(
            "Cinq opérateurs, douze semaines.\n\nUne expérimentation soutenue par trois réseaux."
        )
        _click(page, "Enregistrer")
        section.refresh_from_db()
        assert "Cinq opérateurs" in section.body and "trois réseaux" in section.body

        # The referent's operator approves the report.
        visit(referent_page, detail)
        _click(referent_page, "Nous validons (Canopée)")
        assert "Votre opérateur valide le rapport." in referent_page.content()
    finally:
        other.close()

    # The coordinator finalises (the confirmation dialog is accepted).
    visit(page, detail)
    _click(page, "Finaliser l'évaluation")
    evaluation.refresh_from_db()
    assert evaluation.status == "final"

    # An admin downloads the four exports.
    _as(page, admin_user)
    visit(page, detail)
    page.get_by_role("link", name="Exports").click()
    page.wait_for_load_state()
    axe_check(page)
    files = {}
    for fmt, label in (("pdf", "PDF"), ("docx", "DOCX"), ("xlsx", "XLSX"), ("csv", "CSV (zip)")):
        _click(page, f"Préparer le {label}")
        link = page.get_by_role("link", name=f"Télécharger le {label}")
        link.wait_for()
        with page.expect_download() as info:
            link.click()
        files[fmt] = Path(info.value.path()).read_bytes()
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"])).pages)
    assert "trois réseaux" in pdf_text and "Indicateurs" in pdf_text
    assert any(p.text == "Contexte" for p in Document(io.BytesIO(files["docx"])).paragraphs)
    assert "Séances" in load_workbook(io.BytesIO(files["xlsx"])).sheetnames
    assert "answers.csv" in zipfile.ZipFile(io.BytesIO(files["csv"])).namelist()
