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

from django.utils import timezone

from sentra.budget import services
from sentra.budget.choices import AllocationSource, FundKind
from sentra.budget.models import (
    ActivityPlan,
    BudgetLine,
    DisbursementStage,
    Fund,
    PlanStep,
    SubMenu,
    Transfer,
)
from sentra.demo.context import DemoContext
from sentra.regions.models import Region

KENDARI = "74.71"
BAUBAU = "74.72"
MILLION = Decimal(1_000_000)
BILLION = Decimal(1_000_000_000)
NATIONAL_2022 = Decimal(540) * BILLION  # docs/domain.md §0: the 2019 plan figure quoted in 2022
REGIONS_2022 = 109


def _d(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, d)


def _sub(fund: Fund, code: str) -> SubMenu:
    menu, sub = code.split(".")
    return SubMenu.objects.get(menu__fund=fund, menu__code=menu, code=sub)


def _district(name: str) -> Region | None:
    return Region.objects.filter(parent_id=KENDARI, level=3, name__iexact=name).first()


def _centre(name: str) -> Any:
    """A Kendari centre of the demo (loaded before the budget), found through the line's own relation."""
    centres = BudgetLine._meta.get_field("centre").related_model.objects
    return centres.filter(region_id=KENDARI, name__icontains=name).first()


def _dak_report(actor: Any, allocation: Any, quarter: int, problems: str, sent_on: dt.date) -> None:
    """A DAK quarterly report (a periodic submission, generated from the lines) sent on ``sent_on``."""
    from sentra.periodic import services as periodic
    from sentra.periodic.models import Submission

    submission = services.report_start(actor=actor, allocation=allocation, quarter=quarter)
    submission = periodic.submission_save(actor=actor, submission=submission, data={"problems": problems})
    periodic.submission_submit(actor=actor, submission=submission)
    Submission.objects.filter(pk=submission.pk).update(submitted_at=_aware(sent_on))


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=timezone.get_current_timezone())


def _approve(admin: Any, sultra: Any, kendari: Any, plan: ActivityPlan, days: tuple[dt.date, dt.date, dt.date]) -> None:
    services.plan_advance(actor=kendari, plan=plan, action="submit", comment="Mohon verifikasi.")
    services.plan_advance(actor=sultra, plan=plan, action="verify", comment="Sesuai menu dan pagu.")
    services.plan_advance(actor=admin, plan=plan, action="approve", comment="Disetujui.")
    steps = list(PlanStep.objects.filter(plan=plan).order_by("id"))
    stamps = [days[0], *days]
    for step, day in zip(steps, stamps, strict=False):
        PlanStep.objects.filter(pk=step.pk).update(at=_aware(day))
    ActivityPlan.objects.filter(pk=plan.pk).update(
        submitted_at=_aware(days[0]), verified_at=_aware(days[1]), approved_at=_aware(days[2])
    )


def _allocations_2022(ctx: DemoContext, admin: Any, fund: Fund, kendari_pagu: Decimal) -> None:
    """109 regions whose pagu sums exactly to Rp540 billion (Kendari and Baubau among them)."""
    rng = ctx.rng
    codes = list(Region.objects.filter(level=2).exclude(code__in=[KENDARI, BAUBAU]).values_list("code", flat=True))
    chosen = [KENDARI, BAUBAU, *rng.sample(codes, REGIONS_2022 - 2)]
    rest = NATIONAL_2022 - kendari_pagu
    weights = [rng.uniform(0.4, 1.6) for _ in chosen[1:]]
    total_w = sum(weights)
    amounts = [(rest * Decimal(w / total_w) / MILLION).quantize(Decimal(1)) * MILLION for w in weights]
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


