"""Decisions and actions: recording, closing, reopening."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from meetings.models import Action, AgendaItem, Decision
from meetings.services.actions import action_close, action_record, action_reopen, decision_record
from meetings.services.needs import need_raise

from ..factories import MembershipFactory, SessionFactory
from ..factories.needs import session_on, take_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def past(series):
    return session_on(series, datetime.date(2020, 9, 10))


def test_decision_record(past, coordinator):
    decision = decision_record(actor=coordinator, session=past, text="  Une fiche commune  ")
    assert decision.text == "Une fiche commune" and decision.series_id == past.series_id
    assert decision.created_by == coordinator


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001, None])
def test_decision_text_is_checked(past, coordinator, text):
    with pytest.raises(ValidationError) as exc:
        decision_record(actor=coordinator, session=past, text=text)
    assert "text" in exc.value.error_dict
    assert not Decision.objects.exists()


def test_decision_only_by_coordinators(past, member, referent, other_coordinator):
    for actor in (member, referent, other_coordinator):
        with pytest.raises(PermissionDenied):
            decision_record(actor=actor, session=past, text="x")


def test_decision_links_are_checked(past, coordinator, operator, member):
    other_session = SessionFactory()
    item = AgendaItem.objects.create(session=other_session, position=1, title="x", timebox=5)
    with pytest.raises(ValidationError) as exc:
        decision_record(actor=coordinator, session=past, text="x", agenda_item=item)
    assert "agenda_item" in exc.value.error_dict
    other_coordinator = other_session.series
    other_coordinator.coordinators.add(coordinator)
    take_part(other_session.series, operator)
    foreign = need_raise(actor=member, series=other_session.series, operator=operator, title="x")
    with pytest.raises(ValidationError) as exc:
        decision_record(actor=coordinator, session=past, text="x", need=foreign)
    assert "need" in exc.value.error_dict


def test_action_record(past, coordinator, operator, member):
    action = action_record(
        actor=coordinator,
        session=past,
        description=" Envoyer la fiche ",
        owner_operator=operator,
        owner_user=member,
        due_date=datetime.date(2020, 9, 10),
    )
    assert action.status == Action.Status.OPEN and action.description == "Envoyer la fiche"
    assert action.series == past.series and action.owner_user == member


def test_action_refusals(past, coordinator, operator, other_operator, other_member):
    base = {"actor": coordinator, "session": past, "description": "x", "owner_operator": operator}
    cases = [
        ({"owner_operator": other_operator}, "owner_operator"),
        ({"owner_user": other_member}, "owner_user"),
        ({"due_date": datetime.date(2020, 9, 9)}, "due_date"),
        ({"description": ""}, "description"),
        ({"description": "x" * 1001}, "description"),
    ]
    for change, field in cases:
        with pytest.raises(ValidationError) as exc:
            action_record(**(base | change))
        assert field in exc.value.error_dict
    assert not Action.objects.exists()


def test_action_in_a_cancelled_session_is_refused(series, coordinator, operator):
    cancelled = session_on(series, datetime.date(2020, 9, 24), status="cancelled")
    with pytest.raises(ValidationError):
        action_record(actor=coordinator, session=cancelled, description="x", owner_operator=operator)


def test_action_only_by_coordinators(past, member, operator):
    with pytest.raises(PermissionDenied):
        action_record(actor=member, session=past, description="x", owner_operator=operator)


@pytest.fixture
def action(past, coordinator, operator):
    return action_record(actor=coordinator, session=past, description="Appeler le CPAS", owner_operator=operator)


def test_owner_member_closes(action, member):
    action_close(actor=member, action=action, status="done", comment=" Fait ")
    action.refresh_from_db()
    assert action.status == "done" and action.closed_by == member and action.close_comment == "Fait"
    assert action.closed_at is not None


def test_close_is_refused_twice_and_for_others(action, member, referent, other_member, other_coordinator, outsider):
    for actor in (other_member, other_coordinator, outsider):
        with pytest.raises(PermissionDenied):
            action_close(actor=actor, action=action, status="done")
    with pytest.raises(ValidationError) as exc:
        action_close(actor=member, action=action, status="open")
    assert "status" in exc.value.error_dict
    with pytest.raises(ValidationError):
        action_close(actor=member, action=action, status="done", comment="x" * 501)
    action_close(actor=referent, action=action, status="dropped")
    stale = Action.objects.get(pk=action.pk)
    stale.status = "open"
    with pytest.raises(ValidationError):
        action_close(actor=member, action=stale, status="done")
    assert Action.objects.get(pk=action.pk).status == "dropped"


def test_owner_person_of_another_operator_can_close(past, coordinator, operator, territory):
    # The owner person closes even when their membership is elsewhere now.
    person = MembershipFactory(operator=operator).user
    action = action_record(actor=coordinator, session=past, description="x", owner_operator=operator, owner_user=person)
    person.memberships.all().delete()
    action_close(actor=person, action=action, status="done")
    assert action.status == "done"


def test_coordinator_closes_and_reopens(action, coordinator, member):
    action_close(actor=coordinator, action=action, status="done")
    with pytest.raises(PermissionDenied):
        action_reopen(actor=member, action=action)
    action_reopen(actor=coordinator, action=action)
    action.refresh_from_db()
    assert action.status == "open" and action.closed_at is None and action.closed_by is None
    with pytest.raises(ValidationError):
        action_reopen(actor=coordinator, action=action)


def test_who_may_close_is_the_rule_close_action(
    action, member, referent, coordinator, admin_user, other_member, other_coordinator, outsider
):
    may = [member, referent, coordinator, admin_user]  # its operator's people, the coordinators, admins
    assert all(user.has_perm("meetings.close_action", action) for user in may)
    assert not any(
        user.has_perm("meetings.close_action", action) for user in (other_member, other_coordinator, outsider)
    )
    assert not AnonymousUser().has_perm("meetings.close_action", action)
