"""The import result counts every refused row by reason, names regions, and the CLI speaks of its own flags."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import
from sentra.core.models import Job, JobState
from sentra.registry.models import Business
from tests.core.importing_helpers import HEADER, csv_bytes, good_rows, upload

pytestmark = pytest.mark.django_db


def _bad_file(tmp_path, *, turnover=130, workforce=20, good=10):
    """``turnover`` rows with a bad turnover, ``workforce`` with a bad workforce, then ``good`` good rows."""
    rows = good_rows(turnover + workforce + good)
    for i in range(turnover):
        rows[i][4] = f"kira-kira {i} juta"
    for i in range(turnover, turnover + workforce):
        rows[i][3] = "banyak"
    path = tmp_path / "usaha.csv"
    path.write_bytes(csv_bytes([HEADER, *rows]))
    return path


def test_reasons_are_counted_over_every_row_not_only_the_listed_ones(tmp_path, officer_region_a, settings):
    settings.SENTRA_IMPORT_BATCH_SIZE = 40  # the tally spans batches
    path = _bad_file(tmp_path)
    outcome = run_import(
        path=path,
        filename=path.name,
        kind=get_kind("business"),
        user=officer_region_a,
        partial=True,
        error_dir=tmp_path,
    )
    result = outcome.as_result()
    reasons = result["reasons"]
    assert [(r["count"], r["column"]) for r in reasons] == [
        (130, "Hasil penjualan per tahun (Rp)"),
        (20, "Tenaga kerja laki-laki"),
    ]
    # The messages differ only in the value quoted; one reason, an example message and the first rows.
    assert "kira-kira 0 juta" in reasons[0]["example"] and reasons[0]["lines"] == [2, 3, 4, 5, 6]
    assert reasons[1]["lines"][0] == 132
    assert result["rejected"] == 150 and result["created"] == 10


def test_the_result_page_shows_the_counts_of_all_rows(client, officer_region_a, django_capture_on_commit_callbacks):
    rows = good_rows(160)
    for i in range(150):
        rows[i][4] = "banyak"
    client.force_login(officer_region_a)
    client.post(reverse("registry:business_import"), {"file": upload("usaha.csv", csv_bytes([HEADER, *rows]))})
    job = Job.objects.latest("id")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:import_preview", args=[job.pk]), {"mode": "partial"})
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.result["rejected"] == 150
    body = client.get(job.get_absolute_url()).content.decode()
    reasons = body.split('data-testid="job-reasons"')[1].split("</table>")[0]
    assert re.search(r">150</td>\s*<td>Hasil penjualan per tahun \(Rp\)", reasons), reasons
    # The row list stops at 100 and says so; the count above covers all 150.
    assert "100 pertama dari 150" in body


def test_an_out_of_scope_row_names_both_regions(tmp_path, officer_region_a):
    rows = [*good_rows(2), ["CV Jauh", "Jl. Kaliurang, Kabupaten Sleman, DI Yogyakarta", "31001", "2", "1.000.000"]]
    path = tmp_path / "usaha.csv"
    path.write_bytes(csv_bytes([HEADER, *rows]))
    outcome = run_import(
        path=path, filename=path.name, kind=get_kind("business"), user=officer_region_a, error_dir=tmp_path
    )
    assert outcome.out_of_scope == 1 and Business.objects.count() == 0
    text = outcome.messages[0]["text"]
    assert "Kabupaten Sleman (34.04)" in text and "Kota Kendari (74.71)" in text, text
    assert "Kota Kendari (74.71)" in outcome.refused


def test_cli_messages_name_the_cli_flag(tmp_path, officer_region_a):
    path = _bad_file(tmp_path, turnover=3, workforce=0, good=2)
    with pytest.raises(CommandError) as refused:
        call_command("import", "business", str(path), "--user", officer_region_a.username, stdout=io.StringIO())
    assert "--partial" in str(refused.value) and "simpan baris yang benar saja" not in str(refused.value)
    out = io.StringIO()
    call_command("import", "business", str(path), "--partial", "--user", officer_region_a.username, stdout=out)
    assert "Alasan terbanyak" in out.getvalue() and "3 baris — Hasil penjualan" in out.getvalue()


def test_the_web_refusal_names_the_page_choice(tmp_path, officer_region_a):
    path = _bad_file(tmp_path, turnover=1, workforce=0, good=2)
    outcome = run_import(
        path=path, filename=path.name, kind=get_kind("business"), user=officer_region_a, error_dir=tmp_path
    )
    assert '"simpan baris yang benar saja"' in outcome.refused and "--partial" not in outcome.refused


def test_cli_help_lists_every_kind_on_its_own_line(capsys):
    from sentra.core.importing import all_kinds

    with pytest.raises(SystemExit):
        call_command("import", "--help")
    help_text = capsys.readouterr().out
    for kind in all_kinds():
        assert re.search(rf"^  {re.escape(kind.key)} +{re.escape(str(kind.label))}$", help_text, re.M), help_text
    assert "--partial" in help_text
