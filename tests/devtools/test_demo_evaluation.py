"""The demo pilot's evaluation, and the benchmark's PDF of it."""

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from devtools import demo
from devtools.demo_evaluation import seed_evaluation
from evaluations.exports import evaluation_export_pdf
from evaluations.models import Approval, Evaluation, Response
from meetings.models import Series


@pytest.fixture
def namur(db):
    with translation.override("en"):
        demo.seed_foundation()
        demo.seed_meetings()
        demo.seed_ritual()
        seed_evaluation()
        seed_evaluation()  # idempotent
    return Series.objects.get(name=demo.NAMUR_SERIES)


def test_the_namur_pilot_has_an_evaluation_being_drafted(namur):
    evaluation = Evaluation.objects.get(series=namur)
    assert evaluation.status == Evaluation.Status.DRAFTING
    submitted = Response.objects.filter(evaluation=evaluation, status="submitted")
    assert sorted(r.operator.slug for r in submitted) == ["canopee", "emism", "fil-rouge-tribu-mobile", "pleiade"]
    written = [s.title for s in evaluation.sections.order_by("position") if s.body]
    assert written == ["Contexte", "Déroulement"]
    assert [a.operator.slug for a in Approval.objects.filter(evaluation=evaluation)] == ["pleiade"]
    assert evaluation.questions.first().prompt == "L'échange hebdomadaire a-t-il été utile à votre service ?"


def test_the_demo_pilot_pdf_builds(namur):
    # How fast is measured by `make bench`, not here: a timed test fails on a busy machine.
    pdf = evaluation_export_pdf(series=namur)
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Contexte" in text and "Déroulement" in text
