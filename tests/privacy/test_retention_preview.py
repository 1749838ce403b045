"""The retention rules' dry run in the browser's page: counts, no names, nothing changes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from core.services import audit_record
from notifications.models import Notification
from privacy.models import RetentionNotice

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sleepers(db):
    long_ago = timezone.now() - datetime.timedelta(days=800)
    return [
        UserFactory(name="Léa Dormant", email="lea@example.org", last_login=long_ago),
        UserFactory(name="Marc Sommeil", email="marc@example.org", last_login=long_ago),
    ]


def test_the_dry_run_counts_lists_the_accounts_and_changes_nothing(client, admin_user, sleepers):
    old = audit_record(actor=sleepers[0], action="minutes.view")
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=6 * 365))
    client.force_login(admin_user)
    page = client.get(reverse("privacy:retention_preview"))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert page.context["counts"] is None

    response = client.post(reverse("privacy:retention_preview"))
    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts["warned"] == 2 and counts["audit_events"] == 1
    content = response.content.decode()
    assert "Comptes inactifs à avertir par e-mail" in content
    # The accounts it would warn are listed for the admin; the audit trail keeps counts only.
    assert "lea@example.org" in content and "marc@example.org" in content
    # Nothing changed: nobody warned, the old event still there; the run itself is audited.
    assert not RetentionNotice.objects.exists()
    assert AuditEvent.objects.filter(pk=old.pk).exists()
    run = AuditEvent.objects.get(action="retention.dry_run")
    assert run.actor == admin_user and run.detail["warned"] == 2
    assert "lea@example.org" not in str(run.detail)


def test_a_non_admin_is_refused(client, coordinator):
    client.force_login(coordinator)
    assert client.post(reverse("privacy:retention_preview")).status_code == 403
    assert not Notification.objects.exists()
