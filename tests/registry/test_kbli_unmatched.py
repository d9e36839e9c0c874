"""A KBLI code KBLI 2020 does not know, from the business import: the row is kept with a warning, the code is stored
as typed in ``Business.kbli_unmatched``, the business page asks for the main KBLI, and choosing it (the edit service)
clears the kept code; re-importing the same file changes nothing, also after the officer corrected the KBLI."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import
from sentra.core.models import AuditEvent, Job
from sentra.regions.models import Kbli
from sentra.registry import services
from sentra.registry.models import Business
from tests.core.importing_helpers import HEADER, csv_bytes, good_rows, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def _file(tmp_path, kblis, region="Kota Kendari"):
    rows = good_rows(len(kblis), region=region)
    for row, kbli in zip(rows, kblis, strict=True):
        row[2] = kbli
    path = tmp_path / "usaha.csv"
    path.write_bytes(csv_bytes([HEADER, *rows]))
    return path


def _run(path, user, **kwargs):
    return run_import(
        path=path, filename=path.name, kind=get_kind("business"), user=user, error_dir=path.parent, **kwargs
    )


def test_the_code_is_kept_as_typed_and_a_reimport_changes_nothing(tmp_path, officer_region_a):
    path = _file(tmp_path, ["31.999", "31001"])
    first = _run(path, officer_region_a)
    assert first.committed and first.stats.created == 2 and first.warned == 1
    kept = Business.objects.get(name="Usaha Uji 0")
    assert (kept.kbli_id, kept.kbli_unmatched) == (None, "31.999")
    assert Business.objects.get(name="Usaha Uji 1").kbli_unmatched == ""
    events = AuditEvent.objects.count()
    again = _run(path, officer_region_a)
    assert again.committed and again.stats.unchanged == 2 and again.stats.updated == 0
    assert AuditEvent.objects.count() == events


def test_choosing_the_main_kbli_clears_the_code_and_a_reimport_leaves_the_choice(tmp_path, officer_region_a):
    path = _file(tmp_path, ["99999"])
    _run(path, officer_region_a)
    business = Business.objects.get(kbli_unmatched="99999")
    chosen = Kbli.objects.get(version="2020", code="31001")
    services.business_update(actor=officer_region_a, business=business, kbli=chosen)
    business.refresh_from_db()
    assert (business.kbli_id, business.kbli_unmatched) == (chosen.pk, "")
    event = AuditEvent.objects.filter(action="registry.business.updated", object_id=str(business.pk)).latest("id")
    assert event.changes["kbli_unmatched"] == ["99999", ""]
    again = _run(path, officer_region_a)
    assert again.stats.unchanged == 1 and again.warned == 1
    business.refresh_from_db()
    assert (business.kbli_id, business.kbli_unmatched) == (chosen.pk, "")


def test_a_later_file_with_a_known_code_replaces_the_kept_one(tmp_path, officer_region_a):
    _run(_file(tmp_path, ["99999"]), officer_region_a)
    outcome = _run(_file(tmp_path, ["31001"]), officer_region_a)
    assert outcome.stats.updated == 1 and outcome.warned == 0
    business = Business.objects.get(name="Usaha Uji 0")
    assert (business.kbli.code, business.kbli_unmatched) == ("31001", "")


def test_a_four_digit_code_is_still_read_at_its_level_and_ambiguity_still_refuses(tmp_path, officer_region_a):
    outcome = _run(_file(tmp_path, ["1013", "1021"]), officer_region_a, partial=True)
    assert outcome.stats.created == 1 and outcome.rejected == 1 and outcome.warned == 0
    assert Business.objects.get(name="Usaha Uji 0").kbli.code == "10130"


def test_rows_outside_the_officers_region_refuse_the_file_even_with_unknown_codes(tmp_path, officer_region_a):
    outcome = _run(_file(tmp_path, ["99999"], region="Kota Baubau"), officer_region_a, partial=True)
    assert not outcome.committed and outcome.out_of_scope == 1
    assert "Kota Bau Bau (74.72)" in outcome.messages[0]["text"]
    assert not Business.objects.exists()


def test_the_preview_lists_the_warning_with_its_count(client, officer_region_a):
    client.force_login(officer_region_a)
    rows = good_rows(3)
    rows[0][2], rows[2][2] = "99999", "88.888"
    response = client.post(reverse("registry:business_import"), {"file": upload("u.csv", csv_bytes([HEADER, *rows]))})
    assert response.status_code == 302, response.content.decode()[:500]
    job = Job.objects.latest("id")
    page = client.get(reverse("core:import_preview", args=[job.pk])).content.decode()
    assert 'data-testid="preview-warnings"' in page and "Disimpan dengan peringatan: 2 baris" in page
    assert "KBLI &#x27;88.888&#x27; tidak ada dalam KBLI 2020" in page
    assert '<span class="badge text-bg-secondary" data-testid="warning-count">2 baris</span>' in page
    assert page.count('data-testid="cell-warning"') == 2 and 'data-testid="cell-error"' not in page


def test_the_business_page_asks_for_the_main_kbli(client, officer_region_a, tmp_path):
    _run(_file(tmp_path, ["31.999"]), officer_region_a)
    business = Business.objects.get(kbli_unmatched="31.999")
    client.force_login(officer_region_a)
    page = client.get(business.get_absolute_url()).content.decode()
    assert "KBLI tidak dikenal: 31.999" in page and "Pilih KBLI utama" in page
    assert reverse("registry:business_edit", args=[business.pk]) in page
    business.kbli = Kbli.objects.get(version="2020", code="31001")
    services.business_update(actor=officer_region_a, business=business, kbli=business.kbli)
    assert "KBLI tidak dikenal" not in client.get(business.get_absolute_url()).content.decode()


@given(st.from_regex(r"\A[0-9]{2}[. ]?[0-9]{2}[. ]?[0-9]?\Z"))
def test_a_kbli_cell_keeps_what_was_typed_beside_its_digits(cell):
    from sentra.registry.imports import kbli_code

    code = kbli_code(cell)
    assert code == cell.replace(".", "").replace(" ", "") and code.typed == cell.strip()
