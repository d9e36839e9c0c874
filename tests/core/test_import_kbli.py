"""KBLI in the business import: messages quote the code as typed, a 4-digit code is read at its KBLI 2020 level,
and a code KBLI 2020 does not have is a warning in both modes: the row is kept, the code stored as typed."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from python_calamine import CalamineWorkbook

from sentra.core.importing import get_kind
from sentra.core.importing.engine import Layout, find_header, preview, run_import, suggest_mapping
from sentra.core.importing.kinds import ImportContext
from sentra.core.importing.readers import inspect_file
from sentra.registry.models import Business
from tests.core.importing_helpers import HEADER, csv_bytes, good_rows

pytestmark = pytest.mark.django_db


def _file(tmp_path, kblis):
    rows = good_rows(len(kblis))
    for row, kbli in zip(rows, kblis, strict=True):
        row[2] = kbli
    path = tmp_path / "usaha.csv"
    path.write_bytes(csv_bytes([HEADER, *rows]))
    return path


def _run(path, user, **kwargs):
    return run_import(
        path=path, filename=path.name, kind=get_kind("business"), user=user, error_dir=path.parent, **kwargs
    )


def _errors(outcome):
    return {m["line"]: m["errors"].get("kbli", "") for m in outcome.messages}


def test_a_four_digit_code_is_read_at_its_own_level(tmp_path, officer_region_a):
    # 1013 is a subgolongan with one kelompok (10130); 1111 is no subgolongan: kelompok 01111 without its zero.
    outcome = _run(_file(tmp_path, ["1013", "1111", "31001"]), officer_region_a)
    assert outcome.committed, outcome.messages
    codes = dict(Business.objects.values_list("name", "kbli__code"))
    assert codes == {"Usaha Uji 0": "10130", "Usaha Uji 1": "01111", "Usaha Uji 2": "31001"}


def test_the_preview_says_how_a_subgolongan_was_read(tmp_path, officer_region_a):
    path = _file(tmp_path, ["1013"])
    kind = get_kind("business")
    table = inspect_file(path, path.name)
    line, headers = find_header(table, kind)
    [row] = preview(table, Layout(line, headers, suggest_mapping(headers, kind)), ImportContext(officer_region_a, kind))
    assert row.ok and any("KBLI 1013 (subgolongan) dibaca sebagai kelompok 10130" in n for n in row.notes), row.notes


def test_a_subgolongan_with_several_kelompok_asks_for_one(tmp_path, officer_region_a):
    outcome = _run(_file(tmp_path, ["1021", "1029"]), officer_region_a)
    assert not outcome.committed and Business.objects.count() == 0
    errors = _errors(outcome)
    assert errors[2] == (
        "KBLI 1021 adalah subgolongan (4 digit); pilih kelompok 5 digit: 10211, 10212, 10213, 10214, 10215, 10216…."
    )
    assert "10291" in errors[3] and "01029" not in errors[3]


def test_digits_that_fit_two_levels_are_not_guessed(tmp_path, officer_region_a):
    outcome = _run(_file(tmp_path, ["1411"]), officer_region_a)
    message = _errors(outcome)[2]
    assert "subgolongan 1411" in message and "kelompok 01411" in message


def test_messages_quote_the_code_as_typed(tmp_path, officer_region_a):
    outcome = _run(_file(tmp_path, ["9998", "99999", "123", "31.00.1x", "99.999"]), officer_region_a)
    errors = _errors(outcome)
    assert errors[2].startswith("KBLI '9998' tidak ada dalam KBLI 2020") and "09998" not in errors[2]
    assert errors[3].startswith("KBLI '99999' tidak ada dalam KBLI 2020")
    assert errors[4] == "KBLI '123' tertulis 3 digit; tulis kode kelompok 5 digit (contoh: 31001)."
    assert errors[6].startswith("KBLI '99.999' tidak ada dalam KBLI 2020")  # with its dot, as typed


def test_an_unknown_code_is_a_warning_in_both_modes(tmp_path, officer_region_a):
    # All or nothing: the unknown code does not refuse the file (the row is valid), it is a warning.
    outcome = _run(_file(tmp_path, ["99999", "31001"]), officer_region_a)
    assert outcome.committed and outcome.stats.created == 2 and outcome.warned == 1 and outcome.rejected == 0
    kept = Business.objects.get(name="Usaha Uji 0")
    assert (kept.kbli_id, kept.kbli_unmatched) == (None, "99999")


def test_an_unknown_code_is_a_warning_when_saving_the_valid_rows(tmp_path, officer_region_a):
    path = _file(tmp_path, ["99999", "31001", "1021"])
    outcome = _run(path, officer_region_a, partial=True)
    assert outcome.committed and outcome.stats.created == 2 and outcome.warned == 1 and outcome.rejected == 1
    kept = Business.objects.get(name="Usaha Uji 0")
    assert kept.kbli_id is None and kept.kbli_unmatched == "99999"
    warning = next(m for m in outcome.messages if m.get("warning"))
    assert (
        warning["line"] == 2 and "KBLI '99999' tidak ada dalam KBLI 2020; usaha disimpan tanpa KBLI" in warning["text"]
    )
    reasons = {(r["severity"], r["column"]): r["count"] for r in outcome.as_result()["reasons"]}
    assert reasons == {("warning", "KBLI"): 1, ("error", "KBLI"): 1}
    workbook = CalamineWorkbook.from_path(str(outcome.error_path))
    assert workbook.sheet_names == ["Baris ditolak", "Disimpan dengan peringatan"]
    warned = workbook.get_sheet_by_name("Disimpan dengan peringatan").to_python()
    assert warned[1][2] == "99999" and "tidak ada dalam KBLI 2020" in warned[1][len(HEADER)]
    assert int(warned[1][len(HEADER) + 1]) == 2


def test_the_cli_reports_unknown_codes_as_warnings(tmp_path, officer_region_a):
    path = _file(tmp_path, ["99999", "31001"])
    out = io.StringIO()
    call_command("import", "business", str(path), "--user", officer_region_a.username, stdout=out)
    assert "(peringatan, tetap disimpan)" in out.getvalue() and "2 baru" in out.getvalue()
    assert Business.objects.get(kbli_unmatched="99999").kbli_id is None


def test_every_kelompok_typed_without_its_leading_zero_is_found_unless_it_is_also_a_subgolongan():
    from sentra.regions.models import Kbli
    from sentra.registry.imports import KbliLookup

    lookup = KbliLookup()
    subgolongan = set(Kbli.objects.filter(version="2020", level=4).values_list("code", flat=True))
    zero_led = Kbli.objects.filter(version="2020", level=5, code__startswith="0")
    assert zero_led.count() > 200
    for kbli in zero_led:
        pk, message, unknown, _note = lookup.resolve(kbli.code[1:])
        if kbli.code[1:] in subgolongan:
            assert pk is None and f"kelompok {kbli.code}" in message
        else:
            assert (pk, message, unknown) == (kbli.pk, "", False), kbli.code
