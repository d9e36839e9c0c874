"""``sentra import KIND FILE [--dry-run] [--partial]``: the same engine and result as the web import."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from sentra.registry.models import Business
from tests.core.importing_helpers import HEADER, csv_bytes, good_rows

pytestmark = pytest.mark.django_db


def _file(tmp_path, rows):
    path = tmp_path / "usaha.csv"
    path.write_bytes(csv_bytes([HEADER, *rows]))
    return path


def test_dry_run_writes_nothing(tmp_path):
    out = io.StringIO()
    call_command("import", "business", str(_file(tmp_path, good_rows(4))), "--dry-run", stdout=out)
    assert "4 baris dibaca, 4 benar, 0 ditolak" in out.getvalue() and "--dry-run" in out.getvalue()
    assert Business.objects.count() == 0


def test_the_summary_writes_numbers_the_indonesian_way(tmp_path):
    out = io.StringIO()
    call_command("import", "business", str(_file(tmp_path, good_rows(1200))), "--dry-run", stdout=out)
    summary = out.getvalue()
    assert "1.200 baris dibaca, 1.200 benar, 0 ditolak" in summary
    assert re.search(r"\(\d+,\d detik, [\d.]+ baris/detik\)", summary), summary  # 0,4 detik, 3.000 baris/detik


def test_all_or_nothing_and_partial(tmp_path, officer_region_a):
    rows = good_rows(4)
    rows[2] = [*rows[2][:4], "bukan angka"]
    path = _file(tmp_path, rows)
    with pytest.raises(CommandError, match="1 dari 4 baris bermasalah"):
        call_command("import", "business", str(path), "--user", officer_region_a.username, stdout=io.StringIO())
    assert Business.objects.count() == 0
    assert (tmp_path / "usaha-ditolak.xlsx").exists()
    out = io.StringIO()
    call_command("import", "business", str(path), "--partial", "--user", officer_region_a.username, stdout=out)
    assert "3 baru" in out.getvalue() and "baris 4: Hasil penjualan" in out.getvalue()
    assert Business.objects.count() == 3


def test_scope_applies_to_the_cli_user(tmp_path, officer_region_b):
    with pytest.raises(CommandError, match="luar wilayah kewenangan"):
        call_command(
            "import",
            "business",
            str(_file(tmp_path, good_rows(2))),
            "--user",
            officer_region_b.username,
            stdout=io.StringIO(),
        )
    assert Business.objects.count() == 0


def test_unknown_kind_and_refused_file(tmp_path):
    with pytest.raises(CommandError, match="tidak dikenal"):
        call_command("import", "nope", str(_file(tmp_path, good_rows(1))))
    bad = tmp_path / "x.xlsm"
    bad.write_bytes(b"PK\x03\x04")
    with pytest.raises(CommandError, match="makro"):
        call_command("import", "business", str(bad))
