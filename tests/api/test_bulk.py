"""``POST /businesses/bulk`` validates with the import engine: a row the import refuses is refused the same way
(same messages), and one bad row of 1,000 saves nothing."""

from __future__ import annotations

import csv

import pytest

from sentra.core.audit import audit_event_changes, audit_history
from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import
from sentra.core.models import AuditEvent
from sentra.registry.models import Business, Owner
from tests.api.conftest import assert_error_format
from tests.registry.factories import BusinessFactory, OwnerFactory


@pytest.fixture
def api_a(officer_region_a, api_for):
    return api_for(officer_region_a)


#: (API row, the same row as import columns)
BAD_ROWS = [
    ({"name": "Nib Salah", "region": "74.71", "nib": "12AB"}, {"NIB": "12AB", "Kode wilayah": "74.71"}),
    ({"name": "Kbli Salah", "region": "74.71", "kbli": "31A01"}, {"KBLI": "31A01", "Kode wilayah": "74.71"}),
    ({"name": "Panjang " + "x" * 260, "region": "74.71"}, {"Kode wilayah": "74.71"}),
    ({"name": "Tanpa Wilayah", "address": "Jl. Tidak Dikenal 1"}, {"Alamat": "Jl. Tidak Dikenal 1"}),
    ({"name": "Wilayah Lain", "region": "74.72"}, {"Kode wilayah": "74.72"}),
    ({"name": "Kode Salah", "region": "99.99"}, {"Kode wilayah": "99.99"}),
    ({"name": "Nik Tanpa Nama", "region": "74.71", "owner_nik": "7471035208850001"}, {"NIK pemilik": "7471035208850001", "Kode wilayah": "74.71"}),
    ({"name": "Nik Pendek", "region": "74.71", "owner_full_name": "Ani", "owner_nik": "123"}, {"Nama pemilik": "Ani", "NIK pemilik": "123", "Kode wilayah": "74.71"}),
    ({"name": "Tenaga Negatif", "region": "74.71", "workforce_male": -3}, {"Tenaga kerja laki-laki": "-3", "Kode wilayah": "74.71"}),
    ({"name": "Status Aneh", "region": "74.71", "status": "bangkrut"}, {"Status": "bangkrut", "Kode wilayah": "74.71"}),
    ({"name": "Lintang Aneh", "region": "74.71", "latitude": "abc"}, {"Lintang": "abc", "Kode wilayah": "74.71"}),
]  # fmt: skip

LABEL_TO_API = {"NIB": "nib", "KBLI": "kbli", "Kode wilayah": "region", "Alamat": "address", "NIK pemilik": "owner_nik",
                "Nama pemilik": "owner_full_name", "Tenaga kerja laki-laki": "workforce_male", "Status": "status",
                "Lintang": "latitude", "Nama usaha": "name"}  # fmt: skip


def _import_messages(user, rows, tmp_path) -> dict[int, dict[str, str]]:
    """The import's own errors for the same rows (a CSV through the whole engine), by row index."""
    headers = ["Nama usaha", *sorted({k for _api, cols in rows for k in cols})]
    path = tmp_path / "usaha.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        for api_row, cols in rows:
            writer.writerow([api_row["name"] if h == "Nama usaha" else cols.get(h, "") for h in headers])
    outcome = run_import(
        path=path, filename="usaha.csv", kind=get_kind("business"), user=user, dry_run=True, error_dir=tmp_path
    )
    kind = get_kind("business")
    labels = {c.key: c.label for c in kind.columns}
    return {m["line"] - 2: {labels.get(k, k): v for k, v in m["errors"].items()} for m in outcome.messages}


def test_bulk_refuses_what_the_import_refuses_with_the_same_messages(api_a, officer_region_a, tmp_path):
    good = [{"name": f"Usaha Baik {i}", "region": "74.71"} for i in range(3)]
    api_rows = good + [api for api, _cols in BAD_ROWS]
    body = assert_error_format(api_a.post("/businesses/bulk", {"rows": api_rows}), 422, "validation_error")
    assert Business.objects.count() == 0

    expected = _import_messages(
        officer_region_a, [(row, {"Kode wilayah": "74.71"}) for row in good] + BAD_ROWS, tmp_path
    )
    assert set(expected) == set(range(3, 3 + len(BAD_ROWS))), expected  # the import refuses exactly these
    for index, errors in expected.items():
        for label, message in errors.items():
            key = f"rows.{index}" if label == "" else f"rows.{index}.{LABEL_TO_API.get(label, label)}"
            assert message in body["errors"].get(key, []), (key, message, body["errors"])
    refused_rows = {int(k.split(".")[1]) for k in body["errors"]}
    assert refused_rows == set(expected)


