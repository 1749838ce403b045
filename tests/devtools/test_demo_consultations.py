"""The demo's consultations: seed 001 pasted, grouped, answered and published; seed 003 by theme."""

import datetime
import io

from django.urls import reverse
from docx import Document

from consultations.models import Contribution, ContributionQuestion, Synthesis, Theme
from devtools import demo
from devtools.demo_consultations import NEXT_EXPECTATIONS, SEED_001_SERIES, seed_consultations
from devtools.demo_registrations import BASSIN_NORD_SERIES, seed_registrations
from meetings.models import Series
from registrations.models import Answer, Question


def test_the_seeds_are_rebuilt_and_published(db, client):
    demo.seed_foundation()
    seed_registrations()
    seed_consultations()
    seed_consultations()  # idempotent
    first = Series.objects.get(name=SEED_001_SERIES).sessions.order_by("starts_at").first()
    assert Contribution.objects.filter(session=first).count() == 38
    assert Theme.objects.filter(session=first).count() == 4
    assert not Contribution.objects.filter(session=first, theme=None).exists()
    synthesis = Synthesis.objects.get(session=first)
    assert synthesis.is_published
    assert synthesis.next_starts_at == datetime.datetime(2021, 5, 17, 11, 30, tzinfo=datetime.UTC)
    docx = client.get(reverse("consultations:synthesis_file", args=[first.public_id, "docx"]))
    texts = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert "Encore merci aux participants pour leurs contributions." in texts
    nord = Series.objects.get(name=BASSIN_NORD_SERIES).sessions.order_by("starts_at").first()
    assert list(Theme.objects.filter(session=nord).values_list("name", flat=True))[0] == "Cartographie"
    assert Theme.objects.filter(session=nord).count() == 6
    assert Synthesis.objects.get(session=nord).next_details == "Suivie d'un lunch."


def test_the_demo_registration_answers_become_expectations_of_the_next_date(db, django_capture_on_commit_callbacks):
    demo.seed_foundation()
    seed_registrations()
    with django_capture_on_commit_callbacks(execute=True):
        seed_consultations()
    nord = Series.objects.get(name=BASSIN_NORD_SERIES)
    question = Question.objects.get(series=nord, text="Vos attentes")
    assert ContributionQuestion.objects.get(question=question).kind == "expectation"
    upcoming = nord.sessions.order_by("starts_at").last()
    stated = Contribution.objects.filter(session=upcoming, source_answer__question=question).select_related(
        "source_answer__registration"
    )
    assert sorted(c.text for c in stated) == sorted(NEXT_EXPECTATIONS)
    for contribution in stated:
        registration = contribution.source_answer.registration
        assert contribution.kind == "expectation" and contribution.author_id == registration.user_id
        assert contribution.organisation == registration.organisation_name
    assert Answer.objects.filter(question=question).count() == len(NEXT_EXPECTATIONS)  # once per answer
