"""Indonesian number, money and date formatting, independent of the active locale's settings."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from num2words import num2words


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


def terbilang(value: object) -> str:
    """Amount in Indonesian words for official documents: ``1500000`` -> ``satu juta lima ratus ribu rupiah``."""
    number = Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    words = num2words(int(number), lang="id")
    return f"{words} rupiah"