def test_one_bad_row_of_1000_saves_nothing(api_a):
    rows = [{"name": f"Usaha {i:04d}", "region": "74.71"} for i in range(1000)]
    rows[537] = {"name": "Rusak", "region": "74.71", "nib": "12AB"}
    rows[999] = {"name": "Rusak Juga", "region": "74.71", "kbli": "31A01"}  # not a KBLI code at all
    before_audit = AuditEvent.objects.count()
    body = assert_error_format(api_a.post("/businesses/bulk", {"rows": rows}), 422, "validation_error")
    assert set(body["errors"]) == {"rows.537.nib", "rows.999.kbli"}
    assert body["message"].startswith("2 ")
    assert Business.objects.count() == 0 and Owner.objects.count() == 0
    assert AuditEvent.objects.count() == before_audit


def test_a_failure_while_saving_rolls_back_the_rows_saved_before(api_a):
    existing = BusinessFactory(region_id="74.71", name="Lama")
    rows = [
        {"name": "Baru Satu", "region": "74.71"},
        {"id": existing.pk, "version": existing.version + 5, "commodity": "X"},
    ]
    body = assert_error_format(api_a.post("/businesses/bulk", {"rows": rows}), 422)
    assert "rows.1" in body["errors"]
    assert not Business.objects.filter(name="Baru Satu").exists()
    existing.refresh_from_db()
    assert existing.commodity != "X"


def test_duplicates_in_the_request_and_in_the_register(api_a):
    BusinessFactory(region_id="74.71", name="Mebel Ada", nib="1234567890123")
    rows = [
        {"name": "Mebel Kembar", "region": "74.71", "nib": "9120001234567"},
        {"name": "Mebel Kembar 2", "region": "74.71", "nib": "9120001234567"},
        {"name": "Mebel Baru", "region": "74.71", "nib": "1234567890123"},
    ]
    body = assert_error_format(api_a.post("/businesses/bulk", {"rows": rows}), 422)
    assert "Sama dengan baris 0" in body["errors"]["rows.1"][0]
    assert "duplikat" in body["errors"]["rows.2"][0]
    assert Business.objects.count() == 1


def test_bulk_creates_with_owner_and_updates_only_what_is_sent(api_a, officer_region_a):
    existing = BusinessFactory(region_id="74.71", name="Sudah Ada", commodity="Meja", workforce_male=4)
    owner = OwnerFactory(region_id="74.71")
    rows = [
        {"name": "CV Mebel Massal", "region": "74.71.03", "kbli": "31001", "investment_value": "150.000.000",
         "owner_full_name": "Siti Aminah", "owner_nik": "7471035208850001", "owner_gender": "P"},
        {"id": existing.pk, "version": existing.version, "commodity": "Kursi", "owner_ids": [owner.pk]},
    ]  # fmt: skip
    response = api_a.post("/businesses/bulk", {"rows": rows})
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["created"] == 1 and result["updated"] == 1
    created = Business.objects.get(pk=result["results"][0]["id"])
    assert created.name == "Mebel Massal" and created.legal_form == "cv"  # split as the import does
    assert created.district_id == "74.71.03" and created.kbli.code == "31001"
    assert str(created.investment_value) == "150000000.00"
    assert created.owners.get().nik == "7471035208850001"
    existing.refresh_from_db()
    assert existing.commodity == "Kursi" and existing.workforce_male == 4 and existing.name == "Sudah Ada"
    assert list(existing.owners.all()) == [owner]
    # One bulk event for the request's new businesses; the history page finds it for each of them.
    (event,) = [e for e in audit_history(created) if e.action == "registry.business.created"]
    assert event.actor == officer_region_a
    assert audit_event_changes(event, created)["name"] == [None, "Mebel Massal"]


def test_unknown_fields_and_update_rules(api_a):
    other = BusinessFactory(region_id="74.72")
    mine = BusinessFactory(region_id="74.71")
    body = assert_error_format(api_a.post("/businesses/bulk", {"rows": [{"name": "X", "raw_materials": "kayu"}]}), 422)
    assert "rows.0.raw_materials" in body["errors"]
    rows = [
        {"id": other.pk, "version": other.version, "commodity": "X"},
        {"id": mine.pk, "commodity": "X"},
        {"id": mine.pk, "version": mine.version, "district": "74.72.01", "region": "74.71"},
    ]
    body = assert_error_format(api_a.post("/businesses/bulk", {"rows": rows}), 422)
    assert set(body["errors"]) >= {"rows.0.id", "rows.1.version", "rows.2.district"}


def _new_rows(count, *, owner_ids=None):
    return [
        {
            "name": f"CV Mebel Jati {i:04d}",
            "region": "74.71.03",
            "kbli": "31001",
            "nib": f"91{i:011d}",
            "investment_value": "150.000.000",
            "owner_full_name": f"Pemilik {i}",
            "owner_nik": f"747103520885{i + 1:04d}",
            "owner_gender": "P",
            **({"owner_ids": owner_ids} if owner_ids else {}),
        }
        for i in range(count)
    ]


