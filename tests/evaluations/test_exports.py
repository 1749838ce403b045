"""Each export opened and read: PDF text (pypdf), DOCX headings and tables,
XLSX cells, the CSV files in the zip, formula injection neutralised, numbers
and dates written in the reader's language."""

import csv
import io
import zipfile

import pytest
from django.utils import translation
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from evaluations import exports, services
from evaluations.exporters import exporter_for
from evaluations.exporters.document import export_document
from evaluations.models import Question

from ..factories.evaluations import pilot

HOSTILE = '=HYPERLINK("http://evil.example","clic")'


@pytest.fixture
def evaluation(series, operator, coordinator, referent):
    built = pilot(series, operator)
    evaluation = services.evaluation_open(actor=coordinator, series=series)
    questions = {q.kind: q for q in evaluation.questions.order_by("-position")}
    scale = evaluation.questions.filter(kind=Question.Kind.SCALE).first()
    values = {q.pk: None for q in evaluation.questions.all()}
    for q in evaluation.questions.all():
        values[q.pk] = {"scale": 4, "single": 1, "multiple": [0, 3], "text": "Garder le tour de table."}[q.kind]
    text_q = evaluation.questions.filter(kind=Question.Kind.TEXT).order_by("position").last()
    values[text_q.pk] = HOSTILE
    services.response_save(
        actor=referent, evaluation=evaluation, operator=operator, values=values, version=0, submit=True
    )
    services.response_save(
        actor=built.other_referent,
        evaluation=evaluation,
        operator=built.other,
        values=values | {scale.pk: 2},
        version=0,
        submit=True,
    )
    section = evaluation.sections.get(position=1)
    services.section_save(
        actor=coordinator, section=section, body="Une expérimentation de trois mois.\n\nCinq opérateurs.", version=0
    )
    assert questions
    return evaluation


def _render(evaluation, fmt: str) -> bytes:
    return exporter_for(fmt)(export_document(evaluation.series, evaluation)).render()


