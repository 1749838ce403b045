"""The consultation pages: what participants and coordinators do in the browser, the
synthesis and its files opened, fixed query counts at 1 and 500 contributions."""

import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from consultations import services
from consultations.models import Contribution, ContributionQuestion, Theme
from devtools.demo_consultations import SEED_001_PROPOSALS
from registrations.models import Question

from ..factories import RegistrationFactory, SessionFactory
from ..factories.consultations import ContributionFactory, consultation_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitting(coordinator):
    return SessionFactory(series=consultation_series(coordinator))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def participant(sitting):
    return RegistrationFactory(series=sitting.series, organisation_name="CPAS de Namur").user


def test_a_participant_states_a_contribution_and_errors_keep_the_text(participant, sitting):
    client = _client(participant)
    url = reverse("consultations:session", args=[sitting.public_id])
    response = client.post(url, {"kind": "proposal", "text": "x" * 2001})
    assert response.status_code == 200 and "x" * 2001 in response.content.decode()
    assert client.post(url, {"kind": "expectation", "text": "<b>Une cartographie</b>"}).status_code == 302
    page = client.get(url).content.decode()
    assert "&lt;b&gt;Une cartographie&lt;/b&gt;" in page


def test_the_paste_is_reviewed_then_saved(coordinator, sitting):
    client = _client(coordinator)
    url = reverse("consultations:paste", args=[sitting.public_id])
    review = client.post(url, {"kind": "proposal", "text": SEED_001_PROPOSALS})
    assert review.status_code == 200 and review.content.decode().count("<li>") >= 38
    assert not Contribution.objects.exists()
    saved = client.post(url, {"kind": "proposal", "text": SEED_001_PROPOSALS, "confirm": "1"})
    assert saved.status_code == 302 and Contribution.objects.count() == 38


def test_a_huge_paste_is_refused_with_a_400(coordinator, sitting):
    url = reverse("consultations:paste", args=[sitting.public_id])
    response = _client(coordinator).post(url, {"kind": "proposal", "text": "- x\n" * 40000})
    assert response.status_code == 400


def test_grouping_answering_with_plain_forms(coordinator, sitting):
    client = _client(coordinator)
    item = ContributionFactory(session=sitting)
    client.post(reverse("consultations:theme_create", args=[sitting.public_id]), {"name": "Cartographie"})
    theme = Theme.objects.get()
    moved = client.post(reverse("consultations:item_move", args=[item.public_id]), {"theme": theme.pk})
    assert moved.status_code == 302
    item.refresh_from_db()
    assert item.theme == theme
    url = reverse("consultations:item_answer", args=[item.public_id])
    refused = client.post(url, {"status": "not_retained", "reason": ""})
    assert refused.status_code == 400
    assert client.post(url, {"status": "not_retained", "reason": "Hors objectifs"}).status_code == 302


def test_a_stale_theme_statement_is_a_visible_conflict(coordinator, sitting):
    theme = Theme.objects.create(session=sitting, name="Plaidoyer")
    url = reverse("consultations:theme_edit", args=[sitting.public_id, theme.pk])
    client = _client(coordinator)
    assert client.post(url, {"name": "Plaidoyer", "statement": "Premier", "version": 1}).status_code == 302
    response = client.post(url, {"name": "Plaidoyer", "statement": "Second", "version": 1})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Premier" in page and "Second" in page


def test_a_stale_synthesis_context_is_a_visible_conflict(coordinator, sitting):
    url = reverse("consultations:synthesis_edit", args=[sitting.public_id])
    client = _client(coordinator)
    assert client.post(url, {"context": "Premier", "version": 1}).status_code == 302
    assert client.post(url, {"context": "Deuxième", "version": 2}).status_code == 302
    response = client.post(url, {"context": "Troisième", "version": 2})
    assert response.status_code == 409
    assert response.status_code == 409 and "Troisième" in response.content.decode()


def _publish(coordinator, sitting):
    services.contributions_paste_save(actor=coordinator, session=sitting, text=SEED_001_PROPOSALS, kind="proposal")
    theme = services.theme_create(actor=coordinator, session=sitting, name="Première ligne")
    first = Contribution.objects.order_by("position").first()
    services.item_move(actor=coordinator, item=first, theme=theme)
    services.item_answer(actor=coordinator, item=first, status="retained")
    start = datetime.datetime(2021, 5, 17, 11, 30, tzinfo=datetime.UTC)
    services.synthesis_update(
        actor=coordinator,
        session=sitting,
        version=1,
        context="La CIM Santé publique a adopté un protocole.",
        thanks="Encore merci aux participants pour leurs contributions.",
        next_starts_at=start,
        next_ends_at=start + datetime.timedelta(hours=2),
        next_place="Visioconférence",
    )
    services.synthesis_publish(actor=coordinator, session=sitting)


