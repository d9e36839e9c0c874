"""Demo step (order 30): Kendari's three centres (docs/domain.md §2d, Kendari facts).

- Sentra IKM Meubeler, Kel. Lepo Lepo: 41 workshops and 2 support buildings (kiln); 11 workshops let in January
  2022, filling up over 2022–2024; rent of about Rp10 juta a year per workshop from 2023 (not charged in 2022);
  a year of monthly reports (the last closed month is left for the manager `mebel` to file).
- Sentra IKM Pengolahan Pangan, Kel. Sanua: about 1 ha, 12 workshops and an office; tender July 2022,
  construction from August 2022 (dated lifecycle history); fish processing and cashew.
- An automotive centre whose bengkel members (KBLI 45201/45407, outside manufacturing) are accepted and flagged.

Amounts not in the sources (pagu, machine values, production figures) are illustrative demo values.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from sentra.centres.choices import (
    CentreStatus,
    Condition,
    FacilityCategory,
    FundingSource,
    ManagingBody,
    Ownership,
    ReportPeriod,
    Sector,
    UnitKind,
    Utilisation,
)
from sentra.centres.models import (
    Centre,
    CentreMembership,
    CentreStatusChange,
    EquipmentGrant,
    Facility,
    Tenancy,
    WorkshopUnit,
)
from sentra.centres.reports import BUSINESS_SEMESTER, CENTRE_MONTHLY
from sentra.demo.context import JUTA, KENDARI, LEPO_LEPO, DemoContext, aware
from sentra.periodic.models import Submission, SubmissionState
from sentra.periodic.periods import Period, last_closed_period
from sentra.periodic.registry import ReportForm, report_form
from sentra.regions.models import Kbli

#: The Meubeler centre's equipment: the kiln building (APBN, owned by the city) and the ministry's machines.
FACILITIES: list[dict[str, Any]] = [
    {
        "name": "Oven pengering kayu (kiln)",
        "category": FacilityCategory.BUILDING,
        "quantity": 2,
        "funding_source": FundingSource.APBN,
        "ownership": Ownership.PEMDA,
        "year_acquired": 2019,
    },
    *(
        {
            "name": name,
            "category": FacilityCategory.MACHINE,
            "quantity": quantity,
            "funding_source": FundingSource.KEMENPERIN,
            "ownership": Ownership.KEMENPERIN,
            "year_acquired": 2020,
            "value": Decimal(value) * JUTA,
        }
        for name, quantity, value in (
            ("Mesin ketam (planer) kayu", 2, 38),
            ("Mesin gergaji belah (circular saw)", 2, 27),
            ("Mesin bor duduk", 3, 9),
            ("Kompresor dan spray gun finishing", 2, 14),
        )
    ),
]


def _centre(*, kbli: list[str], history: list[tuple[str, dt.date, str]], **fields: Any) -> Centre:
    centre = Centre.objects.create(region_id=KENDARI, status=history[-1][0], status_since=history[-1][1], **fields)
    centre.kbli.set(Kbli.objects.filter(version="2020", code__in=kbli))
    previous = ""
    for status, date, note in history:
        CentreStatusChange.objects.create(centre=centre, from_status=previous, to_status=status, date=date, note=note)
        previous = status
    return centre


def _units(
    centre: Centre, prefix: str, count: int, kind: str = UnitKind.WORKSHOP, size: int = 48
) -> list[WorkshopUnit]:
    return [
        WorkshopUnit.objects.create(centre=centre, code=f"{prefix}-{i:02d}", kind=kind, size_m2=Decimal(size))
        for i in range(1, count + 1)
    ]


def _member(centre: Centre, business: Any, joined: dt.date | None) -> None:
    CentreMembership.objects.get_or_create(centre=centre, business=business, defaults={"joined_on": joined})


def _let(
    unit: WorkshopUnit, business: Any, start: dt.date, fee: Decimal, *, agreement: str = "", note: str = ""
) -> None:
    """``business`` rents ``unit`` from ``start`` and so becomes a member of its centre."""
    Tenancy.objects.create(
        unit=unit,
        centre=unit.centre,
        business=business,
        start_date=start,
        agreement_number=agreement,
        annual_fee=fee,
        note=note,
    )
    _member(unit.centre, business, start)


@transaction.atomic
def load_centres(ctx: DemoContext) -> None:
    rng = ctx.rng
    businesses = ctx.objects.get("kendari_businesses", [])
    kendari = ctx.users.get("kendari")
    furniture_pool = [b for b in businesses[:45] if b.kbli_id and b.kbli.code.startswith("31")]
    furniture_more = [b for b in businesses[45:] if b.kbli_id and b.kbli.code.startswith("31")]
    food = [b for b in businesses if b.kbli_id and b.kbli.code[:2] == "10"]
    auto = [b for b in businesses if b.kbli_id and b.kbli.code in ("45201", "45407", "29200", "25111")]

    # --- Sentra IKM Meubeler ---------------------------------------------------------------------------------
    mebel = _centre(
        name="Sentra IKM Meubeler Kota Kendari",
        sector=Sector.KERAJINAN,
        commodity="furnitur dan interior kayu",
        kbli=["31001", "31002"],
        address="Jl. Boulevard",
        village_id=LEPO_LEPO,
        latitude=Decimal("-4.036200"),
        longitude=Decimal("122.494100"),
        managing_body=ManagingBody.UPTD,
        managing_body_name="UPTD Sentra IKM Meubeler",
        year_built=2019,
        land_status="Milik Pemerintah Kota Kendari",
        inside_kpi=True,
        report_period=ReportPeriod.MONTHLY,
        description="41 rumah produksi/workshop dan 2 gedung penunjang (oven pengering kayu). Mesin bantuan "
        "Kementerian Perindustrian disewakan oleh Pemda (sultra.tribunnews.com, 11-01-2022).",
        history=[
            (CentreStatus.PLANNED, dt.date(2017, 3, 1), "Usulan pembangunan sentra"),
            (CentreStatus.CONSTRUCTION, dt.date(2018, 6, 1), "Pembangunan gedung workshop"),
            (CentreStatus.OPERATING, dt.date(2021, 3, 1), "Mulai ditempati pelaku IKM"),
        ],
    )
    if "mebel" in ctx.users:
        mebel.managers.set([ctx.users["mebel"]])
    workshops = _units(mebel, "W", 41)
    _units(mebel, "K", 2, kind=UnitKind.SUPPORT, size=120)
    for unit in rng.sample(workshops, 2):
        unit.condition = Condition.MINOR
        unit.save(update_fields=["condition"])
    # 11 workshops let in January 2022, mostly interior trades; the rest fill up over 2022–2024.
    starts = [dt.date(2022, 1, 3)] * 11
    for i in range(len(furniture_pool) - 11):
        year = 2022 + (i * 3) // max(len(furniture_pool) - 11, 1)
        starts.append(dt.date(year, rng.randint(2 if year == 2022 else 1, 12), rng.randint(1, 28)))
    starts.sort()
    for unit, business, start in zip(workshops, furniture_pool, starts, strict=False):
        fee = Decimal(0) if start.year == 2022 else 10 * JUTA
        note = "Retribusi belum dipungut (2022)" if fee == 0 else ""
        _let(unit, business, start, fee, agreement=f"027/UPTD-SIM/{start.year}/{unit.code}", note=note)
    # One tenant left in 2023; the workshop was let again in 2024.
    moved = Tenancy.objects.filter(centre=mebel, start_date=dt.date(2022, 1, 3)).order_by("id").last()
    if moved and furniture_more:
        moved.end_date = dt.date(2023, 6, 30)
        moved.save(update_fields=["end_date"])
        let_again = dt.date(2024, 2, 1)
        _let(moved.unit, furniture_more[0], let_again, 10 * JUTA, agreement=f"027/UPTD-SIM/2024/{moved.unit.code}")
    for business in furniture_more[1:4]:
        _member(mebel, business, dt.date(2023, 1, 10))  # members who work outside the centre
    for facility in FACILITIES:
        Facility.objects.create(centre=mebel, **facility)
    # The centres' DAK funding is not typed here: it is read from the DAK lines that name them (budget demo).

    # --- Sentra IKM Pengolahan Pangan (under construction) -------------------------------------------------------
    pangan = _centre(
        name="Sentra IKM Pengolahan Pangan Kota Kendari",
        sector=Sector.PANGAN,
        commodity="pengolahan ikan dan jambu mete",
        kbli=["10213", "10750"],
        address="Kel. Sanua",
        village_id="74.71.05.1007",
        latitude=Decimal("-3.967400"),
        longitude=Decimal("122.566800"),
        managing_body=ManagingBody.AGENCY_UNIT,
        managing_body_name="Dinas Tenaga Kerja dan Perindustrian Kota Kendari",
        land_area_m2=Decimal(10_000),
        land_status="Milik Pemerintah Kota Kendari",
        inside_kpi=True,
        report_period=ReportPeriod.QUARTERLY,
        description="Sekitar 1 ha, sekitar 12 workshop dan kantor. Tender Juli 2022, pembangunan mulai Agustus "
        "2022 (sultra.tribunnews.com 20-07-2022; bisnissultra.com).",
        history=[
            (CentreStatus.PLANNED, dt.date(2021, 9, 1), "Usulan DAK Fisik 2022 (KRISNA)"),
            (CentreStatus.CONSTRUCTION, dt.date(2022, 8, 1), "Tender selesai Juli 2022; pembangunan dimulai"),
        ],
    )
    _units(pangan, "P", 12, size=36)
    _units(pangan, "KTR", 1, kind=UnitKind.OFFICE, size=80)
    for business in food[:4]:
        _member(pangan, business, dt.date(2022, 9, 1))

    # --- Automotive centre: bengkel members are flagged (KBLI 45201/45407 are outside manufacturing) --------------
    otomotif = _centre(
        name="Sentra IKM Otomotif Wua-Wua",
        sector=Sector.OTOMOTIF,
        commodity="karoseri, las dan perbengkelan",
        kbli=["29200", "45201", "45407"],
        address="Jl. Bunggasi",
        village_id="74.71.07.1001",
        latitude=Decimal("-4.006500"),
        longitude=Decimal("122.512300"),
        managing_body=ManagingBody.GROUP,
        managing_body_name="Kelompok Usaha Bengkel Wua-Wua",
        year_built=2015,
        inside_kpi=None,
        report_period=ReportPeriod.QUARTERLY,
        history=[(CentreStatus.OPERATING, dt.date(2016, 1, 1), "Data awal")],
    )
    auto_units = _units(otomotif, "B", 8, size=60)
    for unit, business in zip(auto_units[:5], auto, strict=False):
        _let(unit, business, dt.date(2021, 7, 1), 6 * JUTA)
    for business in auto[:9]:
        _member(otomotif, business, dt.date(2021, 7, 1))

    # --- Equipment grants (hibah mesin) ---------------------------------------------------------------------------
    _grants(mebel, furniture_pool)
    _reports(ctx, mebel, kendari)
    _business_reports(ctx, businesses, kendari)
    ctx.log(
        f"  3 sentra; Meubeler: {Tenancy.objects.filter(centre=mebel, end_date__isnull=True).count()} dari 41 "
        "workshop terisi"
    )


#: The machine grants to the Meubeler centre: (name, specification, value in juta, contract), then what happened to
#: each: a handover (BAST, day, to the centre or to the first tenant, reallocation reason) or a check (day,
#: utilisation, note). The spray booth sat idle at its first recipient and was moved to the centre.
GRANTS: list[tuple[tuple[str, str, int, str], list[tuple[Any, ...]]]] = [
    (
        ("Mesin moulding kayu 4 sisi", "4 spindel, 5,5 kW", 285, "KONTRAK/DAK-IKM/2023/07"),
        [
            ("handover", "BAST/027/2023/11", dt.date(2023, 10, 12), "centre", ""),
            ("check", dt.date(2024, 6, 20), Utilisation.ACTIVE, ""),
        ],
    ),
    (
        ("Spray booth finishing", "2 × 3 m, filter air", 96, "KONTRAK/DAK-IKM/2023/08"),
        [
            ("handover", "BAST/027/2023/12", dt.date(2023, 10, 12), "tenant", ""),
            ("check", dt.date(2024, 4, 2), Utilisation.IDLE, "Tidak dipakai sejak Januari"),
            (
                "handover",
                "BAST/027/2024/03",
                dt.date(2024, 5, 6),
                "centre",
                "Menganggur di IKM penerima; dipakai bersama di sentra",
            ),
            ("check", dt.date(2024, 11, 14), Utilisation.ACTIVE, ""),
        ],
    ),
]


def _grants(mebel: Centre, tenants: list[Any]) -> None:
    from sentra.centres.choices import GrantStatus
    from sentra.centres.models import EquipmentCheck, EquipmentHandover

    for (name, specification, value, contract), events in GRANTS if tenants else GRANTS[:1]:
        grant = EquipmentGrant.objects.create(
            region_id=KENDARI,
            name=name,
            specification=specification,
            value=Decimal(value) * JUTA,
            funding_source=FundingSource.DAK_FISIK,
            year=2023,
            procurement_ref=contract,
            status=GrantStatus.HANDED_OVER,
            centre=mebel,
        )
        for kind, *event in events:
            if kind == "handover":
                bast, day, to, reason = event
                recipient = {"recipient_centre": mebel} if to == "centre" else {"recipient_business": tenants[0]}
                EquipmentHandover.objects.create(
                    grant=grant, bast_number=bast, date=day, is_reallocation=bool(reason), reason=reason, **recipient
                )
            else:
                day, utilisation, note = event
                EquipmentCheck.objects.create(
                    grant=grant, date=day, utilisation=utilisation, condition=Condition.GOOD, note=note
                )


def _accepted(
    form: ReportForm,
    period: Period,
    subject: Any,
    data: dict[str, Any],
    by: Any,
    at: dt.datetime,
    *,
    reviewer: Any,
    review_days: int,
    **extra: Any,
) -> Submission:
    """A report ``by`` sent at ``at`` for ``period``, accepted by ``reviewer`` ``review_days`` later."""
    return Submission.objects.create(
        region_id=KENDARI,
        form_code=form.code,
        period_type=period.period_type,
        period=period.code,
        period_start=period.start,
        period_end=period.end,
        due_date=period.end + dt.timedelta(days=form.due_days),
        subject_type=ContentType.objects.get_for_model(type(subject)),
        subject_id=subject.pk,
        subject_label=str(subject)[:255],
        state=SubmissionState.ACCEPTED,
        data=data,
        created_by=by,
        submitted_at=at,
        submitted_by=by,
        reviewed_at=at + dt.timedelta(days=review_days),
        reviewed_by=reviewer,
        **extra,
    )


def _reports(ctx: DemoContext, mebel: Centre, reviewer: Any) -> None:
    """Twelve accepted monthly reports before the last closed month (which is left for `mebel` to file)."""
    from sentra.centres.selectors import occupancy_series
    from sentra.periodic.services import jump_flags

    form = _form(CENTRE_MONTHLY)
    rng = ctx.rng
    latest = last_closed_period(timezone.localdate(), form.period_type).previous()
    periods: list[Period] = [latest]
    while len(periods) < 12:
        periods.append(periods[-1].previous())
    periods.reverse()
    occupancies = occupancy_series(mebel, [p.end for p in periods])
    manager = ctx.users.get("mebel")
    previous = None
    for i, (period, occ) in enumerate(zip(periods, occupancies, strict=True)):
        volume = Decimal(rng.randint(150, 230)) if i != 8 else Decimal(690)  # one big order: flagged as a jump
        value = volume * Decimal(rng.randint(2_400, 2_900)) * 1000
        data = {
            "production_volume": str(volume),
            "production_unit": "unit",
            "production_value": str(value),
            "sales_value": str((value * Decimal("0.9")).quantize(Decimal(1))),
            "workforce_male": 96 + rng.randint(-4, 6),
            "workforce_female": 21 + rng.randint(-2, 3),
            "units_occupied": occ.occupied,
            "units_total": occ.total,
            "occupancy_rate": str(occ.rate),
            "problems": rng.choice(
                ["Pasokan kayu terlambat.", "Listrik padam beberapa kali.", "", "Perlu pelatihan finishing.", ""]
            ),
        }
        due = period.end + dt.timedelta(days=form.due_days)
        submitted = aware(due - dt.timedelta(days=rng.randint(0, 6)))
        if i == 3:
            submitted = aware(due + dt.timedelta(days=4))  # late
        previous = _accepted(
            form,
            period,
            mebel,
            data,
            manager,
            submitted,
            reviewer=reviewer,
            review_days=2,
            flags=jump_flags(form, data, previous.data if previous else None),
            prefilled_from=previous,
        )


def _business_reports(ctx: DemoContext, businesses: list[Any], reviewer: Any) -> None:
    """The `pemilik` business's last semester report, accepted; the current one is left for the owner."""
    if not businesses:
        return
    form = _form(BUSINESS_SEMESTER)
    business = businesses[0]
    period = last_closed_period(timezone.localdate(), form.period_type).previous()
    data = {
        "investment_value": str(business.investment_value or 0),
        "production_capacity": str(business.production_capacity or 0),
        "installed_capacity": str(business.installed_capacity or 0),
        "capacity_unit": business.capacity_unit or "unit",
        "production_volume": "420",
        "production_value": str((business.production_value or 0) / 2),
        "turnover": str((business.turnover or 0) / 2),
        "raw_materials": business.raw_materials or "kayu",
        "workforce_male": business.workforce_male or 0,
        "workforce_female": business.workforce_female or 0,
        "water_m3": "12",
        "fuel_litres": "60",
        "electricity_kwh": "1850",
        "machinery": "Mesin ketam, gergaji, bor",
    }
    due = period.end + dt.timedelta(days=form.due_days)
    sent = aware(due - dt.timedelta(days=9), hour=9)
    _accepted(form, period, business, data, ctx.users.get("pemilik"), sent, reviewer=reviewer, review_days=3)


def _form(code: str) -> ReportForm:
    form = report_form(code)
    if form is None:
        raise LookupError(f"The {code} report form registers when its app starts; is the app installed?")
    return form
