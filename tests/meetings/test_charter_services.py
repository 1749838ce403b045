"""The charter's services: versions, acceptances that open the series, withdrawals
that close it, conflicts between coordinators, reminders and the audit trail."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditEvent
from core.request_cache import forget
from meetings.models import Charter, CharterAcceptance, CharterReminder, JoinRequest
from meetings.notifications.due import charter_reminders_due
from meetings.selectors.access import charter_locked_series_ids, participating_series_ids
from meetings.services import charter as services
from meetings.services.series import join_request_decide
from notifications.delivery import notification_send
from notifications.models import Notification
from notifications.scan import notifications_scan
from operators.models import MembershipRole

from ..factories import MembershipFactory
from ..factories.charter import CHARTER_TEXT, accepted_by, charter_publish_version


def _sees(user, series) -> bool:
    forget(user)
    return series.pk in participating_series_ids(user)


def _actions(series) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="meetings.series", object_id=str(series.pk))
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


def test_a_published_charter_holds_participants_back_until_they_accept(series, coordinator, member, referent):
    assert _sees(member, series)
    version = charter_publish_version(series, coordinator)
    assert version.number == 1
    assert not _sees(member, series) and series.pk in charter_locked_series_ids(member)
    services.charter_accept(actor=member, series=series, signed_name="  Olivier   Marchal ")
    assert _sees(member, series)
    assert not _sees(referent, series)  # each person accepts for themselves
    record = CharterAcceptance.objects.get(user=member)
    assert (record.kind, record.signed_name, record.version) == ("accepted", "Olivier Marchal", version)
    assert record.at.date() == timezone.now().date()
    assert _actions(series)[-2:] == ["charter.publish", "charter.accept"]


def test_coordinators_are_never_held_back(series, coordinator, operator):
    MembershipFactory(operator=operator, user=coordinator, role=MembershipRole.MEMBER)
    charter_publish_version(series, coordinator)
    forget(coordinator)
    assert series.pk not in charter_locked_series_ids(coordinator)
    assert series.pk in participating_series_ids(coordinator)


def test_a_new_version_asks_everyone_again(series, coordinator, member):
    charter_publish_version(series, coordinator)
    accepted_by(series, member)
    assert _sees(member, series)
    v2 = charter_publish_version(series, coordinator, title="Charte du groupe, révisée")
    assert v2.number == 2
    assert not _sees(member, series)
    accepted_by(series, member)
    assert _sees(member, series)
    assert list(CharterAcceptance.objects.filter(user=member).values_list("version__number", flat=True)) == [2, 1]


def test_accepting_twice_records_once(series, coordinator, member):
    charter_publish_version(series, coordinator)
    first = services.charter_accept(actor=member, series=series, signed_name="Olivier Marchal")
    again = services.charter_accept(actor=member, series=series, signed_name="Olivier Marchal")
    assert first == again and CharterAcceptance.objects.count() == 1


def test_withdrawing_adds_a_record_and_closes_the_series(series, coordinator, member):
    charter_publish_version(series, coordinator)
    accepted_by(series, member)
    services.charter_withdraw(actor=member, series=series)
    assert not _sees(member, series)
    kinds = list(CharterAcceptance.objects.filter(user=member).order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == ["accepted", "withdrawn"]  # the acceptance is kept
    with pytest.raises(ValidationError):
        services.charter_withdraw(actor=member, series=series)
    accepted_by(series, member)
    assert _sees(member, series)
    assert _actions(series)[-3:] == ["charter.accept", "charter.withdraw", "charter.accept"]


def test_acceptances_cannot_be_deleted(series, coordinator, member):
    from django.db.models import ProtectedError

    charter_publish_version(series, coordinator)
    accepted_by(series, member)
    with pytest.raises(ProtectedError):
        member.delete()


def test_only_those_who_take_part_may_accept(series, coordinator, outsider, other_member):
    charter_publish_version(series, coordinator)
    with pytest.raises(PermissionDenied):
        services.charter_accept(actor=outsider, series=series, signed_name="Paul Tiers")
    series.open_to_requests = False
    series.save()
    with pytest.raises(PermissionDenied):  # nobody may ask to join either
        services.charter_accept(actor=other_member, series=series, signed_name="David Wauters")
    assert not CharterAcceptance.objects.exists()


def test_accepting_needs_a_name_and_a_published_charter(series, coordinator, member):
    with pytest.raises(ValidationError):
        services.charter_accept(actor=member, series=series, signed_name="Olivier")
    charter_publish_version(series, coordinator)
    with pytest.raises(ValidationError) as refused:
        services.charter_accept(actor=member, series=series, signed_name=" \n ")
    assert "signed_name" in refused.value.error_dict


def test_publishing_refuses_an_empty_or_unchanged_text(series, coordinator):
    charter = services.charter_ensure(series=series)
    with pytest.raises(ValidationError):
        services.charter_publish(actor=coordinator, series=series, title="Charte", body="  ", revision=0)
    charter.refresh_from_db()
    version = charter_publish_version(series, coordinator)
    charter.refresh_from_db()
    with pytest.raises(ValidationError):
        services.charter_publish(
            actor=coordinator, series=series, title=version.title, body=CHARTER_TEXT, revision=charter.draft_revision
        )
    assert charter.versions.count() == 1


def test_two_coordinators_editing_the_draft_at_once_end_in_a_conflict(series, coordinator, other_coordinator):
    series.coordinators.add(other_coordinator)
    forget(other_coordinator)
    opened = services.charter_ensure(series=series).draft_revision
    services.charter_draft_save(
        actor=coordinator, series=series, title="Charte", body="Texte de Claire", revision=opened
    )
    with pytest.raises(services.CharterConflict) as conflict:
        services.charter_draft_save(
            actor=other_coordinator, series=series, title="Charte", body="Texte de Marc", revision=opened
        )
    assert conflict.value.charter.draft_body == "Texte de Claire"
    assert conflict.value.charter.draft_updated_by == coordinator
    with pytest.raises(services.CharterConflict):  # publishing from a stale page is refused too
        services.charter_publish(
            actor=other_coordinator, series=series, title="C", body="Texte de Marc", revision=opened
        )
    charter = Charter.objects.get(series=series)
    assert charter.draft_body == "Texte de Claire" and charter.current_version is None


def test_only_coordinators_write_the_charter(series, member, other_coordinator):
    for actor in (member, other_coordinator):
        with pytest.raises(PermissionDenied):
            services.charter_draft_save(actor=actor, series=series, title="x", body="y", revision=0)


def test_turning_the_requirement_off_lifts_the_gate(series, coordinator, member):
    charter_publish_version(series, coordinator)
    assert not _sees(member, series)
    services.charter_requirement_set(actor=coordinator, series=series, required=False)
    assert _sees(member, series)
    services.charter_requirement_set(actor=coordinator, series=series, required=True)
    assert not _sees(member, series)
    assert _actions(series)[-2:] == ["charter.unrequire", "charter.require"]


def test_the_reminder_reaches_those_who_have_not_accepted_once(series, coordinator, member, referent):
    charter_publish_version(series, coordinator)
    accepted_by(series, referent)
    services.charter_remind(actor=coordinator, series=series)
    with pytest.raises(ValidationError):  # one a day
        services.charter_remind(actor=coordinator, series=series)
    rows = charter_reminders_due(timezone.now())
    assert {r.recipient_id for r in rows} == {member.pk}
    notifications_scan()
    notifications_scan()
    notification = Notification.objects.get(kind="charter_reminder")
    assert notification.recipient == member
    notification_send(notification_id=notification.pk)
    (email,) = mail.outbox
    assert "Charte du groupe" in email.body and email.to == [member.email]
    assert "anonymisées" not in email.body and "anonymisées" not in email.alternatives[0][0]  # never the text
    assert _actions(series)[-1] == "charter.remind"


def test_a_reminder_has_nothing_to_say_once_accepted(series, coordinator, member):
    charter_publish_version(series, coordinator)
    services.charter_remind(actor=coordinator, series=series)
    notifications_scan()
    accepted_by(series, member)
    notification = Notification.objects.get(kind="charter_reminder")
    notification_send(notification_id=notification.pk)
    assert mail.outbox == []
    CharterReminder.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    assert charter_reminders_due(timezone.now()) == []


def test_no_reminder_without_a_required_charter(series, coordinator):
    with pytest.raises(ValidationError):
        services.charter_remind(actor=coordinator, series=series)


def test_asking_to_join_accepts_the_charter_and_opens_the_series_once_accepted(
    series, coordinator, other_member, other_operator
):
    charter_publish_version(series, coordinator)
    with pytest.raises(ValidationError):
        services.join_request_with_charter(actor=other_member, series=series, operator=other_operator)
    assert not JoinRequest.objects.exists()
    request = services.join_request_with_charter(
        actor=other_member, series=series, operator=other_operator, signed_name="David Wauters"
    )
    assert CharterAcceptance.objects.get(user=other_member).signed_name == "David Wauters"
    assert not _sees(other_member, series)
    forget(coordinator)
    join_request_decide(actor=coordinator, join_request=request, accept=True)
    assert _sees(other_member, series)
    colleague = MembershipFactory(operator=other_operator, role=MembershipRole.MEMBER).user
    assert not _sees(colleague, series)  # the others of the operator accept for themselves
