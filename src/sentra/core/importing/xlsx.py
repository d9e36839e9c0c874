"""Reading an XLSX sheet row by row, in constant memory.

python-calamine parses a whole sheet into memory before the first row comes out: 1,000,000 rows of a register
took 0.9 GB in the worker. This reader streams the sheet's XML out of the zip in chunks of 1 MB and yields each
row as soon as it is complete, with the cell types calamine gives (so the rest of the engine sees no difference):
text as ``str``, numbers as ``float``, booleans as ``bool``, cells with a date or time format as ``date``,
``datetime`` or ``time``, empty and error cells as ``""``. Only the shared-strings table (each distinct text
once) is held for the whole read.

The sheet's XML is matched with regular expressions rather than an XML parser: an XLSX sheet is machine-written,
flat (``row`` → ``c`` → ``v``/``is``/``f``), and Python's parsers cost one callback per element, four times
calamine's time for a million rows; the regular expressions run in C over whole rows.
"""

from __future__ import annotations

import codecs
import datetime
import html
import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree as ET

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_ROW = re.compile(r"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL = re.compile(r"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')
_VALUE = re.compile(r"<(?:\w+:)?v(?:\s[^>]*)?>(.*?)</(?:\w+:)?v>", re.S)
_TEXT = re.compile(r"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>", re.S)
_PHONETIC = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_DIMENSION = re.compile(r'<(?:\w+:)?dimension\b[^>]*\bref="([^"]*)"')
_ROW_NUMBER = re.compile(r'\br="(\d+)"')
_ROW_END = re.compile(r"</(?:\w+:)?row>|<(?:\w+:)?row\b[^>]*/>")
_LETTERS = re.compile(r"[A-Z]+")
#: The cells most writers produce (Excel, LibreOffice, xlsxwriter, openpyxl: attributes r, s, t in this order; a
#: plain value or one inline text): matched whole in C. A row where this finds fewer cells than it has is read
#: again with the general expressions above.
_FAST_CELL = re.compile(
    r'<c r="([A-Z]+)\d+"(?: s="(\d+)")?(?: t="(\w+)")?(?:/>|>(?:<v>|<is><t>)([^<]*)(?:</v>|</t></is>)</c>)'
)

#: Built-in number formats that show a date and/or a time (ECMA-376 §18.8.30; 27–36 and 50–58 are the East Asian
#: date formats), and the ones that show a duration.
_DATE_FORMATS = {*range(14, 23), *range(27, 37), 45, 47, *range(50, 59)}
_DURATION_FORMATS = {46}
_CHUNK = 1 << 20


def _unescape(text: str) -> str:
    if "&" in text:
        text = html.unescape(text)
    if "_x" in text:
        text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def _column_index(ref: str, cache: dict[str, int]) -> int:
    letters = _LETTERS.match(ref)
    key = letters.group(0) if letters else ""
    index = cache.get(key)
    if index is None:
        index = 0
        for char in key:
            index = index * 26 + ord(char) - 64
        index = cache[key] = index - 1
    return index


def _format_kind(code: str) -> str:
    """``"date"`` for a number format that shows a date or a time, ``"duration"`` for [h]:mm, else ``""``."""
    plain = re.sub(r'"[^"]*"|\\.|_.|\*.', "", code)
    brackets = re.findall(r"\[([^\]]*)\]", plain)
    if any(b.lower() in ("h", "hh", "m", "mm", "s", "ss") for b in brackets):
        return "duration"
    plain = re.sub(r"\[[^\]]*\]", "", plain).lower()
    if plain.startswith("general"):
        return ""
    return "date" if re.search(r"[dmyhs]", plain) else ""


class XlsxSheet:
    """The first visible sheet of an XLSX workbook with cells, read as a stream."""

    def __init__(self, path: Any):
        self.path = path
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            workbook = ET.fromstring(archive.read("xl/workbook.xml"))
            rels = self._rels(archive, "xl/_rels/workbook.xml.rels")
            properties = workbook.find(f"{NS}workbookPr")
            self.epoch = (
                datetime.datetime(1904, 1, 1)  # noqa: DTZ001 -- sheet times have no zone (nor have calamine's)
                if properties is not None and properties.get("date1904") in ("1", "true")
                else datetime.datetime(1899, 12, 30)  # noqa: DTZ001
            )
            sheets = []
            for sheet in workbook.iter(f"{NS}sheet"):
                target = rels.get(sheet.get(f"{REL_NS}id") or "", "")
                member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                if member in names:
                    sheets.append((sheet.get("name") or "", sheet.get("state") or "visible", member))
            if not sheets:
                raise ValueError("workbook without sheets")
            self.styles = self._styles(archive) if "xl/styles.xml" in names else []
            self._strings_member = next(
                (posixpath.normpath(f"xl/{t}") for t in rels.values() if t.endswith("sharedStrings.xml")),
                "xl/sharedStrings.xml",
            )
            if self._strings_member not in names:
                self._strings_member = ""
            chosen = sheets[0]
            for index, sheet_info in enumerate(sheets):
                if (sheet_info[1] == "visible" or index == 0) and self._has_cells(archive, sheet_info[2]):
                    chosen = sheet_info
                    break
            self.name, _state, self.member = chosen
            self.height = self._dimension_rows(archive, self.member)
        self._strings: list[str] | None = None

    @staticmethod
    def _rels(archive: zipfile.ZipFile, member: str) -> dict[str, str]:
        try:
            root = ET.fromstring(archive.read(member))
        except KeyError:
            return {}
        return {rel.get("Id") or "": rel.get("Target") or "" for rel in root.iter(f"{PKG_REL_NS}Relationship")}

    @staticmethod
    def _styles(archive: zipfile.ZipFile) -> list[str]:
        """For each cell style (``s`` attribute): ``"date"``, ``"duration"`` or ``""``."""
        root = ET.fromstring(archive.read("xl/styles.xml"))
        custom = {}
        for fmt in root.iter(f"{NS}numFmt"):
            try:
                custom[int(fmt.get("numFmtId") or -1)] = _format_kind(fmt.get("formatCode") or "")
            except ValueError:
                continue
        kinds = []
        xfs = root.find(f"{NS}cellXfs")
        for xf in xfs.findall(f"{NS}xf") if xfs is not None else []:
            try:
                number = int(xf.get("numFmtId") or 0)
            except ValueError:
                number = 0
            if number in custom:
                kinds.append(custom[number])
            elif number in _DATE_FORMATS:
                kinds.append("date")
            elif number in _DURATION_FORMATS:
                kinds.append("duration")
            else:
                kinds.append("")
        return kinds

    @staticmethod
    def _head(archive: zipfile.ZipFile, member: str, size: int = 1 << 16) -> str:
        with archive.open(member) as fh:
            return fh.read(size).decode("utf-8", errors="replace")

    def _has_cells(self, archive: zipfile.ZipFile, member: str) -> bool:
        for _line, cells in self._rows(archive, member, strings=False):
            if any(c != "" for c in cells):
                return True
        return False

    def _dimension_rows(self, archive: zipfile.ZipFile, member: str) -> int:
        found = _DIMENSION.search(self._head(archive, member))
        if not found:
            return 0
        last = found.group(1).split(":")[-1]
        digits = last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ$").replace("$", "")
        return int(digits) if digits.isdigit() else 0

    def _shared_strings(self, archive: zipfile.ZipFile) -> list[str]:
        if not self._strings_member:
            return []
        strings: list[str] = []
        parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("end",))
        si, t, rph = f"{NS}si", f"{NS}t", f"{NS}rPh"
        with archive.open(self._strings_member) as fh:
            for chunk in iter(lambda: fh.read(_CHUNK), b""):
                parser.feed(chunk)
                events: Iterator[Any] = parser.read_events()  # (event, element): only "end" was asked for
                for _event, element in events:
                    if isinstance(element, ET.Element) and element.tag == si:
                        parts = [element.findtext(t) or ""] if element.find(t) is not None else []
                        if not parts:
                            parts = [r.findtext(t) or "" for r in element if r.tag != rph]
                        strings.append(_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), "".join(parts)))
                        element.clear()
        return strings

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """``(sheet row number, [cell, ...])`` for every row that has cells; each row starts at column A."""
        with zipfile.ZipFile(self.path) as archive:
            if self._strings is None:
                self._strings = self._shared_strings(archive)
            yield from self._rows(archive, self.member, strings=True)

    def _rows(self, archive: zipfile.ZipFile, member: str, *, strings: bool) -> Iterator[tuple[int, list[Any]]]:
        shared = self._strings if strings and self._strings is not None else []
        styles, epoch = self.styles, self.epoch
        columns: dict[str, int] = {}
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        cell_re, attr_re, fast_re = _CELL, _ATTR, _FAST_CELL
        dated = {str(i) for i, kind in enumerate(styles) if kind}  # styles that turn a number into a date or time
        number = 0
        pending = ""
        with archive.open(member) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                text = pending + decoder.decode(chunk, final=not chunk)
                if chunk:
                    # Only whole rows: keep what follows the last row's end for the next chunk.
                    cut = _last_row_end(text)
                    if cut < 0:
                        pending = text
                        continue
                    pending, text = text[cut:], text[:cut]
                for row_attrs, body in _ROW.findall(text):
                    found = _ROW_NUMBER.search(row_attrs)
                    number = int(found.group(1)) if found else number + 1
                    values: list[Any] = []
                    if not body:
                        yield number, values
                        continue
                    fast = fast_re.findall(body)
                    if len(fast) == body.count("<c"):
                        append = values.append
                        for letters, style, kind, text in fast:
                            column = columns.get(letters)
                            if column is None:
                                column = _column_index(letters, columns)
                            if column != len(values):
                                if column < len(values):
                                    break  # cells out of order: read the row the careful way
                                values.extend([""] * (column - len(values)))
                            if not kind:  # a number, or a date by its style
                                if style in dated:
                                    append(self._value({"s": style}, f"<v>{text}</v>", shared, styles, epoch))
                                elif text:
                                    try:
                                        append(float(text))
                                    except ValueError:
                                        append("")
                                else:
                                    append("")
                            elif kind == "s":
                                try:
                                    append(shared[int(text)])
                                except (ValueError, IndexError):
                                    append("")
                            elif kind == "inlineStr" or kind == "str":
                                append(_unescape(text) if "&" in text or "_x" in text else text)
                            else:
                                append(self._value({"t": kind, "s": style}, f"<v>{text}</v>", shared, styles, epoch))
                        else:
                            yield number, values
                            continue
                        values = []
                    for attrs, inner in cell_re.findall(body):
                        a = dict(attr_re.findall(attrs)) if attrs else {}
                        ref = a.get("r")
                        column = _column_index(ref, columns) if ref else len(values)
                        if column < len(values):
                            values[column] = self._value(a, inner, shared, styles, epoch)
                            continue
                        if column > len(values):
                            values.extend([""] * (column - len(values)))
                        values.append(self._value(a, inner, shared, styles, epoch))
                    yield number, values
                if not chunk:
                    return

    @staticmethod
    def _value(a: dict[str, str], inner: str, shared: list[str], styles: list[str], epoch: Any) -> Any:
        kind = a.get("t", "n")
        if kind == "inlineStr":
            if "<rPh" in inner:
                inner = _PHONETIC.sub("", inner)
            return _unescape("".join(_TEXT.findall(inner)))
        found = _VALUE.search(inner) if inner else None
        if found is None:
            return ""
        raw = found.group(1)
        if kind == "s":
            try:
                return shared[int(raw)]
            except (ValueError, IndexError):
                return ""
        if kind == "n":
            try:
                value = float(raw)
            except ValueError:
                return ""
            style = a.get("s")
            if style and styles:
                try:
                    fmt = styles[int(style)]
                except (ValueError, IndexError):
                    fmt = ""
                if fmt == "date":
                    return _excel_date(value, epoch)
                if fmt == "duration":
                    return datetime.timedelta(milliseconds=round(value * 86_400_000))
            return value
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind in ("str", "s"):
            return _unescape(raw)
        if kind == "d":
            try:
                return datetime.datetime.fromisoformat(raw.strip().rstrip("Z"))
            except ValueError:
                return _unescape(raw)
        return ""  # "e": an error value (#DIV/0!, #N/A): empty, as calamine reads it


def _last_row_end(text: str) -> int:
    """Where the last complete row of ``text`` ends, or -1."""
    start = max(0, len(text) - 65536)
    while True:
        ends = list(_ROW_END.finditer(text, start))
        if ends:
            return ends[-1].end()
        if start == 0:
            return -1
        start = 0


def _excel_date(value: float, epoch: datetime.datetime) -> Any:
    """An Excel serial number as calamine gives it: a time below one day, a date on a whole day, else a datetime
    (to the millisecond)."""
    if 0 <= value < 1:
        midnight = datetime.datetime(1900, 1, 1)  # noqa: DTZ001 -- a time of day only
        moment = midnight + datetime.timedelta(milliseconds=round(value * 86_400_000))
        return moment.time()
    if epoch.year == 1899 and value < 60:
        value += 1  # Excel counts 29 February 1900, which did not exist
    moment = epoch + datetime.timedelta(milliseconds=round(value * 86_400_000))
    if moment.time() == datetime.time(0):
        return moment.date()
    return moment
