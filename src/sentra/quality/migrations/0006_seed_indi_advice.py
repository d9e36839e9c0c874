"""The first advice list for INDI 4.0 results: two rows per pillar (basics below 2, the next step from 2)."""

from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from sentra.quality.seed import load_indi_advice

    load_indi_advice(apps)


class Migration(migrations.Migration):
    dependencies = [("quality", "0005_indi_advice")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
