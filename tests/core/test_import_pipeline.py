"""Batch N written on a second thread while batch N+1 is checked (sentra.core.importing.pipeline): the database
must end up exactly as with serial writes, a failed write must undo the whole import, and nothing may run on the
connection after the block ends."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sentra.core.importing import get_kind, pipeline
from sentra.core.importing.bulk import ModelWriter
from sentra.core.importing.engine import run_import
from sentra.core.models import AuditEvent
from sentra.registry.models import Business, Owner, Ownership
from tests.core.importing_helpers import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = ["NIB", "Nama Usaha", "Alamat", "KBLI", "TK L", "Omzet", "Nama Pemilik", "NIK Pemilik"]


def _rows(count: int) -> list[list[str]]:
    rows = []
    for i in range(count):
        owner = i % 9  # the same owners come back in later batches: they must be found, not created twice
        rows.append(
            [
                f"{9120000000000 + i}",
                f"{'CV ' if i % 2 else ''}Usaha Pipa {i:03d}",
                f"Jl. Pipa No. {i}, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari",
                "31001",
                str(i % 5),
                f"{(i + 1) * 1_000_000:,}".replace(",", "."),
                f"Pemilik {owner}",
                f"747103120785{owner + 1:04d}",
            ]
        )
    return rows


def _import(tmp_path: Path, user, rows: list[list[str]], **kwargs):
    path = tmp_path / "usaha.csv"
    path.write_bytes(csv_bytes([HEADER, *rows]))
    return run_import(path=path, filename=path.name, kind=get_kind("business"), user=user, error_dir=tmp_path, **kwargs)


def _state() -> dict[str, object]:
    """What an import leaves, without the ids (they may differ between two runs)."""
    return {
        "businesses": sorted(
            Business._base_manager.values_list(
                "nib", "name", "legal_form", "village_id", "workforce_male", "turnover", "version", "deleted_at"
            )
        ),
        "owners": sorted(Owner.objects.values_list("nik", "full_name")),
        "links": sorted(Ownership.objects.values_list("business__nib", "owner__nik")),
        "audit": sorted(AuditEvent.objects.values_list("action", flat=True)),
    }


def _stored_before() -> None:
    """One business the file updates (its NIB) and one soft-deleted that the file restores."""
    kendari = {"region_id": "74.71", "address": "Jl. Lama", "kbli_version": "2020"}
    Business.objects.create(nib="9120000000003", name="Nama Lama", workforce_male=40, **kendari)
    gone = Business.objects.create(nib="9120000000040", name="Usaha Pipa 040", **kendari)
    Business._base_manager.filter(pk=gone.pk).update(deleted_at=timezone.now())


@pytest.fixture
def writer_threads(monkeypatch):
    """The names of the threads the queued writes ran on."""
    names: list[str] = []
    submit = pipeline.BackgroundWrites.submit

    def recording(self, work):
        def traced(raw):
            names.append(threading.current_thread().name)
            work(raw)

        return submit(self, traced)

    monkeypatch.setattr(pipeline.BackgroundWrites, "submit", recording)
    return names


def test_background_writes_leave_exactly_what_serial_writes_leave(officer_region_a, tmp_path, settings, writer_threads):
    settings.SENTRA_IMPORT_BATCH_SIZE = 7
    rows = _rows(60)
    states = {}
    for background in (False, True):
        settings.SENTRA_IMPORT_BACKGROUND_WRITES = background
        _stored_before()
        outcome = _import(tmp_path, officer_region_a, rows)
        assert outcome.committed, outcome.messages
        assert (outcome.stats.created, outcome.stats.updated) == (58, 2)
        states[background] = _state()
        AuditEvent.objects.all().delete()
        Ownership.objects.all().delete()
        Business._base_manager.all().delete()
        Owner.objects.all().delete()
    assert states[True] == states[False]
    state = states[True]
    assert len(state["businesses"]) == 60 and len(state["owners"]) == 9 and len(state["links"]) == 60
    # Matched by NIB: the stored name stays, the figures are updated (version 2).
    assert ("9120000000003", "Nama Lama", "cv", "74.71.03.1002", 3, 4_000_000, 2, None) in state["businesses"]
    # Nine batches, each with its business, ownership and audit inserts, all on the writer thread.
    assert len(writer_threads) >= 9 * 2
    assert {name.split("_")[0] for name in writer_threads} == {"sentra-import-writes"}
    assert sys.getswitchinterval() == pytest.approx(0.005)


def test_a_bad_row_in_the_last_batch_undoes_the_batches_already_written(officer_region_a, tmp_path, settings):
    settings.SENTRA_IMPORT_BATCH_SIZE = 7
    rows = _rows(40)
    rows[-1][3] = "31A01"  # not a KBLI code (an unknown but well-formed code is kept with a warning)
    outcome = _import(tmp_path, officer_region_a, rows)
    assert not outcome.committed and outcome.rejected == 1
    assert [m["line"] for m in outcome.messages] == [41]
    assert Business.objects.count() == 0 and Owner.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_a_failed_queued_write_undoes_the_whole_import_and_is_raised_as_a_django_error(
    officer_region_a, tmp_path, settings, monkeypatch
):
    settings.SENTRA_IMPORT_BATCH_SIZE = 7
    _stored_before()
    before = _state()
    submit = pipeline.BackgroundWrites.submit
    calls = {"n": 0}

    def failing_third(self, work):
        calls["n"] += 1
        if calls["n"] == 3:

            def work(raw):  # the database refuses this write
                raise connection.Database.IntegrityError("duplicate key value")

        return submit(self, work)

    monkeypatch.setattr(pipeline.BackgroundWrites, "submit", failing_third)
    with pytest.raises(IntegrityError, match="duplicate key value"):
        _import(tmp_path, officer_region_a, _rows(60))
    assert calls["n"] >= 3
    assert _state() == before  # the writes queued before and after the failure are gone too
    assert sys.getswitchinterval() == pytest.approx(0.005)
    assert pipeline.current() is None
    assert Business._base_manager.count() == 2  # the connection is usable again


def test_a_statement_of_the_importing_thread_sees_every_write_queued_before_it(db):
    writer = ModelWriter(Business)
    with transaction.atomic(), pipeline.background_writes() as writes:
        for start in range(1, 3001, 1000):
            ids = list(range(start, start + 1000))
            names = [f"Usaha {i}" for i in ids]
            writer.insert_columns({"id": ids, "name": names, "region_id": "74.71", "kbli_version": "2020"}, 1000)
        assert writes.submitted == 3
        assert Business.objects.count() == 3000  # waited for the three queued inserts
    assert Business.objects.filter(name="Usaha 2999").exists()


def test_leaving_the_block_by_an_error_waits_for_the_running_write_and_skips_the_rest(db):
    started, release = threading.Event(), threading.Event()
    ran = []

    def slow(raw):
        started.set()
        release.wait(5)
        ran.append("slow")

    with pytest.raises(RuntimeError), transaction.atomic(), pipeline.background_writes() as writes:
        writes.submit(slow)
        writes.submit(lambda raw: ran.append("queued"))
        started.wait(5)
        threading.Timer(0.2, release.set).start()
        raise RuntimeError("the import failed")
    assert ran == ["slow"]  # the block ended only after the running write, and the queued one never ran


def test_sqlite_statements_stay_within_the_parameter_limit_of_the_connection(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's limit on parameters per statement")
    import sqlite3

    raw = connection.connection
    limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 100)  # as an old SQLite (999) would, smaller
    try:
        ids = list(range(1, 51))
        with CaptureQueriesContext(connection) as queries:
            ModelWriter(Business).insert_columns(
                {"id": ids, "name": [f"Usaha {i}" for i in ids], "region_id": "74.71", "kbli_version": "2020"}, 50
            )
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    width = len(Business._meta.concrete_fields)
    assert len(queries) == -(-50 // (100 // width))  # as many rows a statement as the limit allows
    assert sorted(Business.objects.values_list("id", flat=True)) == ids
