"""The product speaks only of itself: no page, message, seed text, translation, doc or comment cites a document
outside the repository, a development note or an issue number; demo and seed data written to the database neither."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = re.compile(r"DOMAIN\.md|STYLE\.md|\.\./shared|shared/(?:seed|data)|\b[Ii]ssue #\d|\bDEMO:")
TEXT_SUFFIXES = {".py", ".html", ".txt", ".js", ".css", ".po", ".json", ".csv", ".md", ".yml", ".yaml", ".toml", ".svg"}


def _shipped_text_files():
    # Tests, benchmarks and scripts are read by newcomers as much as the product is.
    roots = [ROOT / name for name in ("src", "docs", "tests", "bench", "scripts", "deploy")]
    for root in roots:
        for path in root.rglob("*"):
            if path == Path(__file__) or "site" in path.relative_to(ROOT).parts or "__pycache__" in path.parts:
                continue
            if path.is_file() and (path.suffix in TEXT_SUFFIXES or path.parent.name in {"scripts", ".ci"}):
                yield path
    yield from (ROOT / name for name in ("README.md", "DEVELOPERS.md", "pyproject.toml", "Makefile", ".ci/run"))


def test_no_shipped_file_cites_an_outside_document():
    hits = []
    for path in _shipped_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert not hits, "Cites something outside the product:\n" + "\n".join(hits)


def test_the_pattern_catches_what_it_must():
    for text in ("lihat DOMAIN.md §3a", "(issue #12)", "DEMO: angka contoh", "../shared/data", "shared/seed"):
        assert OUTSIDE.search(text), text
    for text in ("docs/domain.md §3a", "Demo Kendari", "isu nomor 3"):
        assert not OUTSIDE.search(text), text


@pytest.mark.django_db
def test_seed_and_demo_data_in_the_database_cite_nothing_outside():
    call_command("load_demo", stdout=StringIO())
    hits = []
    for model in apps.get_models():
        if model._meta.app_label not in {"budget", "centres", "training", "quality", "registry", "periodic", "reports"}:
            continue
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        for field in fields:
            for value in model.objects.filter(**{f"{field}__regex": OUTSIDE.pattern}).values_list(field, flat=True)[:3]:
                hits.append(f"{model._meta.label}.{field}: {value[:120]}")
    assert not hits, "Database text cites something outside the product:\n" + "\n".join(hits)


@pytest.mark.django_db
def test_databases_seeded_earlier_get_the_current_texts():
    """The data migrations rewrite the old seed and demo texts (kept here only as test input)."""
    from importlib import import_module

    from sentra.budget.models import FiscalYear, Fund
    from sentra.quality.models import IndiVersion

    budget_rewrite = import_module("sentra.budget.migrations.0003_reference_texts_without_outside_citations").rewrite
    quality_rewrite = import_module("sentra.quality.migrations.0004_indi_weights_note_without_outside_citation").rewrite
    doc = "DOMAIN" + ".md"
    year = FiscalYear.objects.get(year=2024)
    FiscalYear.objects.filter(pk=year.pk).update(
        notes=f"Disemai dari {doc} §3. Periksa juknis dan PMK tahun ini sebelum dipakai. Tahap penyaluran DAK "
        f"Nonfisik disalin dari aturan DAK Fisik (PMK 198/2021): {doc} tidak memuat aturannya (L).",
        legal_basis=f"PMK 198/PMK.07/2021 (periksa PMK tahun berjalan, {doc} §11.6)",
    )
    fund = Fund.objects.filter(fiscal_year=year).first()
    Fund.objects.filter(pk=fund.pk).update(ceiling_source=f"{doc} §3a: pagu TA 2024 tidak ada di sumber")
    other = Fund.objects.exclude(pk=fund.pk).first()
    Fund.objects.filter(pk=other.pk).update(ceiling_source="Pagu dari surat Kemenkeu")  # an administrator's own text
    version = IndiVersion.objects.get(number=1)
    IndiVersion.objects.filter(pk=version.pk).update(
        weights_note=f"Bobot resmi belum terkonfirmasi ({doc} §6, keyakinan rendah). Versi ini memakai bobot sama "
        "(0,2) untuk tiap pilar."
    )
    budget_rewrite(apps, None)
    quality_rewrite(apps, None)
    year.refresh_from_db()
    assert year.legal_basis == "PMK 198/PMK.07/2021 (periksa PMK tahun berjalan)"
    assert year.notes.startswith("Data awal Sentra.")
    assert Fund.objects.get(pk=fund.pk).ceiling_source == "Pagu TA 2024 belum diisi"
    assert Fund.objects.get(pk=other.pk).ceiling_source == "Pagu dari surat Kemenkeu"
    assert IndiVersion.objects.get(pk=version.pk).weights_note.startswith("Bobot resmi belum diterbitkan Kemenperin.")
