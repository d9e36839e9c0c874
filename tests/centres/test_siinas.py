"""The SIINas exchange: the business semester reports of a regency/city and a semester as XLSX/CSV in the form's
field order (officers only, their regions), and the import kind that brings such a file back: export → import
changes nothing; changed rows are saved as drafts through the periodic services; a business outside the importer's
regions is refused with its region named."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from sentra.centres import siinas
from sentra.centres.reports import BUSINESS_FIELDS, BUSINESS_SEMESTER
from sentra.core.exporting import get_export
from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import
from sentra.core.models import AuditEvent
from sentra.periodic import services
from sentra.periodic.models import Submission, SubmissionState
from sentra.periodic.periods import parse_period
from sentra.periodic.registry import report_form
from sentra.regions.models import Kbli
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db

DATA = {
    "investment_value": "210000000",
    "investment_land_buildings": "95000000",
    "production_capacity": "800",
    "installed_capacity": "1000",
    "capacity_unit": "unit",
    "production_volume": "300.5",
    "production_value": "250000000",
    "turnover": "240000000.50",
    "raw_materials": "kayu jati; =lem (formula-like text stays text)",
    "workforce_male": 6,
    "workforce_female": 3,
    "water_m3": "12",
    "fuel_litres": None,
    "electricity_kwh": "450",
    "machinery": "ketam, gergaji",
}


@pytest.fixture(autouse=True)
def _indonesian():
    from django.utils import translation

    with translation.override("id"):
        yield


def _report(actor, business, period="2025S1", state=SubmissionState.DRAFT, **changes):
    s = services.submission_start(
        actor=actor, form=report_form(BUSINESS_SEMESTER), subject=business, period=parse_period(period)
    )
    data = {**DATA, **changes}
    s = services.submission_save(actor=actor, submission=s, data=data)
    if state in (SubmissionState.SUBMITTED, SubmissionState.ACCEPTED):
        s = services.submission_submit(actor=actor, submission=s)
    if state == SubmissionState.ACCEPTED:
        s = services.submission_accept(actor=actor, submission=s)
    return s


@pytest.fixture
def reports(world):
    kbli = Kbli.objects.get(version="2020", code="31001")
    a1 = BusinessFactory(nib="9120001234567", kbli=kbli, name="Mebel Jati Kendari")
    a2 = BusinessFactory(nib="9120001234568", kbli=kbli, name="Rotan Kendari")
    b1 = BusinessFactory(nib="9120009999991", region_id="74.72", district_id="74.72.01", village_id=None)
    return {
        "a_accepted": _report(world.officer_a, a1, state=SubmissionState.ACCEPTED),
        "a_draft": _report(world.officer_a, a2, workforce_male=2),
        "a_other_period": _report(world.officer_a, a1, period="2024S2"),
        "b": _report(world.officer_b, b1),
        "businesses": (a1, a2, b1),
    }


def _export(client, params) -> tuple[list[str], list[list[str]]]:
    response = client.get(reverse("centres:siinas_export"), {**params, "format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


# --- The field list, in its order ---------------------------------------------------------------------------------


def test_columns_follow_the_semester_form_in_its_order():
    spec = get_export(siinas.EXPORT_KEY)
    headers = [str(c.header) for c in spec.columns]
    assert headers[:6] == ["NIB", "Nama usaha", "KBLI 2020", "Kode kabupaten/kota", "Kabupaten/kota", "Periode"]
    assert headers[6:-1] == [siinas.field_header(f) for f in BUSINESS_FIELDS]
    assert [c.path for c in spec.columns][6:-1] == [f"answer_{f.name}" for f in BUSINESS_FIELDS]
    assert headers[-1] == siinas.STATE_HEADER
    # The import reads the same headers in the same order, so an exported file maps itself.
    assert [c.label for c in get_kind(siinas.IMPORT_KEY).columns] == headers


# --- Export ---------------------------------------------------------------------------------------------------------


def test_export_of_a_regency_and_a_semester(client_for, world, reports):
    header, rows = _export(client_for(world.officer_a), {"region": "74.71", "period": "2025S1"})
    assert header[0] == "NIB"
    assert sorted(r[0] for r in rows) == ["9120001234567", "9120001234568"]
    row = next(r for r in rows if r[0] == "9120001234567")
    values = dict(zip(header, row, strict=True))
    assert values["KBLI 2020"] == "31001" and values["Periode"] == "2025S1"
    assert values["Kode kabupaten/kota"] == "74.71" and values["Nama usaha"] == "Mebel Jati Kendari"
    field = {f.name: siinas.field_header(f) for f in BUSINESS_FIELDS}
    assert values[field["investment_value"]] == "210000000"
    assert values[field["turnover"]] == "240000000.50"
    assert values[field["workforce_male"]] == "6"
    assert values[field["fuel_litres"]] == ""
    assert values[field["raw_materials"]].startswith("kayu jati")
    assert values[siinas.STATE_HEADER] == "Diterima"


def test_export_xlsx_keeps_numbers_as_numbers(client_for, world, reports):
    response = client_for(world.officer_a).get(
        reverse("centres:siinas_export"), {"region": "74.71", "period": "2025S1", "format": "xlsx"}
    )
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    table = sheet.to_python()
    header = table[0]
    invest = header.index(siinas.field_header(BUSINESS_FIELDS[0]))
    assert {row[invest] for row in table[1:]} == {210000000.0}


def test_export_is_for_officers_of_the_region(client, client_for, world, reports, owner_user, centre_manager):
    _header, rows = _export(client_for(world.officer_b), {"region": "74.71", "period": "2025S1"})
    assert rows == []  # Kendari's reports are not Baubau's officer's
    _header, rows = _export(client_for(world.officer_b), {})
    assert [r[0] for r in rows] == ["9120009999991"]
    for user in (owner_user, centre_manager):
        assert client_for(user).get(reverse("centres:siinas_export"), {"format": "csv"}).status_code == 403
        assert client_for(user).get(reverse("centres:siinas")).status_code == 403


def test_a_bad_period_exports_nothing_and_says_why(client_for, world, reports):
    _header, rows = _export(client_for(world.officer_a), {"period": "2025Q1"})
    assert rows == []
    page = client_for(world.officer_a).get(reverse("centres:siinas"), {"period": "2025Q1"}).content.decode()
    assert "semester" in page and 'data-testid="filter-errors"' in page


def test_exchange_page_counts_and_links(client_for, world, reports):
    response = client_for(world.officer_a).get(reverse("centres:siinas"), {"region": "74.71", "period": "2025S1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 laporan, 1 diterima" in page
    assert f"{reverse('centres:siinas_export')}?region=74.71&amp;period=2025S1&amp;format=xlsx" in page
    assert reverse("centres:siinas_import") in page


# --- Import ---------------------------------------------------------------------------------------------------------


def _import(tmp_path, user, content: bytes, name: str):
    path = tmp_path / name
    path.write_bytes(content)
    return run_import(path=path, filename=name, kind=get_kind(siinas.IMPORT_KEY), user=user, error_dir=tmp_path)


def _messages(outcome) -> str:
    return " | ".join(str(m.get("text", m)) for m in outcome.messages)


def _snapshot():
    return {s.pk: (s.data, s.state, s.version, s.flags) for s in Submission.objects.order_by("pk")}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_export_then_import_changes_nothing(client_for, world, reports, tmp_path, fmt):
    client = client_for(world.officer_a)
    response = client.get(reverse("centres:siinas_export"), {"region": "74.71", "format": fmt})
    content = b"".join(response.streaming_content)
    before, events = _snapshot(), AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    outcome = _import(tmp_path, world.officer_a, content, f"siinas.{fmt}")
    assert outcome.committed and outcome.rejected == 0, outcome.messages
    assert (outcome.stats.created, outcome.stats.updated, outcome.stats.unchanged) == (0, 0, 3)
    assert _snapshot() == before
    assert not AuditEvent.objects.filter(pk__gt=events).filter(action__startswith="periodic.").exists()


def _file(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def test_changed_and_new_rows_become_drafts_through_the_services(client_for, world, reports, tmp_path):
    header, rows = _export(client_for(world.officer_a), {"region": "74.71", "period": "2025S1"})
    col = {h: i for i, h in enumerate(header)}
    draft = next(r for r in rows if r[0] == "9120001234568")
    draft[col[siinas.field_header(BUSINESS_FIELDS[0])]] = "230.000.000"  # an Indonesian number, changed
    new = list(draft)
    new[col["Periode"]] = "2024S1"  # no report for that semester yet
    outcome = _import(tmp_path, world.officer_a, _file(header, [draft, new]), "ubah.csv")
    assert outcome.committed, outcome.messages
    assert (outcome.stats.created, outcome.stats.updated, outcome.stats.unchanged) == (1, 1, 0)
    changed = reports["a_draft"]
    changed.refresh_from_db()
    assert changed.data["investment_value"] == "230000000.00" and changed.state == SubmissionState.DRAFT
    assert changed.data["workforce_male"] == 2  # the rest as it was
    assert AuditEvent.objects.filter(action="periodic.submission.updated", object_id=str(changed.pk)).count() == 2
    created = Submission.objects.get(form_code=BUSINESS_SEMESTER, subject_id=changed.subject_id, period="2024S1")
    assert created.state == SubmissionState.DRAFT and created.on_behalf
    assert created.data["investment_value"] == "230000000.00"


def test_a_missing_column_leaves_the_stored_figure(client_for, world, reports, tmp_path):
    header, rows = _export(client_for(world.officer_a), {"region": "74.71", "period": "2025S1"})
    water = header.index(siinas.field_header(next(f for f in BUSINESS_FIELDS if f.name == "water_m3")))
    invest = header.index(siinas.field_header(BUSINESS_FIELDS[0]))
    draft = next(r for r in rows if r[0] == "9120001234568")
    draft[invest] = "1000"
    keep = [i for i in range(len(header)) if i != water]
    outcome = _import(
        tmp_path, world.officer_a, _file([header[i] for i in keep], [[draft[i] for i in keep]]), "tanpa-air.csv"
    )
    assert outcome.committed and outcome.stats.updated == 1, outcome.messages
    reports["a_draft"].refresh_from_db()
    assert reports["a_draft"].data["water_m3"] == "12.00" and reports["a_draft"].data["investment_value"] == "1000.00"


def test_a_submitted_or_accepted_report_is_not_overwritten(client_for, world, reports, tmp_path):
    header, rows = _export(client_for(world.officer_a), {"region": "74.71", "period": "2025S1"})
    accepted = next(r for r in rows if r[0] == "9120001234567")
    accepted[header.index(siinas.field_header(BUSINESS_FIELDS[0]))] = "1"
    before = _snapshot()
    outcome = _import(tmp_path, world.officer_a, _file(header, [accepted]), "diterima.csv")
    assert not outcome.committed and outcome.rejected == 1
    assert "berstatus Diterima" in _messages(outcome)
    assert _snapshot() == before


def test_a_business_outside_the_region_is_refused_with_its_region_named(client_for, world, reports, tmp_path):
    header, rows = _export(client_for(world.officer_b), {})
    before = _snapshot()
    outcome = _import(tmp_path, world.officer_a, _file(header, rows), "baubau.csv")
    assert not outcome.committed and outcome.out_of_scope == 1
    text = _messages(outcome)
    assert "Kota Bau Bau (74.72)" in text and "Kota Kendari (74.71)" in text, text
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Periode", "2025Q1", "per semester"),
        ("Periode", "2099S1", "belum dimulai"),
        ("NIB", "9120000000000", "Tidak ada usaha dengan NIB"),
        ("Kode kabupaten/kota", "74.72", "terdaftar di Kota Kendari (74.71)"),
    ],
)
def test_bad_rows_are_refused_with_a_reason(client_for, world, reports, tmp_path, column, value, message):
    header, rows = _export(client_for(world.officer_a), {"region": "74.71", "period": "2025S1"})
    row = next(r for r in rows if r[0] == "9120001234568")
    row[header.index(column)] = value
    before = _snapshot()
    outcome = _import(tmp_path, world.officer_a, _file(header, [row]), "salah.csv")
    assert not outcome.committed
    assert message in _messages(outcome)
    assert _snapshot() == before


def test_the_import_page_is_for_officers(client_for, world, owner_user):
    assert client_for(world.officer_a).get(reverse("centres:siinas_import")).status_code == 200
    assert client_for(owner_user).get(reverse("centres:siinas_import")).status_code == 403
