"""At most one tenant per workshop unit at any date, enforced by the database (see sentra/centres/dbguards.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from sentra.centres import dbguards

    dbguards.install(schema_editor.connection)


def backwards(apps, schema_editor):
    from sentra.centres import dbguards

    dbguards.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("centres", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
