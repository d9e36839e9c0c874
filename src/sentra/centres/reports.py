"""The report forms this app registers with periodic reporting:

- the centre report by the centre manager, monthly or quarterly per the centre's setting (one form per period
  type, DHIS2's pattern): production, sales, workforce by gender, occupancy (computed), problems;
- the business self-report (semester) by the owner or an officer on the owner's behalf: the SIINas
  small-industry fields (Permenperin 13/2025 Pasal 7, docs/domain.md §9), written to the registry when accepted.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.centres.choices import CentreStatus, ReportPeriod
from sentra.periodic.periods import PeriodType
from sentra.periodic.registry import ReportField, ReportForm, register_report_form

CENTRE_MONTHLY = "centre-monthly"
CENTRE_QUARTERLY = "centre-quarterly"
BUSINESS_SEMESTER = "business-semester"
CENTRE_FORMS = (CENTRE_MONTHLY, CENTRE_QUARTERLY)

CENTRE_FIELDS = (
    ReportField("production_volume", _("Volume produksi"), "decimal", check_jump=True),
    ReportField("production_unit", _("Satuan produksi"), "text", help_text=_("Misalnya unit, kg, potong.")),
    ReportField("production_value", _("Nilai produksi (Rp)"), "money", check_jump=True),
    ReportField("sales_value", _("Nilai penjualan (Rp)"), "money", check_jump=True),
    ReportField("workforce_male", _("Tenaga kerja laki-laki"), "int", check_jump=True),
    ReportField("workforce_female", _("Tenaga kerja perempuan"), "int", check_jump=True),
    ReportField("units_occupied", _("Unit workshop terisi"), "int", computed=True),
    ReportField("units_total", _("Jumlah unit workshop"), "int", computed=True),
    ReportField("occupancy_rate", _("Tingkat hunian (%)"), "decimal", computed=True),
    ReportField(
        "problems",
        _("Masalah dan kebutuhan"),
        "text",
        required=False,
        prefill=False,
        multiline=True,
        help_text=_("Kendala bahan baku, mesin, pemasaran, listrik, dan lain-lain."),
    ),
)


def _centre_expected(period: str):  # type: ignore[no-untyped-def]
    def expected(region_ids: list[str] | None):  # type: ignore[no-untyped-def]
        from sentra.centres.models import Centre

        qs = Centre.objects.filter(
            report_period=period, status__in=[CentreStatus.OPERATING, CentreStatus.REVITALISATION]
        )
        return qs if region_ids is None else qs.filter(region_id__in=region_ids)

    return expected


def _centre_reporters(centre: Any) -> list[Any]:
    return list(centre.managers.filter(is_active=True))


def _centre_compute(centre: Any, period: Any) -> dict[str, Any]:
    from sentra.centres.selectors import occupancy

    day = min(period.end, timezone.localdate())
    occ = occupancy(centre, day)
    return {
        "units_occupied": occ.occupied,
        "units_total": occ.total,
        "occupancy_rate": str(occ.rate) if occ.rate is not None else None,
    }


BUSINESS_FIELDS = (
    ReportField("investment_value", _("Nilai investasi tanpa tanah & bangunan (Rp)"), "money", check_jump=True),
    ReportField("investment_land_buildings", _("Nilai investasi tanah & bangunan (Rp)"), "money", required=False),
    ReportField("production_capacity", _("Kapasitas produksi per tahun"), "decimal", check_jump=True),
    ReportField("installed_capacity", _("Kapasitas terpasang per tahun"), "decimal", required=False),
    ReportField("capacity_unit", _("Satuan kapasitas/produksi"), "text"),
    ReportField("production_volume", _("Produksi semester ini (volume)"), "decimal", check_jump=True),
    ReportField("production_value", _("Nilai produksi semester ini (Rp)"), "money", check_jump=True),
    ReportField("turnover", _("Hasil penjualan semester ini (Rp)"), "money", check_jump=True),
    ReportField("raw_materials", _("Bahan baku"), "text", multiline=True),
    ReportField("workforce_male", _("Tenaga kerja laki-laki"), "int", check_jump=True),
    ReportField("workforce_female", _("Tenaga kerja perempuan"), "int", check_jump=True),
    ReportField("water_m3", _("Penggunaan air baku untuk produksi (m³)"), "decimal", required=False),
    ReportField("fuel_litres", _("Penggunaan bahan bakar & pelumas (liter)"), "decimal", required=False),
    ReportField("electricity_kwh", _("Penggunaan tenaga listrik untuk produksi (kWh)"), "decimal", required=False),
    ReportField("machinery", _("Mesin & peralatan produksi"), "text", multiline=True),
)


def _business_expected(region_ids: list[str] | None):  # type: ignore[no-untyped-def]
    from sentra.registry.choices import BusinessStatus
    from sentra.registry.models import Business

    qs = Business.objects.alive().filter(status=BusinessStatus.ACTIVE)
    return qs if region_ids is None else qs.filter(region_id__in=region_ids)


def _business_reporters(business: Any) -> list[Any]:
    from sentra.accounts.models import User

    return list(User.objects.filter(owner_profile__ownerships__business=business, is_active=True))


def _dec(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def business_accept(*, actor: Any, submission: Any) -> None:
    """Write the accepted semester figures to the registry through its service (audited there too).

    The registry holds yearly values: production and sales become the sum of this and the previous accepted
    semester, or twice this semester when there is none (noted in the audit trail as an estimate).
    """
    from sentra.periodic.models import Submission, SubmissionState
    from sentra.registry.models import Business
    from sentra.registry.services import business_update

    business = Business.objects.select_for_update().get(pk=submission.subject_id)
    data = submission.data
    previous = (
        Submission.objects.filter(
            form_code=submission.form_code,
            subject_type=submission.subject_type,
            subject_id=submission.subject_id,
            period_start__lt=submission.period_start,
            state=SubmissionState.ACCEPTED,
        )
        .order_by("-period_start")
        .first()
    )
    adjacent = previous is not None and previous.period_obj.next().code == submission.period

    def yearly(name: str) -> Decimal | None:
        value = _dec(data.get(name))
        if value is None:
            return None
        if adjacent and _dec(previous.data.get(name)) is not None:
            return value + _dec(previous.data.get(name))
        return value * 2

    fields: dict[str, Any] = {
        "investment_value": _dec(data.get("investment_value")),
        "production_capacity": _dec(data.get("production_capacity")),
        "production_value": yearly("production_value"),
        "turnover": yearly("turnover"),
        "workforce_male": data.get("workforce_male"),
        "workforce_female": data.get("workforce_female"),
    }
    for name in ("investment_land_buildings", "installed_capacity"):
        if data.get(name) not in (None, ""):
            fields[name] = _dec(data[name])
    for name in ("capacity_unit", "raw_materials", "machinery"):
        if data.get(name):
            fields[name] = str(data[name])[: 300 if name != "capacity_unit" else 30]
    business_update(actor=actor, business=business, **{k: v for k, v in fields.items() if v is not None})


def register() -> None:
    for code, period, title, report_period in (
        (CENTRE_MONTHLY, PeriodType.MONTHLY, _("Laporan bulanan sentra"), ReportPeriod.MONTHLY),
        (CENTRE_QUARTERLY, PeriodType.QUARTERLY, _("Laporan triwulanan sentra"), ReportPeriod.QUARTERLY),
    ):
        register_report_form(
            ReportForm(
                code=code,
                title=title,
                period_type=period,
                subject_model="centres.centre",
                fields=CENTRE_FIELDS,
                due_days=10,
                reporter_scopes=("centre",),
                expected=_centre_expected(report_period),
                reporters=_centre_reporters,
                compute=_centre_compute,
                description=_("Diisi pengelola sentra: produksi, penjualan, tenaga kerja, hunian dan masalah."),
            )
        )
    register_report_form(
        ReportForm(
            code=BUSINESS_SEMESTER,
            title=_("Laporan semester IKM (SIINas)"),
            period_type=PeriodType.SEMESTER,
            subject_model="registry.business",
            fields=BUSINESS_FIELDS,
            due_days=30,
            reporter_scopes=("owner",),
            expected=_business_expected,
            reporters=_business_reporters,
            on_accept=business_accept,
            description=_(
                "Data industri kecil SIINas (Permenperin 13/2025 Pasal 7), diisi pemilik atau petugas atas namanya."
            ),
        )
    )
