"""Parsers for numbers and dates as Indonesians write them (forms, imports and the API share them).

``1.234.567,50`` and ``Rp 2.500.000`` are numbers; ``19 Juli 2022`` and ``19/07/2022`` are dates. Ambiguous or
Excel-mangled values (``3,62012E+11``) are refused, never guessed .
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NBSP = "\u00a0"
MONTHS = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "feb": 2,
    "pebruari": 2,
    "february": 2,
    "maret": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "october": 10,
    "november": 11,
    "nov": 11,
    "nopember": 11,
    "desember": 12,
    "des": 12,
    "dec": 12,
    "december": 12,
}
_FOOTNOTE = re.compile(r"[*†‡#]+$")
_SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?[eE][+-]?\d+$")


def clean_text(value: object) -> str:
    """Trim, fold non-breaking and repeated spaces."""
    if value is None:
        return ""
    return " ".join(str(value).replace(NBSP, " ").split())


def parse_number(value: object, *, empty_markers: tuple[str, ...] = ("-", "–", "—")) -> Decimal | None:
    """An Indonesian-formatted number, or None when empty or marked as not filled.

    Dots group thousands and the comma is the decimal mark (``1.234.567,50``). A value with a single dot
    followed by one, two or more-than-three digits (``2.5``) is read as a decimal point, the way spreadsheets
    export it; exactly three digits after a lone dot (``1.500``) are thousands, as Indonesians write them.
    """
    if isinstance(value, bool):
        raise ValidationError(_("Bukan angka."), code="number_invalid")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
        if not number.is_finite():  # NaN/inf from a spreadsheet cell is not an amount
            raise ValidationError(_("Bukan angka."), code="number_invalid")
        return number
    text = clean_text(value)
    if text in ("", *empty_markers):
        return None
    text = _FOOTNOTE.sub("", text)
    text = re.sub(r"^(rp\.?|idr)\s*", "", text, flags=re.IGNORECASE)
    text = text.replace(" ", "")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.startswith("-"):
        negative, text = True, text[1:]
    if _SCIENTIFIC.match(text):
        raise ValidationError(
            _(
                "Angka dalam notasi ilmiah ({value}) tidak dapat dipastikan; format sel sebagai angka/teks penuh."
            ).format(value=clean_text(value)),
            code="number_scientific",
        )
    text = re.sub(r",-$", "", text)  # "Rp 2.500.000,-"
    if not re.fullmatch(r"[\d.,]+", text) or not re.search(r"\d", text):
        raise ValidationError(_("'{value}' bukan angka.").format(value=clean_text(value)), code="number_invalid")
    if "," in text:
        if text.count(",") > 1:
            raise ValidationError(_("'{value}' bukan angka.").format(value=clean_text(value)), code="number_invalid")
        whole, frac = text.split(",")
        if "." in whole and not re.fullmatch(r"\d{1,3}(\.\d{3})+", whole):
            raise ValidationError(
                _("Pemisah ribuan pada '{value}' tidak teratur.").format(value=clean_text(value)),
                code="number_grouping",
            )
        text = whole.replace(".", "") + "." + frac
    elif text.count(".") > 1:
        if not re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
            raise ValidationError(
                _("Pemisah ribuan pada '{value}' tidak teratur.").format(value=clean_text(value)),
                code="number_grouping",
            )
        text = text.replace(".", "")
    elif "." in text:
        whole, frac = text.split(".")
        if len(frac) == 3 and whole and whole != "0":
            text = whole + frac
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("'{value}' bukan angka.").format(value=clean_text(value)), code="number_invalid"
        ) from None
    return -number if negative else number


def parse_date(value: object) -> dt.date | None:
    """``19 Juli 2022``, ``19/07/2022``, ``19-07-2022``, ``2022-07-19`` or a spreadsheet date; None when empty."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean_text(value)
    if text in ("", "-", "–"):
        return None
    low = text.lower().replace(",", " ")
    low = re.sub(r"^(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu)\s+", "", low)
    try:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?", low)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", low)
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        m = re.fullmatch(r"(\d{1,2})[\s\-]+([a-z]+)\.?[\s\-]+(\d{4})", low)
        if m and m[2] in MONTHS:
            return dt.date(int(m[3]), MONTHS[m[2]], int(m[1]))
    except ValueError:
        raise ValidationError(
            _("Tanggal '{value}' tidak ada di kalender.").format(value=text), code="date_invalid"
        ) from None
    raise ValidationError(
        _("'{value}' bukan tanggal yang dikenali (contoh: 19 Juli 2022 atau 19/07/2022).").format(value=text),
        code="date_invalid",
    )
