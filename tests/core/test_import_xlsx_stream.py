"""The streamed XLSX reader (large sheets) gives the rows and cell types calamine gives, and an import through it
saves the same businesses and audit trail as one through calamine."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from sentra.core.importing import get_kind, readers
from sentra.core.importing.engine import run_import
from sentra.core.importing.readers import FileRefused, inspect_file
from sentra.core.importing.xlsx import XlsxSheet
from sentra.core.models import AuditEvent
from sentra.registry.models import Business
from tests.core.importing_helpers import HEADER, good_rows


def _calamine_rows(path: Path) -> list[tuple[int, list[object]]]:
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return [(n, _trim(row)) for n, row in enumerate(sheet.iter_rows(), start=1) if any(v != "" for v in row)]


def _streamed_rows(path: Path) -> list[tuple[int, list[object]]]:
    return [(n, _trim(row)) for n, row in XlsxSheet(path).rows() if any(v != "" for v in row)]


def _trim(row: list[object]) -> list[object]:
    row = list(row)
    while row and row[-1] == "":
        row.pop()
    return row


def _typed(rows: list[tuple[int, list[object]]]) -> list[tuple[int, list[tuple[str, object]]]]:
    """Cells with their types. Calamine starts every row at the sheet's first used column, the streamed reader at
    column A (as Excel shows it): the empty columns in front of all rows are left out of the comparison."""
    lead = min((next(i for i, v in enumerate(row) if v != "") for _n, row in rows), default=0)
    return [(n, [(type(v).__name__, v) for v in row[lead:]]) for n, row in rows]


@pytest.mark.parametrize("constant_memory", [False, True], ids=["shared_strings", "inline_strings"])
def test_every_cell_type_as_calamine_reads_it(tmp_path, constant_memory):
    path = tmp_path / "jenis.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    sheet = book.add_worksheet("Data")
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    stamp = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    clock = book.add_format({"num_format": "hh:mm:ss"})
    percent = book.add_format({"num_format": "0.00%"})
    rupiah = book.add_format({"num_format": '#,##0 "Rp"'})
    sheet.write_row(2, 1, ["a", 7471, 3.5, True, 'x & <y> "z"', None, "akhir"])
    sheet.write_datetime(3, 1, dt.datetime(2024, 3, 1), date)
    sheet.write_datetime(3, 2, dt.datetime(2024, 3, 1, 13, 30), stamp)
    sheet.write_datetime(3, 3, dt.datetime(1900, 1, 1, 13, 30), clock)
    sheet.write_number(3, 4, 0.25, percent)
    sheet.write_number(3, 5, 1234567, rupiah)
    sheet.write_formula(3, 6, '="ab"&"c"', None, "abc")
    sheet.write_formula(3, 7, "=1/0", None, "#DIV/0!")
    sheet.write_number(5, 2, 9100000000000)
    sheet.write_number(5, 4, 1e20)
    sheet.write_string(5, 5, "  spasi  ")
    sheet.write_string(6, 0, "kolom A")
    sheet.write_boolean(6, 1, False)
    sheet.write_string(6, 2, "dua\nbaris")
    sheet.write_string(7, 3, "Café – Kendari ✓")
    book.close()
    assert _typed(_streamed_rows(path)) == _typed(_calamine_rows(path))


CELL = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.text(alphabet="<>&\"' _x0D;", max_size=8),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.none(),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=6), min_size=1, max_size=8), inline=st.booleans())
def test_any_cells_read_as_calamine_reads_them(tmp_path, rows, inline):
    path = tmp_path / "acak.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": inline, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(r * 2, c, value)  # every other row empty: row numbers must hold
            elif value is not None:
                sheet.write(r * 2, c, value)
    book.close()
    assert _typed(_streamed_rows(path)) == _typed(_calamine_rows(path))


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Data")
    sheet.write_string(0, 0, "DAFTAR IKM KOTA KENDARI")
    for r, row in enumerate(rows, start=2):
        sheet.write_row(r, 0, row)
    book.close()
    return path


def _import(path: Path, user) -> tuple[list[tuple], list[tuple], list[str]]:
    Business.objects.all().delete()
    AuditEvent.objects.all().delete()
    outcome = run_import(
        path=path, filename=path.name, kind=get_kind("business"), user=user, partial=True, error_dir=path.parent
    )
    businesses = list(
        Business.objects.order_by("name").values_list(
            "name", "legal_form", "address", "village_id", "kbli_id", "workforce_male", "turnover"
        )
    )
    audit = list(AuditEvent.objects.order_by("id").values_list("action", "object_repr", "actor_name", "region_id"))
    return businesses, audit, [m["text"] for m in outcome.messages]


def test_streamed_import_saves_what_calamine_import_saves(db, officer_region_a, tmp_path, monkeypatch):
    rows = good_rows(12)
    rows[4][2] = "banyak"  # a bad KBLI: the same refusal either way
    rows[7][1] = ""  # no address
    path = _workbook(tmp_path / "usaha.xlsx", [HEADER, *rows])
    assert inspect_file(path, path.name).kind == "sheet"
    by_calamine = _import(path, officer_region_a)
    monkeypatch.setattr(readers, "STREAM_SHEET_BYTES", 0)
    assert inspect_file(path, path.name).kind == "xlsx_stream"
    by_stream = _import(path, officer_region_a)
    assert by_stream == by_calamine
    assert len(by_stream[0]) == 10 and by_stream[2]


def test_streamed_sheet_reports_sheet_row_numbers(db, officer_region_a, tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "STREAM_SHEET_BYTES", 0)
    rows = good_rows(4)
    rows[2][4] = "mahal"
    path = _workbook(tmp_path / "usaha.xlsx", [HEADER, *rows])
    outcome = run_import(
        path=path, filename=path.name, kind=get_kind("business"), user=officer_region_a, partial=True,
        error_dir=tmp_path,
    )  # fmt: skip
    assert [m["line"] for m in outcome.messages] == [6]  # title, blank, header on 3, data from 4
    assert outcome.stats.created == 3


def test_damaged_streamed_sheet_is_refused_clearly(db, officer_region_a, tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "STREAM_SHEET_BYTES", 0)
    good = _workbook(tmp_path / "baik.xlsx", [HEADER, *good_rows(2)])
    broken = tmp_path / "rusak.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = data[: len(data) // 2]
            dst.writestr(info, data)
    with pytest.raises(FileRefused) as exc:
        inspect_file(broken, broken.name)
    assert exc.value.code == "corrupt" and "Simpan ulang" in exc.value.message