def test_the_published_synthesis_reads_as_the_seed_in_pdf_and_docx(coordinator, sitting):
    _publish(coordinator, sitting)
    client = Client()  # the series is public
    page = client.get(reverse("consultations:synthesis", args=[sitting.public_id]))
    assert page.status_code == 200 and "Première ligne" in page.content.decode()
    # Pasted proposals have no author: the page counts the contributions, not "0 participants".
    pasted = Contribution.objects.filter(session=sitting).count()
    assert f"{pasted} contributions" in page.content.decode() and "0 participant" not in page.content.decode()
    pdf = client.get(reverse("consultations:synthesis_file", args=[sitting.public_id, "pdf"]))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = " ".join(text.split())
    assert "Première ligne" in flat and "Prochaine séance" in flat and "17 mai 2021" in flat
    assert "13:30" in flat or "13 h 30" in flat
    docx = client.get(reverse("consultations:synthesis_file", args=[sitting.public_id, "docx"]))
    paragraphs = list(Document(io.BytesIO(docx.content)).paragraphs)
    headings = [p.text for p in paragraphs if p.style.name.startswith("Heading")]
    assert "Première ligne" in headings and "Prochaine séance" in headings
    texts = {p.text for p in paragraphs}
    assert all(c.text in texts for c in Contribution.objects.all())
    assert f"Contributions : {pasted}" in texts and not any(t.startswith("Participant") for t in texts)
    ics = client.get(reverse("consultations:synthesis_file", args=[sitting.public_id, "ics"]))
    assert b"DTSTART;TZID=Europe/Brussels:20210517T133000" in ics.content
    assert "Développer".encode() not in ics.content


def test_an_unpublished_synthesis_is_the_coordinators_preview_only(coordinator, participant, sitting):
    url = reverse("consultations:synthesis", args=[sitting.public_id])
    assert _client(participant).get(url).status_code == 404
    assert _client(coordinator).get(url).status_code == 200


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name", ["consultations:board", "consultations:synthesis", "consultations:session", "consultations:series"]
)
def test_pages_run_a_fixed_number_of_queries_at_1_and_500_contributions(coordinator, sitting, name):
    services.synthesis_publish(actor=coordinator, session=sitting)
    theme = Theme.objects.create(session=sitting, name="Réseau")
    ContributionFactory(session=sitting, theme=theme, author=coordinator)
    args = [sitting.series.public_id] if name == "consultations:series" else [sitting.public_id]
    client = _client(coordinator)
    url = reverse(name, args=args)
    client.get(url)
    one = _count(client, url)
    Contribution.objects.bulk_create(
        Contribution(session=sitting, text=f"Proposition {i}", theme=theme if i % 2 else None, position=i)
        for i in range(499)
    )
    assert _count(client, url) == one


def test_hostile_urls_and_formats_answer_4xx(coordinator, sitting):
    client = _client(coordinator)
    assert client.get(f"/consultations/sessions/{sitting.public_id}/synthesis.exe").status_code == 404
    assert client.get(reverse("consultations:board", args=[sitting.public_id]) + "?page=x&theme=<b>").status_code == 200
    item = ContributionFactory(session=sitting)
    bad = client.post(reverse("consultations:item_move", args=[item.public_id]), {"theme": "zz"})
    assert bad.status_code == 302


def test_coordinators_choose_the_registration_question_whose_answers_become_contributions(coordinator, sitting):
    question = Question.objects.create(series=sitting.series, text="Vos attentes ?")
    client = _client(coordinator)
    page = client.get(reverse("meetings:series_detail", args=[sitting.series.public_id])).content.decode()
    assert reverse("consultations:series", args=[sitting.series.public_id]) in page
    url = reverse("consultations:contribution_question", args=[sitting.series.public_id])
    assert client.post(url, {"question": "²", "kind": "expectation"}).status_code == 302
    assert not ContributionQuestion.objects.exists()
    assert client.post(url, {"question": question.pk, "kind": "expectation"}).status_code == 302
    assert ContributionQuestion.objects.get().question == question
    page = client.get(reverse("consultations:series", args=[sitting.series.public_id])).content.decode()
    assert "Vos attentes ?" in page


def test_the_items_table_keeps_a_formula_as_text(coordinator, sitting):
    ContributionFactory(session=sitting, text='=HYPERLINK("http://evil.example","clic")')
    services.synthesis_publish(actor=coordinator, session=sitting)
    response = Client().get(reverse("consultations:synthesis_file", args=[sitting.public_id, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = next(c for row in sheet.iter_rows(min_row=2) for c in row if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix


def test_a_synthesis_of_a_private_series_is_not_cached(coordinator, sitting):
    services.synthesis_publish(actor=coordinator, session=sitting)
    url = reverse("consultations:synthesis", args=[sitting.public_id])
    assert "no-store" not in Client().get(url).get("Cache-Control", "")
    sitting.series.visibility = "private"
    sitting.series.save()
    assert "no-store" in _client(coordinator).get(url)["Cache-Control"]
