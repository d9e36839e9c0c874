"""Databases seeded before the seed texts stopped citing documents outside the product get the current texts.

Each old text is found by the part that followed its citation (its tail) plus a fragment of its start, so only rows
still holding the seed's or the demo's own wording change and an administrator's correction is kept.
"""

from django.db import migrations

# (field, start fragment, tail) → new text
REWRITES = {
    "FiscalYear": [
        (
            "notes",
            "Disemai dari ",
            "tidak memuat aturannya (L).",
            "Data awal Sentra. Periksa juknis dan PMK tahun ini sebelum dipakai. Tahap penyaluran DAK Nonfisik "
            "mengikuti aturan DAK Fisik (PMK 198/2021) sampai aturannya terbit.",
        ),
        (
            "legal_basis",
            "PMK 198/PMK.07/2021 (periksa PMK tahun berjalan, ",
            "§11.6)",
            "PMK 198/PMK.07/2021 (periksa PMK tahun berjalan)",
        ),
    ],
    "Fund": [
        ("ceiling_source", "", "§3a: pagu Rp750 M (Bappenas, M)", "Pagu Rp750 miliar (evaluasi Bappenas)"),
        (
            "ceiling_source",
            "",
            "§3a: pagu TA 2022 tidak ada di sumber; isi dari Perpres 7/2022",
            "Pagu TA 2022 belum diisi; isi dari Perpres 7/2022",
        ),
        (
            "ceiling_source",
            "",
            "§3a: DAK Nonfisik baru sejak 2022; pagu nasional belum ada",
            "DAK Nonfisik ada sejak 2022; pagu nasional belum diisi",
        ),
        ("ceiling_source", "", "§3a: Rp395 M untuk 56 daerah (H)", "Rp395 miliar untuk 56 daerah"),
        (
            "ceiling_source",
            "",
            "§3a: Permenperin 7/2023; pagu nasional belum ada",
            "Permenperin 7/2023; pagu nasional belum diisi",
        ),
        ("ceiling_source", "", "§3a: pagu TA 2024 tidak ada di sumber", "Pagu TA 2024 belum diisi"),
        (
            "ceiling_source",
            "",
            "§0). Bukan pagu resmi TA 2022.",
            "Angka Rp540 miliar untuk 109 kabupaten/kota yang dikutip pada Juli 2022; itu angka rencana DAK IKM "
            "TA 2019, bukan pagu resmi TA 2022.",
        ),
        (
            "ceiling_source",
            "",
            ": angka contoh, bukan pagu resmi DAK Nonfisik TA 2022.",
            "Angka contoh, bukan pagu resmi DAK Nonfisik TA 2022.",
        ),
    ],
    "Allocation": [
        (
            "note",
            "Angka contoh demo (pagu nasional TA 2023 Rp395 M, ",
            "; pagu Kendari tidak diketahui)",
            "Angka contoh (pagu nasional TA 2023 Rp395 miliar; pagu Kendari tidak diketahui)",
        ),
    ],
}


def rewrite(apps, schema_editor):  # type: ignore[no-untyped-def]
    for model_name, rules in REWRITES.items():
        model = apps.get_model("budget", model_name)
        for field, start, tail, new in rules:
            rows = model.objects.filter(**{f"{field}__startswith": start, f"{field}__endswith": tail})
            rows.exclude(**{field: new}).update(**{field: new})


class Migration(migrations.Migration):
    dependencies = [("budget", "0002_seed_reference_data")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
