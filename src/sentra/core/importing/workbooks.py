"""Workbooks the import engine hands out: the rejected-rows file and the per-kind template."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from sentra.core.importing.kinds import ImportKind
from sentra.core.safetext import xlsx_workbook

ERROR_HEADER = "Keterangan galat"


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value == value.to_integral_value() or abs(value) < Decimal("1e15") else str(value)
    return value


class RejectedRowsWriter:
    """Streams refused rows into an XLSX (constant memory): the original header and cells, the line number they
    had, and an error column, so the user can fix them and upload the file again."""

    def __init__(self, directory: Path, headers: list[str]):
        handle = tempfile.NamedTemporaryFile(dir=directory, suffix=".xlsx", delete=False)
        handle.close()
        self.path = Path(handle.name)
        # The file's own headers and cells come back as text, never as formulas (core.safetext).
        self.workbook = xlsx_workbook(self.path, {"constant_memory": True, "default_date_format": "dd/mm/yyyy"})
        self.headers = headers
        self.width = len(headers)
        self.sheet = self._sheet(_("Baris ditolak"), ERROR_HEADER, "#F8D7DA")
        self.row = 1
        # Rows saved with a warning (partial mode) go to their own sheet, made when the first one comes.
        self.warnings: Any = None
        self.warning_row = 1
        self.closed = False

    def _sheet(self, name: str, message_header: str, colour: str) -> Any:
        sheet = self.workbook.add_worksheet(name)
        bold = self.workbook.add_format({"bold": True, "bg_color": colour})
        sheet.write_row(0, 0, [*self.headers, message_header, _("Baris asal")], bold)
        sheet.set_column(self.width, self.width, 60)
        return sheet

    def add(self, raw: list[Any], message: str, line: int) -> None:
        self._write(self.sheet, self.row, raw, message, line)
        self.row += 1

    def warn(self, raw: list[Any], message: str, line: int) -> None:
        """A row that was saved, with what the user should still check (e.g. a KBLI code kept as typed)."""
        if self.warnings is None:
            self.warnings = self._sheet(_("Disimpan dengan peringatan"), _("Peringatan"), "#FFF3CD")
        self._write(self.warnings, self.warning_row, raw, message, line)
        self.warning_row += 1

    def _write(self, sheet: Any, row: int, raw: list[Any], message: str, line: int) -> None:
        cells = list(raw[: self.width]) + [None] * max(0, self.width - len(raw))
        for col, value in enumerate(cells):
            if value is None or value == "":
                continue
            if isinstance(value, dt.datetime | dt.date):
                sheet.write_datetime(row, col, value)
            elif isinstance(value, str):
                sheet.write_string(row, col, value)
            else:
                sheet.write(row, col, value)
        sheet.write_string(row, self.width, message)
        sheet.write_number(row, self.width + 1, line)

    def close(self) -> Path:
        if not self.closed:
            self.workbook.close()
            self.closed = True
        return self.path

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


def template_workbook(kind: ImportKind, path: Path) -> Path:
    """The template of a kind: headers, one example row, a help row, and a sheet per list of valid codes."""
    workbook = xlsx_workbook(path, {"default_date_format": "dd/mm/yyyy"})
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    required = workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True})
    textfmt = workbook.add_format({"num_format": "@"})
    note = workbook.add_format({"italic": True, "font_color": "#555555", "text_wrap": True})
    sheet = workbook.add_worksheet(_("Data"))
    for col, column in enumerate(kind.columns):
        sheet.write_string(0, col, str(column.label), required if column.required else bold)
        # Codes are text so Excel keeps leading zeros and all 16 digits of a NIK.
        sheet.set_column(col, col, max(14, len(column.label) + 2), textfmt)
        example = column.example
        if isinstance(example, str):
            sheet.write_string(1, col, example)
        elif example is not None:
            sheet.write(1, col, _cell(example))
    sheet.freeze_panes(1, 0)
    guide = workbook.add_worksheet(_("Petunjuk"))
    guide.set_column(0, 0, 30)
    guide.set_column(1, 1, 40)
    guide.set_column(2, 2, 90)
    guide.write_row(0, 0, [_("Kolom"), _("Nama lain yang dikenali"), _("Keterangan")], bold)
    for row, column in enumerate(kind.columns, start=1):
        guide.write_string(row, 0, str(column.label) + (" *" if column.required else ""))
        guide.write_string(row, 1, ", ".join(column.aliases[:6]))
        guide.write_string(row, 2, str(column.help), note)
    last = len(kind.columns) + 2
    guide.write_string(last, 0, _("* wajib diisi. Baris 2 lembar Data adalah contoh: hapus sebelum mengunggah."), note)
    if kind.natural_key_help:
        guide.write_string(last + 1, 0, str(kind.natural_key_help), note)
    for name, (headers, rows) in kind.code_sheets().items():
        codes = workbook.add_worksheet(str(name)[:31])
        codes.write_row(0, 0, [str(h) for h in headers], bold)
        codes.set_column(0, 0, 16)
        codes.set_column(1, len(headers), 50)
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values):
                codes.write_string(r, c, str(value))
    workbook.close()
    return path
