"""The tenancy import kind (``centres_tenancy``): lets through ``tenancy_start``, what the service refuses said in
the preview (a centre not operating, overlaps stored or within the file, another regency's business), re-imports
unchanged, unknown and out-of-scope NIBs answered alike."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from python_calamine import CalamineWorkbook

from sentra.centres.choices import CentreStatus, UnitKind
from sentra.centres.models import Tenancy
from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import, suggest_mapping
from sentra.core.importing.readers import FileRefused
from sentra.core.models import AuditEvent
from tests.centres.factories import CentreFactory, TenancyFactory, UnitFactory
from tests.core.importing_helpers import csv_bytes
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    """The messages are asserted in Indonesian, whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("id"):
        yield


HEADER = ("Kode Unit", "NIB", "Mulai", "Berakhir", "No Perjanjian", "Sewa per tahun")


def _csv(tmp_path, rows, name="sewa.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes([list(HEADER), *rows]))
    return path


def _run(path, user, centre, **kwargs):
    return run_import(
        path=path, filename=path.name, kind=get_kind("centres_tenancy"), user=user,
        options={"centre": str(centre.pk)}, error_dir=path.parent, **kwargs,
    )  # fmt: skip


@pytest.fixture
def centre():
    centre = CentreFactory()
    for code in ("W-01", "W-02", "W-03"):
        UnitFactory(centre=centre, code=code)
    UnitFactory(centre=centre, code="G-01", kind=UnitKind.STORAGE)
    return centre


@pytest.fixture
def tenants():
    return [BusinessFactory(nib=f"912000100000{n}", region_id="74.71") for n in range(3)]


def test_lets_go_through_the_service_with_their_audit(tmp_path, officer_region_a, centre, tenants):
    rows = [
        ["W-01", tenants[0].nib, "01/01/2024", "31/12/2025", "027/SEWA/2024", "6.000.000"],
        ["w-02", tenants[1].nib, "01/02/2024", "", "", ""],
    ]
    outcome = _run(_csv(tmp_path, rows), officer_region_a, centre)
    assert outcome.committed and outcome.stats.created == 2, outcome.messages
    let = Tenancy.objects.get(unit__code="W-01")
    assert (let.business_id, let.start_date, let.end_date, let.annual_fee, let.agreement_number) == (
        tenants[0].pk, dt.date(2024, 1, 1), dt.date(2025, 12, 31), Decimal("6000000"), "027/SEWA/2024",
    )  # fmt: skip
    assert AuditEvent.objects.filter(action="centres.tenancy.created", object_id=str(centre.pk)).count() == 2
    assert centre.memberships.filter(business=tenants[1]).exists()


def test_the_same_file_twice_changes_nothing(tmp_path, officer_region_a, centre, tenants):
    rows = [["W-01", tenants[0].nib, "01/01/2024", "31/12/2025", "", "6.000.000"]]
    path = _csv(tmp_path, rows)
    assert _run(path, officer_region_a, centre).stats.created == 1
    before = (list(Tenancy.objects.values()), AuditEvent.objects.count())
    again = _run(path, officer_region_a, centre)
    assert again.committed and (again.stats.created, again.stats.unchanged) == (0, 1)
    assert (list(Tenancy.objects.values()), AuditEvent.objects.count()) == before


def test_bad_rows_are_reported_and_nothing_is_written(tmp_path, officer_region_a, centre, tenants):
    TenancyFactory(unit=centre.units.get(code="W-03"), business=tenants[2], start_date=dt.date(2023, 1, 1))
    elsewhere = BusinessFactory(nib="9120009999999", region_id="74.72", district_id=None, village_id=None)
    rows = [
        ["W-01", tenants[0].nib, "01/01/2024", "", "", ""],
        ["W-99", tenants[0].nib, "01/01/2024", "", "", ""],  # no such unit
        ["G-01", tenants[0].nib, "01/01/2024", "", "", ""],  # not a workshop
        ["W-02", tenants[1].nib, "01/01/2024", "01/01/2023", "", ""],  # ends before it starts
        ["W-02", "9120000000000", "01/01/2024", "", "", ""],  # unknown NIB
        ["W-02", elsewhere.nib, "01/01/2024", "", "", ""],  # outside the scope: the same answer
        ["W-03", tenants[1].nib, "01/06/2024", "", "", ""],  # overlaps the stored let
        ["W-01", tenants[1].nib, "01/03/2024", "", "", ""],  # overlaps row 2 of the file
    ]
    outcome = _run(_csv(tmp_path, rows), officer_region_a, centre)
    assert not outcome.committed and Tenancy.objects.count() == 1
    texts = {m["line"]: m["text"] for m in outcome.messages}
    assert "Unit W-99 tidak ada" in texts[3]
    assert "Hanya workshop" in texts[4]
    assert "tidak boleh sebelum tanggal mulai" in texts[5]
    assert "9120000000000 tidak ditemukan di wilayah kewenangan Anda" in texts[6]
    assert texts[7].replace(elsewhere.nib, "9120000000000") == texts[6]
    assert "sudah disewa" in texts[8] and "01-01-2023" in texts[8]
    assert "sudah disewa" in texts[9] and "01-01-2024" in texts[9]
    partial = _run(_csv(tmp_path, rows), officer_region_a, centre, partial=True)
    assert partial.committed and partial.stats.created == 1 and partial.rejected == 7
    sheet = CalamineWorkbook.from_path(str(partial.error_path)).get_sheet_by_index(0).to_python()
    assert [int(r[-1]) for r in sheet[1:]] == [3, 4, 5, 6, 7, 8, 9]


def test_a_centre_not_operating_or_out_of_scope_is_refused(tmp_path, officer_region_a, officer_region_b, tenants):
    planned = CentreFactory(status=CentreStatus.PLANNED)
    UnitFactory(centre=planned, code="W-01")
    path = _csv(tmp_path, [["W-01", tenants[0].nib, "01/01/2024", "", "", ""]])
    with pytest.raises(FileRefused, match="belum dapat disewakan"):
        _run(path, officer_region_a, planned)
    with pytest.raises(PermissionDenied):
        _run(path, officer_region_b, CentreFactory())
    assert Tenancy.objects.count() == 0


def test_the_template_and_the_suggested_mapping(client, officer_region_a):
    kind = get_kind("centres_tenancy")
    assert suggest_mapping(list(HEADER), kind) == {
        0: "unit_code", 1: "nib", 2: "start_date", 3: "end_date", 4: "agreement_number", 5: "annual_fee",
    }  # fmt: skip
    assert suggest_mapping(["Unit code", "Tenant NIB", "Start date", "End date", "Annual fee"], kind) == {
        0: "unit_code", 1: "nib", 2: "start_date", 3: "end_date", 4: "annual_fee",
    }  # fmt: skip
    client.force_login(officer_region_a)
    response = client.get(reverse("core:import_template") + "?jenis=centres_tenancy")
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    assert sheet.to_python()[0][:3] == ["Kode unit", "NIB", "Mulai sewa"]
