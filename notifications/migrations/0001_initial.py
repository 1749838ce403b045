"""The Notification model moves from core to this app, without touching its table.

Only Django's state changes here (the model enters this app, with its table
still called core_notification); core 0004 removes it from core's state, and
0002 renames the table. Not a row is copied.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import notifications.registry


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0003_notification_public_id"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        (
                            "kind",
                            models.CharField(
                                choices=notifications.registry.kind_choices, max_length=32, verbose_name="kind"
                            ),
                        ),
                        ("object_type", models.CharField(max_length=64)),
                        ("object_id", models.CharField(max_length=64)),
                        ("period", models.CharField(blank=True, max_length=32)),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("pending", "Scheduled"),
                                    ("sending", "Sending"),
                                    ("sent", "Sent"),
                                    ("skipped", "Not sent (nothing to say or turned off)"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="state",
                            ),
                        ),
                        ("due_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="due")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent")),
                        ("last_error", models.CharField(blank=True, max_length=500, verbose_name="last error")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="recipient",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "ordering": ["-created_at", "-pk"],
                        "db_table": "core_notification",
                        "indexes": [
                            models.Index(
                                condition=models.Q(("state__in", ["pending", "sending"])),
                                fields=["due_at"],
                                name="notification_due_idx",
                            ),
                            models.Index(fields=["object_type", "object_id"], name="notification_object_idx"),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("recipient", "kind", "object_type", "object_id", "period"),
                                name="notification_once",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
