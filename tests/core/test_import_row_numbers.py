"""Row numbers in import messages, the preview and the rejected-rows file are the rows a spreadsheet shows.

Excel and LibreOffice open a CSV record as one row, also when a quoted cell holds line breaks; an XLSX row is its
sheet row. A multi-line address must not shift the number of every later row.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from sentra.core.importing import get_kind
from sentra.core.importing.engine import Layout, find_header, preview, run_import, suggest_mapping
from sentra.core.importing.kinds import ImportContext
from sentra.core.importing.readers import Table, inspect_file
from tests.core.importing_helpers import HEADER, csv_bytes, good_rows

# Cells with what breaks naive line counting: line breaks of every kind, quotes, delimiters.
CELL = st.lists(st.sampled_from([*'ab Z9",;\t', "\n", "\r", "\r\n", "é"]), max_size=8).map("".join)


def _write_csv(rows: list[list[str]], path: Path, terminator: str) -> None:
    """As Excel saves a CSV: a cell with a comma, a quote or any line break is quoted, quotes doubled."""

    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value

    path.write_bytes("".join(",".join(map(cell, row)) + terminator for row in rows).encode("utf-8"))


def _sheet_row_numbers(rows: list[list[str]], path: Path) -> list[int]:
    """What a spreadsheet shows for the same table: write it as XLSX and read each row's number back."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    sheet.write_string(len(rows), 0, "akhir")  # a last filled row, so calamine keeps trailing empty rows
    workbook.close()
    data = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    return list(range(1, len(data)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=25),
    terminator=st.sampled_from(["\r\n", "\n"]),
)
def test_every_csv_record_is_numbered_as_the_row_it_starts_in_a_spreadsheet(tmp_path, rows, terminator):
    path = tmp_path / "acak.csv"
    _write_csv(rows, path, terminator)
    table = Table(path=path, kind="csv", encoding="utf-8-sig", delimiter=",")
    read = list(table.rows())
    # Each record comes back whole, with its own number: the row where it starts in the spreadsheet.
    assert [cells for _n, cells in read] == [row if row != [""] else [] for row in rows]
    assert [n for n, _cells in read] == list(range(1, len(rows) + 1))
    assert [n for n, _cells in read] == _sheet_row_numbers(rows, tmp_path / "acak.xlsx")


def test_csv_with_multiline_cells_keeps_later_row_numbers(tmp_path):
    path = tmp_path / "alamat.csv"
    path.write_bytes(b'Nama,Alamat\r\nA,"Jl. Satu\r\nKel. Lepo Lepo\r\nKota Kendari"\r\n\r\nB,"x\ny"\r\nC,z\r\n')
    numbers = [(n, cells[0] if cells else "") for n, cells in inspect_file(path, path.name).rows()]
    assert numbers == [(1, "Nama"), (2, "A"), (3, ""), (4, "B"), (5, "C")]


def _multiline_file(path: Path) -> Path:
    """A header, then rows whose address spans 3 lines; spreadsheet rows 4 and 7 have a bad turnover."""
    rows = [HEADER]
    for i, row in enumerate(good_rows(8)):
        row[1] = row[1].replace(", Kel.", ",\nKel.").replace(", Kota", ",\r\nKota")
        if i in (2, 5):
            row[4] = "banyak"
        rows.append(row)
    path.write_bytes(csv_bytes(rows))
    return path


def test_messages_preview_and_rejected_rows_use_spreadsheet_rows(db, officer_region_a, tmp_path):
    from python_calamine import CalamineWorkbook

    path = _multiline_file(tmp_path / "usaha.csv")
    kind = get_kind("business")
    outcome = run_import(
        path=path, filename=path.name, kind=kind, user=officer_region_a, partial=True, error_dir=tmp_path
    )
    assert outcome.committed and outcome.stats.created == 6
    assert [m["line"] for m in outcome.messages] == [4, 7]
    sheet = CalamineWorkbook.from_path(str(outcome.error_path)).get_sheet_by_index(0).to_python()
    assert sheet[0][-1] == "Baris asal"
    assert [int(r[-1]) for r in sheet[1:]] == [4, 7]

    table = inspect_file(path, path.name)
    header_line, headers = find_header(table, kind)
    results = preview(
        table, Layout(header_line, headers, suggest_mapping(headers, kind)), ImportContext(officer_region_a, kind)
    )
    assert [r.line for r in results] == list(range(2, 10))
    assert [r.line for r in results if not r.ok] == [4, 7]


def test_xlsx_rows_are_sheet_rows(db, officer_region_a, tmp_path):
    """Titles above the header and a multi-line cell: the number is the sheet's row number."""
    path = tmp_path / "usaha.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data")
    sheet.write_string(0, 0, "DAFTAR IKM\nTAHUN 2024")
    sheet.write_row(2, 0, HEADER)
    for r, row in enumerate(good_rows(5), start=3):
        if r == 5:
            row[4] = "banyak"
        row[1] = row[1].replace(", Kel.", ",\nKel.")
        sheet.write_row(r, 0, row)
    workbook.close()
    outcome = run_import(
        path=path,
        filename=path.name,
        kind=get_kind("business"),
        user=officer_region_a,
        partial=True,
        error_dir=tmp_path,
    )
    assert [m["line"] for m in outcome.messages] == [6]
