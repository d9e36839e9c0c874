"""Indonesian number, money and date formatting, independent of the active locale's settings."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from num2words import num2words

#: Indonesian month names, January first (dates in documents and period labels are written out in Indonesian
#: whatever the page's language).
MONTH_NAMES = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def format_number(value: object, decimals: int = 0) -> str:
    """``1234567.5`` -> ``1.234.567,5`` (with ``decimals=1``)."""
    if value is None or value == "":
        return "–"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    quant = Decimal(1).scaleb(-decimals)
    number = number.quantize(quant, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, frac = f"{abs(number):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{frac}" if decimals and frac else f"{sign}{grouped}"


def format_rupiah(value: object, decimals: int = 0) -> str:
    """``Rp1.234.567`` (the Indonesian style: no space, dot as thousands separator)."""
    if value is None or value == "":
        return "–"
    text = format_number(value, decimals)
    if text.startswith("-"):
        return "-Rp" + text[1:]
    return "Rp" + text


#: Compact units for charts and tiles, the way Indonesian reports write them (ribu, juta, miliar, triliun).
COMPACT_UNITS = ((Decimal(10) ** 12, "T"), (Decimal(10) ** 9, "M"), (Decimal(10) ** 6, "jt"), (Decimal(10) ** 3, "rb"))


def format_compact(value: object) -> str:
    """``1234567890`` -> ``1,2 M``; ``350000000`` -> ``350 jt``; ``15000`` -> ``15 rb``; below a thousand as is.

    One decimal while the number of units is below 10 (``1,2 M``), none above (``350 jt``); a whole number of
    units shows no decimal (``5 M``)."""
    if value is None or value == "":
        return "–"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    for size, unit in COMPACT_UNITS:
        if abs(number) >= size:
            scaled = number / size
            decimals = 1 if abs(scaled) < 10 and scaled != scaled.to_integral_value() else 0
            return f"{_trim(format_number(scaled, decimals))} {unit}"
    return format_number(number, 0 if number == number.to_integral_value() else 1)


def format_rupiah_compact(value: object) -> str:
    """``Rp1,2 M`` for tiles and chart labels (``rupiah`` gives the full amount)."""
    text = format_compact(value)
    if text == "–":
        return text
    return "-Rp" + text[1:] if text.startswith("-") else "Rp" + text


def format_percent(value: object, decimals: int = 1) -> str:
    """``82.94`` -> ``82,9%`` (no space before the sign; a whole number without decimals: ``100%``)."""
    if value is None or value == "":
        return "–"
    return f"{_trim(format_number(value, decimals))}%"


def _trim(text: str) -> str:
    """``100,0`` -> ``100`` (a zero fraction says nothing)."""
    whole, sep, frac = text.partition(",")
    return whole if sep and not frac.strip("0") else text


def terbilang(value: object) -> str:
    """Amount in Indonesian words for official documents: ``1500000`` -> ``satu juta lima ratus ribu rupiah``."""
    number = Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    words = num2words(int(number), lang="id")
    return f"{words} rupiah"