def test_pdf_has_title_page_report_indicators_results_and_annex(evaluation):
    reader = PdfReader(io.BytesIO(_render(evaluation, "pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Évaluation de Visioconférence des" in text
    for heading in ("Sommaire", "Rapport", "Indicateurs", "Résultats du questionnaire", "Annexe"):
        assert heading in text
    assert "Une expérimentation de trois mois." in text
    assert "Contexte" in text and "Recommandations" in text
    assert "Taux de présence" in text and "75\u00a0%" in text
    assert "Garder le tour de table." in text and "Canopée" in text
    assert "Isabelle" not in text  # answers are attributed to operators, not people
    assert "15 septembre 2020" in text  # the annex lists the sessions


def _pdf_text(evaluation) -> str:
    reader = PdfReader(io.BytesIO(_render(evaluation, "pdf")))
    return "\n".join(page.extract_text() for page in reader.pages)


def _docx_text(evaluation) -> str:
    doc = Document(io.BytesIO(_render(evaluation, "docx")))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


# The pilot: a median of 10 days to convergence, 7 days to close an action
# (4 and 10), an average of 3 out of 5 (answers 4 and 2), 75 % attendance.
READER_FORMATS = {
    "fr": (
        [
            "10 jours",
            "7 jours",
            "75\u00a0%",
            "Période d'expérimentation : 1 septembre 2020 – 30 novembre 2020",
            "8 septembre 2020",
        ],
        ["10.0", "7.0", "3.0 / 5", "2020-09-", "days"],
    ),
    "en": (
        ["10 days", "7 days", "75%", "Pilot period: Sept. 1, 2020 – Nov. 30, 2020", "Sept. 8, 2020"],
        ["10.0", "7.0", "3.0 / 5", "2020-09-", "jours", "septembre"],
    ),
}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("read", [_pdf_text, _docx_text], ids=["pdf", "docx"])
def test_printed_exports_write_numbers_and_dates_in_the_readers_language(evaluation, language, read):
    expected, absent = READER_FORMATS[language]
    with translation.override(language):
        text = read(evaluation)
    for piece in expected:
        assert piece in text
    for piece in absent:
        assert piece not in text
    assert "3 / 5" in text  # the average of the first scale question


def test_docx_has_real_headings_and_tables(evaluation):
    doc = Document(io.BytesIO(_render(evaluation, "docx")))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert ("Heading 1", "Rapport") in headings
    assert ("Heading 2", "Contexte") in headings
    assert ("Heading 1", "Annexe : séances et présences") in headings
    figures = doc.tables[0]
    assert figures.rows[0].cells[0].text == "Indicateur"
    assert any(row.cells[1].text == "75\u00a0%" for row in figures.rows)
    assert doc.inline_shapes  # the charts, as pictures
    assert any(HOSTILE in cell.text for t in doc.tables for row in t.rows for cell in row.cells)


def test_xlsx_has_one_sheet_per_table_and_formulas_kept_as_text(evaluation):
    book = load_workbook(io.BytesIO(_render(evaluation, "xlsx")))
    assert book.sheetnames == [
        "Séances",
        "Présences",
        "Complétion du tour de table",
        "Météos de capacité",
        "Part des opérateurs saturés",
        "Besoins de coopération",
        "Actions",
        "Réponses au questionnaire",
    ]
    sessions = book["Séances"]
    assert [c.value for c in sessions[1]][:3] == ["Date", "Horaire", "Statut"]
    assert sessions["A2"].value == "2020-09-01"
    completion = book["Complétion du tour de table"]
    assert completion["A2"].value == "Canopée" and completion["B2"].value == 3
    hostile = [row[2] for row in book["Réponses au questionnaire"].iter_rows() if str(row[2].value).endswith('"clic")')]
    # Shown as typed, without an apostrophe, in a text cell that no spreadsheet runs.
    assert [cell.value for cell in hostile] == [HOSTILE, HOSTILE]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in hostile)
    assert sessions["H2"].data_type == "n"  # numbers stay numbers


def test_csv_zip_has_the_same_tables_neutralised(evaluation):
    archive = zipfile.ZipFile(io.BytesIO(_render(evaluation, "csv")))
    assert sorted(archive.namelist()) == sorted(
        [
            "sessions.csv",
            "attendance.csv",
            "info_round.csv",
            "capacity.csv",
            "capacity_share.csv",
            "needs.csv",
            "actions.csv",
            "answers.csv",
        ]
    )
    rows = list(csv.reader(io.StringIO(archive.read("answers.csv").decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Opérateur", "Question", "Réponse"]
    assert [r[0] for r in rows if r[2] == "'" + HOSTILE][:1] == ["Canopée"]
    needs = list(csv.reader(io.StringIO(archive.read("needs.csv").decode("utf-8-sig")), delimiter=";"))
    assert any(r[0] == "Lits de crise pour adolescents" and r[5] == "2020-09-11" for r in needs)


def test_a_final_evaluation_exports_what_was_frozen(evaluation, coordinator, series):
    services.evaluation_transition(actor=coordinator, evaluation=evaluation, to="drafting")
    services.evaluation_transition(actor=coordinator, evaluation=evaluation, to="final")
    series.sessions.filter(status="planned").update(status="cancelled")
    doc = export_document(series, evaluation)
    assert doc.indicators["sessions"]["cancelled"] == 1


def test_pdf_builds_for_a_series_without_evaluation(series, operator):
    pilot(series, operator)
    pdf = exports.evaluation_export_pdf(series=series)
    assert pdf.startswith(b"%PDF")


def test_the_printed_annex_counts_those_present_and_names_the_others():
    from evaluations.exporters.document import ExportDocument

    document = ExportDocument.__new__(ExportDocument)
    document.tables = [
        {
            "name": "sessions",
            "title": "Séances",
            "headers": ["Date", "Heure", "Statut", "Hôte", "Présents", "Excusés", "Absents", "Décisions", "Actions"],
            "rows": [["2020-09-08", "13:30", "Tenue", "", "Canopée, Polaris, Emism", "Pléiade", "", 1, 2]],
        }
    ]
    annex = document.annex()
    assert annex["rows"] == [["8 septembre 2020", "13:30", "Tenue", "", 3, "Pléiade", "", 1, 2]]
    assert annex["headers"][4] == "Présents (nombre)"
    assert document.table("sessions")["rows"][0][4] == "Canopée, Polaris, Emism"  # the spreadsheet keeps the names
