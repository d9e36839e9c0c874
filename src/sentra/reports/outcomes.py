"""Programme outcomes: the entrepreneur funnel, new industrial entrepreneurs per year and per DAK
rupiah, and trained businesses against comparable untrained ones.

Definitions (shown on the page too):

- *applied*: every application to a batch starting in the year; *trained*: passed the batch (result "lulus":
  attendance and post-test thresholds of the programme, docs/domain.md §4); *certified*: holds a certificate that has
  not been revoked; *registered a business or NIB*: the business linked to the participation has an NIB, or a
  follow-up reports a new business or an NIB; *grew*: a follow-up reports turnover or workforce above the
  baseline recorded at registration; *centre tenant*: one of the person's businesses rents a centre unit that was
  still rented on or after the batch's start. Each stage counts only those who reached the stage before it.
- *new industrial entrepreneur* (wirausaha industri baru): a trained participant whose follow-up reports a new
  business. Per DAK rupiah: divided by the total of the DAK budget lines that paid for that year's batches.
- *comparison*: trained businesses (passed a batch in the year) against businesses of the same KBLI division,
  size class and regency that never passed a batch; the change runs from 1 January of the year to today, with the
  value at the start read from the registry's audit trail (the value before the first later change, or the
  current value when nothing changed; for a business recorded later, its first recorded value). Any figure resting on fewer than ``MIN_CELL`` businesses is hidden.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.budget.models import BudgetLine
from sentra.centres.models import Tenancy
from sentra.core.models import AuditEvent
from sentra.regions.models import Region, RegionLevel
from sentra.registry.models import Business
from sentra.reports.models import OutcomeSummary
from sentra.reports.selectors import dashboard_region
from sentra.reports.suppression import MIN_CELL
from sentra.training.choices import ParticipantResult
from sentra.training.models import Batch, Certificate, FollowUp, Participant
from sentra.training.selectors import passed_q

BILLION = Decimal(1_000_000_000)


@dataclass
class FunnelStage:
    key: str
    label: str
    count: int  # participations
    people: int  # distinct owners
    url: str = ""
    share: Decimal | None = None  # of the first stage's people, %


@dataclass
class YearGrowth:
    year: int
    new_entrepreneurs: int
    dak_rupiah: Decimal
    batches: int
    per_billion: Decimal | None
    url: str = ""


@dataclass
class GroupChange:
    label: str
    businesses: int
    turnover_start: Decimal | None = None
    turnover_end: Decimal | None = None
    turnover_pct: Decimal | None = None
    workforce_start: int | None = None
    workforce_end: int | None = None
    workforce_change: int | None = None
    hidden: bool = False


@dataclass
class Outcomes:
    region: Region | None
    year: int
    years: list[int]
    funnel: list[FunnelStage]
    growth: list[YearGrowth]
    trained: GroupChange
    comparable: GroupChange
    cells: int
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)
    min_cell: int = MIN_CELL
    refreshed_at: dt.datetime | None = None


def region_ids_of(region: Region | None) -> list[str] | None:
    """Regency codes under ``region`` (None: the whole country)."""
    if region is None:
        return None
    if region.level == RegionLevel.PROVINCE:
        return list(
            Region.objects.filter(parent_id=region.code, level=RegionLevel.REGENCY).values_list("code", flat=True)
        )
    return [region.code]


def _objects(model: Any, user: Any) -> QuerySet:
    """The rows ``user`` may see; ``user=None`` is the summary job, which computes an area's figures whole (the page
    only ever shows an area inside the reader's scope, ``dashboard_region``)."""
    return model.objects.all() if user is None else model.objects.visible_to(user)


def _in_regions(qs: QuerySet, field_name: str, region_ids: list[str] | None) -> QuerySet:
    return qs if region_ids is None else qs.filter(**{f"{field_name}__in": region_ids})


def _pct(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def funnel_participants(*, user: Any, region_ids: list[str] | None, year: int) -> QuerySet:
    """The year's participations in scope, each flagged with the funnel stages it reached."""
    qs = _in_regions(_objects(Participant, user), "batch__region_id", region_ids).filter(batch__start_date__year=year)
    followups = FollowUp.objects.filter(participant=OuterRef("pk"))
    tenancies = Tenancy.objects.filter(business__ownerships__owner=OuterRef("owner")).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("batch__start_date"))
    )
    return qs.alias(
        s_trained=passed_q(),  # as the dashboard counts "lulus"
        s_cert=Exists(Certificate.objects.filter(participant=OuterRef("pk"), revoked_at__isnull=True)),
        s_biz=Q(business__nib__gt="") | Exists(followups.filter(Q(nib_registered=True) | Q(started_business=True))),
        s_grew=Exists(
            followups.filter(
                Q(turnover__gt=OuterRef("baseline_turnover")) | Q(workforce__gt=OuterRef("baseline_workforce"))
            )
        ),
        s_tenant=Exists(tenancies),
    )


