"""The criteria for a sentra (docs/domain.md §2a), checked and shown as warnings, never as refusals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from sentra.centres.choices import CentreStatus, FundingSource

#: PP 29/2018 Pasal 1: at least five business units making similar products (docs/domain.md §2a).
MIN_MEMBERS = 5
#: Juknis DAK Fisik 2021 (Perpres 123/2020): at least ten IKM for a DAK-funded centre on Kalimantan and Sumatera
#: (docs/domain.md §2a). The figures for the other island groups were not published in the sources, so no
#: minimum is claimed there: the rule is chosen by the centre's province, never shown where it does not apply.
MIN_MEMBERS_DAK = 10
DAK_MINIMUM_PROVINCES: dict[str, tuple[str, int]] = {
    **{code: ("Sumatera", MIN_MEMBERS_DAK) for code in ("11", "12", "13", "14", "15", "16", "17", "18", "19", "21")},
    **{code: ("Kalimantan", MIN_MEMBERS_DAK) for code in ("61", "62", "63", "64", "65")},
}


def dak_minimum(region_id: str) -> tuple[str, int] | None:
    """``(island group, minimum members)`` of the DAK rule for a centre in ``region_id``, or None where none is
    known."""
    return DAK_MINIMUM_PROVINCES.get((region_id or "")[:2])


@dataclass(frozen=True)
class CriteriaWarning:
    code: str
    message: str
    level: str = "warning"  # or "info"


def centre_warnings(
    centre: Any, members: list[Any], centre_kbli: list[Any], has_dak_funding: bool
) -> list[CriteriaWarning]:
    """``members`` are the member businesses (with ``kbli`` loaded); ``centre_kbli`` the centre's KBLI codes."""
    warnings: list[CriteriaWarning] = []
    count = len(members)
    if centre.status != CentreStatus.PLANNED and count < MIN_MEMBERS:
        warnings.append(
            CriteriaWarning(
                "too_few_members",
                _(
                    "Baru {count} anggota. Sentra IKM paling sedikit terdiri dari {min} unit usaha "
                    "(PP 29/2018 Pasal 1)."
                ).format(count=count, min=MIN_MEMBERS),
            )
        )
    dak_rule = dak_minimum(centre.region_id) if has_dak_funding else None
    if dak_rule is not None and count < dak_rule[1]:
        warnings.append(
            CriteriaWarning(
                "dak_members",
                _(
                    "Sentra ini didanai DAK. Juknis DAK mensyaratkan paling sedikit {min} IKM untuk sentra di "
                    "{island} (Perpres 123/2020). Saat ini {count} anggota."
                ).format(min=dak_rule[1], island=dak_rule[0], count=count),
                "info",
            )
        )
    divisions = {m.kbli.code[:2] for m in members if m.kbli_id and m.kbli.is_manufacturing}
    divisions |= {k.code[:2] for k in centre_kbli if k.is_manufacturing}
    if len(divisions) > 1:
        warnings.append(
            CriteriaWarning(
                "mixed_products",
                _(
                    "Anggota berasal dari {n} golongan pokok KBLI berbeda ({codes}). Sentra IKM beranggotakan usaha "
                    "dengan produk, bahan baku atau proses sejenis."
                ).format(n=len(divisions), codes=", ".join(sorted(divisions))),
            )
        )
    outside = sorted({m.kbli.code for m in members if m.kbli_id and not m.kbli.is_manufacturing})
    outside_centre = sorted({k.code for k in centre_kbli if not k.is_manufacturing})
    if outside or outside_centre:
        warnings.append(
            CriteriaWarning(
                "non_manufacturing",
                _(
                    "KBLI di luar industri pengolahan (Kategori C, 10–33): {codes}. Diterima, namun ditandai: "
                    "misalnya bengkel (45201, 45407) termasuk perdagangan dan reparasi."
                ).format(codes=", ".join(sorted(set(outside) | set(outside_centre)))),
            )
        )
    if centre.inside_kpi is False and centre.status in (CentreStatus.PLANNED, CentreStatus.CONSTRUCTION):
        warnings.append(
            CriteriaWarning("outside_kpi", _("Sentra IKM baru harus berada di dalam Kawasan Peruntukan Industri."))
        )
    return warnings


def is_dak(source: str) -> bool:
    return source in (FundingSource.DAK_FISIK, FundingSource.DAK_NONFISIK)
