"""Certificate numbers checked by kind where their structure is known (docs/domain.md §5).

A P-IRT number has 15 digits, written ``P-IRT No. 1234567890123-45``:

- d1 packaging code (1 gelas, 2 plastik, 3 karton/kertas, 4 kaleng, 5 alu-foil, 6 lain-lain, 7 komposit, 8 ganda);
- d2–3 food type code; d4–7 province + regency/city code; d8–9 product sequence in the IRTP;
- d10–13 IRTP sequence in the regency/city; d14–15 expiry year (two digits).

The region part uses BPOM's own codes, which may differ from Kemendagri's (docs/domain.md §5, confidence M), so a
mismatch with the business's regency is a *warning*, never a refusal. The same holds for the expiry year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PACKAGING = {
    "1": "gelas",
    "2": "plastik",
    "3": "karton/kertas",
    "4": "kaleng",
    "5": "alu-foil",
    "6": "lain-lain",
    "7": "komposit",
    "8": "ganda",
}
_PIRT_PREFIX = re.compile(r"^\s*(?:SPP-?IRT|P-?IRT)?\s*(?:NO\.?|NOMOR)?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class PirtNumber:
    digits: str

    @property
    def packaging_code(self) -> str:
        return self.digits[0]

    @property
    def packaging(self) -> str:
        return PACKAGING.get(self.digits[0], "")

    @property
    def food_type(self) -> str:
        return self.digits[1:3]

    @property
    def region_code(self) -> str:
        """d4–7 as a dotted regency code, e.g. ``74.71``."""
        return f"{self.digits[3:5]}.{self.digits[5:7]}"

    @property
    def product_sequence(self) -> str:
        return self.digits[7:9]

    @property
    def irtp_sequence(self) -> str:
        return self.digits[9:13]

    @property
    def expiry_year(self) -> int:
        return 2000 + int(self.digits[13:15])

    @property
    def formatted(self) -> str:
        return f"{self.digits[:13]}-{self.digits[13:]}"


def pirt_parse(value: str) -> PirtNumber:
    """Parse a P-IRT number (with or without its "P-IRT No." prefix, spaces, dots or dashes)."""
    text = _PIRT_PREFIX.sub("", str(value or ""))
    digits = re.sub(r"[\s.\-/]", "", text)
    if not digits.isdigit() or len(digits) != 15:
        raise ValidationError(
            _("Nomor P-IRT harus 15 angka, contoh: 2107471010123-29 (13 angka, tanda hubung, 2 angka tahun)."),
            code="pirt_length",
        )
    if digits[0] not in PACKAGING:
        raise ValidationError(
            _("Nomor P-IRT tidak valid: angka pertama (kode kemasan) harus 1–8."), code="pirt_packaging"
        )
    return PirtNumber(digits)


@dataclass(frozen=True)
class NumberCheck:
    """The normalised number and the warnings about it (shown, not enforced)."""

    number: str
    warnings: tuple[str, ...] = ()
    pirt: PirtNumber | None = None


def check_number(kind: str, number: str, *, region_id: str | None, expires_on: dt.date | None) -> NumberCheck:
    """Validate ``number`` for ``kind``; raise for a malformed number, warn where the parts disagree."""
    number = (number or "").strip()
    if not number:
        raise ValidationError(_("Isi nomor sertifikat/izin."), code="required")
    if kind == "pirt":
        pirt = pirt_parse(number)
        warnings: list[str] = []
        if region_id and pirt.region_code != region_id:
            warnings.append(
                _(
                    "Angka ke-4–7 nomor P-IRT menunjuk kode wilayah {code}, sedangkan usaha berada di {region}. "
                    "Periksa kembali (kode BPOM dapat berbeda dari kode Kemendagri)."
                ).format(code=pirt.region_code, region=region_id)
            )
        if expires_on and pirt.expiry_year != expires_on.year:
            warnings.append(
                _(
                    "Dua angka terakhir nomor P-IRT menyatakan berlaku sampai tahun {year}, "
                    "sedangkan tanggal berlaku yang diisi tahun {entered}."
                ).format(year=pirt.expiry_year, entered=expires_on.year)
            )
        return NumberCheck(pirt.formatted, tuple(warnings), pirt)
    if kind == "bpom_md":
        digits = re.sub(r"\D", "", number)
        # BPOM MD numbers are "MD" followed by 12 digits (M, confidence: common knowledge, docs/domain.md §5).
        if len(digits) != 12:
            return NumberCheck(number, (_('Nomor izin edar BPOM MD biasanya "MD" diikuti 12 angka.'),))
        return NumberCheck(f"MD {digits}")
    return NumberCheck(number)


#: P-IRT validity: at most 5 years (Peraturan BPOM 22/2018, docs/domain.md §5).
PIRT_MAX_YEARS = 5