STAGES = [
    ("applied", _("Mendaftar pelatihan"), Q()),
    ("trained", _("Lulus pelatihan"), Q(s_trained=True)),
    ("certified", _("Bersertifikat pelatihan"), Q(s_trained=True, s_cert=True)),
    ("business", _("Memiliki usaha atau NIB"), Q(s_trained=True, s_cert=True, s_biz=True)),
    ("grew", _("Usaha berkembang (omzet/tenaga kerja naik)"), Q(s_trained=True, s_cert=True, s_biz=True, s_grew=True)),
    (
        "tenant",
        _("Menyewa unit di sentra IKM"),
        Q(s_trained=True, s_cert=True, s_biz=True, s_grew=True, s_tenant=True),
    ),
]


def stage_participants(*, user: Any, region_ids: list[str] | None, year: int, stage: str) -> QuerySet:
    """The participations behind one funnel stage (the list its figure links to); unknown stage: none."""
    conditions = {key: cond for key, _label, cond in STAGES}
    qs = funnel_participants(user=user, region_ids=region_ids, year=year)
    if stage not in conditions:
        return qs.none()
    return qs.filter(conditions[stage]).select_related("owner", "batch", "business")


def stage_url(*, stage: str, year: int, region: Region | None) -> str:
    params = {"tahap": stage, "tahun": year}
    if region is not None:
        params["wilayah"] = region.code
    return reverse("reports:funnel_stage") + "?" + urlencode(params)


def _funnel(qs: QuerySet, year: int, region: Region | None = None) -> list[FunnelStage]:
    aggregates: dict[str, Any] = {}
    for key, _label, cond in STAGES:
        aggregates[f"{key}_n"] = Count("pk", filter=cond) if cond else Count("pk")
        aggregates[f"{key}_p"] = Count("owner", filter=cond, distinct=True) if cond else Count("owner", distinct=True)
    row = qs.aggregate(**aggregates)
    stages = []
    for key, label, _cond in STAGES:
        stages.append(
            FunnelStage(
                key,
                str(label),
                row[f"{key}_n"] or 0,
                row[f"{key}_p"] or 0,
                stage_url(stage=key, year=year, region=region),
            )
        )
    base = stages[0].people
    for s in stages:
        s.share = _pct(s.people, base)
    return stages


def _growth(*, user: Any, region_ids: list[str] | None, years: list[int]) -> list[YearGrowth]:
    participants = _in_regions(_objects(Participant, user), "batch__region_id", region_ids).filter(
        passed_q(), batch__start_date__year__in=years
    )
    started = FollowUp.objects.filter(participant=OuterRef("pk"), started_business=True)
    new_by_year = dict(
        participants.filter(Exists(started))
        .values_list("batch__start_date__year")
        .annotate(n=Count("owner", distinct=True))
        .order_by()
    )
    batches = (
        _in_regions(_objects(Batch, user), "region_id", region_ids)
        .filter(start_date__year__in=years)
        .exclude(status="cancelled")
    )
    pairs = set(batches.values_list("start_date__year", "budget_line_id"))
    batch_counts = dict(batches.values_list("start_date__year").annotate(n=Count("pk")).order_by())
    line_ids = {line for _y, line in pairs if line}
    totals = dict(_objects(BudgetLine, user).filter(pk__in=line_ids).values_list("pk", "total"))
    out = []
    for y in years:
        rupiah = sum((totals.get(line, Decimal(0)) for yy, line in pairs if yy == y and line), Decimal(0))
        new = new_by_year.get(y, 0)
        per = (Decimal(new) * BILLION / rupiah).quantize(Decimal("0.01")) if rupiah else None
        out.append(
            YearGrowth(
                y,
                new,
                rupiah,
                batch_counts.get(y, 0),
                per,
                reverse("training:batch_list") + "?" + urlencode({"year": y}),
            )
        )
    return out


FIELDS = ("turnover", "workforce_male", "workforce_female")
CHUNK = 5000


