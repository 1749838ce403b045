"""Reads of the info round: its window and phase, its questions, the completion board and the compiled round."""

import datetime as dt

import pytest

from meetings.models import Participation
from meetings.selectors.inforound import (
    InfoRoundPhase,
    info_round_board,
    info_round_compiled,
    info_round_phase,
    info_round_questions,
    info_round_window,
)
from meetings.services import agenda as agenda_services
from notifications.models import Notification

from ..factories import OperatorFactory, SessionFactory
from ..factories.agenda import LATE, OPEN, START, entry_save, participating_operators

pytestmark = pytest.mark.django_db


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


def test_board_statuses(series, ir_session, operator, member, questions):
    (a, a_user), (b, b_user), (c, _c_user) = participating_operators(series, 3)
    entry_save(ir_session, operator, member, {questions[0].pk: "x"}, submit=True)
    entry_save(ir_session, a, a_user, {questions[0].pk: "x"}, submit=True, now=LATE)
    entry_save(ir_session, b, b_user, {questions[0].pk: "x"})
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
        entry_save(ir_session, op, user, {questions[0].pk: "x"}, submit=True)
    with django_assert_num_queries(4):  # operators, entries, reminders sent, absences of the day
        rows = info_round_board(session=ir_session)
    assert len(rows) == count + 1
    assert all(r.entry.updated_by.email for r in rows if r.entry)


def test_compiled_round_shows_submitted_entries_only(series, ir_session, operator, member, questions):
    (a, a_user), (b, b_user) = participating_operators(series, 2)
    entry_save(
        ir_session, operator, member, {questions[0].pk: "Nouvelles de Canopée", questions[3].pk: "Un lit"}, submit=True
    )
    entry_save(ir_session, a, a_user, nothing_new=True)
    entry_save(ir_session, b, b_user, {questions[0].pk: "Brouillon privé"})
    compiled = {c.operator.name: c for c in info_round_compiled(session=ir_session)}
    canopee = compiled["Canopée"]
    assert [q.pk for q, _text in canopee.answers] == [q.pk for q in questions]
    assert canopee.answers[0][1] == "Nouvelles de Canopée" and canopee.answers[3][1] == "Un lit"
    assert compiled["Équipe 00"].entry.nothing_new and compiled["Équipe 00"].answered
    assert not compiled["Équipe 01"].answered and compiled["Équipe 01"].answers == []


@pytest.mark.parametrize("count", [1, 12])
def test_compiled_query_count_is_fixed(series, ir_session, questions, count, django_assert_num_queries):
    for op, user in participating_operators(series, count):
        entry_save(ir_session, op, user, {q.pk: f"Réponse {q.pk}" for q in questions}, submit=True)
    with django_assert_num_queries(4):  # questions, operators, entries, answers
        compiled = info_round_compiled(session=ir_session)
    assert sum(1 for c in compiled if c.answered) == count


def test_the_board_shows_when_each_operator_was_last_reminded(series, ir_session, operator, member):
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


@pytest.mark.parametrize(
    ("status", "now", "phase"),
    [
        ("planned", OPEN - dt.timedelta(days=2), InfoRoundPhase.NOT_OPEN),
        ("planned", OPEN, InfoRoundPhase.OPEN),
        ("planned", LATE, InfoRoundPhase.OPEN),  # late, yet still open until the start
        ("planned", START, InfoRoundPhase.CLOSED),
        ("cancelled", OPEN, InfoRoundPhase.CANCELLED),
        # Ended ahead of time, even before its window opened: nothing more to fill.
        ("held", OPEN - dt.timedelta(days=2), InfoRoundPhase.CLOSED),
    ],
)
def test_phase_of_the_info_round(ir_session, status, now, phase, django_assert_num_queries):
    ir_session.status = status
    with django_assert_num_queries(0):
        assert info_round_phase(ir_session, now) == phase
