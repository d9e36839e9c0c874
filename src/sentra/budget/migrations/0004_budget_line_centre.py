"""A DAK budget line names its centre by a foreign key instead of typed text.

Each line's typed centre name is matched to a centre of the line's own regency/city (the same name, ignoring case,
punctuation and the words "Sentra IKM"; or one name containing the other, when only one centre fits). A name that
fits no centre, or several, is kept in the line's location text, so nothing typed is lost.
"""

import re

import django.db.models.deletion
from django.db import migrations, models


def _key(name):  # type: ignore[no-untyped-def]
    text = re.sub(r"[^a-z0-9]+", " ", (name or "").lower())
    text = re.sub(r"\bsentra\b|\bikm\b", " ", text)
    return " ".join(text.split())


def link_centres(apps, schema_editor):  # type: ignore[no-untyped-def]
    BudgetLine = apps.get_model("budget", "BudgetLine")
    Centre = apps.get_model("centres", "Centre")
    centres_by_region: dict = {}
    for centre in Centre.objects.only("pk", "name", "region_id"):
        centres_by_region.setdefault(centre.region_id, []).append((centre.pk, _key(centre.name)))
    for line in BudgetLine.objects.exclude(centre_name="").only("pk", "centre_name", "region_id", "location"):
        typed = _key(line.centre_name)
        candidates = centres_by_region.get(line.region_id, [])
        exact = [pk for pk, key in candidates if key == typed]
        near = [pk for pk, key in candidates if typed and (typed in key or key in typed)]
        match = exact if len(exact) == 1 else near if len(near) == 1 else []
        if match:
            BudgetLine.objects.filter(pk=line.pk).update(centre_id=match[0])
        else:
            kept = f"{line.location}; Sentra IKM: {line.centre_name}" if line.location else line.centre_name
            BudgetLine.objects.filter(pk=line.pk).update(location=kept[:300])


def unlink_centres(apps, schema_editor):  # type: ignore[no-untyped-def]
    BudgetLine = apps.get_model("budget", "BudgetLine")
    for line in BudgetLine.objects.exclude(centre=None).select_related("centre"):
        BudgetLine.objects.filter(pk=line.pk).update(centre_name=line.centre.name[:200])


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0003_reference_texts_without_outside_citations"),
        ("centres", "0003_child_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="budgetline",
            name="centre",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="budget_lines",
                to="centres.centre",
                verbose_name="sentra IKM",
            ),
        ),
        migrations.RunPython(link_centres, unlink_centres),
        migrations.RemoveField(model_name="budgetline", name="centre_name"),
    ]
