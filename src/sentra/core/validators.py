"""Validators and normalisers for Indonesian identifiers (docs/domain.md §7).

Each returns the normalised value or raises ``ValidationError`` with an Indonesian message and a stable code.
They are pure functions, so the forms, the import engine and the API share them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# ASCII only: str.isdigit() and \d also accept "²" or Arabic-Indic digits, which int() and the DB reject.
_DIGITS = re.compile(r"[^0-9]+")
NIB_RE = re.compile(r"^[0-9]{13}$")
_ASCII_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class NikInfo:
    """What a NIK's digits say (docs/domain.md §7: PP KK CC DD MM YY NNNN)."""

    nik: str
    region_code: str  # "74.71.03": where the NIK was first registered, softly checked only
    birth_day: int
    birth_month: int
    birth_year_2: int
    gender: str  # "L" or "P"
    serial: str

    def birth_date(self, today: dt.date | None = None) -> dt.date | None:
        """The birth date; the century is the latest one that puts it in the past."""
        today = today or dt.date.today()  # noqa: DTZ011 - a calendar date, no time zone involved
        year = 2000 + self.birth_year_2
        if year > today.year:
            year -= 100
        try:
            return dt.date(year, self.birth_month, self.birth_day)
        except ValueError:
            return None


def nik_parse(value: str) -> NikInfo:
    """Check a NIK's structure strictly (not its region part, which may be an old code)."""
    nik = re.sub(r"[\s.\-]", "", str(value or ""))
    if not _ASCII_DIGITS.fullmatch(nik) or len(nik) != 16:
        raise ValidationError(_("NIK harus terdiri dari 16 angka."), code="nik_length")
    day, month, year, serial = int(nik[6:8]), int(nik[8:10]), int(nik[10:12]), nik[12:]
    gender = "L"
    if day > 40:
        day -= 40
        gender = "P"
    if not 1 <= day <= 31:
        raise ValidationError(
            _("NIK tidak valid: digit 7–8 (tanggal lahir) harus 01–31, atau 41–71 untuk perempuan."),
            code="nik_day",
        )
    if not 1 <= month <= 12:
        raise ValidationError(_("NIK tidak valid: digit 9–10 (bulan lahir) harus 01–12."), code="nik_month")
    if serial == "0000":
        raise ValidationError(_("NIK tidak valid: 4 digit terakhir (nomor urut) tidak boleh 0000."), code="nik_serial")
    try:
        dt.date(2000, month, day)  # a leap year, so 29 February is allowed
    except ValueError:
        raise ValidationError(
            _("NIK tidak valid: tanggal lahir {day}/{month} tidak ada.").format(day=day, month=month),
            code="nik_date",
        ) from None
    region = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
    return NikInfo(nik, region, day, month, year, gender, serial)


def validate_nik(value: str) -> None:
    nik_parse(value)


def normalize_nik(value: str) -> str:
    return nik_parse(value).nik


def mask_nik(value: str | None) -> str:
    """``7471********0001``: the region and serial stay, the birth date is hidden (docs/domain.md §8)."""
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)


def normalize_nib(value: str) -> str:
    nib = re.sub(r"[\s.\-]", "", str(value or ""))
    if not NIB_RE.match(nib):
        raise ValidationError(_("NIB harus terdiri dari 13 angka."), code="nib_format")
    return nib


def validate_nib(value: str) -> None:
    normalize_nib(value)


def normalize_phone(value: str) -> str:
    """Indonesian phone numbers in any common format, as E.164 ``+62…``.

    Accepts ``0812-3456-7890``, ``62812…``, ``+62 812 …``, ``(0401) 312345``. Mobile numbers are 9–13 digits
    after the leading 0, landlines 7–11 with their area code.
    """
    raw = str(value or "").strip()
    if not raw:
        raise ValidationError(_("Nomor telepon kosong."), code="phone_empty")
    if "*" in raw:
        raise ValidationError(_("Nomor telepon tersamar (mengandung *), tidak dapat dipakai."), code="phone_masked")
    if re.search(r"[^0-9\s+()\-./]", raw):
        raise ValidationError(
            _("Nomor telepon hanya boleh berisi angka, spasi, +, -, titik dan kurung."), code="phone_chars"
        )
    digits = _DIGITS.sub("", raw)
    if raw.startswith("+") and not digits.startswith("62"):
        raise ValidationError(_("Hanya nomor telepon Indonesia (+62) yang diterima."), code="phone_country")
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        raise ValidationError(_("Nomor telepon harus diawali 0, 62 atau +62."), code="phone_prefix")
    if national.startswith("0"):
        raise ValidationError(_("Nomor telepon tidak valid."), code="phone_prefix")
    if national.startswith("8"):
        if not 9 <= len(national) <= 12:
            raise ValidationError(_("Nomor ponsel harus 10–13 angka (diawali 08)."), code="phone_length")
    elif not 7 <= len(national) <= 10:
        raise ValidationError(_("Nomor telepon rumah/kantor harus 8–11 angka dengan kode area."), code="phone_length")
    return "+62" + national


def mask_phone(value: str | None) -> str:
    """``+62812*****890``."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 9) + value[-3:]


def normalize_kbli_code(value: str) -> str:
    """A 5-digit KBLI kelompok code; leading zeros lost by spreadsheets are restored (``1111`` -> ``01111``)."""
    code = str(value or "").strip().replace(".", "")
    if _ASCII_DIGITS.fullmatch(code) and len(code) == 4:
        code = "0" + code
    if not (_ASCII_DIGITS.fullmatch(code) and len(code) == 5):
        raise ValidationError(_("Kode KBLI harus 5 angka (kelompok KBLI 2020)."), code="kbli_format")
    return code
