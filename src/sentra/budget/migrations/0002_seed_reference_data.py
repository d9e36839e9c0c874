"""Seed fiscal years 2021–2024 with funds, menus and disbursement stages from docs/domain.md §3."""

from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from sentra.budget.seed import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
