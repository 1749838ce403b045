"""The info round: its window, saving and submitting entries, the board and the compiled round."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from meetings.models import InfoRoundAnswer, InfoRoundEntry, Session
from meetings.services.inforound import InfoRoundConflict, answer_field

from ..factories.agenda import LATE, OPEN, START, entry_save

pytestmark = pytest.mark.django_db


def test_a_member_saves_a_draft_then_submits(ir_session, operator, member, referent, questions):
    news, capacity = questions[0], questions[1]
    entry = entry_save(ir_session, operator, member, {news.pk: "Deux nouvelles collègues.\r\nUne absence."})
    assert entry.status == InfoRoundEntry.Status.DRAFT and entry.version == 1 and entry.updated_by == member
    assert entry.submitted_at is None
    texts = dict(entry.answers.values_list("question_id", "text"))
    assert texts[news.pk] == "Deux nouvelles collègues.\nUne absence."
    assert texts[capacity.pk] == ""
    entry = entry_save(
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
    entry = entry_save(ir_session, operator, member, {news.pk: "Trois."}, version=2, now=LATE)
    assert entry.status == InfoRoundEntry.Status.SUBMITTED and not entry.is_late
    assert entry.submitted_at == OPEN + dt.timedelta(hours=1) and entry.updated_by == member


def test_submitted_after_the_deadline_is_late(ir_session, operator, member, questions):
    entry = entry_save(ir_session, operator, member, {questions[0].pk: "Rien"}, submit=True, now=LATE)
    assert entry.is_late


def test_nothing_new_is_a_one_click_submission(ir_session, operator, member, questions):
    questions[0].required = True
    questions[0].save()
    entry = entry_save(ir_session, operator, member, nothing_new=True)
    assert entry.status == InfoRoundEntry.Status.SUBMITTED and entry.nothing_new
    entry = entry_save(ir_session, operator, member, {questions[0].pk: "Finalement, du neuf."}, version=1, submit=True)
    assert not entry.nothing_new


def test_answers_over_their_limit_are_refused(ir_session, operator, member, questions):
    with pytest.raises(ValidationError) as exc:
        entry_save(ir_session, operator, member, {questions[0].pk: "x" * 501, questions[1].pk: "ok"})
    errors = exc.value.message_dict
    assert list(errors) == [answer_field(questions[0].pk)]
    assert "500" in errors[answer_field(questions[0].pk)][0] and "501" in errors[answer_field(questions[0].pk)][0]
    assert not InfoRoundEntry.objects.exists()


def test_line_breaks_count_once(ir_session, operator, member, questions):
    text = "ab\r\n" * 166 + "ab"  # 666 sent, 500 once \r\n counts as one
    entry = entry_save(ir_session, operator, member, {questions[0].pk: text})
    assert len(entry.answers.get(question=questions[0]).text) == 500


def test_required_answers_on_submit_only(ir_session, operator, member, questions):
    questions[1].required = True
    questions[1].save()
    entry = entry_save(ir_session, operator, member, {questions[0].pk: "Brouillon"})  # a draft may be incomplete
    with pytest.raises(ValidationError) as exc:
        entry_save(ir_session, operator, member, {questions[0].pk: "Brouillon"}, version=1, submit=True)
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
        entry_save(ir_session, operator, member, {questions[0].pk: "Trop tôt ou trop tard"}, now=now)
    assert message in exc.value.messages[0]
    assert not InfoRoundEntry.objects.exists()


def test_a_submitted_entry_cannot_change_after_the_start(ir_session, operator, member, questions):
    entry_save(ir_session, operator, member, {questions[0].pk: "Avant"}, submit=True)
    with pytest.raises(ValidationError):
        entry_save(
            ir_session, operator, member, {questions[0].pk: "Après"}, version=1, now=START + dt.timedelta(minutes=5)
        )
    assert InfoRoundAnswer.objects.get(question=questions[0]).text == "Avant"


def test_a_cancelled_session_has_no_info_round(ir_session, operator, member):
    Session.objects.filter(pk=ir_session.pk).update(status=Session.Status.CANCELLED)
    with pytest.raises(ValidationError):
        entry_save(ir_session, operator, member)


@pytest.mark.parametrize("persona", ["other_member", "coordinator", "admin_user", "outsider"])
def test_only_members_of_the_operator_fill_its_entry(request, ir_session, operator, persona):
    with pytest.raises(PermissionDenied):
        entry_save(ir_session, operator, request.getfixturevalue(persona))
    assert not InfoRoundEntry.objects.exists()


def test_an_operator_that_does_not_take_part_cannot_fill(ir_session, other_operator, other_member):
    with pytest.raises(PermissionDenied):
        entry_save(ir_session, other_operator, other_member)


def test_a_stale_save_is_a_conflict_and_changes_nothing(ir_session, operator, member, referent, questions):
    entry_save(ir_session, operator, member, {questions[0].pk: "Texte de Olivier"})
    entry_save(ir_session, operator, referent, {questions[0].pk: "Texte d'Isabelle"}, version=1)
    with pytest.raises(InfoRoundConflict) as exc:
        entry_save(ir_session, operator, member, {questions[0].pk: "Seconde version d'Olivier"}, version=1)
    assert exc.value.entry.version == 2 and exc.value.entry.updated_by == referent
    assert exc.value.answers[questions[0].pk].text == "Texte d'Isabelle"
    assert InfoRoundAnswer.objects.get(question=questions[0]).text == "Texte d'Isabelle"


def test_two_first_saves_conflict_too(ir_session, operator, member, referent, questions):
    entry_save(ir_session, operator, member, {questions[0].pk: "Premier"})
    with pytest.raises(InfoRoundConflict):
        entry_save(ir_session, operator, referent, {questions[0].pk: "Second"}, version=0)


# --- board and compiled round ---------------------------------------------------------
