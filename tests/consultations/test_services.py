"""The consultation services: collecting, pasting, grouping, merging, answering, the synthesis."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from consultations import services
from consultations.models import Contribution, Theme
from consultations.selectors import collection_open, items_of, synthesis_document
from devtools.demo_consultations import SEED_001_PROPOSALS
from registrations.models import Answer, Question
from registrations.services import registration_submit

from ..factories import RegistrationFactory, SessionFactory, UserFactory
from ..factories.consultations import ContributionFactory, consultation_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(coordinator):
    return consultation_series(coordinator)


@pytest.fixture
def sitting(consultation):
    return SessionFactory(series=consultation)


def test_the_seed_001_list_pastes_into_38_proposals():
    texts = services.contributions_paste_parse(text=SEED_001_PROPOSALS)
    assert len(texts) == 38
    assert texts[0] == (
        "Développer des dispositifs de sentinelles (modèle basé sur des relayant pairs permettant une "
        "intervention rapide au sein des public cible)"
    )
    assert texts[-1] == "Développer des approches préventives à destination des personnes âgées."
    assert not any(t.startswith(("•", "-")) for t in texts)


def test_a_list_without_bullets_is_one_contribution_per_line_numbering_stripped():
    texts = services.contributions_paste_parse(text="1. Un\n2) Deux\n\n  trois  \n")
    assert texts == ["Un", "Deux", "trois"]


@pytest.mark.parametrize(
    "text",
    ["x" * (services.MAX_PASTE_CHARS + 1), "\n".join(f"- {i}" for i in range(services.MAX_PASTE_ITEMS + 1))],
)
def test_huge_pastes_are_refused(text):
    with pytest.raises(ValidationError):
        services.contributions_paste_parse(text=text)


def test_hostile_text_is_kept_as_text():
    texts = services.contributions_paste_parse(text='- <script>alert(1)</script>\x00\n- =HYPERLINK("x")')
    assert texts == ["<script>alert(1)</script>", '=HYPERLINK("x")']


def test_paste_save_records_in_order_as_the_coordinators(coordinator, sitting):
    saved = services.contributions_paste_save(
        actor=coordinator, session=sitting, text=SEED_001_PROPOSALS, kind="proposal"
    )
    assert len(saved) == 38
    items = list(items_of(sitting).order_by("position"))
    assert [i.text for i in items][:2] == [saved[0].text, saved[1].text]
    assert all(i.author is None and i.recorded_by == coordinator for i in items)


def test_paste_save_is_for_coordinators(member, sitting):
    with pytest.raises(PermissionDenied):
        services.contributions_paste_save(actor=member, session=sitting, text="- a", kind="proposal")


def test_a_participant_states_edits_and_withdraws_while_open(coordinator, sitting):
    person = UserFactory()
    RegistrationFactory(series=sitting.series, user=person)
    c = services.contribution_submit(actor=person, session=sitting, kind="expectation", text="  Une   cartographie ")
    assert c.text == "Une cartographie" and c.author == person
    services.contribution_edit(actor=person, contribution=c, kind="proposal", text="Un répertoire")
    c.refresh_from_db()
    assert (c.kind, c.text) == ("proposal", "Un répertoire")
    services.collection_set(actor=coordinator, session=sitting, is_open=False)
    assert not collection_open(sitting)
    with pytest.raises(ValidationError):
        services.contribution_withdraw(actor=person, contribution=c)
    with pytest.raises(ValidationError):
        services.contribution_submit(actor=person, session=sitting, kind="proposal", text="Trop tard")
    services.collection_set(actor=coordinator, session=sitting, is_open=True)
    services.contribution_withdraw(actor=person, contribution=c)
    assert not items_of(sitting).exists()


def test_someone_else_may_not_edit(member, sitting):
    c = ContributionFactory(session=sitting, author=UserFactory())
    with pytest.raises(PermissionDenied):
        services.contribution_edit(actor=member, contribution=c, kind="proposal", text="x")


def test_an_outsider_may_not_contribute(outsider, sitting):
    with pytest.raises(PermissionDenied):
        services.contribution_submit(actor=outsider, session=sitting, kind="proposal", text="x")


def test_themes_items_move_and_reorder(coordinator, sitting):
    a, b, c = (ContributionFactory(session=sitting) for _ in range(3))
    carto = services.theme_create(actor=coordinator, session=sitting, name="Cartographie")
    reseau = services.theme_create(actor=coordinator, session=sitting, name="Réseau et collaboration")
    with pytest.raises(ValidationError):
        services.theme_create(actor=coordinator, session=sitting, name="cartographie")
    for item in (a, b, c):
        services.item_move(actor=coordinator, item=item, theme=carto)
    services.item_move(actor=coordinator, item=c, theme=carto, direction="up")
    assert [i.pk for i in items_of(sitting).filter(theme=carto).order_by("position", "pk")] == [a.pk, c.pk, b.pk]
    services.theme_move(actor=coordinator, theme=reseau, direction="up")
    assert list(Theme.objects.filter(session=sitting).values_list("name", flat=True)) == [
        "Réseau et collaboration",
        "Cartographie",
    ]
    other = SessionFactory(series=sitting.series)
    foreign = services.theme_create(actor=coordinator, session=other, name="Ailleurs")
    with pytest.raises(ValidationError):
        services.item_move(actor=coordinator, item=a, theme=foreign)


def test_concurrent_edits_of_a_theme_statement_conflict(coordinator, sitting):
    theme = services.theme_create(actor=coordinator, session=sitting, name="Plaidoyer")
    services.theme_update(actor=coordinator, theme=theme, name="Plaidoyer", statement="Clarifier", version=1)
    with pytest.raises(ValidationError) as exc:
        services.theme_update(actor=coordinator, theme=theme, name="Plaidoyer", statement="Autre", version=1)
    assert exc.value.code == "conflict"
    theme.refresh_from_db()
    assert theme.statement == "Clarifier" and theme.version == 2


def test_merge_keeps_the_sources(coordinator, sitting):
    a = ContributionFactory(session=sitting, text="Un numéro unique")
    b = ContributionFactory(session=sitting, text="Un numéro d'appel unique")
    merged = services.items_merge(actor=coordinator, items=[a, b], text="")
    assert merged.text == "Un numéro unique"
    assert set(merged.sources.values_list("pk", flat=True)) == {a.pk, b.pk}
    assert list(items_of(sitting)) == [merged]
    with pytest.raises(ValidationError):
        services.items_merge(actor=coordinator, items=[merged])


def test_answers_need_a_reason_when_not_retained(coordinator, sitting):
    item = ContributionFactory(session=sitting)
    with pytest.raises(ValidationError) as exc:
        services.item_answer(actor=coordinator, item=item, status="not_retained", reason=" ")
    assert "reason" in exc.value.error_dict
    services.item_answer(actor=coordinator, item=item, status="not_retained", reason="Hors objectifs")
    item.refresh_from_db()
    assert item.is_answered and item.answered_by == coordinator and item.answered_at is not None


def test_concurrent_edits_of_the_synthesis_conflict(coordinator, sitting):
    first = services.synthesis_update(actor=coordinator, session=sitting, version=1, context="A")
    services.synthesis_update(actor=coordinator, session=sitting, version=first.version, context="B")
    with pytest.raises(ValidationError) as exc:
        services.synthesis_update(actor=coordinator, session=sitting, version=first.version, context="C")
    assert exc.value.code == "conflict"


def test_the_next_session_ends_after_it_starts(coordinator, sitting):
    start = datetime.datetime(2021, 5, 17, 11, 30, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError):
        services.synthesis_update(
            actor=coordinator, session=sitting, version=1, next_starts_at=start, next_ends_at=start
        )


def test_the_synthesis_document(coordinator, sitting):
    theme = services.theme_create(actor=coordinator, session=sitting, name="Cartographie")
    person = UserFactory()
    ContributionFactory(session=sitting, author=person, organisation="CPAS", theme=theme)
    ContributionFactory(session=sitting)
    doc = synthesis_document(sitting)
    assert doc.participants == 1 and doc.organisations == ["CPAS"]
    assert len(doc.themes[0].item_list) == 1 and len(doc.unsorted) == 1


def test_a_registration_answer_to_the_contribution_question_becomes_a_contribution(
    coordinator, sitting, django_capture_on_commit_callbacks
):
    question = Question.objects.create(series=sitting.series, text="Vos attentes ?")
    services.contribution_question_set(actor=coordinator, question=question)
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration_submit(
            actor=person,
            series=sitting.series,
            organisation_name="SSM Namur",
            profession="Psychologue",
            answers={question.pk: "Mieux connaître le réseau"},
        )
    contribution = Contribution.objects.get()
    assert contribution.author == person and contribution.session == sitting
    assert contribution.kind == "expectation" and contribution.organisation == "SSM Namur"
    assert contribution.source_answer == Answer.objects.get()
    # Once per answer.
    assert services.contribution_from_answer(answer=Answer.objects.get()) is None
