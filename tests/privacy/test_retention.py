"""The retention rules, in frozen time: warn, deactivate, erase; old rows go."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from core.models import AuditEvent
from core.services import audit_record
from notifications.models import Notification
from privacy.models import RetentionNotice
from privacy.retention import retention_apply

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2024, 1, 15, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture
def sleeper(db):
    """Signed in last on T0, then never again."""
    user = UserFactory(name="Léa Dormant", email="lea@example.org", last_login=T0)
    user.date_joined = T0 - days(30)
    user.save()
    return user


@pytest.fixture
def awake(db):
    return UserFactory(name="Éveillé", email="awake@example.org", last_login=T0 + days(700))


def test_an_inactive_account_is_warned_then_deactivated_then_erased(sleeper, awake, settings):
    settings.RETENTION_BATCH_SIZE = 1  # several batches, even with few people
    with time_machine.travel(T0 + days(729), tick=False):
        assert retention_apply().warned == []
    with time_machine.travel(T0 + days(731), tick=False):
        report = retention_apply()
    assert report.warned == [f"{sleeper.pk} lea@example.org"]
    assert [m.to for m in mail.outbox] == [["lea@example.org"]]
    assert "30 jours" in mail.outbox[0].body
    with time_machine.travel(T0 + days(760), tick=False):
        report = retention_apply()  # 29 days after the warning
    assert report.warned == [] and report.deactivated == []
    with time_machine.travel(T0 + days(761), tick=False):
        assert len(retention_apply().deactivated) == 1
    sleeper.refresh_from_db()
    assert not sleeper.is_active
    with time_machine.travel(T0 + days(761 + 364), tick=False):
        assert retention_apply().erased == []
    with time_machine.travel(T0 + days(761 + 365), tick=False):
        report = retention_apply()
        again = retention_apply()
    assert report.erased == [f"{sleeper.pk} lea@example.org"]
    assert again.erased == [] and again.warned == []
    sleeper.refresh_from_db()
    assert sleeper.name.startswith("Participant·e ")
    assert not RetentionNotice.objects.filter(user=sleeper).exists()
    assert AuditEvent.objects.filter(action="account.erase", object_id=str(sleeper.pk), actor=None).exists()
    awake.refresh_from_db()
    assert awake.is_active and awake.name == "Éveillé"
    assert len(mail.outbox) == 1  # warned once


def test_signing_in_after_the_warning_starts_over(client, sleeper):
    with time_machine.travel(T0 + days(731), tick=False):
        retention_apply()
    assert RetentionNotice.objects.filter(user=sleeper).exists()
    response = client.post("/accounts/login/", {"login": "lea@example.org", "password": "a-long-test-password-42"})
    assert response.status_code == 302
    assert not RetentionNotice.objects.filter(user=sleeper).exists()
    with time_machine.travel(T0 + days(770), tick=False):
        report = retention_apply()
    assert report.deactivated == [] and report.warned == []


def test_a_failed_warning_deactivates_nobody(sleeper, settings):
    settings.EMAIL_BACKEND = "tests.privacy.test_retention.BrokenBackend"
    with time_machine.travel(T0 + days(731), tick=False):
        assert retention_apply().warned == []
    assert not RetentionNotice.objects.exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP down")


def test_the_last_coordinator_of_an_active_series_is_not_erased(sleeper, series):
    series.pilot_end = None
    series.save()
    series.coordinators.set([sleeper])
    with time_machine.travel(T0 + days(731), tick=False):
        retention_apply()
    with time_machine.travel(T0 + days(761), tick=False):
        retention_apply()
    with time_machine.travel(T0 + days(761 + 365), tick=False):
        assert retention_apply().erased == []
    sleeper.refresh_from_db()
    assert sleeper.name == "Léa Dormant"


def test_old_settled_notifications_and_audit_events_go_in_batches(awake, settings):
    settings.RETENTION_BATCH_SIZE = 2
    with time_machine.travel(T0, tick=False):
        for i in range(5):
            Notification.objects.create(recipient=awake, kind="digest", object_type="x", object_id=str(i), state="sent")
        Notification.objects.create(recipient=awake, kind="digest", object_type="x", object_id="p", state="pending")
        audit_record(actor=awake, action="old.view")
    with time_machine.travel(T0 + days(200), tick=False):
        recent = Notification.objects.create(
            recipient=awake, kind="digest", object_type="y", object_id="1", state="sent"
        )
    with time_machine.travel(T0 + days(366), tick=False):
        report = retention_apply()
    assert report.notifications == 5
    assert set(Notification.objects.values_list("object_id", flat=True)) == {"p", recent.object_id}
    assert report.audit_events == 0
    with time_machine.travel(T0 + days(5 * 365 + 1), tick=False):
        assert retention_apply().audit_events == 1
    assert not AuditEvent.objects.filter(action="old.view").exists()


def test_dry_run_prints_and_changes_nothing(sleeper, awake, capsys):
    with time_machine.travel(T0, tick=False):
        Notification.objects.create(recipient=awake, kind="digest", object_type="x", object_id="1", state="sent")
    with time_machine.travel(T0 + days(731), tick=False):
        call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert f"Accounts that would be warned (inactive): 1\n  {sleeper.pk} lea@example.org" in out
    assert "Notifications that would be deleted: 1" in out
    assert not RetentionNotice.objects.exists()
    assert Notification.objects.count() == 1
    assert mail.outbox == []
