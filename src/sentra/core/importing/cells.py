"""Cell parsers for import columns: a spreadsheet cell (text, number, date or empty) in, a clean value out.

Each parser raises ``ValidationError`` with a plain-Indonesian message when the cell cannot be read, and returns
``None`` (or ``""`` for text) when the cell is empty or marked "not filled". They wrap ``sentra.core.parsing``,
which forms and the API use too, and add what only spreadsheets do: numbers typed as floats by Excel, codes
whose leading zeros Excel dropped (``1111`` for KBLI ``01111``), ``7471`` for ``74.71``, 16-digit NIKs that
Excel rounded, and ``3,62012E+11`` (refused, never guessed).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sentra.core.parsing import clean_text, parse_date, parse_number

Parser = Callable[[Any], Any]

#: Cells that mean "not filled" in every column.
EMPTY = frozenset({"", "-", "–", "—", "n/a", "N/A", "#N/A", "tidak ada", "Tidak ada", "null", "NULL"})
_SCIENTIFIC = re.compile(r"^\s*\d+([.,]\d+)?[eE][+-]?\d+\s*$")
_FOOTNOTE = re.compile(r"(?<=\S)[*†‡]+$")
_PLAIN = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+|\d+")


def is_empty(value: Any, extra: Iterable[str] = ()) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip()  # str.strip() also removes non-breaking spaces
        return text in EMPTY or (bool(extra) and clean_text(text) in extra)
    return False


def cell_text(value: Any) -> str:
    """A cell as text the way the user typed it: ``7471.0`` (Excel's float) becomes ``7471``."""
    if value.__class__ is str:
        # Already clean (the common case): no outer, repeated or non-breaking spaces, tabs or line breaks.
        if value.isprintable() and value == value.strip() and "  " not in value:
            return value
        return clean_text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean_text(value)


def text(max_length: int | None = None, *, strip_footnotes: bool = False) -> Parser:
    def parse(value: Any) -> str:
        result = cell_text(value)
        if strip_footnotes:
            result = _FOOTNOTE.sub("", result)
        if max_length is not None and len(result) > max_length:
            raise ValidationError(
                _("Teks terlalu panjang ({length} karakter, paling banyak {max}).").format(
                    length=len(result), max=max_length
                ),
                code="too_long",
            )
        return result

    return parse


def text_cut(max_length: int) -> Parser:
    """Free text that is shortened rather than refused (descriptions, commodity lists)."""

    def parse(value: Any) -> str:
        return cell_text(value)[:max_length]

    return parse


def number(*, min_value: Decimal | int | None = 0, max_digits: int = 18, decimal_places: int = 2) -> Parser:
    """``1.234.567,50``, ``Rp 2.500.000``, ``105,915**`` or an Excel number; None when empty."""

    def parse(value: Any) -> Decimal | None:
        if isinstance(value, str) and _PLAIN.fullmatch(value):
            # Fast path for the common shapes ("1250000", "1.250.000"); everything else goes through parse_number.
            result: Decimal | None = Decimal(value.replace(".", ""))
        else:
            result = parse_number(value)
        if result is None:
            return None
        try:
            result = result.quantize(Decimal(1).scaleb(-decimal_places)) if decimal_places else result
        except InvalidOperation:  # more digits than the decimal context holds (1e40, a float such as 1e300)
            raise ValidationError(_("Angka terlalu besar."), code="too_large") from None
        if min_value is not None and result < min_value:
            raise ValidationError(_("Nilai tidak boleh negatif."), code="negative")
        _sign, digits, exponent = result.as_tuple()
        # Digits before the decimal point; a positive exponent (an Excel number 1e20 read as 1E+20) counts too.
        if not isinstance(exponent, int) or len(digits) + exponent > max_digits - decimal_places:
            raise ValidationError(_("Angka terlalu besar."), code="too_large")
        return result

    return parse


def integer(*, min_value: int | None = 0, max_value: int | None = None) -> Parser:
    def parse(value: Any) -> int | None:
        result = (
            Decimal(value) if isinstance(value, str) and value.isdigit() and value.isascii() else parse_number(value)
        )
        if result is None:
            return None
        if result != result.to_integral_value():
            raise ValidationError(_("Harus bilangan bulat."), code="not_integer")
        number_ = int(result)
        if min_value is not None and number_ < min_value:
            raise ValidationError(_("Paling kecil {min}.").format(min=min_value), code="too_small")
        if max_value is not None and number_ > max_value:
            raise ValidationError(_("Paling besar {max}.").format(max=max_value), code="too_large")
        return number_

    return parse


def date() -> Parser:
    def parse(value: Any) -> dt.date | None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValidationError(
                _("Tanggal tersimpan sebagai angka ({value}); format sel sebagai tanggal.").format(value=value),
                code="date_number",
            )
        return parse_date(value)

    return parse


def digits(length: int, *, label: str, zero_pad: bool = False) -> Parser:
    """A numeric identifier of exactly ``length`` digits (NIK 16, NIB 13).

    Excel shows long numbers as ``3,62012E+11`` and keeps only 15 significant digits, so a scientific-notation
    text, or a float for a 16-digit code, is refused with a hint to format the column as text.
    """

    def parse(value: Any) -> str | None:
        if value.__class__ is str and len(value) == length and value.isdigit() and value.isascii():
            return value  # the common case, exactly what the checks below would return
        if value is None:
            return None
        if isinstance(value, float):
            if length > 15:
                raise ValidationError(
                    _(
                        "{label} tersimpan sebagai angka di Excel sehingga digit terakhirnya hilang; "
                        "format kolom sebagai Teks lalu ketik ulang."
                    ).format(label=label),
                    code="digits_float",
                )
            if not value.is_integer():
                raise ValidationError(_("{label} harus berupa angka saja.").format(label=label), code="digits")
            value = str(int(value))
        raw = clean_text(value)
        if raw in EMPTY:
            return None
        if _SCIENTIFIC.match(raw):
            raise ValidationError(
                _(
                    "{label} '{value}' tertulis dalam notasi ilmiah Excel dan digitnya tidak dapat dipastikan; "
                    "format kolom sebagai Teks lalu ketik ulang."
                ).format(label=label, value=raw),
                code="digits_scientific",
            )
        code = re.sub(r"[\s.\-']", "", raw)
        if not code.isdigit():
            raise ValidationError(_("{label} harus berupa angka saja.").format(label=label), code="digits")
        if zero_pad and len(code) < length:
            code = code.zfill(length)
        if len(code) != length:
            raise ValidationError(
                _("{label} harus {length} angka (tertulis {count}).").format(
                    label=label, length=length, count=len(code)
                ),
                code="digits_length",
            )
        return code

    return parse


def region_code(value: Any) -> str | None:
    """A Kemendagri code with or without dots: ``7471`` / ``74.71`` / ``7471031002`` → dotted form."""
    if value is None:
        return None
    if isinstance(value, float):
        # Excel turned 74.10 into 74.1: a two-digit part lost its trailing zero.
        whole, _sep, frac = repr(value).partition(".")
        value = whole if frac in ("0", "") else f"{whole}.{frac.ljust(2, '0')}"
    raw = clean_text(value)
    if raw in EMPTY:
        return None
    if _SCIENTIFIC.match(raw):
        raise ValidationError(
            _("Kode wilayah '{value}' tertulis dalam notasi ilmiah; format kolom sebagai Teks.").format(value=raw),
            code="region_scientific",
        )
    plain = raw.replace(".", "").replace(" ", "")
    if not plain.isdigit() or len(plain) not in (2, 4, 6, 10):
        raise ValidationError(
            _("Kode wilayah '{value}' tidak dikenali (contoh: 74.71 atau 74.71.03.1002).").format(value=raw),
            code="region_code",
        )
    parts = [plain[0:2], plain[2:4], plain[4:6], plain[6:10]]
    return ".".join(p for p in parts if p)


def choice(options: dict[str, str], *, label: str) -> Parser:
    """Map free text to a choice value; ``options`` maps lower-case spellings to values."""

    def parse(value: Any) -> str | None:
        raw = cell_text(value).lower().rstrip(".")
        if raw in ("", "-"):
            return None
        if raw in options:
            return options[raw]
        raise ValidationError(
            _("{label} '{value}' tidak dikenali. Pilihan: {choices}.").format(
                label=label, value=cell_text(value), choices=", ".join(sorted(set(options.values())))
            ),
            code="choice",
        )

    return parse


MASKED_PHONE = re.compile(r"[*xX•]{2,}")


def phone(value: Any) -> str | None:
    """An Indonesian phone number as digits (``+62`` kept); a masked number (``081*******``) is unknown (None)."""
    if value is None:
        return None
    raw = cell_text(value)
    if raw in EMPTY:
        return None
    if MASKED_PHONE.search(raw):
        return None
    if _SCIENTIFIC.match(raw):
        raise ValidationError(_("Nomor telepon tertulis dalam notasi ilmiah; format kolom sebagai Teks."))
    first = re.split(r"[/;,]| atau ", raw)[0]
    plus = first.strip().startswith("+")
    number_ = re.sub(r"\D", "", first)
    if isinstance(value, float) and not number_.startswith("0") and not number_.startswith("62"):
        number_ = "0" + number_  # Excel dropped the leading zero of 0812...
    if len(number_) < 6 or len(number_) > 15:
        raise ValidationError(_("Nomor telepon '{value}' tidak wajar.").format(value=raw), code="phone")
    return ("+" if plus else "") + number_
