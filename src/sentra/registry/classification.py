"""Size classes of a business, each with the rule that decided it (docs/domain.md §1).

Both scales are computed and shown because they can disagree: the industry scale (Permenperin 64/2016,
workers and investment without land and buildings) and the UMKM scale (PP 7/2021 Pasal 35: annual sales for
existing businesses, business capital at founding).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from sentra.core.formatting import format_rupiah
from sentra.registry.choices import SizeClass, UmkmClass

# Permenperin 64/M-IND/PER/7/2016 (docs/domain.md §1a, confidence H).
IK_MAX_WORKERS = 19
IK_INVESTMENT_LIMIT = Decimal("1000000000")  # IK: investment < Rp1 M
IM_INVESTMENT_LIMIT = Decimal("15000000000")  # IM (>= 20 workers): investment <= Rp15 M

# PP 7/2021 Pasal 35 ayat (3) modal usaha and ayat (5) hasil penjualan tahunan (docs/domain.md §1b, confidence H).
UMKM_CAPITAL_LIMITS = (
    (Decimal("1000000000"), UmkmClass.MIKRO),
    (Decimal("5000000000"), UmkmClass.KECIL),
    (Decimal("10000000000"), UmkmClass.MENENGAH),
)
UMKM_SALES_LIMITS = (
    (Decimal("2000000000"), UmkmClass.MIKRO),
    (Decimal("15000000000"), UmkmClass.KECIL),
    (Decimal("50000000000"), UmkmClass.MENENGAH),
)


@dataclass(frozen=True)
class Classification:
    value: str
    rule: str


def industry_size(workers: int | None, investment: Decimal | None) -> Classification | None:
    """IK/IM/IB by workers and investment excluding land and buildings; None when either is unknown."""
    if workers is None or investment is None:
        return None
    inv = format_rupiah(investment)
    if workers <= IK_MAX_WORKERS:
        if investment < IK_INVESTMENT_LIMIT:
            return Classification(
                SizeClass.KECIL,
                _(
                    "Permenperin 64/2016: tenaga kerja {w} (≤ 19) dan investasi {inv} (< Rp1 miliar) → Industri Kecil."
                ).format(w=workers, inv=inv),
            )
        return Classification(
            SizeClass.MENENGAH,
            _(
                "Permenperin 64/2016: tenaga kerja {w} (≤ 19) dan investasi {inv} (≥ Rp1 miliar) → Industri Menengah."
            ).format(w=workers, inv=inv),
        )
    if investment <= IM_INVESTMENT_LIMIT:
        return Classification(
            SizeClass.MENENGAH,
            _(
                "Permenperin 64/2016: tenaga kerja {w} (≥ 20) dan investasi {inv} (≤ Rp15 miliar) → Industri Menengah."
            ).format(w=workers, inv=inv),
        )
    return Classification(
        SizeClass.BESAR,
        _("Permenperin 64/2016: tenaga kerja {w} (≥ 20) dan investasi {inv} (> Rp15 miliar) → Industri Besar.").format(
            w=workers, inv=inv
        ),
    )


def umkm_size(turnover: Decimal | None, capital: Decimal | None) -> Classification | None:
    """Mikro/kecil/menengah/besar: by annual sales when known (existing business), else by business capital."""
    if turnover is not None:
        limits, basis, article = UMKM_SALES_LIMITS, _("hasil penjualan tahunan"), "35 ayat (5)"
        amount = turnover
    elif capital is not None:
        limits, basis, article = UMKM_CAPITAL_LIMITS, _("modal usaha"), "35 ayat (3)"
        amount = capital
    else:
        return None
    for limit, klass in limits:
        if amount <= limit:
            return Classification(
                klass,
                _("PP 7/2021 Pasal {article}: {basis} {amount} (≤ {limit}) → {klass}.").format(
                    article=article,
                    basis=basis,
                    amount=format_rupiah(amount),
                    limit=format_rupiah(limit),
                    klass=UmkmClass(klass).label,
                ),
            )
    return Classification(
        UmkmClass.BESAR,
        _("PP 7/2021 Pasal {article}: {basis} {amount} (> {limit}) → {klass}.").format(
            article=article,
            basis=basis,
            amount=format_rupiah(amount),
            limit=format_rupiah(limits[-1][0]),
            klass=UmkmClass.BESAR.label,
        ),
    )