def test_creates_take_a_constant_number_of_queries_whatever_the_row_count(api_a, django_db_blocker):
    """1,000 new businesses with their owners cost (almost) the queries of 10: the import's bulk writer, not a
    save per row. Measured at the database, so it cannot pass by timing luck."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(rows):
        with CaptureQueriesContext(connection) as ctx:
            response = api_a.post("/businesses/bulk", {"rows": rows})
        assert response.status_code == 200, response.content[:500]
        return len(ctx.captured_queries), response.json()

    small, _body = queries(_new_rows(10))
    Business.objects.all().delete()
    Owner.objects.all().delete()
    big, body = queries(_new_rows(1000))
    assert body["created"] == 1000
    assert big <= small + 6, (small, big)  # chunks of 500 in a few lookups at most, never one per row
    assert big <= 60, big
    ids = [r["id"] for r in body["results"]]
    assert [r["row"] for r in body["results"]] == list(range(1000))
    assert {r["action"] for r in body["results"]} == {"created"} and {r["version"] for r in body["results"]} == {1}
    stored = dict(Business.objects.filter(pk__in=ids).values_list("pk", "name"))
    assert [stored[pk] for pk in ids] == [f"Mebel Jati {i:04d}" for i in range(1000)]  # each id is its row's
    assert Owner.objects.count() == 1000
    first = Business.objects.get(pk=ids[0])
    assert first.owners.get().nik == "7471035208850001" and first.legal_form == "cv"
    assert first.version == 1 and str(first.investment_value) == "150000000.00"


def test_created_rows_link_owners_by_id_and_the_audit_names_them(api_a, officer_region_a):
    owner = OwnerFactory(region_id="74.71")
    response = api_a.post("/businesses/bulk", {"rows": _new_rows(2, owner_ids=[owner.pk])})
    assert response.status_code == 200, response.content
    created = Business.objects.get(pk=response.json()["results"][1]["id"])
    assert {o.pk for o in created.owners.all()} == {owner.pk, Owner.objects.get(nik="7471035208850002").pk}
    (event,) = [e for e in audit_history(created) if e.action == "registry.business.created"]
    assert sorted(audit_event_changes(event, created)["owners"][1]) == sorted(o.pk for o in created.owners.all())


def test_owner_ids_out_of_scope_refuse_the_request(api_a):
    other = OwnerFactory(region_id="74.72")
    body = assert_error_format(api_a.post("/businesses/bulk", {"rows": _new_rows(3, owner_ids=[other.pk])}), 422)
    assert set(body["errors"]) == {"rows.0.owner_ids", "rows.1.owner_ids", "rows.2.owner_ids"}
    assert str(other.pk) in body["errors"]["rows.0.owner_ids"][0]
    assert Business.objects.count() == 0 and Owner.objects.count() == 1


def test_a_confirmed_duplicate_still_cannot_take_a_registered_nib(api_a):
    BusinessFactory(region_id="74.71", name="Mebel Ada", nib="1234567890123")
    rows = [{"name": "Mebel Baru", "region": "74.71", "nib": "1234567890123", "confirm_duplicate": True}]
    body = assert_error_format(api_a.post("/businesses/bulk", {"rows": rows}), 422)
    assert body["errors"] == {"rows.0.nib": ["NIB 1234567890123 sudah terdaftar pada usaha Mebel Ada."]}
    assert Business.objects.count() == 1


def test_the_duplicate_guard_finds_the_same_owner_with_a_similar_name_in_the_village(api_a):
    owner = OwnerFactory(region_id="74.71", nik="7471035208850001")
    known = BusinessFactory(region_id="74.71", district_id="74.71.03", village_id="74.71.03.1001", name="Mebel Jati")
    known.owners.add(owner)
    row = {"name": "Mebel Jati Baru", "village": "74.71.03.1001", "owner_full_name": "Siti",
           "owner_nik": "7471035208850001"}  # fmt: skip
    body = assert_error_format(api_a.post("/businesses/bulk", {"rows": [row]}), 422)
    assert f"#{known.pk}" in body["errors"]["rows.0"][0]
    response = api_a.post("/businesses/bulk", {"rows": [row | {"confirm_duplicate": True}]})
    assert response.status_code == 200, response.content
    assert Business.objects.count() == 2


def test_a_nib_taken_between_the_check_and_the_save_saves_nothing(api_a, monkeypatch):
    """Another request registers the same NIB after the rows were checked: the database refuses it, the whole
    request is rolled back and the answer is a 409 to send again, not a 500."""
    from sentra.api import bulk

    checked = bulk.check_batch

    def check_then_race(*args, **kwargs):
        result = checked(*args, **kwargs)
        BusinessFactory(region_id="74.71", name="Dari Permintaan Lain", nib="9100000000001")
        return result

    monkeypatch.setattr(bulk, "check_batch", check_then_race)
    before = AuditEvent.objects.count()
    rows = [row | {"confirm_duplicate": True} for row in _new_rows(3)]  # past the guard's own look-up too
    body = assert_error_format(api_a.post("/businesses/bulk", {"rows": rows}), 409, "conflict")
    assert "Kirim ulang" in body["message"]
    assert list(Business.objects.values_list("name", flat=True)) == ["Dari Permintaan Lain"]
    assert Owner.objects.count() == 0
    assert AuditEvent.objects.count() == before  # the factory writes none; the request's events went too
