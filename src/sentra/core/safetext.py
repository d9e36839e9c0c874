"""The one way user text goes into a document: PDF paragraphs, XLSX cells and CSV cells.

Text typed by users (a class name, a participant's name from a public application form, an activity description)
ends up in files that other programs interpret:

- reportlab's ``Paragraph`` reads its text as markup. ``<img src="/etc/passwd">`` would embed a file read from the
  server's disk, ``<font>`` and ``<a href>`` restyle the report and add links, and an unbalanced ``<b>`` stops the
  document with an error. :func:`pdf_text` escapes text so it is printed as typed; :func:`pdf_markup` fills our
  own markup templates with escaped values (as ``format_html`` does for HTML).
- Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (``=HYPERLINK`` sends
  data away, DDE runs commands), also after a leading tab or carriage return. In XLSX, text is always stored as a
  string cell, which a spreadsheet never evaluates: :func:`xlsx_workbook` opens xlsxwriter workbooks with its
  string-to-formula/URL/number guesses switched off and :func:`openpyxl_cell` keeps openpyxl from turning such text
  into a formula. CSV has no cell types, so :func:`csv_cell` puts an apostrophe before text that starts that way
  (OWASP's advice for CSV injection); spreadsheet programs show the apostrophe-led text as text.

Numbers, amounts and dates stay typed (a negative amount is a number, not text), so exports keep adding up.
Every writer of PDF, XLSX or CSV in Sentra goes through this module; ``tests/core/test_safe_text.py`` feeds each of
them hostile text and fails for a module that writes documents without being covered there.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from django.utils import timezone

#: A cell starting with one of these is run as a formula by spreadsheet programs (tab and CR are skipped first).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: xlsxwriter options that make ``write()`` store every ``str`` as a string cell: no formulas, links or numbers
#: guessed from text. Callers choose the rest (constant memory, in memory, date format).
XLSX_SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def formula_like(text: str) -> bool:
    """Whether a spreadsheet program would read ``text`` as a formula (or as one after a tab/CR)."""
    return text.startswith(FORMULA_PREFIXES)


# --- PDF (reportlab) -------------------------------------------------------------------------------------------


def pdf_text(value: Any, *, line_breaks: bool = False) -> str:
    """``value`` as reportlab paragraph text that prints exactly as typed (``<``, ``>`` and ``&`` escaped).

    Args:
        value: any value; ``None`` becomes an empty string.
        line_breaks: keep the text's line breaks (as ``<br/>``) instead of letting them flow as spaces.
    """
    text = escape("" if value is None else str(value))
    if line_breaks:
        text = text.replace("\r\n", "\n").replace("\n", "<br/>")
    return text


def pdf_markup(template: str, /, *args: Any, **kwargs: Any) -> str:
    """Our own paragraph markup (``"<b>{name}</b>"``) filled with values escaped by :func:`pdf_text`."""
    return template.format(*(pdf_text(a) for a in args), **{k: pdf_text(v) for k, v in kwargs.items()})


# --- XLSX --------------------------------------------------------------------------------------------------------


def xlsx_workbook(target: str | Path | IO[bytes], options: dict[str, Any] | None = None) -> Any:
    """An xlsxwriter ``Workbook`` in which ``write()``/``write_row()`` store text as text, never as a formula.

    Args:
        target: a path or a binary stream (pass ``{"in_memory": True}`` for a ``BytesIO``).
        options: further xlsxwriter options; the safety options always win.
    """
    import xlsxwriter

    return xlsxwriter.Workbook(
        target if not isinstance(target, Path) else str(target), {**(options or {}), **XLSX_SAFE_OPTIONS}
    )


def openpyxl_cell(sheet: Any, row: int, column: int, value: Any) -> Any:
    """``sheet.cell(row, column, value)`` for openpyxl, where text stays text.

    openpyxl stores any ``str`` starting with ``=`` as a formula and refuses control characters (an error, so a
    500, for a name pasted with one); here text is a string cell and control characters are dropped.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value:
        cell.data_type = "s"
    return cell


# --- CSV ---------------------------------------------------------------------------------------------------------


def csv_cell(value: Any) -> Any:
    """One CSV cell: numbers as plain numbers, dates as ISO dates (times in the local zone), text as typed, except
    that text a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
            if timezone.is_aware(value)
            else value.strftime("%Y-%m-%d %H:%M")
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if formula_like(text) else text


class SafeCsvWriter:
    """``csv.writer`` whose rows go through :func:`csv_cell`. ``writerow`` returns what the stream's ``write``
    returned, so a pass-through stream lets a streaming response yield each line."""

    def __init__(self, stream: Any, **fmtparams: Any) -> None:
        self._writer = csv.writer(stream, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: Any, **fmtparams: Any) -> SafeCsvWriter:
    return SafeCsvWriter(stream, **fmtparams)
