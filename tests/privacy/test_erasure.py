"""Closing an account: the collective record stays readable under a pseudonym,
every count stays, what only concerned the person goes."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from core.models import AuditEvent
from evaluations.indicators import series_indicators
from meetings.models import Action, Attendance, CalendarFeed, CharterAcceptance, JoinRequest, MinutesRevision, Series
from notifications.models import Notification
from operators.models import OperatorMembership
from privacy.erasure import account_erase, pseudonym, pseudonym_code
from privacy.services import account_close
from registrations.models import Registration

from ..factories import RegistrationFactory, SessionFactory
from ..factories.charter import accepted_by, charter_publish_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo")
    return Series.objects.get(name__startswith="Visioconférence hebdomadaire")


def _counts(user_pk):
    return (
        Attendance.objects.filter(user_id=user_pk).count(),
        Action.objects.filter(owner_user_id=user_pk).count(),
        Attendance.objects.count(),
        Action.objects.count(),
    )


def test_erasing_a_referent_keeps_the_indicators_and_shows_the_pseudonym(demo, admin_user):
    julie = User.objects.get(email="julie.martin@tribu-mobile.example")
    CalendarFeed.objects.create(user=julie)
    before = series_indicators(demo)
    counts = _counts(julie.pk)
    assert counts[0] > 0
    revisions = MinutesRevision.objects.filter(minutes__session__attendances__user=julie).distinct()
    assert "Julie Martin" in str([r.content for r in revisions])

    account_close(user=julie, actor=admin_user, reason="Demande écrite du 3 mars")

    julie.refresh_from_db()
    name = f"Participant·e {pseudonym_code(julie.pk)}"
    assert julie.name == name
    assert series_indicators(demo) == before
    assert _counts(julie.pk) == counts
    contents = str([r.content for r in revisions.all()])  # read again, not from the cache
    assert "Julie Martin" not in contents and name in contents
    assert "julie.martin" not in julie.email and not julie.is_active and not julie.has_usable_password()
    assert not EmailAddress.objects.filter(user=julie).exists()
    assert not OperatorMembership.objects.filter(user=julie).exists()
    assert not CalendarFeed.objects.filter(user=julie).exists()
    assert not Notification.objects.filter(recipient=julie).exists()
    event = AuditEvent.objects.get(action="account.erase")
    assert event.actor == admin_user
    assert event.detail == {"by_self": False, "reason": "Demande écrite du 3 mars"}


def test_the_pseudonym_is_stable_and_says_nothing_of_the_person(member):
    assert pseudonym(member.pk) == pseudonym(member.pk)
    assert member.name not in pseudonym(member.pk)
    assert pseudonym(member.pk) != pseudonym(member.pk + 1)


def test_the_last_coordinator_of_an_active_series_hands_over_first(series, coordinator):
    series.pilot_end = datetime.date.today() + datetime.timedelta(days=30)
    series.save()
    with pytest.raises(ValidationError) as caught:
        account_close(user=coordinator, actor=coordinator)
    assert series.name in str(caught.value)
    coordinator.refresh_from_db()
    assert coordinator.is_active and coordinator.name == "Claire Dubois"


def test_a_coordinator_of_a_finished_series_may_leave(series, coordinator):
    # The fixture's pilot ended in 2020.
    account_close(user=coordinator, actor=coordinator)
    coordinator.refresh_from_db()
    assert coordinator.name.startswith("Participant·e")
    assert not series.coordinators.filter(pk=coordinator.pk).exists()
    assert AuditEvent.objects.get(action="account.erase").detail == {"by_self": True}


def test_pending_join_requests_go_and_decided_ones_stay(series, other_member, other_operator, coordinator):
    pending = JoinRequest.objects.create(series=series, operator=other_operator, requested_by=other_member)
    decided = JoinRequest.objects.create(
        series=Series.objects.create(name="Autre dispositif"),
        operator=other_operator,
        requested_by=other_member,
        status="declined",
    )
    account_close(user=other_member, actor=other_member)
    assert not JoinRequest.objects.filter(pk=pending.pk).exists()
    assert JoinRequest.objects.filter(pk=decided.pk).exists()


def test_erasing_twice_changes_nothing(member):
    account_erase(user=member, actor=None)
    account_erase(user=member, actor=None)
    assert AuditEvent.objects.filter(action="account.erase").count() == 1


def test_only_an_admin_erases_someone_else_and_with_a_reason(member, coordinator, admin_user):
    with pytest.raises(PermissionDenied):
        account_close(user=member, actor=coordinator, reason="Parce que")
    with pytest.raises(ValidationError):
        account_close(user=member, actor=admin_user, reason="  ")
    member.refresh_from_db()
    assert member.is_active


def test_the_last_administrator_cannot_be_erased(admin_user):
    with pytest.raises(ValidationError):
        account_close(user=admin_user, actor=admin_user)


def test_charter_acceptances_stay_and_read_as_the_pseudonym(series, coordinator, member):
    charter_publish_version(series, coordinator)
    accepted_by(series, member)
    account_erase(user=member, actor=member)
    acceptance = CharterAcceptance.objects.get(user=member)
    assert acceptance.signed_name == pseudonym(member.pk)


def test_registrations_to_what_has_not_happened_go_and_those_to_a_held_session_stay(series, session_registrant):
    upcoming = Registration.objects.get(user=session_registrant)
    held = RegistrationFactory(
        series=series,
        session=SessionFactory(series=series, starts_at=timezone.now() - datetime.timedelta(days=30)),
        user=session_registrant,
    )
    account_erase(user=session_registrant, actor=session_registrant)
    assert list(Registration.objects.filter(user=session_registrant)) == [held]
    assert not Registration.objects.filter(pk=upcoming.pk).exists()
