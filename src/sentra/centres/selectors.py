"""Read use-cases of the centres app: lists, the profile (a fixed number of queries), occupancy, trends."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from sentra.budget import selectors as budget_selectors
from sentra.budget.choices import FundKind
from sentra.centres.choices import RENTABLE_KINDS, CentreStatus
from sentra.centres.criteria import centre_warnings, is_dak
from sentra.centres.models import (
    Centre,
    CentreMembership,
    EquipmentGrant,
    Facility,
    Tenancy,
    WorkshopUnit,
)
from sentra.core.querysets import scoped_get_or_404

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations


def active_on(day: dt.date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def _count(qs: QuerySet, field: str = "pk", distinct: bool = False) -> Any:
    """A correlated COUNT subquery (no joins fanning out in the outer query)."""
    counted = qs.order_by().values("centre").annotate(n=Count(field, distinct=distinct)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def centre_list(*, user: Any) -> QuerySet[Centre]:
    today = timezone.localdate()
    return (
        Centre.objects.visible_to(user)
        .select_related("region", "village")
        .annotate(
            units_total=_count(WorkshopUnit.objects.filter(centre=OuterRef("pk"), kind__in=RENTABLE_KINDS)),
            units_occupied=_count(
                Tenancy.objects.filter(centre=OuterRef("pk"), unit__kind__in=RENTABLE_KINDS).filter(active_on(today)),
                "unit",
                distinct=True,
            ),
            members_count=_count(CentreMembership.objects.filter(centre=OuterRef("pk"))),
        )
    )


def centre_get(*, user: Any, pk: Any, action: str = "view") -> Centre:
    qs = Centre.objects.select_related("region", "region__parent", "village").prefetch_related("managers", "kbli")
    return scoped_get_or_404(qs, user, pk, action)


@dataclass(frozen=True)
class Occupancy:
    occupied: int
    total: int

    @property
    def rate(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(100) * self.occupied / self.total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def vacant(self) -> int:
        return self.total - self.occupied


def occupancy(centre: Centre, day: dt.date | None = None) -> Occupancy:
    """Workshops let on ``day`` over all workshops (support buildings and offices are not let)."""
    day = day or timezone.localdate()
    total = WorkshopUnit.objects.filter(centre=centre, kind__in=RENTABLE_KINDS).count()
    occupied = (
        Tenancy.objects.filter(centre=centre, unit__kind__in=RENTABLE_KINDS)
        .filter(active_on(day))
        .values("unit")
        .distinct()
        .count()
    )
    return Occupancy(occupied, total)


def occupancy_series(centre: Centre, days: list[dt.date]) -> list[Occupancy]:
    """Occupancy at several dates from one read of the tenancies."""
    tenancies = list(
        Tenancy.objects.filter(centre=centre, unit__kind__in=RENTABLE_KINDS).values_list(
            "unit_id", "start_date", "end_date"
        )
    )
    total = WorkshopUnit.objects.filter(centre=centre, kind__in=RENTABLE_KINDS).count()
    series = []
    for day in days:
        units = {u for u, s, e in tenancies if s <= day and (e is None or e >= day)}
        series.append(Occupancy(len(units), total))
    return series


@dataclass
class TrendPoint:
    label: str
    period: str
    value: Decimal | None
    volume: Decimal | None
    sales: Decimal | None
    workforce: int | None
    occupancy: Any
    state: str
    height: float = 0.0
    x: float = 0.0
    y: float = 0.0


@dataclass
class Profile:
    centre: Centre
    units: Sequence[WorkshopUnit]
    occupancy: Occupancy
    members: list[CentreMembership]
    tenant_ids: set[int]
    size_classes: list[tuple[StrOrPromise, int]]
    workforce_male: int
    workforce_female: int
    facilities: list[Facility]
    fundings: list[Any]
    #: The DAK lines that fund the centre (``budget.figures.LineFigures``), its DAK funding history.
    dak_lines: list[Any]
    grants: list[EquipmentGrant]
    status_changes: list[Any]
    warnings: list[Any]
    trend: list[TrendPoint]
    chart: dict[str, Any] = field(default_factory=dict)
    #: When the centre is under construction and every DAK Fisik line that funds it reports 100 % physical
    #: progress: those lines, the evidence for moving it to "operating".
    construction_done: list[Any] = field(default_factory=list)

    @property
    def lettable(self) -> bool:
        """Units are let only once the centre operates (a building site has no tenants)."""
        return self.centre.lettable

    @property
    def dak_total(self) -> Any:
        return sum((lf.line.total for lf in self.dak_lines), Decimal(0))

    @property
    def dak_paid(self) -> Any:
        return sum((lf.paid for lf in self.dak_lines), Decimal(0))


def centre_years(user: Any) -> list[int]:
    """The years in which units of the user's centres were let or given back, or about which the centres sent a
    periodic report (a year source of ``core.years``): years in which something happened, not every year a
    tenancy merely ran on. A centre manager whose centre reports every month opens on this year, not on the
    year of the last new tenant."""
    from django.db.models.functions import ExtractYear

    from sentra.periodic.models import Submission, SubmissionState

    # One query for the years tenancies began and ended (a handful of distinct pairs), one for the reports.
    pairs = (
        Tenancy.objects.visible_to(user)
        .order_by()
        .values_list(ExtractYear("start_date"), ExtractYear("end_date"))
        .distinct()
    )
    let = {year for pair in pairs for year in pair if year is not None}
    reported = {
        d.year
        for d in Submission.objects.filter(
            subject_type__app_label=Centre._meta.app_label,  # a join, not one more query for the content type
            subject_type__model=Centre._meta.model_name,
            subject_id__in=Centre.objects.visible_to(user).values("pk"),
            state__in=[SubmissionState.SUBMITTED, SubmissionState.ACCEPTED],
        )
        .order_by()
        .dates("period_start", "year")
    }
    return sorted(let | reported)


def construction_evidence(centre: Centre, dak_lines: list[Any]) -> list[Any]:
    """The DAK Fisik lines showing that the centre's construction is finished: all of them at 100 % physical
    progress while the centre is still "under construction" (empty otherwise)."""
    if centre.status != CentreStatus.CONSTRUCTION:
        return []
    physical = [lf for lf in dak_lines if lf.line.plan.allocation.fund.kind == FundKind.FISIK]
    if physical and all(lf.physical_pct >= 100 for lf in physical):
        return physical
    return []


def centre_profile(*, user: Any, centre: Centre, today: dt.date | None = None) -> Profile:
    """Everything the profile page shows, in a fixed number of queries whatever the number of units/members."""
    from sentra.centres.reports import CENTRE_FORMS
    from sentra.periodic.models import Submission, SubmissionState
    from sentra.registry.choices import SizeClass

    today = today or timezone.localdate()
    units = list(
        WorkshopUnit.objects.filter(centre=centre).prefetch_related(
            Prefetch(
                "tenancies",
                queryset=Tenancy.objects.filter(active_on(today)).select_related("business"),
                to_attr="current",
            )
        )
    )
    for unit in units:
        unit.tenant = unit.current[0] if unit.current else None
    rentable = [u for u in units if u.kind in RENTABLE_KINDS]
    occ = Occupancy(sum(1 for u in rentable if u.tenant), len(rentable))
    tenant_ids = {u.tenant.business_id for u in units if u.tenant}
    members = list(
        CentreMembership.objects.filter(centre=centre)
        .select_related("business", "business__kbli")
        .order_by("business__name", "id")
    )
    businesses = [m.business for m in members]
    sizes = Counter(b.size_class or "" for b in businesses)
    labels = dict(SizeClass.choices)
    size_classes: list[tuple[StrOrPromise, int]] = [(labels[c], sizes.get(c, 0)) for c in SizeClass.values] + (
        [("Belum ditentukan", sizes[""])] if sizes.get("") else []
    )
    fundings = list(centre.fundings.all())
    dak_lines = budget_selectors.centre_lines(user=user, centre_id=centre.pk)
    has_dak = bool(dak_lines) or any(is_dak(f.source) for f in fundings)
    warnings = centre_warnings(centre, businesses, list(centre.kbli.all()), has_dak)
    submissions = list(
        Submission.objects.filter(
            form_code__in=CENTRE_FORMS,
            subject_type=ContentType.objects.get_for_model(Centre),
            subject_id=centre.pk,
            state__in=[SubmissionState.SUBMITTED, SubmissionState.ACCEPTED],
        ).order_by("-period_start")[:12]
    )
    submissions.reverse()
    trend = []
    for s in submissions:
        d = s.data
        wf = None
        if d.get("workforce_male") is not None or d.get("workforce_female") is not None:
            wf = (d.get("workforce_male") or 0) + (d.get("workforce_female") or 0)
        trend.append(
            TrendPoint(
                s.period_obj.label,
                s.period,
                _dec(d.get("production_value")),
                _dec(d.get("production_volume")),
                _dec(d.get("sales_value")),
                wf,
                d.get("occupancy_rate"),
                s.state,
            )
        )
    chart = _chart(trend)
    return Profile(
        centre=centre,
        units=units,
        occupancy=occ,
        members=members,
        tenant_ids=tenant_ids,
        size_classes=size_classes,
        workforce_male=sum(b.workforce_male or 0 for b in businesses),
        workforce_female=sum(b.workforce_female or 0 for b in businesses),
        facilities=list(centre.facilities.prefetch_related("attachments")),
        fundings=fundings,
        dak_lines=dak_lines,
        construction_done=construction_evidence(centre, dak_lines),
        grants=list(EquipmentGrant.objects.filter(centre=centre).order_by("-year", "id")),
        status_changes=list(centre.status_changes.select_related("actor")),
        warnings=warnings,
        trend=trend,
        chart=chart,
    )


def _dec(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _chart(trend: list[TrendPoint]) -> dict[str, Any]:
    """Geometry of a bar chart of production value, rendered as SVG by the template (no JavaScript needed)."""
    width, height, pad = 600, 220, 30
    values = [p.value for p in trend if p.value is not None]
    top = max(values) if values else Decimal(0)
    n = max(len(trend), 1)
    slot = (width - pad) / n
    for i, p in enumerate(trend):
        p.x = round(pad + i * slot + slot * 0.15, 1)
        p.height = round(float((p.value or 0) / top) * (height - 2 * pad), 1) if top else 0.0
        p.y = round(height - pad - p.height, 1)
    return {
        "width": width,
        "height": height,
        "pad": pad,
        "bar_width": round(slot * 0.7, 1),
        "base": height - pad,
        "top": top,
    }


def grant_list(*, user: Any) -> QuerySet[EquipmentGrant]:
    return EquipmentGrant.objects.visible_to(user).select_related("region", "centre", "business")


def grant_get(*, user: Any, pk: Any, action: str = "view") -> EquipmentGrant:
    qs = EquipmentGrant.objects.select_related("region", "centre", "business").prefetch_related(
        "handovers__recipient_centre", "handovers__recipient_business", "checks", "attachments"
    )
    return scoped_get_or_404(qs, user, pk, action)


class CentreCounts(TypedDict):
    """What ``centre_list`` annotates on each centre."""

    units_total: int
    units_occupied: int
    members_count: int


def map_points(centres: Sequence[WithAnnotations[Centre, CentreCounts]]) -> list[dict[str, Any]]:
    return [
        {
            "name": c.name,
            "lat": float(c.latitude),
            "lng": float(c.longitude),
            "url": c.get_absolute_url(),
            "status": c.get_status_display(),
            "occupancy": f"{c.units_occupied}/{c.units_total}" if hasattr(c, "units_total") else "",
        }
        for c in centres
        if c.latitude is not None and c.longitude is not None
    ]
