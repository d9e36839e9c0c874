"""Reading real spreadsheets: every quirk of agency files, and hostile files that must write nothing."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter

from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import
from sentra.core.importing.readers import FileRefused, inspect_file
from sentra.registry.models import Business, Owner
from tests.core.importing_helpers import HEADER, csv_bytes, good_rows


def _run(path: Path, user, **kwargs):
    return run_import(
        path=path, filename=path.name, kind=get_kind("business"), user=user, error_dir=path.parent, **kwargs
    )


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(",", "utf-8"), (";", "utf-8"), ("\t", "utf-8"), (";", "cp1252"), (",", "utf-8-sig")]
)
def test_csv_delimiters_and_encodings(db, officer_region_a, tmp_path, delimiter, encoding):
    rows = [HEADER, ["CV Kopi Café – Kendari", "Jl. Uji 1, Kel. Lepo Lepo, Kota Kendari", "31001", "3", "Rp 2.500.000"]]
    path = tmp_path / "usaha.csv"
    path.write_bytes(csv_bytes(rows, delimiter=delimiter, encoding=encoding))
    table = inspect_file(path, path.name)
    assert table.delimiter == delimiter
    outcome = _run(path, officer_region_a)
    assert outcome.committed, outcome.messages
    business = Business.objects.get()
    assert business.name == "Kopi Café – Kendari" and business.legal_form == "cv"
    assert business.turnover == Decimal("2500000") and business.village_id == "74.71.03.1002"


def test_messy_agency_spreadsheet_with_every_quirk(db, officer_region_a, tmp_path):
    """Built like the files agencies send: a merged title, the header on line 4 in mixed languages, a
    column-number row, blank and repeated header rows, extra columns, Indonesian numbers and dates, codes typed as
    numbers, NBSP and trailing spaces, '-' and '0' for "not filled", footnote marks, masked phones."""
    path = tmp_path / "DATA IKM KENDARI 2024.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("IKM")
    ws.merge_range(0, 0, 0, 12, "DATA INDUSTRI KECIL MENENGAH KOTA KENDARI TAHUN 2024")
    ws.merge_range(1, 0, 1, 12, "Dinas Tenaga Kerja dan Perindustrian")
    header = ["No", "Nama Perusahaan ", "Alamat", "KBLI", "TK L", "TK P", "Nilai Investasi (Rp)", "Omzet",
              "Tahun Berdiri", "Nama Pemilik", "NIK", "No. HP", "Keterangan", "Kapasitas"]  # fmt: skip
    ws.write_row(3, 0, header)
    ws.write_row(4, 0, [f"({i})" for i in range(1, 15)])
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    rows = [
        # 1: a clean row, numbers as numbers, KBLI typed as a number
        [
            1,
            "CV\u00a0Mebel Jati  ",
            "Jl. Poros 1, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari",
            31001,
            3,
            2,
            150000000,
            400000000,
            2015,
            "Budi Santoso",
            "7471031207850001",
            "0812-3456-7890",
            "binaan 2023",
            "105,915**",
        ],
        # 2: Indonesian-formatted text numbers, '-' and '0' as not filled, masked phone, suffix legal form
        [
            2,
            "Sinar Rotan, UD",
            "Jl. Rotan 2, Baruga, Kendari",
            "31002",
            "4",
            "-",
            "Rp 75.500.000",
            "1.234.567,50",
            "0",
            "Siti Aminah",
            "7471035507900002",
            "081*******",
            None,
            "-",
        ],
        # 3: KBLI that lost its leading zero (01111), address with "Kota" and district only
        [
            3,
            "PT. Tani Makmur",
            "Jl. Jagung, Kec. Baruga, Kota Kendari",
            1111,
            10,
            5,
            "1.000.000.000",
            "2.500.000.000",
            2010,
            None,
            None,
            None,
            None,
            None,
        ],
    ]
    r = 5
    for row in rows[:2]:
        ws.write_row(r, 0, row)
        r += 1
    r += 1  # blank row
    ws.write_row(r, 0, header)  # header repeated after a page break
    r += 1
    ws.write_row(r, 0, rows[2])
    r += 1
    # 4: a NIB in Excel's scientific notation: refused, not guessed
    ws.write_row(
        r, 0, [4, "Usaha Rusak", "Jl. X, Kota Kendari", "31001", 1, 1, None, None, None, None, None, None, None, None]
    )
    ws.write_string(r, 14, "")
    r += 1
    ws.write(r, 0, "*) Keterangan: data sementara")
    ws.write_datetime(r + 1, 14, dt.datetime(2024, 7, 19), date_fmt)  # stray cell far right, ignored
    wb.close()

    outcome = _run(path, officer_region_a, partial=True)
    assert outcome.total == 4, outcome.messages
    # row 4 has no problem except being sparse: it is accepted (name, address, KBLI)
    assert outcome.rejected == 0, outcome.messages
    mebel = Business.objects.get(name="Mebel Jati")
    assert mebel.legal_form == "cv" and mebel.kbli.code == "31001"
    assert mebel.workforce_male == 3 and mebel.workforce_female == 2
    assert mebel.investment_value == Decimal("150000000") and mebel.turnover == Decimal("400000000")
    assert mebel.production_capacity == Decimal("105.92")
    assert mebel.year_started == 2015 and mebel.village_id == "74.71.03.1002"
    # "No. HP" is the business's contact (a column named for the owner, "HP pemilik", would fill the owner's phone)
    assert mebel.phone == "+6281234567890"  # stored in the international form, shown masked
    rotan = Business.objects.get(name="Sinar Rotan")
    assert rotan.legal_form == "ud" and rotan.workforce_female is None and rotan.year_started is None
    assert rotan.investment_value == Decimal("75500000") and rotan.turnover == Decimal("1234567.50")
    assert rotan.district_id == "74.71.03"
    assert rotan.phone == "" and Owner.objects.get(nik="7471035507900002").phone == ""  # masked: unknown
    tani = Business.objects.get(name="Tani Makmur")
    assert tani.legal_form == "pt" and tani.kbli.code == "01111" and tani.district_id == "74.71.03"
    assert tani.size_class == "menengah"


def test_scientific_nib_and_rounded_nik_are_reported(db, officer_region_a, tmp_path):
    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["NIB", "Nama Usaha", "Alamat", "NIK Pemilik", "Nama Pemilik"])
    ws.write_row(1, 0, ["3,62012E+11", "Usaha A", "Kota Kendari", None, None])
    ws.write_row(2, 0, [None, "Usaha B", "Kota Kendari", 7471031207850001, "Ani"])
    wb.close()
    outcome = _run(path, officer_region_a)
    assert not outcome.committed and outcome.rejected == 2
    texts = [m["text"] for m in outcome.messages]
    assert "notasi ilmiah" in texts[0] and texts[0].startswith("NIB")
    assert "digit terakhirnya hilang" in texts[1]
    assert Business.objects.count() == 0


def test_sparse_rows_and_same_name_at_two_addresses(db, officer_region_a, tmp_path):
    path = tmp_path / "sparse.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["Nama", "Alamat", "KBLI"],
                ["Roti Ibu", "Kel. Lepo Lepo, Kota Kendari", "10710"],
                ["Roti Ibu", "Kel. Sanua, Kota Kendari", "10710"],
                ["Roti Bapak", "Jl. Tanpa Wilayah 3", ""],
            ]
        )
    )
    outcome = _run(path, officer_region_a, partial=True)
    assert outcome.valid == 2 and outcome.rejected == 1
    assert "Kabupaten/kota tidak dapat dipastikan" in outcome.messages[0]["text"]
    assert Business.objects.filter(name="Roti Ibu").count() == 2
    # With a default regency/city the third row is accepted, marked low confidence.
    outcome = _run(path, officer_region_a, options={"default_region": "74.71"})
    assert outcome.committed and outcome.stats.created == 1 and outcome.stats.unchanged == 2


def test_same_nib_at_two_addresses_is_one_business(db, officer_region_a, tmp_path):
    path = tmp_path / "nib.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["NIB", "Nama", "Alamat"],
                ["9120001234567", "Roti Ibu", "Kel. Lepo Lepo, Kota Kendari"],
                ["9120001234567", "Roti Ibu Cabang", "Kel. Sanua, Kota Kendari"],
            ]
        )
    )
    outcome = _run(path, officer_region_a)
    assert outcome.rejected == 1 and "Sama dengan baris 2" in outcome.messages[0]["text"]
    assert Business.objects.count() == 0


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


HOSTILE = {
    "macro_extension": ("data.xlsm", lambda p: _zip(p, {"[Content_Types].xml": b"<x/>"}), "macro"),
    "macro_inside_xlsx": (
        "data.xlsx",
        lambda p: _zip(p, {"[Content_Types].xml": b"<x/>", "xl/vbaProject.bin": b"x"}),
        "macro",
    ),
    "password": (
        "data.xlsx",
        lambda p: p.write_bytes(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le")
        ),
        "password",
    ),
    "zip_bomb": (
        "data.xlsx",
        lambda p: _zip(p, {"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": b"0" * 20_000_000}),
        "zip_bomb",
    ),
    "corrupt_zip": ("data.xlsx", lambda p: p.write_bytes(b"PK\x03\x04" + b"garbage" * 100), "corrupt"),
    "not_a_spreadsheet": ("data.xlsx", lambda p: p.write_bytes(b"%PDF-1.4 hello"), "corrupt"),
    "html_as_xls": ("data.xls", lambda p: p.write_bytes(b"<html><table><tr><td>1</td></tr></table></html>"), "corrupt"),
    "binary_csv": ("data.csv", lambda p: p.write_bytes(b"a,b\n\x00\x01\x02"), "corrupt"),
    "empty": ("data.csv", lambda p: p.write_bytes(b""), "empty"),
    "wrong_type": ("data.pdf", lambda p: p.write_bytes(b"%PDF"), "type"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_are_refused_with_a_clear_message(db, officer_region_a, tmp_path, case):
    name, build, code = HOSTILE[case]
    path = tmp_path / name
    build(path)
    with pytest.raises(FileRefused) as exc:
        _run(path, officer_region_a)
    assert exc.value.code == code
    assert exc.value.message and exc.value.message[0].isupper()
    assert Business.objects.count() == 0


def test_limits_from_settings(db, officer_region_a, tmp_path, settings):
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes([HEADER, *good_rows(12)]))
    settings.SENTRA_IMPORT_MAX_ROWS = 10
    with pytest.raises(FileRefused) as exc:
        _run(path, officer_region_a)
    assert exc.value.code == "too_many_rows"
    settings.SENTRA_IMPORT_MAX_ROWS = 1000
    settings.SENTRA_IMPORT_MAX_BYTES = 100
    with pytest.raises(FileRefused) as exc:
        _run(path, officer_region_a)
    assert exc.value.code == "too_large" and "MB" in exc.value.message
    assert Business.objects.count() == 0


def test_xlsx_read_from_calamine_keeps_types(db, officer_region_a, tmp_path):
    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["a", "b"])
    ws.write_row(1, 0, [7471, "x"])
    wb.close()
    rows = list(inspect_file(path, path.name).rows())
    assert rows[0] == (1, ["a", "b"]) and rows[1][1][0] == 7471


def test_csv_header_not_on_line_one(db, officer_region_a, tmp_path):
    path = tmp_path / "h.csv"
    buffer = io.StringIO()
    buffer.write("DAFTAR IKM;;;;\nPer 31 Desember 2024;;;;\n;;;;\n")
    path.write_bytes(buffer.getvalue().encode() + csv_bytes([HEADER, *good_rows(2)], delimiter=";"))
    outcome = _run(path, officer_region_a)
    assert outcome.committed and outcome.stats.created == 2


def _ods(path: Path, rows: list[list[object]]) -> Path:
    """A minimal OpenDocument spreadsheet, written by hand (LibreOffice's format)."""

    def cell(value: object) -> str:
        if isinstance(value, int | float):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Data">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def test_ods_files_are_read(db, officer_region_a, tmp_path):
    path = _ods(
        tmp_path / "ikm.ods",
        [
            ["Nama Usaha", "Alamat", "KBLI", "Omzet"],
            ["UD Ods Jaya", "Kel. Lepo Lepo, Kota Kendari", 31001, "1.500.000"],
        ],
    )
    outcome = _run(path, officer_region_a)
    assert outcome.committed, outcome.messages
    business = Business.objects.get()
    assert business.name == "Ods Jaya" and business.kbli.code == "31001" and business.turnover == Decimal("1500000")


def test_xls_files_written_by_excel_97_are_read(db, officer_region_a, tmp_path):
    """A real BIFF8 .xls (written by xlwt, as old Excel and many agency systems do): title, header on line 3,
    numbers typed as numbers (KBLI lost its leading zero), a date cell, a 16-digit NIK kept as text."""
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Data IKM")
    sheet.write_merge(0, 0, 0, 5, "DATA IKM KOTA KENDARI TAHUN 2024")
    header = ["Nama Usaha", "Alamat", "KBLI", "Tenaga Kerja Laki-laki", "Omzet", "NIK Pemilik", "Nama Pemilik"]
    for c, value in enumerate(header):
        sheet.write(2, c, value)
    rows = [
        ["CV Xls Lama", "Jl. Uji 1, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari", 1111, 4, 2500000.0,
         "7471031207850001", "Budi"],
        ["UD. Xls Baru", "Jl. Uji 2, Kel. Lepo Lepo, Kota Kendari", 31001, 2, "1.250.000,50", "", ""],
        ["Tanpa Kota", "Jl. Entah", 31001, 1, 5, "", ""],
    ]  # fmt: skip
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    path = tmp_path / "ikm-lama.xls"
    book.save(str(path))
    assert path.read_bytes().startswith(b"\xd0\xcf\x11\xe0")  # an OLE2 compound file, not XLSX renamed
    table = inspect_file(path, path.name)
    assert table.kind == "sheet"
    outcome = _run(path, officer_region_a, partial=True)
    assert outcome.committed and outcome.total == 3 and outcome.stats.created == 2
    assert [m["line"] for m in outcome.messages] == [6] and "Kabupaten/kota" in outcome.messages[0]["text"]
    old = Business.objects.get(name="Xls Lama")
    assert old.legal_form == "cv" and old.kbli.code == "01111" and old.workforce_male == 4
    assert old.turnover == Decimal("2500000") and old.village_id == "74.71.03.1002"
    assert old.owners.get().nik == "7471031207850001"
    new = Business.objects.get(name="Xls Baru")
    assert new.legal_form == "ud" and new.turnover == Decimal("1250000.50")
