"""The centres-and-units import kind (``centres_centre``): one row per workshop unit with the centre's columns
repeated; centres found by regency/city and name, units by centre and code; every write through the centres
services (audited); a re-import changes nothing; rows of another regency/city refuse the file, naming it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from sentra.centres.choices import CentreStatus, Condition, UnitKind
from sentra.centres.imports import centre_name_key
from sentra.centres.models import Centre, CentreStatusChange, WorkshopUnit
from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import, suggest_mapping
from sentra.core.models import AuditEvent, Job
from tests.centres.factories import CentreFactory, UnitFactory
from tests.core.importing_helpers import csv_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    from django.utils import translation

    with translation.override("id"):
        yield


HEADER = ["No", "Nama Sentra", "Kabupaten/Kota", "Alamat", "Komoditas", "Status", "No Unit", "Jenis", "Luas (m2)",
          "Kondisi"]  # fmt: skip
ROWS = [
    [1, "Sentra IKM Mebel Puuwatu", "Kota Kendari", "Jl. Poros Puuwatu", "Mebel kayu", "Beroperasi", "W-01",
     "Workshop", "48", "Baik"],
    [2, "Sentra IKM Mebel Puuwatu", "Kota Kendari", "Jl. Poros Puuwatu", "Mebel kayu", "Beroperasi", "W-02",
     "Workshop", "48", "Rusak ringan"],
    [3, "Sentra IKM Mebel Puuwatu", "Kota Kendari", "", "", "", "G-01", "Gudang", "30,5", ""],
    [4, "Sentra Tenun Abeli", "Kota Kendari", "Kel. Abeli", "Tenun", "Direncanakan", "", "", "", ""],
]  # fmt: skip


def _csv(tmp_path, rows, name="sentra.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes([HEADER, *rows], delimiter=";"))
    return path


def _run(path, user, **kwargs):
    return run_import(
        path=path, filename=path.name, kind=get_kind("centres_centre"), user=user, error_dir=path.parent, **kwargs
    )


def test_the_headers_agencies_use_are_mapped():
    kind = get_kind("centres_centre")
    mapping = suggest_mapping(HEADER, kind)
    assert [mapping.get(i) for i in range(1, 10)] == [
        "name", "regency", "address", "commodity", "status", "unit_code", "unit_kind", "unit_size", "unit_condition",
    ]  # fmt: skip


def test_centres_and_units_are_created_through_the_services_and_a_reimport_changes_nothing(tmp_path, officer_region_a):
    path = _csv(tmp_path, ROWS)
    outcome = _run(path, officer_region_a)
    assert outcome.committed and outcome.stats.created == 4, outcome.messages
    mebel = Centre.objects.get(name="Sentra IKM Mebel Puuwatu")
    assert (mebel.region_id, mebel.status, mebel.commodity) == ("74.71", CentreStatus.OPERATING, "Mebel kayu")
    units = {u.code: (u.kind, u.size_m2, u.condition) for u in mebel.units.all()}
    assert units == {
        "W-01": (UnitKind.WORKSHOP, Decimal("48.00"), Condition.GOOD),
        "W-02": (UnitKind.WORKSHOP, Decimal("48.00"), Condition.MINOR),
        "G-01": (UnitKind.STORAGE, Decimal("30.50"), Condition.GOOD),
    }
    tenun = Centre.objects.get(name="Sentra Tenun Abeli")
    assert tenun.status == CentreStatus.PLANNED and not tenun.units.exists()
    assert AuditEvent.objects.filter(action="centres.centre.created").count() == 2
    assert AuditEvent.objects.filter(action="centres.unit.created", object_id=str(mebel.pk)).count() == 3
    assert CentreStatusChange.objects.filter(centre=mebel, to_status=CentreStatus.OPERATING).count() == 1
    events = AuditEvent.objects.count()
    again = _run(path, officer_region_a)
    assert again.committed and again.stats.unchanged == 4 and again.stats.created == again.stats.updated == 0
    assert AuditEvent.objects.count() == events
    assert Centre.objects.count() == 2 and WorkshopUnit.objects.count() == 3


def test_a_stored_centre_is_found_by_its_name_without_the_prefix_and_updated(tmp_path, officer_region_a):
    centre = CentreFactory(name="Mebel Puuwatu", region_id="74.71", commodity="furnitur", status=CentreStatus.OPERATING)
    UnitFactory(centre=centre, code="W-01", size_m2=Decimal("40"))
    outcome = _run(_csv(tmp_path, ROWS[:2]), officer_region_a)
    assert outcome.committed and (outcome.stats.updated, outcome.stats.created) == (1, 1), outcome.messages
    centre.refresh_from_db()
    assert centre.commodity == "Mebel kayu" and Centre.objects.count() == 1
    assert centre.units.get(code="W-01").size_m2 == Decimal("48.00")
    assert AuditEvent.objects.filter(action="centres.centre.updated", object_id=str(centre.pk)).count() == 1
    assert AuditEvent.objects.filter(action="centres.unit.updated").count() == 1


def test_a_status_change_is_a_dated_lifecycle_move_and_an_impossible_one_is_reported(tmp_path, officer_region_a):
    moving = CentreFactory(name="Sentra IKM Mebel Puuwatu", status=CentreStatus.OPERATING)
    stuck = CentreFactory(name="Sentra Tenun Abeli", status=CentreStatus.OPERATING)
    rows = [
        [1, "Sentra IKM Mebel Puuwatu", "Kota Kendari", "", "", "Dalam revitalisasi", "", "", "", ""],
        [2, "Sentra Tenun Abeli", "Kota Kendari", "", "", "Direncanakan", "", "", "", ""],
    ]
    outcome = _run(_csv(tmp_path, rows), officer_region_a, partial=True)
    assert outcome.stats.updated == 1 and outcome.rejected == 1
    moving.refresh_from_db()
    assert moving.status == CentreStatus.REVITALISATION
    assert AuditEvent.objects.filter(action="centres.centre.status_changed", object_id=str(moving.pk)).exists()
    [message] = [m for m in outcome.messages if not m.get("warning")]
    assert message["line"] == 3 and message["errors"]["status"] == (
        "Sentra Tenun Abeli berstatus Beroperasi dan tidak dapat langsung menjadi Direncanakan. Yang mungkin: "
        "Tidak aktif, Dalam revitalisasi."
    )
    stuck.refresh_from_db()
    assert stuck.status == CentreStatus.OPERATING


def test_rows_of_one_centre_must_agree_and_units_are_not_repeated(tmp_path, officer_region_a):
    rows = [
        ROWS[0],
        [2, "SENTRA IKM MEBEL PUUWATU", "Kota Kendari", "", "Rotan", "", "W-02", "", "", ""],
        [3, "Sentra IKM Mebel Puuwatu", "Kota Kendari", "", "", "", "w-01", "", "", ""],
        [4, "Sentra X", "Kota Entah", "", "", "", "", "", "", ""],
        [5, "Sentra Y", "Kota Kendari", "", "", "Selesai", "U1", "", "-3", "Bagus"],
    ]
    outcome = _run(_csv(tmp_path, rows), officer_region_a)
    assert not outcome.committed and outcome.rejected == 4 and not Centre.objects.exists()
    errors = {m["line"]: m["errors"] for m in outcome.messages}
    assert errors[3]["commodity"].startswith("Berbeda dengan baris 2 untuk sentra yang sama")
    assert errors[4][""] == "Sama dengan baris 2 (kunci identitas yang sama)."
    assert "Kabupaten/kota sentra tidak dapat dipastikan" in errors[5]["regency"]
    assert errors[6]["status"].startswith("Status sentra 'Selesai' tidak dikenali. Pilihan: Direncanakan,")
    assert (
        errors[6]["unit_condition"] == "Kondisi unit 'Bagus' tidak dikenali. Pilihan: Baik, Rusak ringan, Rusak berat."
    )
    reasons = {r["column"]: r["count"] for r in outcome.as_result()["reasons"]}
    assert reasons["Status sentra"] == 1 and reasons["Komoditas"] == 1
    rejected = CalamineWorkbook.from_path(str(outcome.error_path)).get_sheet_by_name("Baris ditolak").to_python()
    assert [int(r[-1]) for r in rejected[1:]] == [3, 4, 5, 6]  # "Baris asal": the rows as the spreadsheet shows them


def test_partial_mode_keeps_the_valid_rows(tmp_path, officer_region_a):
    rows = [ROWS[0], [2, "Sentra IKM Mebel Puuwatu", "Kota Kendari", "", "", "", "W-02", "Kios", "", ""]]
    outcome = _run(_csv(tmp_path, rows), officer_region_a, partial=True)
    assert outcome.committed and outcome.stats.created == 1 and outcome.rejected == 1
    assert list(WorkshopUnit.objects.values_list("code", flat=True)) == ["W-01"]


def test_rows_of_another_regency_refuse_the_file_and_name_both_regions(tmp_path, officer_region_a):
    CentreFactory(name="Sentra Gerabah Wolio", region_id="74.72", village_id=None)
    rows = [ROWS[0], [2, "Sentra Gerabah Wolio", "74.72", "", "", "Tidak aktif", "W-01", "", "", ""]]
    rows[1][2] = ""
    header_rows = [[*r[:2], "74.72" if i else "74.71", *r[2:]] for i, r in enumerate(rows)]
    path = tmp_path / "sentra.csv"
    path.write_bytes(csv_bytes([[HEADER[0], HEADER[1], "Kode wilayah", *HEADER[2:]], *header_rows], delimiter=";"))
    outcome = _run(path, officer_region_a, partial=True)
    assert not outcome.committed and outcome.out_of_scope == 1
    assert "Kota Bau Bau (74.72), di luar wilayah kewenangan Anda (Kota Kendari (74.71))" in outcome.messages[0]["text"]
    assert Centre.objects.get(name="Sentra Gerabah Wolio").status == CentreStatus.OPERATING
    assert not Centre.objects.filter(region_id="74.71").exists()


def test_a_centre_manager_may_not_import_centres(tmp_path, centre_manager):
    with pytest.raises(PermissionDenied):
        _run(_csv(tmp_path, ROWS[:1]), centre_manager)


def test_the_default_regency_serves_rows_without_one(tmp_path, officer_region_a):
    rows = [[1, "Sentra Kue Baruga", "", "", "Kue", "", "", "", "", ""]]
    outcome = _run(_csv(tmp_path, rows), officer_region_a, options={"default_region": "74.71"})
    assert outcome.committed and Centre.objects.get(name="Sentra Kue Baruga").region_id == "74.71"


def test_the_preview_says_what_each_row_will_do(client, officer_region_a):
    centre = CentreFactory(name="Sentra IKM Mebel Puuwatu")
    UnitFactory(centre=centre, code="W-01")
    client.force_login(officer_region_a)
    content = csv_bytes([HEADER, *ROWS], delimiter=";")
    response = client.post(
        reverse("core:import_kind") + "?jenis=centres_centre", {"file": upload("sentra.csv", content)}
    )
    assert response.status_code == 302, response.content.decode()[:800]
    job = Job.objects.latest("id")
    page = client.get(reverse("core:import_preview", args=[job.pk])).content.decode()
    assert "Sentra sudah tercatat; diperbarui bila isinya berbeda" in page
    assert "Sentra sudah tercatat; unit W-02 baru" in page and "Sentra baru" in page


def test_the_name_key_folds_case_punctuation_and_the_prefix():
    assert centre_name_key("SENTRA IKM  Mebel-Puuwatu") == centre_name_key("mebel puuwatu") == "mebel puuwatu"
    assert centre_name_key("Sentra") == "sentra"


@given(st.text(alphabet=st.characters(codec="ascii", categories=("L", "N", "Zs", "P")), max_size=40))
def test_the_name_key_ignores_case_spacing_and_the_prefix_of_any_name(name):
    from hypothesis import assume

    key = centre_name_key(name)
    assume(key)
    assert centre_name_key(f"  SENTRA   ikm {name.upper()} ") == centre_name_key(f"sentra {name.lower()}")
    assert centre_name_key(key) == key  # a key is its own key: rows and stored centres meet


def _preview_queries(tmp_path, rows, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sentra.core.importing.engine import Layout, find_header, preview
    from sentra.core.importing.kinds import ImportContext
    from sentra.core.importing.readers import inspect_file

    path = _csv(tmp_path, rows, name=f"q{len(rows)}.csv")
    kind = get_kind("centres_centre")
    table = inspect_file(path, path.name)
    line, headers = find_header(table, kind)
    with CaptureQueriesContext(connection) as queries:
        results = preview(table, Layout(line, headers, suggest_mapping(headers, kind)), ImportContext(user, kind))
    assert all(r.ok for r in results), [r.errors for r in results if not r.ok]
    return len(queries)


def test_checking_reads_the_same_number_of_queries_for_few_and_many_rows(tmp_path, officer_region_a):
    centre = CentreFactory(name="Sentra IKM Mebel Puuwatu")
    UnitFactory(centre=centre, code="W-01")

    def rows(n):
        return [
            [i, f"Sentra Uji {i % 7}" if i % 3 else "Sentra IKM Mebel Puuwatu", "Kota Kendari", "", "Mebel", "",
             f"W-{i:02d}", "Workshop", "40", "Baik"]
            for i in range(1, n + 1)
        ]  # fmt: skip

    _preview_queries(tmp_path, rows(1), officer_region_a)  # the process-wide region tables are read once
    few = _preview_queries(tmp_path, rows(4), officer_region_a)
    assert few == _preview_queries(tmp_path, rows(40), officer_region_a)


def test_a_centre_whose_rows_straddle_two_batches_gets_what_its_later_rows_fill(tmp_path, officer_region_a, settings):
    settings.SENTRA_IMPORT_BATCH_SIZE = 2
    rows = [
        [1, "Sentra Tenun Abeli", "Kota Kendari", "", "", "", "T-01", "", "", ""],
        [2, "Sentra Tenun Abeli", "Kota Kendari", "", "", "", "T-02", "", "", ""],
        [3, "Sentra Tenun Abeli", "Kota Kendari", "Kel. Abeli", "Tenun ikat", "", "T-03", "", "", ""],
    ]
    path = _csv(tmp_path, rows)
    outcome = _run(path, officer_region_a)
    assert outcome.committed and outcome.stats.created == 3, outcome.messages
    centre = Centre.objects.get()
    assert (centre.commodity, centre.address, centre.units.count()) == ("Tenun ikat", "Kel. Abeli", 3)
    assert _run(path, officer_region_a).stats.unchanged == 3
