"""A region or KBLI that vanishes while an import runs is that row's error, never a failed COMMIT; and the
set-based foreign-key check of the bulk write keeps the database's guarantee for every row it inserts."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction

from sentra.core.importing import get_kind
from sentra.core.importing.bulk import ModelWriter, can_skip_row_triggers, check_references
from sentra.core.importing.engine import run_import
from sentra.regions.models import Region
from sentra.registry import imports
from sentra.registry.models import Business
from tests.core.importing_helpers import csv_bytes

VANISHING = "74.71.03.1099"
HEADER = ["Nama Usaha", "Alamat", "Kode Wilayah", "KBLI", "Omzet"]


@pytest.fixture
def vanishing_village(db):
    district = Region.objects.get(code="74.71.03")
    return Region.objects.create(code=VANISHING, name="Kelurahan Uji Hilang", level=4, parent=district)


def _file(tmp_path: Path) -> Path:
    rows = [
        ["CV Tetap Satu", "Jl. Uji 1", "74.71.03.1002", "31001", "12.500.000"],
        ["UD Hilang", "Jl. Uji 2", VANISHING, "31001", "12.500.000"],
        ["CV Tetap Dua", "Jl. Uji 3", "74.71.03.1002", "31001", "12.500.000"],
    ]
    path = tmp_path / "usaha.csv"
    path.write_bytes(csv_bytes([HEADER, *rows]))
    return path


def _vanish_after_resolving(monkeypatch: pytest.MonkeyPatch) -> None:
    """The village is deleted once the batch's locations are resolved (by another officer, in real life), before
    the batch is written."""
    original = imports.BusinessImport._check_stored

    def check_stored_then_vanish(self, batch, ok, ctx):  # type: ignore[no-untyped-def]
        original(self, batch, ok, ctx)
        Region.objects.filter(code=VANISHING).delete()

    monkeypatch.setattr(imports.BusinessImport, "_check_stored", check_stored_then_vanish)


def test_vanished_village_is_a_row_error_and_the_rest_is_saved(
    vanishing_village, officer_region_a, tmp_path, monkeypatch
):
    _vanish_after_resolving(monkeypatch)
    path = _file(tmp_path)
    outcome = run_import(
        path=path, filename=path.name, kind=get_kind("business"), user=officer_region_a, partial=True,
        error_dir=tmp_path,
    )  # fmt: skip
    assert outcome.committed and outcome.stats.created == 2 and outcome.rejected == 1
    [message] = outcome.messages
    assert message["line"] == 3
    assert f"Wilayah {VANISHING} tidak ada lagi" in message["text"] and "Kode wilayah" in message["text"]
    assert sorted(Business.objects.values_list("name", flat=True)) == ["Tetap Dua", "Tetap Satu"]


def test_vanished_village_refuses_the_file_in_all_or_nothing_mode(
    vanishing_village, officer_region_a, tmp_path, monkeypatch
):
    _vanish_after_resolving(monkeypatch)
    path = _file(tmp_path)
    outcome = run_import(
        path=path, filename=path.name, kind=get_kind("business"), user=officer_region_a, error_dir=tmp_path
    )
    assert not outcome.committed and outcome.refused and outcome.rejected == 1
    assert Business.objects.count() == 0


def _record(count: int, village: str) -> dict[str, object]:
    return {
        "id": list(range(900_001, 900_001 + count)),
        "region_id": "74.71",
        "name": [f"Usaha {i}" for i in range(count)],
        "district_id": "74.71.03",
        "village_id": [village] * count,
        "status": "active",
    }


def test_bulk_insert_refuses_a_missing_key_before_writing(db):
    with pytest.raises(IntegrityError, match=r"village_id: 74\.71\.03\.9999"):
        check_references(Business, {"village_id": ["74.71.03.1002", "74.71.03.9999"], "region_id": "74.71"})
    with pytest.raises(IntegrityError, match="village_id"), transaction.atomic():
        ModelWriter(Business).insert_columns(_record(3, "74.71.03.9999"), 3, checked_references=True)
    assert Business.objects.count() == 0


def test_bulk_insert_with_checked_keys_writes_the_rows(db):
    with transaction.atomic():
        ModelWriter(Business).insert_columns(_record(3, "74.71.03.1002"), 3, checked_references=True)
    assert Business.objects.filter(village_id="74.71.03.1002").count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row triggers are PostgreSQL's")
def test_row_triggers_are_kept_when_the_table_has_its_own(db):
    """The foreign-key triggers are skipped only for a table whose triggers are all foreign-key checks: a trigger
    of our own (or a key declared in SQL alone) keeps every row's triggers."""
    assert can_skip_row_triggers(Business)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION sentra_test_noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER sentra_test_noop BEFORE INSERT ON registry_business FOR EACH ROW "
            "EXECUTE FUNCTION sentra_test_noop()"
        )
    assert not can_skip_row_triggers(Business)
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER sentra_test_noop ON registry_business")
        cursor.execute(
            "ALTER TABLE registry_business ADD CONSTRAINT sentra_test_fk FOREIGN KEY (created_by_id) "
            "REFERENCES accounts_user (id) DEFERRABLE INITIALLY DEFERRED"
        )
    assert not can_skip_row_triggers(Business)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row triggers are PostgreSQL's")
def test_skipping_row_triggers_ends_with_the_statement(db):
    with transaction.atomic():
        ModelWriter(Business).insert_columns(_record(2, "74.71.03.1002"), 2, checked_references=True)
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"
