"""Databases seeded before the INDI weights note stopped citing a document outside the product get the current note.

The old note is found by its start and the sentence that followed the citation, so an administrator's own note is
kept.
"""

from django.db import migrations

NEW = (
    "Bobot resmi belum diterbitkan Kemenperin. Versi ini memakai bobot sama (0,2) "
    "untuk tiap pilar. Bobot yang diklaim sebuah implementasi publik (Manajemen 0,25; Orang 0,30; "
    "Produk 0,15; Teknologi 0,15; Operasi 0,15) belum diverifikasi."
)


def rewrite(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("quality", "IndiVersion").objects.filter(
        weights_note__startswith="Bobot resmi belum terkonfirmasi (",
        weights_note__contains="keyakinan rendah). Versi ini memakai bobot sama (0,2) ",
    ).update(weights_note=NEW)


class Migration(migrations.Migration):
    dependencies = [("quality", "0003_assessment_batch")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
