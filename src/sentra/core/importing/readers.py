"""Reading uploaded spreadsheets safely: CSV (``,`` ``;`` tab; UTF-8 or Windows-1252), XLSX, XLS and ODS.

Before anything is parsed the file is inspected: size limit, macro-enabled workbooks (``.xlsm``,
``vbaProject.bin``), password-protected workbooks (an encrypted OLE container), zip bombs (total unpacked size
and compression ratio) and corrupt files are refused with a clear message. Nothing is written by a refused file.

Rows come out as ``(line_number, [cell, ...])`` where ``line_number`` is the row number the user sees in
Excel. CSV is streamed; XLS/ODS and ordinary XLSX are read with python-calamine (Rust; 10× faster than openpyxl,
but it holds one sheet in memory: about 1.7 bytes per byte of the sheet's XML). An XLSX whose sheet is larger
than :data:`STREAM_SHEET_BYTES` (a national register: a million rows are 0.9 GB in calamine) is streamed row by
row instead (:mod:`sentra.core.importing.xlsx`, same cell types), in a few tens of MB.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SPREADSHEET_EXTENSIONS = {".xlsx", ".xls", ".ods"}
TEXT_EXTENSIONS = {".csv", ".txt", ".tsv"}
MACRO_EXTENSIONS = {".xlsm", ".xltm", ".xlam", ".xlsb", ".ods#"}


class FileRefused(Exception):
    """The file cannot be imported at all; ``message`` says why in plain Indonesian."""

    def __init__(self, message: str, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = code


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


#: An XLSX sheet whose XML (unpacked) is larger than this is streamed instead of loaded whole by calamine.
STREAM_SHEET_BYTES = 64 << 20


@dataclass
class Table:
    path: Path
    kind: str  # "csv", "sheet" (calamine) or "xlsx_stream"
    encoding: str = ""
    delimiter: str = ""
    sheet_name: str = ""
    row_count: int = 0
    _sheet: Any = None

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        if self.kind == "csv":
            yield from self._csv_rows()
        else:
            yield from self._sheet_rows()

    def _csv_rows(self) -> Iterator[tuple[int, list[Any]]]:
        errors = "strict" if self.encoding == "utf-8-sig" else "replace"
        with open(self.path, encoding=self.encoding, errors=errors, newline="") as fh:
            reader = csv.reader(fh, delimiter=self.delimiter)
            # The row number a spreadsheet shows: Excel and LibreOffice open one record as one row, also when a
            # quoted cell holds line breaks, and a blank line as an empty row. ``reader.line_num`` counts physical
            # lines (the last line of the record): one multi-line cell would shift every later row number.
            number = 0
            try:
                for number, row in enumerate(reader, start=1):
                    yield number, row
            except UnicodeDecodeError:
                raise FileRefused(
                    _("Berkas CSV mencampur pengodean huruf (UTF-8 dan lainnya). Simpan ulang sebagai CSV UTF-8."),
                    "encoding",
                ) from None
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise FileRefused(_field_too_long_message(number + 1), "corrupt") from None
                raise FileRefused(
                    _("Berkas CSV rusak di baris {line}: {error}").format(line=number + 1, error=exc), "corrupt"
                ) from None

    def _sheet_rows(self) -> Iterator[tuple[int, list[Any]]]:
        if self.kind == "xlsx_stream":
            # Read again from the file for each pass (header search, preview, run): nothing is kept but the
            # shared strings.
            yield from self._sheet.rows()
            return
        # calamine parses the whole sheet once; keep it for the header search, the preview and the run.
        if self._sheet is None:
            self._sheet = _load_sheet(self.path)
        sheet, start = self._sheet
        # iter_rows() makes a new list for every row: no copy needed.
        yield from enumerate(sheet.iter_rows(), start=start + 1)


def _load_sheet(path: Path) -> tuple[Any, int]:
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = None
        for index, meta in enumerate(workbook.sheets_metadata):
            if str(getattr(meta, "visible", "")).lower().endswith("visible") or index == 0:
                candidate = workbook.get_sheet_by_index(index)
                if candidate.height > 0:
                    sheet = candidate
                    break
        if sheet is None:
            sheet = workbook.get_sheet_by_index(0)
    except PasswordError:
        raise FileRefused(
            _("Berkas dilindungi kata sandi. Buka kuncinya di Excel lalu unggah ulang."), "password"
        ) from None
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        message = str(exc).lower()
        if "password" in message or "encrypt" in message:
            raise FileRefused(
                _("Berkas dilindungi kata sandi. Buka kuncinya di Excel lalu unggah ulang."), "password"
            ) from None
        raise FileRefused(
            _("Berkas tidak dapat dibaca (rusak atau bukan lembar kerja). Simpan ulang sebagai XLSX atau CSV."),
            "corrupt",
        ) from None
    start = sheet.start[0] if sheet.start else 0
    return sheet, start


def inspect_file(path: Path | str, filename: str) -> Table:
    """Check an uploaded file and return a :class:`Table` to read it, or raise :class:`FileRefused`."""
    path = Path(path)
    ext = Path(filename).suffix.lower()
    size = path.stat().st_size
    limit = settings.SENTRA_IMPORT_MAX_BYTES
    if size > limit:
        raise FileRefused(
            _("Berkas terlalu besar ({size} MB; paling besar {limit} MB). Pecah menjadi beberapa berkas.").format(
                size=round(size / 1048576, 1), limit=limit // 1048576
            ),
            "too_large",
        )
    if size == 0:
        raise FileRefused(_("Berkas kosong."), "empty")
    if ext in MACRO_EXTENSIONS:
        raise FileRefused(
            _(
                "Berkas berisi makro ({ext}) tidak diterima. Simpan sebagai Buku Kerja Excel (.xlsx) lalu unggah ulang."
            ).format(ext=ext),
            "macro",
        )
    if ext not in SPREADSHEET_EXTENSIONS | TEXT_EXTENSIONS:
        raise FileRefused(
            _("Jenis berkas {ext} tidak didukung. Gunakan XLSX, XLS, ODS atau CSV.").format(ext=ext or "?"), "type"
        )
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    if head.startswith(OLE_MAGIC):
        return _inspect_ole(path, ext, head)
    if head.startswith(ZIP_MAGIC):
        return _inspect_zip(path, ext, size)
    if ext in SPREADSHEET_EXTENSIONS:
        if ext == ".xls" and (b"<html" in head[:2048].lower() or b"<table" in head[:4096].lower()):
            raise FileRefused(
                _("Berkas .xls ini sebenarnya halaman HTML. Buka di Excel lalu simpan sebagai XLSX."), "corrupt"
            )
        raise FileRefused(_("Berkas rusak atau bukan lembar kerja {ext}.").format(ext=ext), "corrupt")
    return _inspect_csv(path, head)


def _inspect_ole(path: Path, ext: str, head: bytes) -> Table:
    with open(path, "rb") as fh:
        data = fh.read(min(path.stat().st_size, 8 << 20))
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        raise FileRefused(_("Berkas dilindungi kata sandi. Buka kuncinya di Excel lalu unggah ulang."), "password")
    if _utf16("_VBA_PROJECT") in data:
        raise FileRefused(
            _("Berkas berisi makro tidak diterima. Simpan sebagai Buku Kerja Excel (.xlsx) lalu unggah ulang."), "macro"
        )
    if ext != ".xls":
        raise FileRefused(_("Isi berkas tidak sesuai dengan ekstensi {ext}.").format(ext=ext), "corrupt")
    return _sheet_table(path)


def _inspect_zip(path: Path, ext: str, size: int) -> Table:
    if ext not in (".xlsx", ".ods"):
        raise FileRefused(_("Isi berkas tidak sesuai dengan ekstensi {ext}.").format(ext=ext), "corrupt")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            unpacked = sum(i.file_size for i in infos)
            if any(i.filename.lower().endswith("vbaproject.bin") for i in infos):
                raise FileRefused(
                    _("Berkas berisi makro tidak diterima. Simpan sebagai Buku Kerja Excel (.xlsx) lalu unggah ulang."),
                    "macro",
                )
            if (
                unpacked > settings.SENTRA_IMPORT_MAX_UNZIPPED_BYTES
                or unpacked > size * settings.SENTRA_IMPORT_MAX_ZIP_RATIO
            ):
                raise FileRefused(
                    _("Berkas ditolak: isinya mengembang jauh melebihi ukurannya (kemungkinan bom zip)."), "zip_bomb"
                )
            if ext == ".xlsx" and "[Content_Types].xml" not in names:
                raise FileRefused(_("Berkas XLSX rusak (struktur tidak lengkap)."), "corrupt")
            if ext == ".ods" and "content.xml" not in names:
                raise FileRefused(_("Berkas ODS rusak (struktur tidak lengkap)."), "corrupt")
            largest_sheet = max(
                (i.file_size for i in infos if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")),
                default=0,
            )
    except zipfile.BadZipFile:
        raise FileRefused(_("Berkas rusak dan tidak dapat dibuka. Simpan ulang dari Excel."), "corrupt") from None
    if ext == ".xlsx" and largest_sheet > STREAM_SHEET_BYTES:
        return _streamed_table(path)
    return _sheet_table(path)


def _streamed_table(path: Path) -> Table:
    from sentra.core.importing.xlsx import XlsxSheet

    try:
        sheet = XlsxSheet(path)
    except (KeyError, ValueError, SyntaxError, zipfile.BadZipFile, zlib.error, EOFError):
        # ElementTree's ParseError is a SyntaxError; a damaged member is a zlib error or a BadZipFile.
        raise FileRefused(
            _("Berkas tidak dapat dibaca (rusak atau bukan lembar kerja). Simpan ulang sebagai XLSX atau CSV."),
            "corrupt",
        ) from None
    return Table(path=path, kind="xlsx_stream", sheet_name=sheet.name, row_count=sheet.height, _sheet=sheet)


def _sheet_table(path: Path) -> Table:
    loaded = _load_sheet(path)
    sheet = loaded[0]
    return Table(path=path, kind="sheet", sheet_name=sheet.name, row_count=sheet.height, _sheet=loaded)


def _field_too_long_message(line: int) -> str:
    return _(
        'Sel di baris {line} terlalu panjang (lebih dari {limit} karakter). Biasanya ada tanda kutip (") yang '
        "tidak ditutup, atau berkas ini bukan tabel CSV; perbaiki sel itu atau simpan ulang dari Excel sebagai CSV "
        "UTF-8."
    ).format(line=line, limit=f"{csv.field_size_limit():,}".replace(",", "."))


def _looks_like_utf16_without_bom(head: bytes) -> bool:
    """Text saved as UTF-16 without its byte-order mark: every other byte of ASCII text is a zero byte."""
    sample = head[:4096]
    if len(sample) < 8:
        return False
    zeros_even = sample[0::2].count(0) / len(sample[0::2])
    zeros_odd = sample[1::2].count(0) / len(sample[1::2])
    return max(zeros_even, zeros_odd) > 0.4 and min(zeros_even, zeros_odd) < 0.05


def _inspect_csv(path: Path, head: bytes) -> Table:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not head.startswith(codecs.BOM_UTF32_LE):
        # "Unicode Text" from Excel and many Windows tools: UTF-16 with a byte-order mark, usually tab-separated.
        return _inspect_utf16_csv(path, head)
    if b"\x00" in head and _looks_like_utf16_without_bom(head):
        raise FileRefused(
            _(
                "Berkas CSV ini tersimpan sebagai UTF-16 tanpa penanda urutan byte (BOM), sehingga tidak dapat "
                "dibaca dengan pasti. Buka di Excel lalu simpan ulang sebagai CSV UTF-8."
            ),
            "encoding",
        )
    encoding = "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        sample = decoder.decode(head, final=False)
    except UnicodeDecodeError:
        encoding = "cp1252"
        sample = head.decode("cp1252", errors="replace")
    sample = sample.lstrip("\ufeff")
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    delimiter = _sniff_delimiter(lines)
    # One pass over the bytes: the row count, and a NUL byte anywhere (a damaged or binary file; PostgreSQL cannot
    # store it in text and Python's csv would pass it on into the cells).
    rows = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            nul = chunk.find(b"\x00")
            if nul >= 0:
                raise FileRefused(_nul_message(rows + chunk.count(b"\n", 0, nul) + 1), "corrupt")
            rows += chunk.count(b"\n")
    return Table(path=path, kind="csv", encoding=encoding, delimiter=delimiter, row_count=rows + 1)


def _nul_message(line: int) -> str:
    return _(
        "Berkas CSV berisi karakter NUL (byte nol) di baris {line}. Berkas seperti ini biasanya rusak atau bukan "
        "teks; buka di Excel lalu simpan ulang sebagai CSV UTF-8."
    ).format(line=line)


def _inspect_utf16_csv(path: Path, head: bytes) -> Table:
    # Python's "utf-16" codec reads the byte-order mark and drops it; an odd byte count or a lone surrogate is an
    # encoding error (refused with the usual message when the rows are read).
    decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")
    sample = decoder.decode(head, final=False)
    if "\x00" in sample:
        raise FileRefused(_nul_message(sample.count("\n", 0, sample.index("\x00")) + 1), "corrupt")
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    delimiter = _sniff_delimiter(lines)
    rows = 0
    with open(path, encoding="utf-16", errors="replace", newline="") as fh:
        for chunk in iter(lambda: fh.read(1 << 19), ""):
            nul = chunk.find("\x00")
            if nul >= 0:
                raise FileRefused(_nul_message(rows + chunk.count("\n", 0, nul) + 1), "corrupt")
            rows += chunk.count("\n")
    return Table(path=path, kind="csv", encoding="utf-16", delimiter=delimiter, row_count=rows + 1)


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits most lines into the same, largest number of fields."""
    best, best_score = ",", -1.0
    for delim in (",", ";", "\t", "|"):
        counts = []
        try:
            for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delim):
                counts.append(len(row))
        except csv.Error:
            # A cell longer than the csv module's limit (or a quote left open) in the sample: judge by the rows
            # before it; reading the file then stops at that row with a clear message.
            pass
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        if common < 2:
            continue
        score = counts.count(common) * common
        if score > best_score:
            best, best_score = delim, score
    return best
