"""The programme figures per regency/city and year (``ProgrammeCube``): computed here in a job, read by the dashboard.

Every function groups by regency in the database (one query per figure and year at most), so refreshing one
regency reads only its rows and refreshing all regions is a handful of grouped scans. The definitions:

- trainings: batches starting in the year, not cancelled; participants: accepted applicants of those batches;
  completion: passed ÷ participants with a result; score gain: mean of post-test − pre-test where both exist.
- DAK: allocations of the fiscal year; absorption = paid (payments on approved plans) ÷ received (transfers
  received in the RKUD), docs/domain.md §3c; physical progress: each approved line's latest reported physical %,
  weighted by the line's amount; late reports: quarterly reports sent after their due date, or still unsent
  after it.
- certifications held on the reference day (31 December, or today for this year and later): issued on or before
  it and not expired; expiring: expiring within the notice window after it.
- INDI 4.0: per business its latest submitted or verified assessment submitted in the year, by level (0–4).
- centres (their present status), rentable workshops and those let on the reference day; missing reports: for
  each operating centre, the closed reporting periods of the year without a sent report.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from sentra.core.dashboard import reference_day  # shared with the centre manager's figures
from sentra.regions.models import Region, RegionLevel
from sentra.reports.models import ProgrammeCube

YEARS = 10  # this year and the nine before it
BATCH = 2000
ZERO = Decimal(0)
MONEY = DecimalField(max_digits=22, decimal_places=2)


def programme_years(today: dt.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(range(today.year - YEARS + 1, today.year + 1))


def _scoped(qs: QuerySet, field: str, region_ids: list[str] | None) -> QuerySet:
    return qs if region_ids is None else qs.filter(**{f"{field}__in": region_ids})


def _add(out: dict, rows: Iterable[dict[str, Any]], key: str = "region_id", year: Any = None) -> None:
    for r in rows:
        y = year if year is not None else r["y"]
        target = out[(r[key], y)]
        for name, value in r.items():
            if name in (key, "y"):
                continue
            target[name] = target.get(name, 0) + (value or 0)


def _training(out: dict, region_ids: list[str] | None, years: list[int]) -> None:
    from sentra.training.choices import BatchStatus, ParticipantResult, ParticipantStatus
    from sentra.training.models import Batch, Participant
    from sentra.training.selectors import passed_q

    batches = _scoped(Batch.objects.all(), "region_id", region_ids).filter(start_date__year__in=years)
    batches = batches.exclude(status=BatchStatus.CANCELLED)
    _add(out, batches.values("region_id", y=F("start_date__year")).annotate(batches=Count("pk")).order_by())
    people = _scoped(Participant.objects.all(), "batch__region_id", region_ids).filter(
        batch__start_date__year__in=years, status=ParticipantStatus.ACCEPTED
    )
    people = people.exclude(batch__status=BatchStatus.CANCELLED)
    scored = Q(pre_test__isnull=False, post_test__isnull=False)
    _add(
        out,
        people.values(rid=F("batch__region_id"), y=F("batch__start_date__year"))
        .annotate(
            participants=Count("pk"),
            assessed=Count("pk", filter=Q(result__in=[ParticipantResult.PASSED, ParticipantResult.FAILED])),
            passed=Count("pk", filter=passed_q()),  # the training app's "lulus"
            score_pairs=Count("pk", filter=scored),
            score_gain_sum=Sum(F("post_test") - F("pre_test"), filter=scored),
        )
        .order_by(),
        key="rid",
    )


def _budget(out: dict, region_ids: list[str] | None, years: list[int], today: dt.date) -> None:
    from sentra.budget.choices import PlanStatus, TransferStatus
    from sentra.budget.models import Allocation, BudgetLine, Payment, ProgressReport, Transfer

    year_of = "fund__fiscal_year__year"
    allocations = _scoped(Allocation.objects.all(), "region_id", region_ids).filter(**{f"{year_of}__in": years})
    _add(
        out,
        allocations.values("region_id", y=F(year_of))
        .annotate(dak_allocations=Count("pk"), dak_pagu=Sum("amount"))
        .order_by(),
    )
    received = _scoped(Transfer.objects.all(), "allocation__region_id", region_ids).filter(
        status=TransferStatus.RECEIVED, **{f"allocation__{year_of}__in": years}
    )
    _add(
        out,
        received.values(rid=F("allocation__region_id"), y=F(f"allocation__{year_of}"))
        .annotate(dak_received=Sum("amount"))
        .order_by(),
        key="rid",
    )
    plan = "contract__line__plan__"
    paid = _scoped(Payment.objects.all(), f"{plan}allocation__region_id", region_ids).filter(
        **{f"{plan}status": PlanStatus.APPROVED, f"{plan}allocation__{year_of}__in": years}
    )
    _add(
        out,
        paid.values(rid=F(f"{plan}allocation__region_id"), y=F(f"{plan}allocation__{year_of}"))
        .annotate(dak_paid=Sum("amount"))
        .order_by(),
        key="rid",
    )
    latest = ProgressReport.objects.filter(line=OuterRef("pk")).order_by("-reported_on", "-id").values("physical_pct")
    lines = _scoped(BudgetLine.objects.all(), "plan__allocation__region_id", region_ids).filter(
        plan__status=PlanStatus.APPROVED, **{f"plan__allocation__{year_of}__in": years}
    )
    lines = lines.annotate(phys=Coalesce(Subquery(latest[:1]), Value(ZERO), output_field=MONEY))
    _add(
        out,
        lines.values(rid=F("plan__allocation__region_id"), y=F(f"plan__allocation__{year_of}"))
        .annotate(
            dak_plan_total=Sum("total"),
            dak_physical_weighted=Sum(
                F("phys") * F("total"), output_field=DecimalField(max_digits=26, decimal_places=4)
            ),
        )
        .order_by(),
        key="rid",
    )
    # Timeliness from periodic reporting's one computation (the DAK quarterly report is a periodic report form),
    # so the dashboard, the DAK pages and the periodic completeness page count the same reports.
    from sentra.budget.reports import dak_form, year_periods
    from sentra.periodic.selectors import completeness_rows

    form = dak_form()
    for year in sorted(set(allocations.order_by().values_list(year_of, flat=True).distinct())):
        rows = completeness_rows(form=form, region_ids=region_ids, periods=year_periods(year), today=today)
        _add(
            out,
            (
                {"region_id": r.region.code, "dak_reports_due": r.expected, "dak_reports_late": r.late}
                for r in rows
                if r.is_due
            ),
            year=year,
        )


def _quality(out: dict, region_ids: list[str] | None, years: list[int], today: dt.date) -> None:
    from sentra.quality.choices import IndiStatus
    from sentra.quality.models import Certification, IndiAssessment
    from sentra.quality.querysets import expiring_q, held_q
    from sentra.quality.scoring import indi_level

    certs = _scoped(Certification.objects.all(), "region_id", region_ids)
    for year in years:
        ref = reference_day(year, today)
        # The quality app's definitions, as its summary page and lists count them.
        _add(
            out,
            certs.filter(held_q(ref))
            .values("region_id")
            .annotate(certs_held=Count("pk"), certs_expiring=Count("pk", filter=expiring_q(ref)))
            .order_by(),
            year=year,
        )
    indi = _scoped(IndiAssessment.objects.all(), "region_id", region_ids).filter(
        status__in=[IndiStatus.SUBMITTED, IndiStatus.VERIFIED],
        overall__isnull=False,
        submitted_at__isnull=False,
        submitted_at__year__in=years,
    )
    latest: dict[tuple[int, int], tuple[Any, str, Decimal]] = {}
    for business_id, region_id, submitted_at, _pk, overall in (
        indi.order_by("submitted_at", "pk")
        .values_list("business_id", "region_id", "submitted_at", "pk", "overall")
        .iterator(chunk_size=BATCH)
    ):
        year = timezone.localtime(submitted_at).year if timezone.is_aware(submitted_at) else submitted_at.year
        latest[(business_id, year)] = (year, region_id, overall)  # ordered: the last one wins
    for year, region_id, overall in latest.values():
        level = indi_level(overall)
        target = out[(region_id, year)]
        target[f"indi_{level}"] = target.get(f"indi_{level}", 0) + 1


def _centres(out: dict, region_ids: list[str] | None, years: list[int], today: dt.date) -> None:
    from django.contrib.contenttypes.models import ContentType

    from sentra.centres.choices import RENTABLE_KINDS, CentreStatus, ReportPeriod
    from sentra.centres.models import Centre, Tenancy, WorkshopUnit
    from sentra.periodic.models import Submission, SubmissionState
    from sentra.periodic.periods import Period, PeriodType

    centres = _scoped(Centre.objects.all(), "region_id", region_ids)
    counts = list(
        centres.values("region_id")
        .annotate(centres=Count("pk"), centres_operating=Count("pk", filter=Q(status=CentreStatus.OPERATING)))
        .order_by()
    )
    units = list(
        _scoped(WorkshopUnit.objects.all(), "centre__region_id", region_ids)
        .filter(kind__in=RENTABLE_KINDS)
        .values(rid=F("centre__region_id"))
        .annotate(units=Count("pk"))
        .order_by()
    )
    tenancies = _scoped(Tenancy.objects.all(), "centre__region_id", region_ids).filter(unit__kind__in=RENTABLE_KINDS)
    reporting = centres.filter(status__in=[CentreStatus.OPERATING, CentreStatus.REVITALISATION])
    expected = {
        period: dict(reporting.filter(report_period=period).values_list("region_id").annotate(n=Count("pk")).order_by())
        for period in (ReportPeriod.MONTHLY, ReportPeriod.QUARTERLY)
    }
    forms = {
        ReportPeriod.MONTHLY: ("centre-monthly", PeriodType.MONTHLY),
        ReportPeriod.QUARTERLY: ("centre-quarterly", PeriodType.QUARTERLY),
    }
    centre_type = ContentType.objects.get_for_model(Centre)
    for year in years:
        ref = reference_day(year, today)
        _add(out, counts, year=year)
        _add(out, units, key="rid", year=year)
        let = (
            tenancies.filter(start_date__lte=ref)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=ref))
            .values(rid=F("centre__region_id"))
            .annotate(units_let=Count("unit", distinct=True))
            .order_by()
        )
        _add(out, let, key="rid", year=year)
        for period, (form_code, period_type) in forms.items():
            closed = []
            p = Period(dt.date(year, 1, 1), period_type)
            while p.start.year == year and p.end < today:
                closed.append(p.code)
                p = p.next()
            if not closed or not expected[period]:
                continue
            sent = dict(
                Submission.objects.filter(
                    form_code=form_code,
                    period__in=closed,
                    subject_type=centre_type,
                    subject_id__in=reporting.filter(report_period=period).values("pk"),
                    state__in=[SubmissionState.SUBMITTED, SubmissionState.ACCEPTED],
                )
                .values_list("region_id")
                .annotate(n=Count("pk"))
                .order_by()
            )
            for region_id, n in expected[period].items():
                target = out[(region_id, year)]
                due = n * len(closed)
                target["reports_expected"] = target.get("reports_expected", 0) + due
                target["reports_missing"] = target.get("reports_missing", 0) + max(due - sent.get(region_id, 0), 0)


def programme_rows(*, region_ids: list[str] | None, years: list[int], today: dt.date | None = None) -> dict:
    """``{(regency code, year): {field: value}}`` computed from the raw tables (the cube's definition)."""
    today = today or timezone.localdate()
    out: dict[tuple[str, int], dict[str, Any]] = defaultdict(dict)
    _training(out, region_ids, years)
    _budget(out, region_ids, years, today)
    _quality(out, region_ids, years, today)
    _centres(out, region_ids, years, today)
    return out


def programme_refresh(*, region_ids: Iterable[str] | None = None, today: dt.date | None = None) -> int:
    """Rebuild the programme cube of these regencies (None: every region), for the last ``YEARS`` years."""
    years = programme_years(today)
    ids = None if region_ids is None else sorted({r for r in region_ids if r})
    if ids == []:
        return 0
    if ids is not None:
        # Only regencies/cities own rows (a province code from a province-level record is expanded).
        provinces = [r for r in ids if len(r) == 2]
        ids = sorted(
            {r for r in ids if len(r) == 5}
            | set(
                Region.objects.filter(parent_id__in=provinces, level=RegionLevel.REGENCY).values_list("code", flat=True)
            )
        )
    rows = programme_rows(region_ids=ids, years=years, today=today)
    known = set(Region.objects.filter(level=RegionLevel.REGENCY).values_list("code", flat=True))
    cubes = [
        ProgrammeCube(region_id=region, province_code=region[:2], year=year, **values)
        for (region, year), values in rows.items()
        if region in known and any(values.values())
    ]
    with transaction.atomic():
        existing = ProgrammeCube.objects.filter(year__in=years)
        (existing if ids is None else existing.filter(region_id__in=ids)).delete()
        ProgrammeCube.objects.bulk_create(cubes, batch_size=BATCH)
    return len(cubes)