def _values_at(business_ids: list[int], since: dt.date) -> dict[int, dict[str, Any]]:
    """Each business's turnover and workforce as of ``since``: the 'before' value of the first audited change to
    the field after ``since``; fields never changed since keep their current value (filled in by the caller)."""
    if not business_ids:
        return {}
    ct = ContentType.objects.get_for_model(Business)
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    out: dict[int, dict[str, Any]] = {}
    # In chunks: the ids go into an IN list, which SQLite caps at a number of parameters.
    for k in range(0, len(business_ids), CHUNK):
        chunk = [str(i) for i in business_ids[k : k + CHUNK]]
        events = (
            AuditEvent.objects.filter(content_type=ct, object_id__in=chunk, at__gte=start)
            .order_by("at", "id")
            .values_list("object_id", "changes")
        )
        for object_id, changes in events.iterator(chunk_size=2000):
            seen = out.setdefault(int(object_id), {})
            for name in FIELDS:
                if name in seen or not isinstance(changes, dict) or name not in changes:
                    continue
                pair = changes[name]
                if isinstance(pair, list | tuple) and len(pair) == 2:
                    # Before the change; for a record created (or first filled in) later, its first value.
                    seen[name] = pair[0] if pair[0] not in (None, "") else pair[1]
    return out


def _to_decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def _to_int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(Decimal(str(value)))
    except ArithmeticError:
        return None


def _group_change(label: str, rows: list[dict[str, Any]], since: dt.date) -> GroupChange:
    starts = _values_at([r["pk"] for r in rows], since)
    t0 = t1 = Decimal(0)
    w0 = w1 = 0
    n = 0
    for r in rows:
        before = starts.get(r["pk"], {})
        turn_end = r["turnover"]
        turn_start = _to_decimal(before["turnover"]) if "turnover" in before else turn_end
        wm_end, wf_end = r["workforce_male"], r["workforce_female"]
        wm_start = _to_int(before["workforce_male"]) if "workforce_male" in before else wm_end
        wf_start = _to_int(before["workforce_female"]) if "workforce_female" in before else wf_end
        if turn_start is None or turn_end is None:
            continue  # only businesses with both values count: the same businesses behind every figure
        n += 1
        t0 += turn_start
        t1 += turn_end
        w0 += (wm_start or 0) + (wf_start or 0)
        w1 += (wm_end or 0) + (wf_end or 0)
    if n < MIN_CELL:
        return GroupChange(str(label), n, hidden=True)
    return GroupChange(str(label), n, t0, t1, _pct(t1 - t0, t0) if t0 else None, w0, w1, w1 - w0)


def _comparison(*, user: Any, region_ids: list[str] | None, year: int) -> tuple[GroupChange, GroupChange, int]:
    businesses = _in_regions(_objects(Business, user).alive(), "region_id", region_ids).annotate(
        division=Coalesce(Substr("kbli__code", 1, 2), Value(""))
    )
    ever_trained = Participant.objects.filter(result=ParticipantResult.PASSED, business__isnull=False).values(
        "business_id"
    )
    trained_ids = (
        _in_regions(_objects(Participant, user), "batch__region_id", region_ids)
        .filter(batch__start_date__year=year, result=ParticipantResult.PASSED, business__isnull=False)
        .values("business_id")
    )
    cols = ("pk", "region_id", "division", "size_class", "turnover", "workforce_male", "workforce_female")
    trained = list(businesses.filter(pk__in=trained_ids).values(*cols))
    cells = {(r["region_id"], r["division"], r["size_class"]) for r in trained if r["division"] and r["size_class"]}
    trained = [r for r in trained if (r["region_id"], r["division"], r["size_class"]) in cells]
    comparable: list[dict[str, Any]] = []
    if cells:
        # One OR term per cell overflows SQLite's expression depth once thousands of businesses were trained: narrow
        # by regency and size class in SQL, keep the exact cells here.
        candidates = businesses.filter(
            region_id__in=sorted({c[0] for c in cells}), size_class__in=sorted({c[2] for c in cells})
        ).exclude(pk__in=ever_trained)
        comparable = [r for r in candidates.values(*cols) if (r["region_id"], r["division"], r["size_class"]) in cells]
    since = dt.date(year, 1, 1)
    return (
        _group_change(_("Usaha yang dilatih"), trained, since),
        _group_change(_("Usaha sebanding yang tidak dilatih"), comparable, since),
        len(cells),
    )


