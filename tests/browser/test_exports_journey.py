"""An export whose file is gone: the person who follows its link reads why
and prepares it again from there."""

import os

import pytest

from evaluations.models import ExportJob
from evaluations.services import evaluation_open

from ..factories import PASSWORD
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_gone_export_file_is_explained_and_prepared_again(page, live_server, coordinator, series):
    evaluation = evaluation_open(actor=coordinator, series=series)
    sign_in(page, coordinator.email, PASSWORD)
    visit(page, f"/evaluations/{evaluation.public_id}/exports/")
    page.get_by_role("button", name="Préparer le PDF").click()
    page.wait_for_load_state()
    link = page.get_by_role("link", name="Télécharger le PDF")
    link.wait_for()
    os.remove(ExportJob.objects.get().file.path)  # lost before its time

    link.click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_role("heading", name="Cet export n'est plus disponible").is_visible()
    screenshot(page, "export-gone")
    page.get_by_role("button", name="Préparer à nouveau le PDF").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.url.endswith(f"/evaluations/{evaluation.public_id}/exports/")
    assert page.get_by_role("row").filter(has_text="Supprimé").count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le PDF").click()
    assert download.value.suggested_filename == "evaluation-v1.pdf"
