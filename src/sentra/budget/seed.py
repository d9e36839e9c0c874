"""The reference data of DAK bidang IKM per fiscal year, from docs/domain.md §3 (loaded by migration 0002).

Everything here is DATA: after the seed an administrator corrects it in the Django admin when the year's
juknis or PMK says otherwise (docs/domain.md §11 items 1 and 6 are still open). Where a source is uncertain, docs/domain.md
says so.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

BILLION = Decimal(1_000_000_000)

#: docs/domain.md §3a. A ceiling of 0 means "not known from the sources": allocations cannot be entered until an
#: administrator fills in the year's official figure.
CEILINGS: dict[tuple[int, str], tuple[Decimal, str]] = {
    (2021, "fisik"): (Decimal(750) * BILLION, "Pagu Rp750 miliar (evaluasi Bappenas)"),
    (2022, "fisik"): (Decimal(0), "Pagu TA 2022 belum diisi; isi dari Perpres 7/2022"),
    (2022, "nonfisik"): (Decimal(0), "DAK Nonfisik ada sejak 2022; pagu nasional belum diisi"),
    (2023, "fisik"): (Decimal(395) * BILLION, "Rp395 miliar untuk 56 daerah"),
    (2023, "nonfisik"): (Decimal(0), "Permenperin 7/2023; pagu nasional belum diisi"),
    (2024, "fisik"): (Decimal(0), "Pagu TA 2024 belum diisi"),
    (2024, "nonfisik"): (Decimal(0), "Pagu TA 2024 belum diisi"),
}

LEGAL_BASIS = {
    2021: "PMK 130/PMK.07/2019; juknis Perpres 123/2020",
    2022: "PMK 198/PMK.07/2021; juknis Perpres 7/2022",
    2023: "PMK 198/PMK.07/2021; DAK Nonfisik: Permenperin 7/2023",
    2024: "PMK 198/PMK.07/2021 (periksa PMK tahun berjalan)",
}

#: docs/domain.md §3b (H for the named items; the juknis table itself was not found, §11.1, so codes and output
#: units are Sentra's proposal, L).
MENUS: dict[str, list[dict[str, Any]]] = {
    "fisik": [
        {
            "code": "A",
            "name": "Revitalisasi Sentra IKM",
            "subs": [
                ("1", "Perbaikan rumah produksi/unit produksi", "Rumah produksi direvitalisasi", "m²"),
                ("2", "Pengadaan mesin dan peralatan", "Mesin dan peralatan", "unit"),
                ("3", "Rumah kemasan", "Rumah kemasan", "unit"),
                ("4", "IPAL/IPAB", "Instalasi pengolahan air limbah/bersih", "unit"),
            ],
        },
        {
            "code": "B",
            "name": "Pembangunan Sentra IKM",
            "subs": [
                ("1", "Pembangunan rumah produksi", "Rumah produksi dibangun", "m²"),
                ("2", "Unit Pelayanan Teknis (UPT)", "UPT dibangun", "unit"),
                ("3", "Pengadaan mesin dan peralatan", "Mesin dan peralatan", "unit"),
                ("4", "Fasilitas dan infrastruktur lainnya", "Fasilitas penunjang", "paket"),
            ],
        },
    ],
    "nonfisik": [
        {
            "code": "A",
            "name": "Peningkatan SDM dan Daya Saing IKM",
            "subs": [
                ("1", "Pelatihan Pengelolaan Bisnis dan Manajemen Wirausaha", "Peserta terlatih", "orang"),
                ("2", "Pelatihan Teknis Produksi dan Standardisasi Produk", "Peserta terlatih", "orang"),
            ],
        },
        {
            "code": "B",
            "name": "Pengelolaan Kelembagaan",
            "subs": [
                ("1", "Pelatihan manajemen mutu dan pengelolaan sentra", "Pengelola dan pembina terlatih", "orang"),
            ],
        },
    ],
}


def stages(year: int) -> list[dict[str, Any]]:
    """PMK 198/PMK.07/2021 (and PMK 130/2019 before it), docs/domain.md §3c (H for 2019–2023)."""
    return [
        {
            "number": 1,
            "name": "Tahap I",
            "percent": Decimal(25),
            "is_remainder": False,
            "min_absorption_pct": None,
            "min_output_pct": None,
            "requires_output_report": False,
            "requires_approved_plan": True,
            "requires_contracts": True,
            "opens_on": dt.date(year, 2, 1),
            "documents_due": dt.date(year, 7, 21),
            "documents": "Perda APBD; laporan realisasi penyerapan dan capaian output tahun lalu yang telah "
            "direviu APIP; RK yang disetujui K/L; daftar kontrak",
        },
        {
            "number": 2,
            "name": "Tahap II",
            "percent": Decimal(45),
            "is_remainder": False,
            "min_absorption_pct": Decimal(75),
            "min_output_pct": None,
            "requires_output_report": True,
            "requires_approved_plan": True,
            "requires_contracts": False,
            "opens_on": dt.date(year, 4, 1),
            "documents_due": dt.date(year, 10, 21),
            "documents": "Laporan realisasi penyerapan dana (≥ 75 % dari dana yang diterima) dan capaian output",
        },
        {
            "number": 3,
            "name": "Tahap III",
            "percent": None,
            "is_remainder": True,
            "min_absorption_pct": Decimal(90),
            "min_output_pct": Decimal(70),
            "requires_output_report": True,
            "requires_approved_plan": True,
            "requires_contracts": True,
            "opens_on": dt.date(year, 9, 1),
            "documents_due": dt.date(year, 12, 15),
            "documents": "Laporan realisasi penyerapan dana (≥ 90 %) dan capaian output (≥ 70 %)",
        },
    ]


def load(apps: Any) -> None:
    """Create (or leave untouched, when present) the fiscal years 2021–2024 with their funds and rules."""
    FiscalYear = apps.get_model("budget", "FiscalYear")
    Fund = apps.get_model("budget", "Fund")
    Menu = apps.get_model("budget", "Menu")
    SubMenu = apps.get_model("budget", "SubMenu")
    Stage = apps.get_model("budget", "DisbursementStage")
    for year in (2021, 2022, 2023, 2024):
        fy, created = FiscalYear.objects.get_or_create(
            year=year,
            defaults={
                "legal_basis": LEGAL_BASIS[year],
                "notes": "Data awal Sentra. Periksa juknis dan PMK tahun ini sebelum dipakai. Tahap penyaluran DAK "
                "Nonfisik mengikuti aturan DAK Fisik (PMK 198/2021) sampai aturannya terbit.",
            },
        )
        if not created:
            continue
        for kind in ("fisik", "nonfisik"):
            if (year, kind) not in CEILINGS:
                continue  # DAK Nonfisik exists from TA 2022 (docs/domain.md §3a)
            ceiling, source = CEILINGS[(year, kind)]
            fund = Fund.objects.create(
                fiscal_year=fy,
                kind=kind,
                name=(
                    "DAK Fisik bidang Industri Kecil dan Menengah"
                    if kind == "fisik"
                    else "DAK Nonfisik Dana Penguatan Kapasitas Kelembagaan Sentra IKM"
                ),
                ceiling=ceiling,
                ceiling_source=source,
                # docs/domain.md §3c: sekaligus when the pagu is ≤ Rp1 M ("sampai dengan", 2019 FAQ; the 2023 slide
                # says "di bawah": set single_transfer_inclusive off for such a year).
                single_transfer_limit=BILLION,
                single_transfer_inclusive=True,
                # docs/domain.md §3b: at least 70 % to the target sentra (DAK Nonfisik only, M).
                target_centre_min_pct=Decimal(70) if kind == "nonfisik" else None,
            )
            for m_order, menu in enumerate(MENUS[kind]):
                m = Menu.objects.create(fund=fund, code=menu["code"], name=menu["name"], order=m_order)
                for s_order, (code, name, output, unit) in enumerate(menu["subs"]):
                    SubMenu.objects.create(
                        menu=m, code=code, name=name, output_name=output, output_unit=unit, order=s_order
                    )
            for stage in stages(year):
                Stage.objects.create(fund=fund, **stage)
