"""Load the shipped Kemendagri regions and KBLI 2020 when `migrate` creates a new database."""

from django.conf import settings
from django.db import migrations


def load(apps, schema_editor):
    if not getattr(settings, "SENTRA_LOAD_REGIONS_ON_MIGRATE", True):
        return
    from sentra.regions.loader import load_kbli, load_regions

    load_regions(apps.get_model("regions", "Region"))
    load_kbli(apps.get_model("regions", "Kbli"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    # Reverse is a no-op: the tables themselves are dropped by reversing 0001.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
