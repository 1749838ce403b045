"""The help desk's writes: submission behind the guard, the state machine, the
conflict of two people taking the same request, messages, contacts, hand-over."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from core.brussels import BRUSSELS
from helpdesk.models import ContactMade, MessageKind, Outcome, Request, RequestMessage, Status
from helpdesk.services.requests import (
    RequestConflict,
    contact_record,
    message_post,
    request_assign,
    request_close,
    request_hand_over_to_need,
    request_take,
    request_transition,
)
from meetings.models import CooperationNeed, Participation
from operators.models import OperatorMembership

from ..factories import UserFactory
from ..factories.helpdesk import help_request

NISS = "85.07.30-033.28"
PHONE = "0470 12 34 56"


def test_a_request_is_due_after_the_working_days_of_its_desk(sud, team):
    friday = datetime.datetime(2026, 3, 6, 17, tzinfo=BRUSSELS)
    request = help_request(sud, at=friday)
    assert request.status == Status.NEW
    assert request.first_answer_due == datetime.date(2026, 3, 10)
    assert request.events.get().action == "submitted"


@pytest.mark.parametrize("planted", [NISS, PHONE, "jean.dupont@example.org"])
@pytest.mark.parametrize("field", ["situation", "tried", "services_involved"])
def test_the_guard_refuses_identifying_data_in_the_situation(sud, team, field, planted):
    with pytest.raises(ValidationError) as refused:
        help_request(sud, **{field: f"Le monsieur ({planted}) refuse les soins."})
    assert field in refused.value.error_dict
    assert not Request.objects.exists()


def test_the_requesters_own_phone_is_not_guarded(sud, team):
    request = help_request(sud, contact_phone=PHONE, contact_preference="phone")
    assert request.contact_phone == PHONE


def test_at_least_one_sector(sud, team):
    with pytest.raises(ValidationError) as refused:
        help_request(sud, sectors=["nonsense"])
    assert "sectors" in refused.value.error_dict


def test_take_makes_the_actor_owner(sud, agent, django_capture_on_commit_callbacks):
    request = help_request(sud)
    with django_capture_on_commit_callbacks(execute=True):
        taken = request_take(actor=agent, request=request, version=request.version)
    assert (taken.status, taken.owner, taken.version) == (Status.ASSIGNED, agent, 2)
    assert taken.follow_up_on is not None
    assert len(mail.outbox) == 1
    assert request.situation not in mail.outbox[0].body
    assert "Attribuée" in mail.outbox[0].body


def test_two_members_taking_at_once_end_with_one_owner(sud, agent, colleague):
    request = help_request(sud)
    seen_by_agent = Request.objects.get(pk=request.pk)
    seen_by_colleague = Request.objects.get(pk=request.pk)
    request_take(actor=agent, request=seen_by_agent, version=seen_by_agent.version)
    with pytest.raises(RequestConflict) as conflict:
        request_take(actor=colleague, request=seen_by_colleague, version=seen_by_colleague.version)
    assert conflict.value.current.owner == agent
    assert Request.objects.get(pk=request.pk).owner == agent


def test_outsiders_and_the_requester_cannot_work_the_request(sud, team):
    request = help_request(sud)
    with pytest.raises(PermissionDenied):
        request_take(actor=UserFactory(), request=request, version=request.version)
    with pytest.raises(PermissionDenied):
        request_take(actor=request.requester, request=request, version=request.version)


def test_only_members_of_the_team_own_requests(sud, agent):
    request = help_request(sud)
    with pytest.raises(ValidationError):
        request_assign(actor=agent, request=request, owner=UserFactory(), version=request.version)


def test_reassign(sud, agent, colleague):
    request = help_request(sud)
    request = request_take(actor=agent, request=request, version=1)
    request = request_assign(actor=agent, request=request, owner=colleague, version=request.version)
    assert (request.status, request.owner) == (Status.ASSIGNED, colleague)


def test_the_state_machine_refuses_other_moves(sud, agent):
    request = help_request(sud)
    with pytest.raises(ValidationError):
        request_transition(actor=agent, request=request, to=Status.WAITING_SERVICE, version=1)
    closed = request_close(actor=agent, request=request, outcome=Outcome.OUT_OF_SCOPE, version=1)
    with pytest.raises(ValidationError):
        request_transition(actor=agent, request=closed, to=Status.ASSIGNED, version=closed.version)


def test_closing_needs_an_outcome(sud, agent):
    request = help_request(sud)
    with pytest.raises(ValidationError):
        request_close(actor=agent, request=request, outcome="", version=1)


def test_question_and_answer(sud, agent, django_capture_on_commit_callbacks):
    request = help_request(sud)
    with django_capture_on_commit_callbacks(execute=True):
        message_post(actor=agent, request=request, kind=MessageKind.QUESTION, body="Quels services sont déjà là ?")
    request.refresh_from_db()
    assert (request.status, request.owner) == (Status.WAITING_REQUESTER, agent)
    assert request.first_answered_at is not None
    assert "Quels services" not in mail.outbox[-1].body
    message_post(actor=request.requester, request=request, kind=MessageKind.ANSWER, body="Le CPAS et un SSM.")
    request.refresh_from_db()
    assert request.status == Status.ASSIGNED
    assert list(request.messages.values_list("kind", flat=True)) == [MessageKind.QUESTION, MessageKind.ANSWER]


def test_messages_pass_the_guard(sud, agent):
    request = help_request(sud)
    with pytest.raises(ValidationError):
        message_post(actor=agent, request=request, kind=MessageKind.NOTE, body=f"Son numéro : {PHONE}")
    assert not RequestMessage.objects.exists()


def test_the_requester_cannot_write_notes(sud, agent):
    request = help_request(sud)
    with pytest.raises(PermissionDenied):
        message_post(actor=request.requester, request=request, kind=MessageKind.NOTE, body="Une note")


def test_contacts_are_recorded(sud, agent, operator):
    request = help_request(sud)
    contact_record(actor=agent, request=request, operator=operator, result="agreed", note="Rendez-vous pris")
    assert ContactMade.objects.get().made_by == agent
    with pytest.raises(ValidationError):
        contact_record(actor=agent, request=request, operator=operator, result="agreed", note=NISS)


def test_hand_over_to_a_cooperation_need(sud, agent, series, operator):
    OperatorMembership.objects.create(user=agent, operator=operator, role="member")
    assert Participation.objects.filter(series=series, operator=operator).exists()
    request = help_request(sud)
    with pytest.raises(ValidationError):
        request_hand_over_to_need(
            actor=agent,
            request=request,
            series=series,
            operator=operator,
            title="Logement",
            requester_agreed=False,
            version=1,
        )
    need = request_hand_over_to_need(
        actor=agent,
        request=request,
        series=series,
        operator=operator,
        title="Logement d'urgence",
        requester_agreed=True,
        version=1,
    )
    request.refresh_from_db()
    assert request.handed_to_kind == "need"
    assert request.handed_to_id == str(need.public_id)
    assert need.description == ""
    assert CooperationNeed.objects.get().title == "Logement d'urgence"
