"""The info round: its window, saving and submitting entries, the board and the compiled round."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from meetings.models import InfoRoundAnswer, InfoRoundEntry, Participation, Session
from meetings.selectors.inforound import (
    info_round_board,
    info_round_compiled,
    info_round_questions,
    info_round_window,
)
from meetings.services import agenda as agenda_services
from meetings.services.inforound import InfoRoundConflict, answer_field, info_round_entry_save

from ..factories import OperatorFactory, SessionFactory
from .factories_agenda import OPEN, START, participating_operators, session_with_agenda

pytestmark = pytest.mark.django_db

LATE = START - dt.timedelta(hours=2)


@pytest.fixture
def ir_session(series):
    return session_with_agenda(series)


@pytest.fixture
def questions(ir_session):
    return info_round_questions(ir_session)


def _save(session, operator, user, answers=None, *, version=0, submit=False, nothing_new=False, now=OPEN):
    return info_round_entry_save(
        actor=user,
        session=session,
        operator=operator,
        answers=answers or {},
        version=version,
        submit=submit,
        nothing_new=nothing_new,
        now=now,
    )


def test_window_is_pure_and_follows_the_series(ir_session, django_assert_num_queries):
    ir_session.series.info_round_open_days, ir_session.series.info_round_deadline_hours = 5, 48
    with django_assert_num_queries(0):
        opens_at, deadline = info_round_window(ir_session)
    assert opens_at == START - dt.timedelta(days=5)
    assert deadline == START - dt.timedelta(hours=48)


def test_questions_come_from_the_session_template_or_the_current_one(series, ir_session, coordinator):
    v1 = ir_session.agenda_template
    assert [q.template_id for q in info_round_questions(ir_session)] == [v1.pk] * 5
    draft = agenda_services.agenda_template_prepare(actor=coordinator, series=series)
    agenda_services.template_question_add(actor=coordinator, template=draft, prompt="Formations")
    ir_session.agenda_customised = True  # keeps v1
    ir_session.save()
    agenda_services.agenda_template_publish(actor=coordinator, template=draft, change_note="+1 question")
    assert len(info_round_questions(ir_session)) == 5
    bare = SessionFactory(series=series, starts_at=START + dt.timedelta(days=7))
    assert [q.template_id for q in info_round_questions(bare)] == [draft.pk] * 6


def test_a_member_saves_a_draft_then_submits(ir_session, operator, member, referent, questions):
    news, capacity = questions[0], questions[1]
    entry = _save(ir_session, operator, member, {news.pk: "Deux nouvelles collègues.\r\nUne absence."})
    assert entry.status == InfoRoundEntry.Status.DRAFT and entry.version == 1 and entry.updated_by == member
    assert entry.submitted_at is None
    texts = dict(entry.answers.values_list("question_id", "text"))
    assert texts[news.pk] == "Deux nouvelles collègues.\nUne absence."
    assert texts[capacity.pk] == ""
    entry = _save(
        ir_session,
        operator,
        referent,
        {news.pk: "Deux nouvelles collègues.", capacity.pk: "Délai : 2 semaines."},
        version=1,
        submit=True,
        now=OPEN + dt.timedelta(hours=1),
    )
    assert entry.status == InfoRoundEntry.Status.SUBMITTED and not entry.is_late and entry.version == 2
    assert entry.submitted_by == referent and entry.submitted_at == OPEN + dt.timedelta(hours=1)
    assert InfoRoundAnswer.objects.filter(entry=entry).count() == 5
    # Edited after submitting, until the start: it stays submitted, on time.
    entry = _save(ir_session, operator, member, {news.pk: "Trois."}, version=2, now=LATE)
    assert entry.status == InfoRoundEntry.Status.SUBMITTED and not entry.is_late
    assert entry.submitted_at == OPEN + dt.timedelta(hours=1) and entry.updated_by == member


def test_submitted_after_the_deadline_is_late(ir_session, operator, member, questions):
    entry = _save(ir_session, operator, member, {questions[0].pk: "Rien"}, submit=True, now=LATE)
    assert entry.is_late


def test_nothing_new_is_a_one_click_submission(ir_session, operator, member, questions):
    questions[0].required = True
    questions[0].save()
    entry = _save(ir_session, operator, member, nothing_new=True)
    assert entry.status == InfoRoundEntry.Status.SUBMITTED and entry.nothing_new
    entry = _save(ir_session, operator, member, {questions[0].pk: "Finalement, du neuf."}, version=1, submit=True)
    assert not entry.nothing_new


def test_answers_over_their_limit_are_refused(ir_session, operator, member, questions):
    with pytest.raises(ValidationError) as exc:
        _save(ir_session, operator, member, {questions[0].pk: "x" * 501, questions[1].pk: "ok"})
    errors = exc.value.message_dict
    assert list(errors) == [answer_field(questions[0].pk)]
    assert "500" in errors[answer_field(questions[0].pk)][0] and "501" in errors[answer_field(questions[0].pk)][0]
    assert not InfoRoundEntry.objects.exists()


def test_line_breaks_count_once(ir_session, operator, member, questions):
    text = "ab\r\n" * 166 + "ab"  # 666 sent, 500 once \r\n counts as one
    entry = _save(ir_session, operator, member, {questions[0].pk: text})
    assert len(entry.answers.get(question=questions[0]).text) == 500


def test_required_answers_on_submit_only(ir_session, operator, member, questions):
    questions[1].required = True
    questions[1].save()
    entry = _save(ir_session, operator, member, {questions[0].pk: "Brouillon"})  # a draft may be incomplete
    with pytest.raises(ValidationError) as exc:
        _save(ir_session, operator, member, {questions[0].pk: "Brouillon"}, version=1, submit=True)
    assert list(exc.value.message_dict) == [answer_field(questions[1].pk)]
    entry.refresh_from_db()
    assert entry.status == InfoRoundEntry.Status.DRAFT and entry.version == 1


@pytest.mark.parametrize(
    ("now", "message"),
    [
        (START - dt.timedelta(days=3, minutes=1), "ouvre le"),
        (START, "a commencé"),
        (START + dt.timedelta(hours=2), "a commencé"),
    ],
)
def test_outside_the_window_nothing_is_saved(ir_session, operator, member, questions, now, message):
    with pytest.raises(ValidationError) as exc:
        _save(ir_session, operator, member, {questions[0].pk: "Trop tôt ou trop tard"}, now=now)
    assert message in exc.value.messages[0]
    assert not InfoRoundEntry.objects.exists()


def test_a_submitted_entry_cannot_change_after_the_start(ir_session, operator, member, questions):
    _save(ir_session, operator, member, {questions[0].pk: "Avant"}, submit=True)
    with pytest.raises(ValidationError):
        _save(ir_session, operator, member, {questions[0].pk: "Après"}, version=1, now=START + dt.timedelta(minutes=5))
    assert InfoRoundAnswer.objects.get(question=questions[0]).text == "Avant"


def test_a_cancelled_session_has_no_info_round(ir_session, operator, member):
    Session.objects.filter(pk=ir_session.pk).update(status=Session.Status.CANCELLED)
    with pytest.raises(ValidationError):
        _save(ir_session, operator, member)


@pytest.mark.parametrize("persona", ["other_member", "coordinator", "admin_user", "outsider"])
def test_only_members_of_the_operator_fill_its_entry(request, ir_session, operator, persona):
    with pytest.raises(PermissionDenied):
        _save(ir_session, operator, request.getfixturevalue(persona))
    assert not InfoRoundEntry.objects.exists()


def test_an_operator_that_does_not_take_part_cannot_fill(ir_session, other_operator, other_member):
    with pytest.raises(PermissionDenied):
        _save(ir_session, other_operator, other_member)


def test_a_stale_save_is_a_conflict_and_changes_nothing(ir_session, operator, member, referent, questions):
    _save(ir_session, operator, member, {questions[0].pk: "Texte de Olivier"})
    _save(ir_session, operator, referent, {questions[0].pk: "Texte d'Isabelle"}, version=1)
    with pytest.raises(InfoRoundConflict) as exc:
        _save(ir_session, operator, member, {questions[0].pk: "Seconde version d'Olivier"}, version=1)
    assert exc.value.entry.version == 2 and exc.value.entry.updated_by == referent
    assert exc.value.answers[questions[0].pk] == "Texte d'Isabelle"
    assert InfoRoundAnswer.objects.get(question=questions[0]).text == "Texte d'Isabelle"


def test_two_first_saves_conflict_too(ir_session, operator, member, referent, questions):
    _save(ir_session, operator, member, {questions[0].pk: "Premier"})
    with pytest.raises(InfoRoundConflict):
        _save(ir_session, operator, referent, {questions[0].pk: "Second"}, version=0)


# --- board and compiled round ---------------------------------------------------------


def test_board_statuses(series, ir_session, operator, member, questions):
    (a, a_user), (b, b_user), (c, _c_user) = participating_operators(series, 3)
    _save(ir_session, operator, member, {questions[0].pk: "x"}, submit=True)
    _save(ir_session, a, a_user, {questions[0].pk: "x"}, submit=True, now=LATE)
    _save(ir_session, b, b_user, {questions[0].pk: "x"})
    left = OperatorFactory(name="Ancien")
    Participation.objects.create(series=series, operator=left, since=dt.date(2020, 9, 1), until=dt.date(2021, 1, 1))
    rows = {r.operator.name: r for r in info_round_board(session=ir_session)}
    assert {name: r.status for name, r in rows.items()} == {
        "Canopée": "submitted",
        "Équipe 00": "late",
        "Équipe 01": "draft",
        "Équipe 02": "not_started",
    }
    assert rows["Canopée"].entry.updated_by == member
    assert rows["Équipe 02"].entry is None


@pytest.mark.parametrize("count", [1, 12])
def test_board_query_count_is_fixed(series, ir_session, questions, count, django_assert_num_queries):
    for op, user in participating_operators(series, count):
        _save(ir_session, op, user, {questions[0].pk: "x"}, submit=True)
    with django_assert_num_queries(3):
        rows = info_round_board(session=ir_session)
    assert len(rows) == count + 1
    assert all(r.entry.updated_by.email for r in rows if r.entry)


def test_compiled_round_shows_submitted_entries_only(series, ir_session, operator, member, questions):
    (a, a_user), (b, b_user) = participating_operators(series, 2)
    _save(
        ir_session, operator, member, {questions[0].pk: "Nouvelles de Canopée", questions[3].pk: "Un lit"}, submit=True
    )
    _save(ir_session, a, a_user, nothing_new=True)
    _save(ir_session, b, b_user, {questions[0].pk: "Brouillon privé"})
    compiled = {c.operator.name: c for c in info_round_compiled(session=ir_session)}
    canopee = compiled["Canopée"]
    assert [q.pk for q, _text in canopee.answers] == [q.pk for q in questions]
    assert canopee.answers[0][1] == "Nouvelles de Canopée" and canopee.answers[3][1] == "Un lit"
    assert compiled["Équipe 00"].entry.nothing_new and compiled["Équipe 00"].answered
    assert not compiled["Équipe 01"].answered and compiled["Équipe 01"].answers == []


@pytest.mark.parametrize("count", [1, 12])
def test_compiled_query_count_is_fixed(series, ir_session, questions, count, django_assert_num_queries):
    for op, user in participating_operators(series, count):
        _save(ir_session, op, user, {q.pk: f"Réponse {q.pk}" for q in questions}, submit=True)
    with django_assert_num_queries(4):  # questions, operators, entries, answers
        compiled = info_round_compiled(session=ir_session)
    assert sum(1 for c in compiled if c.answered) == count


def test_the_board_shows_when_each_operator_was_last_reminded(series, ir_session, operator, member):
    from core.models import Notification

    sent = OPEN + dt.timedelta(hours=5)
    for kind, at in (("info_round_open", OPEN), ("info_round_reminder", sent)):
        Notification.objects.create(
            recipient=member,
            kind=kind,
            object_type="meetings.session",
            object_id=str(ir_session.pk),
            state=Notification.State.SENT,
            sent_at=at,
        )
    rows = {r.operator.pk: r for r in info_round_board(session=ir_session)}
    assert rows[operator.pk].last_reminded_at == sent
    assert rows[operator.pk].entry is None
