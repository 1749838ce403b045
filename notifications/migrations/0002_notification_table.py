"""The notifications' table takes this app's name (core_notification →
notifications_notification): a rename, so every row, key and index stays.

The content type follows, so that permissions given on notifications keep
pointing at them.
"""

from django.db import migrations


def _move_content_type(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="notification").exists():
        ContentType.objects.filter(app_label=source, model="notification").update(app_label=target)


def content_type_forwards(apps, schema_editor):
    _move_content_type(apps, "core", "notifications")


def content_type_backwards(apps, schema_editor):
    _move_content_type(apps, "notifications", "core")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_notification_moved"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="notification", table=None),
        migrations.RunPython(content_type_forwards, content_type_backwards),
    ]
