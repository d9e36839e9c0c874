"""Demo step (order 25): DAK bidang IKM for Kota Kendari, TA 2022.

Honesty about the figures (docs/domain.md §0): the seed article's "Rp540 miliar untuk 109 kabupaten/kota" is
Kemenperin's **2019 plan** figure, repeated in July 2022. The demo uses it as the TA 2022 national ceiling and
spreads it over 109 generated allocations that sum exactly to it; the fund's ``ceiling_source`` says so. Kendari's
own pagu, lines, contracts and payments are plausible, made-up figures for the demo.

Everything goes through the services (so every rule is checked and every step is audited); only dates of the
workflow steps are moved back to 2022 afterwards so that the history reads like the real year.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sentra.budget import services
from sentra.budget.choices import AllocationSource, FundKind
from sentra.budget.models import (
    ActivityPlan,
    Allocation,
    BudgetLine,
    DisbursementStage,
    Fund,
    PlanStep,
    SubMenu,
    Transfer,
)
from sentra.centres.models import Centre
from sentra.demo.context import JUTA, KENDARI, MILIAR, DemoContext, aware
from sentra.regions.models import Region

BAUBAU = "74.72"
NATIONAL_2022 = Decimal(540) * MILIAR  # docs/domain.md §0: the 2019 plan figure quoted in 2022
REGIONS_2022 = 109
BOULEVARD = "Jl. Boulevard, Kel. Lepo-Lepo"
SOMEWHERE = "Kota Kendari (lokasi contoh demo)"


def _d(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, d)


#: Kendari's DAK Fisik 2022 plan: (sub-menu, description, output, unit, volume, unit cost, location, district,
#: centre), each line with its contract (vendor, number, signed, value, starts, ends).
FISIK_LINES: list[tuple[Any, ...]] = [
    (
        ("A.1", "Revitalisasi 40 unit bengkel kerja Sentra IKM Meubeler", "Rumah produksi direvitalisasi", "m²"),
        (1200, 2_250_000, BOULEVARD, "Baruga", "Meubeler"),
        ("CV Anoa Konstruksi (demo)", "027/PPK-DAK/IV/2022", _d(2022, 4, 18), 2_650_000_000),
        (_d(2022, 4, 20), _d(2022, 11, 15)),
    ),
    (
        ("A.2", "Mesin dan peralatan kayu untuk Sentra IKM Meubeler", "Mesin dan peralatan", "unit"),
        (40, 35_000_000, BOULEVARD, "Baruga", "Meubeler"),
        ("PT Mesin Kayu Nusantara (e-katalog, demo)", "031/PPK-DAK/V/2022", _d(2022, 5, 10), 1_380_000_000),
        (_d(2022, 5, 11), _d(2022, 8, 31)),
    ),
    (
        ("B.1", "Pembangunan rumah produksi Sentra IKM Pengolahan Pangan", "Rumah produksi dibangun", "m²"),
        (600, 3_500_000, SOMEWHERE, None, "Pengolahan Pangan"),
        ("PT Bumi Sultra Bangun (demo)", "029/PPK-DAK/V/2022", _d(2022, 5, 2), 2_050_000_000),
        (_d(2022, 5, 4), _d(2022, 12, 10)),
    ),
    (
        ("B.3", "Mesin pengolahan pangan (pengering, penggiling, pengemas)", "Mesin dan peralatan", "unit"),
        (10, 45_000_000, SOMEWHERE, None, "Pengolahan Pangan"),
        ("CV Pangan Teknik (demo)", "036/PPK-DAK/VI/2022", _d(2022, 6, 6), 440_000_000),
        (_d(2022, 6, 7), _d(2022, 9, 30)),
    ),
]
#: The DAK Fisik year as it happened: stage transfers (stage, requested, received), payments (line, day, amount,
#: SP2D) and field checks (day, physical % and output of each line), in order.
FISIK_YEAR: list[tuple[Any, ...]] = [
    ("transfer", 1, _d(2022, 6, 20), _d(2022, 6, 28)),
    ("pay", 0, _d(2022, 7, 5), 530_000_000, "SP2D 0712/2022"),
    ("pay", 1, _d(2022, 7, 12), 690_000_000, "SP2D 0768/2022"),
    ("pay", 2, _d(2022, 7, 20), 410_000_000, "SP2D 0801/2022"),
    ("progress", _d(2022, 7, 25), [(30, 300), (50, 20), (25, 120), (10, 0)]),
    ("transfer", 2, _d(2022, 8, 1), _d(2022, 8, 15)),
    ("pay", 1, _d(2022, 8, 25), 690_000_000, "SP2D 0955/2022"),
    ("pay", 0, _d(2022, 9, 10), 1_325_000_000, "SP2D 1032/2022"),
    ("pay", 3, _d(2022, 9, 20), 440_000_000, "SP2D 1077/2022"),
    ("pay", 2, _d(2022, 10, 5), 820_000_000, "SP2D 1140/2022"),
    ("progress", _d(2022, 10, 10), [(80, 1000), (100, 40), (70, 400), (100, 10)]),
    ("transfer", 3, _d(2022, 10, 20), _d(2022, 11, 2)),
    ("pay", 0, _d(2022, 12, 12), 795_000_000, "SP2D 1388/2022"),
    ("pay", 2, _d(2022, 12, 15), 820_000_000, "SP2D 1402/2022"),
    ("progress", _d(2022, 12, 20), [(100, 1200), (100, 40), (100, 600), (100, 10)]),
]
#: The quarterly reports (sent on, problems): the Fisik one once late, the Nonfisik one always on time.
FISIK_REPORTS = [
    (_d(2022, 4, 8), "Menunggu penetapan pemenang tender; belum ada kendala."),
    (_d(2022, 7, 8), "Pengiriman mesin kayu terlambat dua minggu karena cuaca; sudah diterima."),
    (
        _d(2022, 10, 19),
        "Hujan menghambat pekerjaan atap rumah produksi pangan; laporan terlambat karena pergantian PPK.",
    ),
    (_d(2023, 1, 9), "Pekerjaan selesai 100%; serah terima kepada pengelola sentra."),
]
NONFISIK_LINES: list[tuple[Any, ...]] = [
    (
        (
            "B.1",
            "Pelatihan manajemen mutu dan pengelolaan sentra IKM, 19–25 Juli 2022",
            "Pengelola dan pembina terlatih",
            "orang",
        ),
        (30, 9_500_000, "Kota Kendari", None, "Meubeler"),
    ),
    (
        ("A.2", "Pelatihan teknis produksi dan finishing mebel", "Peserta terlatih", "orang"),
        (20, 12_000_000, "Sentra IKM Meubeler, Kec. Baruga", "Baruga", "Meubeler"),
    ),
    (
        ("A.1", "Pelatihan manajemen wirausaha untuk IKM pengolahan pangan", "Peserta terlatih", "orang"),
        (15, 10_000_000, "Kota Kendari", None, "Pengolahan Pangan"),
        {"for_target_centre": False},
    ),
]
NONFISIK_REPORTS = [
    (_d(2022, 4, 7), "Rencana kegiatan disetujui 31 Maret 2022; persiapan pelatihan."),
    (_d(2022, 7, 6), "Penyedia pelatihan dipilih; pelatihan dijadwalkan 19–25 Juli 2022."),
    (
        _d(2022, 10, 7),
        "Pelatihan manajemen mutu selesai dan dibayar; pelatihan teknis mebel dan wirausaha pangan belum dikontrakkan.",
    ),
    (
        _d(2023, 1, 6),
        "Pelatihan teknis mebel dan wirausaha pangan tidak terlaksana pada TA 2022; diusulkan kembali TA 2023.",
    ),
]


def _centre(name: str) -> Centre | None:
    """A Kendari centre of the demo (the centres step runs before the budget)."""
    return Centre.objects.filter(region_id=KENDARI, name__icontains=name).first()


def _add_lines(actor: Any, plan: ActivityPlan, fund: Fund, specs: list[tuple[Any, ...]]) -> list[BudgetLine]:
    lines = []
    for spec in specs:
        (sub_menu, description, output_name, unit), (volume, cost, location, district, centre), *rest = spec
        menu, sub = sub_menu.split(".")
        extra = next((r for r in rest if isinstance(r, dict)), {})
        if district:
            extra = {
                **extra,
                "district": Region.objects.filter(parent_id=KENDARI, level=3, name__iexact=district).first(),
            }
        lines.append(
            services.line_add(
                actor=actor,
                plan=plan,
                sub_menu=SubMenu.objects.get(menu__fund=fund, menu__code=menu, code=sub),
                description=description,
                output_name=output_name,
                unit=unit,
                volume=Decimal(volume),
                unit_cost=Decimal(cost),
                location=location,
                centre=_centre(centre),
                **extra,
            )
        )
    return lines


def _add_contract(actor: Any, line: BudgetLine, contract: tuple[Any, ...], term: tuple[dt.date, dt.date]) -> Any:
    vendor, number, signed_on, value = contract
    return services.contract_add(
        actor=actor,
        line=line,
        vendor=vendor,
        number=number,
        signed_on=signed_on,
        value=Decimal(value),
        starts_on=term[0],
        ends_on=term[1],
    )


def _receive(actor: Any, allocation: Allocation, stage: Any, requested: dt.date, received: dt.date) -> None:
    transfer = services.transfer_request(actor=actor, allocation=allocation, stage=stage, requested_on=requested)
    services.transfer_receive(actor=actor, transfer=transfer, received_on=received)


def _progress(actor: Any, line: BudgetLine, day: dt.date, physical: int, output: int, note: str) -> None:
    services.progress_record(
        actor=actor,
        line=line,
        reported_on=day,
        physical_pct=Decimal(physical),
        output_achieved=Decimal(output),
        note=note,
    )


def _dak_reports(actor: Any, allocation: Allocation, reports: list[tuple[dt.date, str]]) -> None:
    """The DAK quarterly reports (periodic submissions, generated from the lines), each sent on its day."""
    from sentra.periodic import services as periodic
    from sentra.periodic.models import Submission

    for quarter, (sent_on, problems) in enumerate(reports, start=1):
        submission = services.report_start(actor=actor, allocation=allocation, quarter=quarter)
        submission = periodic.submission_save(actor=actor, submission=submission, data={"problems": problems})
        periodic.submission_submit(actor=actor, submission=submission)
        Submission.objects.filter(pk=submission.pk).update(submitted_at=aware(sent_on))


def _approve(admin: Any, sultra: Any, kendari: Any, plan: ActivityPlan, days: tuple[dt.date, dt.date, dt.date]) -> None:
    services.plan_advance(actor=kendari, plan=plan, action="submit", comment="Mohon verifikasi.")
    services.plan_advance(actor=sultra, plan=plan, action="verify", comment="Sesuai menu dan pagu.")
    services.plan_advance(actor=admin, plan=plan, action="approve", comment="Disetujui.")
    steps = list(PlanStep.objects.filter(plan=plan).order_by("id"))
    stamps = [days[0], *days]
    for step, day in zip(steps, stamps, strict=False):
        PlanStep.objects.filter(pk=step.pk).update(at=aware(day))
    ActivityPlan.objects.filter(pk=plan.pk).update(
        submitted_at=aware(days[0]), verified_at=aware(days[1]), approved_at=aware(days[2])
    )


def _allocations_2022(ctx: DemoContext, admin: Any, fund: Fund, kendari_pagu: Decimal) -> None:
    """109 regions whose pagu sums exactly to Rp540 billion (Kendari and Baubau among them)."""
    rng = ctx.rng
    codes = list(Region.objects.filter(level=2).exclude(code__in=[KENDARI, BAUBAU]).values_list("code", flat=True))
    chosen = [KENDARI, BAUBAU, *rng.sample(codes, REGIONS_2022 - 2)]
    rest = NATIONAL_2022 - kendari_pagu
    weights = [rng.uniform(0.4, 1.6) for _ in chosen[1:]]
    total_w = sum(weights)
    amounts = [(rest * Decimal(w / total_w) / JUTA).quantize(Decimal(1)) * JUTA for w in weights]
    amounts[-1] += rest - sum(amounts)  # rounding goes to the last region, so the sum is exact
    for code, amount in zip(chosen, [kendari_pagu, *amounts], strict=True):
        services.allocation_set(
            actor=admin,
            fund=fund,
            region=code,
            amount=amount,
            source=AllocationSource.GENERATED if code != KENDARI else AllocationSource.ENTERED,
            note="" if code == KENDARI else "Dibangkitkan untuk demo",
        )


def _set_ceilings() -> tuple[Fund, Fund]:
    fisik = Fund.objects.get(fiscal_year__year=2022, kind=FundKind.FISIK)
    nonfisik = Fund.objects.get(fiscal_year__year=2022, kind=FundKind.NONFISIK)
    Fund.objects.filter(pk=fisik.pk).update(
        ceiling=NATIONAL_2022,
        ceiling_source=(
            "Angka Rp540 miliar untuk 109 kabupaten/kota yang dikutip pada Juli 2022; itu angka rencana DAK IKM "
            "TA 2019, bukan pagu resmi TA 2022."
        ),
    )
    Fund.objects.filter(pk=nonfisik.pk).update(
        ceiling=Decimal(50) * MILIAR, ceiling_source="Angka contoh, bukan pagu resmi DAK Nonfisik TA 2022."
    )
    fisik.refresh_from_db()
    nonfisik.refresh_from_db()
    return fisik, nonfisik


def load_budget(ctx: DemoContext) -> None:
    admin, sultra, kendari = ctx.users["admin"], ctx.users["sultra"], ctx.users["kendari"]
    fisik, nonfisik = _set_ceilings()

    # --- DAK Fisik 2022: Rp540 M over 109 regions; Kendari's plan ------------------------------------------
    _allocations_2022(ctx, admin, fisik, Decimal("6750") * JUTA)
    allocation = fisik.allocations.get(region_id=KENDARI)
    plan = services.plan_create(
        actor=kendari,
        allocation=allocation,
        title="Rencana Kegiatan DAK Fisik bidang IKM Kota Kendari TA 2022",
        notes="Revitalisasi Sentra IKM Meubeler dan pembangunan Sentra IKM pengolahan pangan.",
    )
    lines = _add_lines(kendari, plan, fisik, FISIK_LINES)
    _approve(admin, sultra, kendari, plan, (_d(2022, 2, 14), _d(2022, 2, 21), _d(2022, 3, 4)))
    for line in lines:
        line.refresh_from_db()
    contracts = [_add_contract(kendari, line, spec[2], spec[3]) for line, spec in zip(lines, FISIK_LINES, strict=True)]
    stages = {s.number: s for s in DisbursementStage.objects.filter(fund=fisik)}
    for kind, *event in FISIK_YEAR:
        if kind == "transfer":
            _receive(kendari, allocation, stages[event[0]], event[1], event[2])
        elif kind == "pay":
            i, day, amount, ref = event
            services.payment_record(
                actor=kendari, contract=contracts[i], paid_on=day, amount=Decimal(amount), reference=ref
            )
        else:
            day, figures = event
            for line, (physical, output) in zip(lines, figures, strict=True):
                _progress(kendari, line, day, physical, output, "Pemeriksaan lapangan")
    _dak_reports(kendari, allocation, FISIK_REPORTS)

    # --- DAK Nonfisik 2022: the July 2022 training (menu B), a single transfer (pagu ≤ Rp1 M) ---------------
    alloc_nf = services.allocation_set(actor=admin, fund=nonfisik, region=KENDARI, amount=Decimal(850) * JUTA)
    plan_nf = services.plan_create(
        actor=kendari,
        allocation=alloc_nf,
        title="Rencana Kegiatan DAK Nonfisik Penguatan Kapasitas Kelembagaan Sentra IKM Kota Kendari TA 2022",
    )
    training = _add_lines(kendari, plan_nf, nonfisik, NONFISIK_LINES)[0]
    _approve(admin, sultra, kendari, plan_nf, (_d(2022, 3, 10), _d(2022, 3, 17), _d(2022, 3, 31)))
    training.refresh_from_db()
    contract = _add_contract(
        kendari,
        training,
        ("Lembaga Pelatihan Mutu Sultra (demo)", "045/PPK-DAKNF/VII/2022", _d(2022, 7, 1), 280_000_000),
        (_d(2022, 7, 19), _d(2022, 7, 25)),
    )
    _receive(kendari, alloc_nf, None, _d(2022, 7, 4), _d(2022, 7, 14))
    services.payment_record(
        actor=kendari,
        contract=contract,
        paid_on=_d(2022, 7, 29),
        amount=Decimal(280_000_000),
        reference="SP2D 0840/2022",
    )
    _progress(
        kendari,
        training,
        _d(2022, 7, 26),
        100,
        30,
        "Pelatihan 19–25 Juli 2022 selesai; 30 pengelola dan pembina sentra mengikuti.",
    )
    _dak_reports(kendari, alloc_nf, NONFISIK_REPORTS)

    # --- TA 2023: an allocation without a plan yet, for the officer to draft (the browser journey) ---------
    fisik_2023 = Fund.objects.get(fiscal_year__year=2023, kind=FundKind.FISIK)
    services.allocation_set(
        actor=admin,
        fund=fisik_2023,
        region=KENDARI,
        amount=Decimal(2500) * JUTA,
        note="Angka contoh (pagu nasional TA 2023 Rp395 miliar; pagu Kendari tidak diketahui)",
    )
    ctx.objects["budget.allocation_2022"] = allocation
    ctx.log(
        f"  DAK: {REGIONS_2022} alokasi TA 2022 (Rp540 M), rencana Kendari {len(lines)} baris, "
        f"{Transfer.objects.filter(allocation=allocation).count()} tahap, 8 laporan triwulan (Fisik dan Nonfisik)"
    )
