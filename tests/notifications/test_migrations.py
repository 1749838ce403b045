"""The Notification table moves from core to this app without losing a row."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from notifications.models import Notification
from notifications.scan import notifications_scan

# The last migration before the move: the model and its table were core's.
CORE_BEFORE = ("core", "0003_notification_public_id")
BEFORE = [CORE_BEFORE, ("notifications", None)]
FIELDS = ("pk", "public_id", "recipient_id", "kind", "object_type", "object_id", "period", "state", "due_at")


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_the_rows_of_the_demo_move_with_the_table_and_keep_their_constraint():
    call_command("seed_demo", verbosity=0)
    notifications_scan()
    Notification.objects.filter(pk__in=Notification.objects.order_by("pk").values("pk")[:3]).update(
        state=Notification.State.SENT
    )
    seeded = list(Notification.objects.order_by("pk").values_list(*FIELDS))
    assert {"poll_invitation", "join_request_received"} <= {row[3] for row in seeded}

    try:
        old_apps = _migrate(BEFORE).loader.project_state([CORE_BEFORE]).apps
        assert "core_notification" in connection.introspection.table_names()
        OldNotification = old_apps.get_model("core", "Notification")
        assert list(OldNotification.objects.order_by("pk").values_list(*FIELDS)) == seeded
        # A row made while core still owned the model.
        recipient_id = seeded[0][2]
        made_before = OldNotification.objects.create(
            recipient_id=recipient_id, kind="digest", object_type="accounts.user", object_id=str(recipient_id)
        )
    finally:
        _migrate(_latest())

    tables = connection.introspection.table_names()
    assert "notifications_notification" in tables and "core_notification" not in tables
    moved = list(Notification.objects.order_by("pk").values_list(*FIELDS))
    assert moved[:-1] == seeded
    assert moved[-1][:2] == (made_before.pk, made_before.public_id)
    # The constraint that makes a second scan harmless came along.
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient_id=recipient_id, kind="digest", object_type="accounts.user", object_id=str(recipient_id)
        )
    assert ContentType.objects.get_for_model(Notification).app_label == "notifications"
    assert not ContentType.objects.filter(app_label="core", model="notification").exists()