def outcomes_compute(*, user: Any, region: Region | None, year: int) -> Outcomes:
    """The outcomes of ``region`` (None: the nation) and ``year`` computed from the raw tables (the summary job runs
    this with ``user=None``; tests run it with a user to prove the summary equal)."""
    region_ids = region_ids_of(region)
    this_year = timezone.localdate().year
    qs = funnel_participants(user=user, region_ids=region_ids, year=year)
    trained, comparable, cells = _comparison(user=user, region_ids=region_ids, year=year)
    return Outcomes(
        region=region,
        year=year,
        years=list(range(this_year, this_year - 10, -1)),
        funnel=_funnel(qs, year, region),
        growth=_growth(user=user, region_ids=region_ids, years=list(range(year - 4, year + 1))),
        trained=trained,
        comparable=comparable,
        cells=cells,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def outcomes_to_data(out: Outcomes) -> dict[str, Any]:
    """What ``OutcomeSummary.data`` holds: the figures only (no region object, no breadcrumbs), Decimals as text."""
    from dataclasses import asdict

    return _plain(
        {
            "funnel": [asdict(s) for s in out.funnel],
            "growth": [asdict(g) for g in out.growth],
            "trained": asdict(out.trained),
            "comparable": asdict(out.comparable),
            "cells": out.cells,
        }
    )


def outcomes_from_data(data: dict[str, Any], *, region: Region | None, year: int) -> Outcomes:
    this_year = timezone.localdate().year

    def group(d: dict[str, Any]) -> GroupChange:
        money = ("turnover_start", "turnover_end", "turnover_pct")
        return GroupChange(**{k: (_dec(v) if k in money else v) for k, v in d.items()})

    return Outcomes(
        region=region,
        year=year,
        years=list(range(this_year, this_year - 10, -1)),
        funnel=[FunnelStage(**{**f, "share": _dec(f["share"])}) for f in data["funnel"]],
        growth=[
            YearGrowth(**{**g, "dak_rupiah": Decimal(g["dak_rupiah"]), "per_billion": _dec(g["per_billion"])})
            for g in data["growth"]
        ],
        trained=group(data["trained"]),
        comparable=group(data["comparable"]),
        cells=data["cells"],
    )


def _area(region: Region | None) -> str:
    return "" if region is None else region.code


def outcome_summary_store(*, region: Region | None, year: int) -> OutcomeSummary:
    """Compute one area's outcomes of one year from the raw tables and keep them (the job behind the page)."""
    out = outcomes_compute(user=None, region=region, year=year)
    row, _created = OutcomeSummary.objects.update_or_create(
        area=_area(region), year=year, defaults={"data": outcomes_to_data(out), "refreshed_at": timezone.now()}
    )
    return row


def outcome_summaries_refresh(*, region_ids: Any = None) -> int:
    """Recompute stored outcome summaries from the raw tables.

    ``region_ids`` given (a change in these regencies, from the on-change task): the stored years of those
    regencies and their provinces. The nation's rows, which read every region, are left to the daily run
    (``region_ids=None``: every stored area and year, and the nation's current year), so a busy day of edits does
    not recompute the whole country after each one.
    """
    this_year = timezone.localdate().year
    stored = OutcomeSummary.objects.all()
    pairs: set[tuple[str, int]] = set()
    if region_ids is not None:
        codes = {r for r in region_ids if r}
        stored = stored.filter(area__in=codes | {c[:2] for c in codes})
    else:
        pairs.add(("", this_year))
    pairs |= set(stored.values_list("area", "year"))
    regions = {r.code: r for r in Region.objects.filter(code__in={a for a, _y in pairs if a})}
    done = 0
    for area, year in sorted(pairs):
        if area and area not in regions:
            continue
        outcome_summary_store(region=regions.get(area), year=year)
        done += 1
    return done


def outcomes_get(*, user: Any, code: str | None = None, year: int | None = None) -> Outcomes:
    """The outcomes page's figures, read from ``OutcomeSummary`` (computed once when the area/year was never asked
    for; kept current by the ``reports.outcome_refresh`` job on change and by the daily ``reports-summaries`` schedule)."""
    region = dashboard_region(user=user, code=code)
    year = year or timezone.localdate().year
    row = OutcomeSummary.objects.filter(area=_area(region), year=year).first()
    if row is None:
        row = outcome_summary_store(region=region, year=year)
    out = outcomes_from_data(row.data, region=region, year=year)
    out.refreshed_at = row.refreshed_at
    url = reverse("reports:outcomes")
    if user.scope.kind == "national" or user.is_superuser:
        out.breadcrumbs.append(("Indonesia", f"{url}?tahun={year}"))
    if region is not None and region.level == RegionLevel.REGENCY and region.parent is not None:
        if user.scope.kind == "national" or user.is_superuser or user.region_id == region.parent_id:
            out.breadcrumbs.append((region.parent.name, f"{url}?wilayah={region.parent_id}&tahun={year}"))
    if region is not None:
        out.breadcrumbs.append((region.name, f"{url}?wilayah={region.code}&tahun={year}"))
    return out


__all__ = [
    "F",
    "funnel_participants",
    "outcomes_compute",
    "outcomes_get",
    "region_ids_of",
    "stage_participants",
    "stage_url",
]
