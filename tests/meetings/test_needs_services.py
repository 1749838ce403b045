"""The cooperation needs' services and their stage machine."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from meetings.models import CooperationNeed, NeedMention, NeedStage, NeedStageChange, Theme
from meetings.services.actions import action_record, decision_record
from meetings.services.needs import (
    REASON_CONFIRMED,
    need_close,
    need_confirm,
    need_endorse,
    need_mention,
    need_raise,
    need_refresh_stage,
    need_reopen,
)

from ..factories import MembershipFactory, OperatorFactory
from ..factories.needs import session_on, take_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(series, other_operator):
    take_part(series, other_operator)
    return other_operator


@pytest.fixture
def s1(series):
    return session_on(series, datetime.date(2020, 9, 10))


@pytest.fixture
def s2(series):
    return session_on(series, datetime.date(2020, 9, 17))


@pytest.fixture
def need(series, operator, member, s1):
    return need_raise(actor=member, series=series, operator=operator, title="  Lits de crise  ", session=s1)


def _stages(need):
    return list(NeedStageChange.objects.filter(need=need).order_by("pk").values_list("from_stage", "to_stage"))


def test_raise_records_the_first_stage_and_the_mention(need, s1, member, operator):
    assert need.title == "Lits de crise"
    assert need.stage == NeedStage.EMERGING and need.raised_by == operator
    assert _stages(need) == [("", "emerging")]
    assert NeedMention.objects.get(need=need).session == s1
    assert NeedStageChange.objects.get(need=need).by == member


def test_raise_creates_themes_by_name_and_reuses_them(series, operator, referent):
    existing = Theme.objects.create(name="Logement", slug="logement")
    need = need_raise(
        actor=referent, series=series, operator=operator, title="x", themes=["logement", "Continuité des soins", " "]
    )
    assert set(need.themes.values_list("name", flat=True)) == {"Logement", "Continuité des soins"}
    assert existing in need.themes.all()
    assert Theme.objects.count() == 2


def test_raise_refuses_bad_input(series, operator, member, other_operator, other_coordinator):
    with pytest.raises(ValidationError) as exc:
        need_raise(actor=member, series=series, operator=operator, title="   ")
    assert "title" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        need_raise(actor=member, series=series, operator=operator, title="x" * 201)
    assert "title" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        need_raise(actor=member, series=series, operator=operator, title="x", operators_concerned=[other_operator])
    assert "operators_concerned" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        need_raise(actor=other_coordinator, series=series, operator=operator, title="x")
    assert not CooperationNeed.objects.exists()


def test_member_cannot_raise_for_another_operator_but_coordinator_can(
    series, operator, partners, member, other_member, coordinator
):
    with pytest.raises(PermissionDenied):
        need_raise(actor=member, series=series, operator=partners, title="x")
    assert need_raise(actor=coordinator, series=series, operator=partners, title="x").raised_by == partners


def test_non_participating_operator_cannot_raise(series, other_operator, other_member):
    with pytest.raises(ValidationError) as exc:
        need_raise(actor=other_member, series=series, operator=other_operator, title="x")
    assert "operator" in exc.value.error_dict


def test_session_of_another_series_is_refused(series, operator, member):
    from ..factories import SessionFactory

    elsewhere = SessionFactory()
    with pytest.raises(ValidationError) as exc:
        need_raise(actor=member, series=series, operator=operator, title="x", session=elsewhere)
    assert "session" in exc.value.error_dict


def test_mention_in_a_second_session_stabilises(need, s1, s2, coordinator):
    need_mention(actor=coordinator, need=need, session=s1)  # same session: nothing new
    assert need.stage == NeedStage.EMERGING
    mention = need_mention(actor=coordinator, need=need, session=s2, note="Encore évoqué")
    again = need_mention(actor=coordinator, need=need, session=s2, note="autre")
    assert mention.pk == again.pk and again.note == "Encore évoqué"
    need.refresh_from_db()
    assert need.stage == NeedStage.STABILISED
    change = need.stage_changes.last()
    assert (change.from_stage, change.to_stage, change.session, change.by) == (
        "emerging",
        "stabilised",
        s2,
        coordinator,
    )


def test_outsider_cannot_mention(need, s2, outsider, other_coordinator):
    for actor in (outsider, other_coordinator):
        with pytest.raises(PermissionDenied):
            need_mention(actor=actor, need=need, session=s2)


def test_endorsement_by_another_operator_makes_it_converge(need, partners, other_member):
    with time_machine.travel(datetime.datetime(2020, 9, 20, 10, tzinfo=datetime.UTC), tick=False):
        need_endorse(actor=other_member, need=need, operator=partners, comment="Nous aussi")
    need.refresh_from_db()
    assert need.stage == NeedStage.CONVERGING
    assert need.stage_changed_at == datetime.datetime(2020, 9, 20, 10, tzinfo=datetime.UTC)
    assert _stages(need) == [("", "emerging"), ("emerging", "converging")]


def test_endorse_refusals(need, operator, partners, member, other_member, coordinator):
    with pytest.raises(ValidationError) as exc:
        need_endorse(actor=member, need=need, operator=operator)
    assert "operator" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        need_endorse(actor=member, need=need, operator=partners)
    with pytest.raises(PermissionDenied):
        need_endorse(actor=coordinator, need=need, operator=partners)
    need_endorse(actor=other_member, need=need, operator=partners)
    with pytest.raises(ValidationError):
        need_endorse(actor=other_member, need=need, operator=partners)
    assert need.endorsements.count() == 1


def test_endorse_by_an_operator_that_does_not_take_part(need, other_operator, other_member):
    with pytest.raises(ValidationError):
        need_endorse(actor=other_member, need=need, operator=other_operator)


def test_confirm_then_decision_takes_it_up(need, s2, coordinator, member):
    with pytest.raises(PermissionDenied):
        need_confirm(actor=member, need=need)
    need_confirm(actor=coordinator, need=need, session=s2)
    assert need.stage == NeedStage.STABILISED
    assert need.stage_changes.filter(reason=REASON_CONFIRMED).exists()
    with pytest.raises(ValidationError):
        need_confirm(actor=coordinator, need=need)
    decision_record(actor=coordinator, session=s2, text="On en parle au comité", need=need)
    need.refresh_from_db()
    assert need.stage == NeedStage.TAKEN_UP


def test_action_takes_it_up_directly_from_emerging(need, s2, coordinator, operator):
    action_record(actor=coordinator, session=s2, description="Appeler", owner_operator=operator, need=need)
    need.refresh_from_db()
    assert need.stage == NeedStage.TAKEN_UP
    assert _stages(need)[-1] == ("emerging", "taken_up")


def test_automatic_moves_go_forward_only(need, s2, coordinator, partners, other_member):
    decision_record(actor=coordinator, session=s2, text="Pris en charge", need=need)
    need_endorse(actor=other_member, need=need, operator=partners)
    need.refresh_from_db()
    assert need.stage == NeedStage.TAKEN_UP
    count = need.stage_changes.count()
    need_refresh_stage(need=need)
    assert need.stage_changes.count() == count


def test_close_and_reopen(need, s2, coordinator, member, partners, other_member):
    need_endorse(actor=other_member, need=need, operator=partners)
    with pytest.raises(PermissionDenied):
        need_close(actor=member, need=need, stage="closed")
    with pytest.raises(ValidationError):
        need_close(actor=coordinator, need=need, stage="taken_up")
    need_close(actor=coordinator, need=need, stage="dropped", reason="Plus d'actualité")
    assert need.stage == NeedStage.DROPPED
    assert need.stage_changes.last().reason == "Plus d'actualité"
    with pytest.raises(ValidationError):
        need_close(actor=coordinator, need=need, stage="closed")
    # A closed need moves no more on its own and cannot be endorsed.
    need_mention(actor=coordinator, need=need, session=s2)
    need.refresh_from_db()
    assert need.stage == NeedStage.DROPPED
    need_reopen(actor=coordinator, need=need)
    assert need.stage == NeedStage.CONVERGING
    with pytest.raises(ValidationError):
        need_reopen(actor=coordinator, need=need)


def test_reopen_by_member_is_refused(need, coordinator, member):
    need_close(actor=coordinator, need=need, stage="closed")
    with pytest.raises(PermissionDenied):
        need_reopen(actor=member, need=need)


def test_operator_member_of_two_operators(series, need, territory):
    third = OperatorFactory(territory=territory)
    take_part(series, third)
    person = MembershipFactory(operator=third).user
    need_endorse(actor=person, need=need, operator=third)
    assert need.stage == NeedStage.CONVERGING
