"""Version 1 of the checklists (ISO 9001, CPPOB, sentra management) and of the INDI 4.0 questionnaire."""

from django.db import migrations


def load(apps, schema_editor):
    from sentra.quality.seed import load as seed_load

    seed_load(apps)


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
