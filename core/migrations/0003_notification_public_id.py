"""Notifications get a random public id, the key of their unsubscribe links.

Rows made before get one each, then the field becomes unique.
"""

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    batch = []
    for row in Notification.objects.filter(public_id__isnull=True).only("pk").iterator(chunk_size=2000):
        row.public_id = uuid.uuid4()
        batch.append(row)
        if len(batch) == 2000:
            Notification.objects.bulk_update(batch, ["public_id"])
            batch = []
    Notification.objects.bulk_update(batch, ["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_notifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notification",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