def load_budget(ctx: DemoContext) -> None:
    admin, sultra, kendari = ctx.users["admin"], ctx.users["sultra"], ctx.users["kendari"]
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
        ceiling=Decimal(50) * BILLION, ceiling_source="Angka contoh, bukan pagu resmi DAK Nonfisik TA 2022."
    )
    fisik.refresh_from_db()
    nonfisik.refresh_from_db()

    # --- DAK Fisik 2022: Rp540 M over 109 regions; Kendari's plan ------------------------------------------
    kendari_pagu = Decimal("6750") * MILLION
    _allocations_2022(ctx, admin, fisik, kendari_pagu)
    allocation = fisik.allocations.get(region_id=KENDARI)
    plan = services.plan_create(
        actor=kendari,
        allocation=allocation,
        title="Rencana Kegiatan DAK Fisik bidang IKM Kota Kendari TA 2022",
        notes="Revitalisasi Sentra IKM Meubeler dan pembangunan Sentra IKM pengolahan pangan.",
    )
    baruga = _district("Baruga")
    meubeler, pangan = _centre("Meubeler"), _centre("Pengolahan Pangan")
    lines = [
        services.line_add(
            actor=kendari,
            plan=plan,
            sub_menu=_sub(fisik, "A.1"),
            description="Revitalisasi 40 unit bengkel kerja Sentra IKM Meubeler",
            output_name="Rumah produksi direvitalisasi",
            unit="m²",
            volume=Decimal(1200),
            unit_cost=Decimal(2_250_000),
            location="Jl. Boulevard, Kel. Lepo-Lepo",
            district=baruga,
            centre=meubeler,
        ),
        services.line_add(
            actor=kendari,
            plan=plan,
            sub_menu=_sub(fisik, "A.2"),
            description="Mesin dan peralatan kayu untuk Sentra IKM Meubeler",
            output_name="Mesin dan peralatan",
            unit="unit",
            volume=Decimal(40),
            unit_cost=Decimal(35_000_000),
            location="Jl. Boulevard, Kel. Lepo-Lepo",
            district=baruga,
            centre=meubeler,
        ),
        services.line_add(
            actor=kendari,
            plan=plan,
            sub_menu=_sub(fisik, "B.1"),
            description="Pembangunan rumah produksi Sentra IKM Pengolahan Pangan",
            output_name="Rumah produksi dibangun",
            unit="m²",
            volume=Decimal(600),
            unit_cost=Decimal(3_500_000),
            location="Kota Kendari (lokasi contoh demo)",
            centre=pangan,
        ),
        services.line_add(
            actor=kendari,
            plan=plan,
            sub_menu=_sub(fisik, "B.3"),
            description="Mesin pengolahan pangan (pengering, penggiling, pengemas)",
            output_name="Mesin dan peralatan",
            unit="unit",
            volume=Decimal(10),
            unit_cost=Decimal(45_000_000),
            location="Kota Kendari (lokasi contoh demo)",
            centre=pangan,
        ),
    ]
    _approve(admin, sultra, kendari, plan, (_d(2022, 2, 14), _d(2022, 2, 21), _d(2022, 3, 4)))
    for line in lines:
        line.refresh_from_db()
    contracts = [
        services.contract_add(
            actor=kendari,
            line=lines[0],
            vendor="CV Anoa Konstruksi (demo)",
            number="027/PPK-DAK/IV/2022",
            signed_on=_d(2022, 4, 18),
            value=Decimal(2_650_000_000),
            starts_on=_d(2022, 4, 20),
            ends_on=_d(2022, 11, 15),
        ),
        services.contract_add(
            actor=kendari,
            line=lines[1],
            vendor="PT Mesin Kayu Nusantara (e-katalog, demo)",
            number="031/PPK-DAK/V/2022",
            signed_on=_d(2022, 5, 10),
            value=Decimal(1_380_000_000),
            starts_on=_d(2022, 5, 11),
            ends_on=_d(2022, 8, 31),
        ),
        services.contract_add(
            actor=kendari,
            line=lines[2],
            vendor="PT Bumi Sultra Bangun (demo)",
            number="029/PPK-DAK/V/2022",
            signed_on=_d(2022, 5, 2),
            value=Decimal(2_050_000_000),
            starts_on=_d(2022, 5, 4),
            ends_on=_d(2022, 12, 10),
        ),
        services.contract_add(
            actor=kendari,
            line=lines[3],
            vendor="CV Pangan Teknik (demo)",
            number="036/PPK-DAK/VI/2022",
            signed_on=_d(2022, 6, 6),
            value=Decimal(440_000_000),
            starts_on=_d(2022, 6, 7),
            ends_on=_d(2022, 9, 30),
        ),
    ]
    stages = {s.number: s for s in DisbursementStage.objects.filter(fund=fisik)}

    def pay(i: int, day: dt.date, amount: int, ref: str) -> None:
        services.payment_record(
            actor=kendari, contract=contracts[i], paid_on=day, amount=Decimal(amount), reference=ref
        )

    def progress(i: int, day: dt.date, physical: int, output: int) -> None:
        services.progress_record(
            actor=kendari,
            line=lines[i],
            reported_on=day,
            physical_pct=Decimal(physical),
            output_achieved=Decimal(output),
            note="Pemeriksaan lapangan",
        )

    def transfer(stage: int, requested: dt.date, received: dt.date) -> None:
        t = services.transfer_request(actor=kendari, allocation=allocation, stage=stages[stage], requested_on=requested)
        services.transfer_receive(actor=kendari, transfer=t, received_on=received)

    transfer(1, _d(2022, 6, 20), _d(2022, 6, 28))
    pay(0, _d(2022, 7, 5), 530_000_000, "SP2D 0712/2022")
    pay(1, _d(2022, 7, 12), 690_000_000, "SP2D 0768/2022")
    pay(2, _d(2022, 7, 20), 410_000_000, "SP2D 0801/2022")
    for i, (physical, output) in enumerate([(30, 300), (50, 20), (25, 120), (10, 0)]):
        progress(i, _d(2022, 7, 25), physical, output)
    transfer(2, _d(2022, 8, 1), _d(2022, 8, 15))
    pay(1, _d(2022, 8, 25), 690_000_000, "SP2D 0955/2022")
    pay(0, _d(2022, 9, 10), 1_325_000_000, "SP2D 1032/2022")
    pay(3, _d(2022, 9, 20), 440_000_000, "SP2D 1077/2022")
    pay(2, _d(2022, 10, 5), 820_000_000, "SP2D 1140/2022")
    for i, (physical, output) in enumerate([(80, 1000), (100, 40), (70, 400), (100, 10)]):
        progress(i, _d(2022, 10, 10), physical, output)
    transfer(3, _d(2022, 10, 20), _d(2022, 11, 2))
    pay(0, _d(2022, 12, 12), 795_000_000, "SP2D 1388/2022")
    pay(2, _d(2022, 12, 15), 820_000_000, "SP2D 1402/2022")
    for i, (physical, output) in enumerate([(100, 1200), (100, 40), (100, 600), (100, 10)]):
        progress(i, _d(2022, 12, 20), physical, output)

    problems = {
        1: "Menunggu penetapan pemenang tender; belum ada kendala.",
        2: "Pengiriman mesin kayu terlambat dua minggu karena cuaca; sudah diterima.",
        3: "Hujan menghambat pekerjaan atap rumah produksi pangan; laporan terlambat karena pergantian PPK.",
        4: "Pekerjaan selesai 100%; serah terima kepada pengelola sentra.",
    }
    submitted = {1: _d(2022, 4, 8), 2: _d(2022, 7, 8), 3: _d(2022, 10, 19), 4: _d(2023, 1, 9)}
    for quarter in (1, 2, 3, 4):
        _dak_report(kendari, allocation, quarter, problems[quarter], submitted[quarter])

    # --- DAK Nonfisik 2022: the July 2022 training (menu B), a single transfer (pagu ≤ Rp1 M) ---------------
    alloc_nf = services.allocation_set(actor=admin, fund=nonfisik, region=KENDARI, amount=Decimal(850) * MILLION)
    plan_nf = services.plan_create(
        actor=kendari,
        allocation=alloc_nf,
        title="Rencana Kegiatan DAK Nonfisik Penguatan Kapasitas Kelembagaan Sentra IKM Kota Kendari TA 2022",
    )
    training = services.line_add(
        actor=kendari,
        plan=plan_nf,
        sub_menu=_sub(nonfisik, "B.1"),
        description="Pelatihan manajemen mutu dan pengelolaan sentra IKM, 19–25 Juli 2022",
        output_name="Pengelola dan pembina terlatih",
        unit="orang",
        volume=Decimal(30),
        unit_cost=Decimal(9_500_000),
        location="Kota Kendari",
        centre=meubeler,
    )
    technical = services.line_add(
        actor=kendari,
        plan=plan_nf,
        sub_menu=_sub(nonfisik, "A.2"),
        description="Pelatihan teknis produksi dan finishing mebel",
        output_name="Peserta terlatih",
        unit="orang",
        volume=Decimal(20),
        unit_cost=Decimal(12_000_000),
        location="Sentra IKM Meubeler, Kec. Baruga",
        district=baruga,
        centre=meubeler,
    )
    services.line_add(
        actor=kendari,
        plan=plan_nf,
        sub_menu=_sub(nonfisik, "A.1"),
        description="Pelatihan manajemen wirausaha untuk IKM pengolahan pangan",
        output_name="Peserta terlatih",
        unit="orang",
        volume=Decimal(15),
        unit_cost=Decimal(10_000_000),
        location="Kota Kendari",
        centre=pangan,
        for_target_centre=False,
    )
    _approve(admin, sultra, kendari, plan_nf, (_d(2022, 3, 10), _d(2022, 3, 17), _d(2022, 3, 31)))
    training.refresh_from_db()
    technical.refresh_from_db()
    c_training = services.contract_add(
        actor=kendari,
        line=training,
        vendor="Lembaga Pelatihan Mutu Sultra (demo)",
        number="045/PPK-DAKNF/VII/2022",
        signed_on=_d(2022, 7, 1),
        value=Decimal(280_000_000),
        starts_on=_d(2022, 7, 19),
        ends_on=_d(2022, 7, 25),
    )
    t = services.transfer_request(actor=kendari, allocation=alloc_nf, stage=None, requested_on=_d(2022, 7, 4))
    services.transfer_receive(actor=kendari, transfer=t, received_on=_d(2022, 7, 14))
    services.payment_record(
        actor=kendari,
        contract=c_training,
        paid_on=_d(2022, 7, 29),
        amount=Decimal(280_000_000),
        reference="SP2D 0840/2022",
    )
    services.progress_record(
        actor=kendari,
        line=training,
        reported_on=_d(2022, 7, 26),
        physical_pct=Decimal(100),
        output_achieved=Decimal(30),
        note="Pelatihan 19–25 Juli 2022 selesai; 30 pengelola dan pembina sentra mengikuti.",
    )
    # The Nonfisik allocation reports every quarter too, on time (the Fisik one above was once late).
    problems_nf = {
        1: "Rencana kegiatan disetujui 31 Maret 2022; persiapan pelatihan.",
        2: "Penyedia pelatihan dipilih; pelatihan dijadwalkan 19–25 Juli 2022.",
        3: "Pelatihan manajemen mutu selesai dan dibayar; pelatihan teknis mebel dan wirausaha pangan belum "
        "dikontrakkan.",
        4: "Pelatihan teknis mebel dan wirausaha pangan tidak terlaksana pada TA 2022; diusulkan kembali TA 2023.",
    }
    submitted_nf = {1: _d(2022, 4, 7), 2: _d(2022, 7, 6), 3: _d(2022, 10, 7), 4: _d(2023, 1, 6)}
    for quarter in (1, 2, 3, 4):
        _dak_report(kendari, alloc_nf, quarter, problems_nf[quarter], submitted_nf[quarter])

    # --- TA 2023: an allocation without a plan yet, for the officer to draft (the browser journey) ---------
    fisik_2023 = Fund.objects.get(fiscal_year__year=2023, kind=FundKind.FISIK)
    services.allocation_set(
        actor=admin,
        fund=fisik_2023,
        region=KENDARI,
        amount=Decimal(2500) * MILLION,
        note="Angka contoh (pagu nasional TA 2023 Rp395 miliar; pagu Kendari tidak diketahui)",
    )
    ctx.objects["budget.allocation_2022"] = allocation
    ctx.log(
        f"  DAK: {REGIONS_2022} alokasi TA 2022 (Rp540 M), rencana Kendari {len(lines)} baris, "
        f"{Transfer.objects.filter(allocation=allocation).count()} tahap, 8 laporan triwulan (Fisik dan Nonfisik)"
    )
