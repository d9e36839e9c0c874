"""Programme evaluation: effects of classes and centres on turnover, workforce and NIB, with 95% intervals.

The job (``evaluation_refresh``) builds the *analysis table* (``EvaluationRow``: one row per passed participation
or centre tenancy, with the matched comparison business and both businesses' values one year before, at, and one
year after the start, read from the registry's audit trail) and then the *estimates* per area (``EvaluationSummary``:
nation, each province, each regency), per class, programme kind, centre, regency-year and DAK menu. The page reads
the estimates; the CSV download is the analysis table itself, so every figure can be recomputed from it in a
spreadsheet (the method page says how). The estimator on plain numbers is ``reports.effects``.

Values at a date (``value_at``): a business recorded after that date has none; otherwise the value before the first
audited change to the field after the date, or the current value when nothing changed since.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from sentra.centres.models import Tenancy
from sentra.core.models import AuditEvent
from sentra.regions.models import Region, RegionLevel
from sentra.registry.models import Business
from sentra.reports import effects
from sentra.reports.models import EvaluationRow, EvaluationSummary
from sentra.reports.suppression import MIN_CELL
from sentra.training.choices import BatchStatus, ParticipantResult, ParticipantStatus
from sentra.training.models import FollowUp, Participant
from sentra.training.selectors import followup_answer_rates

#: Fewer matched pairs than this: "belum cukup data" (an interval on fewer pairs says little).
MIN_PAIRS = 5
#: The evaluation horizon: values one year after the start, and the 12-month follow-up for the answer rate.
HORIZON = dt.timedelta(days=365)
FIELDS = ("turnover", "workforce_male", "workforce_female", "nib")
CHUNK = 5000
BILLION = 1_000_000_000

SUBJECT_CLASS = "kelas"
SUBJECT_CENTRE = "sentra"

OUTCOMES = (
    # key, treated/comparison columns, log scale
    ("turnover", "turnover", True),
    ("workforce", "workforce", False),
    ("nib", "nib", False),
)


# --- Values as of a date, from the audit trail ----------------------------------------------------------------------


@dataclass
class History:
    """One business's current values, creation time and audited changes of the evaluated fields."""

    created_at: dt.datetime
    current: dict[str, Any]
    changes: list[tuple[dt.datetime, str, Any]]  # (at, field, value before the change), oldest first

    def value_at(self, when: dt.date) -> dict[str, Any] | None:
        """The fields as of the start of ``when``; None when the business was recorded later."""
        moment = timezone.make_aware(dt.datetime.combine(when, dt.time.min))
        if self.created_at >= moment:
            return None
        out = dict(self.current)
        seen: set[str] = set()
        for at, name, before in self.changes:
            if at >= moment and name not in seen:
                seen.add(name)
                out[name] = before
        return out


def histories(business_ids: list[int], since: dt.date) -> dict[int, History]:
    """The histories of these businesses, with the audited changes after ``since``."""
    out: dict[int, History] = {}
    if not business_ids:
        return out
    ct = ContentType.objects.get_for_model(Business)
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    for k in range(0, len(business_ids), CHUNK):
        chunk = business_ids[k : k + CHUNK]
        for row in Business.objects.filter(pk__in=chunk).values("pk", "created_at", *FIELDS):
            current = {name: row[name] for name in FIELDS}
            out[row["pk"]] = History(row["created_at"], current, [])
        events = (
            AuditEvent.objects.filter(content_type=ct, object_id__in=[str(i) for i in chunk], at__gte=start)
            .order_by("at", "id")
            .values_list("object_id", "at", "changes")
        )
        for object_id, at, changes in events.iterator(chunk_size=2000):
            history = out.get(int(object_id))
            if history is None or not isinstance(changes, dict):
                continue
            for name in FIELDS:
                pair = changes.get(name)
                if isinstance(pair, list | tuple) and len(pair) == 2:
                    history.changes.append((at, name, pair[0]))
    return out


def _turnover(values: dict[str, Any] | None) -> Decimal | None:
    if values is None or values.get("turnover") in (None, ""):
        return None
    return Decimal(str(values["turnover"]))


def _workforce(values: dict[str, Any] | None) -> int | None:
    if values is None:
        return None
    male, female = values.get("workforce_male"), values.get("workforce_female")
    if male in (None, "") and female in (None, ""):
        return None
    return int(male or 0) + int(female or 0)


def _nib(values: dict[str, Any] | None) -> int | None:
    if values is None:
        return None
    return 1 if values.get("nib") else 0


def _three(history: History | None, start: dt.date, today: dt.date) -> dict[str, Any]:
    """turnover/workforce/nib one year before, at, and one year after ``start`` (after: only once it has passed)."""
    out: dict[str, Any] = {}
    dates = {"pre": start - HORIZON, "base": start, "post": start + HORIZON}
    for when, day in dates.items():
        values = None if history is None or (when == "post" and day > today) else history.value_at(day)
        out[f"turnover_{when}"] = _turnover(values)
        out[f"workforce_{when}"] = _workforce(values)
        out[f"nib_{when}"] = _nib(values)
    return out


# --- The analysis table ---------------------------------------------------------------------------------------------


@dataclass
class Unit:
    """A treated unit before matching: a passed participation or a tenancy."""

    subject: str
    business_id: int | None
    region_id: str
    start: dt.date
    batch_id: int | None = None
    batch_name: str = ""
    programme_kind: str = ""
    centre_id: int | None = None
    centre_name: str = ""
    dak_line: int | None = None
    dak_line_total: Decimal | None = None
    dak_menu: str = ""
    dak_menu_name: str = ""
    answered: bool | None = None
    new_business: bool | None = None


def _class_units(today: dt.date, region_ids: set[str] | None) -> list[Unit]:
    qs = Participant.objects.filter(
        status=ParticipantStatus.ACCEPTED, result=ParticipantResult.PASSED, batch__start_date__lte=today
    ).exclude(batch__status=BatchStatus.CANCELLED)
    if region_ids is not None:
        qs = qs.filter(batch__region_id__in=region_ids) | qs.filter(business__region_id__in=region_ids)
    rows = qs.annotate(
        answered=Exists(FollowUp.objects.filter(participant=OuterRef("pk"), months=12)),
        started=Exists(FollowUp.objects.filter(participant=OuterRef("pk"), started_business=True)),
    ).values(
        "business_id",
        "business__region_id",
        "batch_id",
        "batch__name",
        "batch__region_id",
        "batch__start_date",
        "batch__programme__kind",
        "batch__budget_line_id",
        "batch__budget_line__total",
        "batch__budget_line__sub_menu__menu__code",
        "batch__budget_line__sub_menu__menu__name",
        "batch__budget_line__sub_menu__menu__fund__kind",
        "answered",
        "started",
    )
    out = []
    for r in rows.order_by("batch_id", "pk"):
        menu = r["batch__budget_line__sub_menu__menu__code"]
        out.append(
            Unit(
                subject=SUBJECT_CLASS,
                business_id=r["business_id"],
                region_id=r["business__region_id"] or r["batch__region_id"],
                start=r["batch__start_date"],
                batch_id=r["batch_id"],
                batch_name=r["batch__name"],
                programme_kind=r["batch__programme__kind"],
                dak_line=r["batch__budget_line_id"],
                dak_line_total=r["batch__budget_line__total"],
                dak_menu=f"{r['batch__budget_line__sub_menu__menu__fund__kind']}-{menu}" if menu else "",
                dak_menu_name=r["batch__budget_line__sub_menu__menu__name"] or "",
                answered=r["answered"],
                new_business=r["started"],
            )
        )
    return out


def _centre_units(today: dt.date, region_ids: set[str] | None) -> list[Unit]:
    qs = Tenancy.objects.filter(start_date__lte=today, business__deleted_at__isnull=True)
    if region_ids is not None:
        qs = qs.filter(business__region_id__in=region_ids)
    rows = qs.values("business_id", "business__region_id", "start_date", "centre_id", "centre__name")
    return [
        Unit(
            subject=SUBJECT_CENTRE,
            business_id=r["business_id"],
            region_id=r["business__region_id"],
            start=r["start_date"],
            centre_id=r["centre_id"],
            centre_name=r["centre__name"],
        )
        for r in rows.order_by("centre_id", "pk")
    ]


def _cell_of(row: dict[str, Any]) -> tuple[str, str, str] | None:
    division = (row["kbli__code"] or "")[:2]
    if not division or not row["size_class"]:
        return None
    return (row["region_id"], division, row["size_class"])


def build_rows(*, region_ids: Iterable[str] | None = None, today: dt.date | None = None) -> list[EvaluationRow]:
    """The analysis table's rows for the treated units in these regencies (None: everywhere), matched."""
    today = today or timezone.localdate()
    regions = None if region_ids is None else set(region_ids)
    units = _class_units(today, regions) + _centre_units(today, regions)
    if regions is not None:
        units = [u for u in units if u.region_id in regions]
    treated_ids = {u.business_id for u in units if u.business_id}
    ever_trained = set(
        Participant.objects.filter(status=ParticipantStatus.ACCEPTED, business__isnull=False).values_list(
            "business_id", flat=True
        )
    )
    ever_tenant = set(Tenancy.objects.values_list("business_id", flat=True))
    rows: list[EvaluationRow] = []
    by_region: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        by_region[u.region_id].append(u)
    for region_id, region_units in sorted(by_region.items()):
        rows.extend(_region_rows(region_id, region_units, treated_ids, ever_trained, ever_tenant, today))
    return rows


def _region_rows(
    region_id: str,
    units: list[Unit],
    treated_ids: set[int],
    ever_trained: set[int],
    ever_tenant: set[int],
    today: dt.date,
) -> list[EvaluationRow]:
    """One regency's rows: matching is exact on the regency, so each regency is built on its own."""
    cols = ("pk", "region_id", "kbli__code", "size_class")
    businesses = {r["pk"]: r for r in Business.objects.alive().filter(region_id=region_id).values(*cols).order_by("pk")}
    cells = {pk: _cell_of(r) for pk, r in businesses.items()}
    wanted = {cells.get(u.business_id) for u in units if u.business_id}
    wanted.discard(None)
    pool = [pk for pk, cell in cells.items() if cell in wanted]
    earliest = min(u.start for u in units) - HORIZON
    hist = histories(sorted(set(pool) | {u.business_id for u in units if u.business_id}), earliest)
    values: dict[tuple[int, dt.date], dict[str, Any]] = {}

    def three(pk: int, start: dt.date) -> dict[str, Any]:
        key = (pk, start)
        if key not in values:
            values[key] = _three(hist.get(pk), start, today)
        return values[key]

    # Match per subject (classes against never-trained, centres against never-tenants) and cell, without
    # replacement; treated units are served by start date so a class's pairs are drawn before a later class's.
    matches: dict[int, int] = {}
    for subject, excluded in ((SUBJECT_CLASS, ever_trained | treated_ids), (SUBJECT_CENTRE, ever_tenant)):
        by_cell: dict[tuple[str, str, str], list[tuple[int, Unit]]] = defaultdict(list)
        for i, u in enumerate(units):
            unit_cell = cells.get(u.business_id) if u.business_id else None
            if u.subject == subject and unit_cell is not None:
                by_cell[unit_cell].append((i, u))
        for cell, members in sorted(by_cell.items()):
            candidates = [pk for pk in pool if cells[pk] == cell and pk not in excluded]
            used: set[int] = set()
            for start in sorted({u.start for _i, u in members}):
                treated: list[tuple[int, float]] = []
                for i, u in members:
                    if u.start != start or u.business_id is None:
                        continue
                    base = three(u.business_id, start)["turnover_base"]
                    if base is not None:
                        treated.append((i, float(base)))
                options: list[tuple[int, float]] = []
                for pk in candidates:
                    if pk in used:
                        continue
                    base = three(pk, start)["turnover_base"]
                    if base is not None:
                        options.append((pk, float(base)))
                for i, pk in effects.match_nearest(treated, options).items():
                    matches[i] = pk
                    used.add(pk)
    # The small-cell rule of the public statistics: a cell resting on fewer than MIN_CELL businesses (treated and
    # comparison together) is left out, from the download and from every estimate alike.
    cell_size: dict[Any, set[int | None]] = defaultdict(set)
    for i, pk in matches.items():
        cell_size[cells[pk]].update({pk, units[i].business_id})
    small = {cell for cell, members in cell_size.items() if len(members) < MIN_CELL}
    out = []
    for i, u in enumerate(units):
        row = EvaluationRow(
            region_id=region_id,
            subject=u.subject,
            start_date=u.start,
            year=u.start.year,
            batch_id=u.batch_id,
            batch_name=u.batch_name,
            programme_kind=u.programme_kind,
            centre_id=u.centre_id,
            centre_name=u.centre_name,
            dak_line=u.dak_line,
            dak_line_total=u.dak_line_total,
            dak_menu=u.dak_menu,
            dak_menu_name=u.dak_menu_name,
            answered=u.answered,
            new_business=u.new_business,
        )
        pk = matches.get(i)
        if pk is not None and cells[pk] not in small and u.business_id is not None:
            _region, division, size = cells[pk]  # type: ignore[misc]
            row.matched = True
            row.kbli = businesses[u.business_id]["kbli__code"] or ""
            row.kbli_division = division
            row.size_class = size
            for name, value in three(u.business_id, u.start).items():
                setattr(row, f"t_{name}", value)
            for name, value in three(pk, u.start).items():
                setattr(row, f"c_{name}", value)
        out.append(row)
    return out


# --- Estimates ------------------------------------------------------------------------------------------------------


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


def _est(e: effects.Estimate | None, *, percent: bool = False, scale: float = 1.0) -> dict[str, Any] | None:
    if e is None or e.n < MIN_PAIRS:
        return None
    conv = effects.as_percent if percent else (lambda v: v * scale)

    def shown(v: float) -> float:
        return round(conv(v), 1) + 0.0  # as the page shows it (one decimal; no "-0,0")

    return {"point": shown(e.point), "low": shown(e.low), "high": shown(e.high), "n": e.n}


def _pairs(rows: list[EvaluationRow], outcome: str, before: str, after: str) -> tuple[list, list]:
    treated = [(_f(getattr(r, f"t_{outcome}_{before}")), _f(getattr(r, f"t_{outcome}_{after}"))) for r in rows]
    comparison = [(_f(getattr(r, f"c_{outcome}_{before}")), _f(getattr(r, f"c_{outcome}_{after}"))) for r in rows]
    return treated, comparison


def group_estimates(key: str, rows: list[EvaluationRow], *, replicates: int = effects.BOOTSTRAP) -> dict[str, Any]:
    """Every figure of one group from its rows of the analysis table."""
    matched = [r for r in rows if r.matched]
    out: dict[str, Any] = {"key": key, "units": len(rows), "matched": len(matched)}
    seed = effects.seed_of(key)
    for name, column, log in OUTCOMES:
        t, c = _pairs(matched, column, "base", "post")
        e = effects.did(t, c, log=log, seed=seed, replicates=replicates)
        out[name] = _est(e, percent=log, scale=100.0 if name == "nib" else 1.0)
        t, c = _pairs(matched, column, "pre", "base")
        pre = effects.did(t, c, log=log, seed=seed + 1, replicates=replicates)
        out[f"{name}_pre"] = _est(pre, percent=log, scale=100.0 if name == "nib" else 1.0)
        if out[f"{name}_pre"] is not None:
            # Judged on the figures as shown: a difference that rounds to zero is no warning.
            out[f"{name}_pre"]["differs"] = out[f"{name}_pre"]["low"] > 0 or out[f"{name}_pre"]["high"] < 0
        if name == "workforce":
            out["_workforce_est"] = e
    classes = [r for r in rows if r.subject == SUBJECT_CLASS]
    if classes:
        # The 12-month answer rate of these classes, counted by the selector the class pages use.
        batch_ids = {r.batch_id for r in classes if r.batch_id is not None}
        rates = followup_answer_rates(Participant.objects.filter(batch_id__in=batch_ids))
        twelve = [rate for per_class in rates.values() for rate in per_class if rate.months == 12]
        out["followup_due"] = sum(rate.due for rate in twelve)
        out["followup_answered"] = sum(rate.answered for rate in twelve)
        out["new_business"] = sum(1 for r in classes if r.new_business)
        lines = {r.dak_line: r.dak_line_total for r in classes if r.dak_line and r.dak_line_total is not None}
        cost = sum(lines.values(), Decimal(0))
        out["cost"] = str(cost)
        out["lines"] = len(lines)
        if cost > 0:
            per = BILLION / float(cost)
            wf = out.get("_workforce_est")
            if wf is not None and wf.n >= MIN_PAIRS:
                n = wf.n
                out["workforce_per_billion"] = {
                    "point": round(wf.point * n * per, 2),
                    "low": round(wf.low * n * per, 2),
                    "high": round(wf.high * n * per, 2),
                    "n": n,
                }
            if len(classes) >= MIN_PAIRS:
                ne = effects.count_interval([bool(r.new_business) for r in classes], seed=seed + 2)
                out["new_per_billion"] = {
                    "point": round(ne.point * per, 2),  # type: ignore[union-attr]
                    "low": round(ne.low * per, 2),  # type: ignore[union-attr]
                    "high": round(ne.high * per, 2),  # type: ignore[union-attr]
                    "n": len(classes),
                }
    out.pop("_workforce_est", None)
    return out


GROUPINGS = ("kelas", "jenis", "sentra", "wilayah", "menu")


def group_keys(row: EvaluationRow) -> list[tuple[str, str]]:
    """The groups a row belongs to: (grouping, key). Keys are what the download's columns hold."""
    keys = [("wilayah", f"{row.region_id}:{row.year}")]
    if row.subject == SUBJECT_CLASS:
        keys.append(("kelas", str(row.batch_id)))
        keys.append(("jenis", row.programme_kind))
        if row.dak_menu:
            keys.append(("menu", row.dak_menu))
    else:
        keys.append(("sentra", str(row.centre_id)))
    return keys


def area_estimates(rows: list[EvaluationRow], *, replicates: int = effects.BOOTSTRAP) -> dict[str, Any]:
    """The estimates of one area: per grouping, one entry per group (sorted by key)."""
    groups: dict[tuple[str, str], list[EvaluationRow]] = defaultdict(list)
    labels: dict[tuple[str, str], str] = {}
    for row in rows:
        for grouping, key in group_keys(row):
            groups[(grouping, key)].append(row)
            if grouping == "kelas":
                labels[(grouping, key)] = row.batch_name
            elif grouping == "sentra":
                labels[(grouping, key)] = row.centre_name
            elif grouping == "menu":
                labels[(grouping, key)] = row.dak_menu_name
    # Region names go into the stored labels, so the page needs no lookup for them.
    names = dict(Region.objects.filter(code__in={r.region_id for r in rows}).values_list("code", "name"))
    for grouping, key in groups:
        if grouping == "wilayah":
            code, _sep, year = key.rpartition(":")
            labels[(grouping, key)] = f"{names.get(code, code)} {year}"
    out: dict[str, Any] = {g: [] for g in GROUPINGS}
    for (grouping, key), members in sorted(groups.items()):
        est = group_estimates(f"{grouping}:{key}", members, replicates=replicates)
        est["label"] = labels.get((grouping, key), "")
        out[grouping].append(est)
    out["rows"] = len(rows)
    out["matched"] = sum(1 for r in rows if r.matched)
    return out


def _areas_of(region_ids: Iterable[str]) -> set[str]:
    codes = set(region_ids)
    return codes | {c[:2] for c in codes}


def _rows_in(area: str) -> list[EvaluationRow]:
    qs = EvaluationRow.objects.all()
    if area:
        qs = qs.filter(region_id=area) if "." in area else qs.filter(region__parent_id=area)
    return list(qs.order_by("pk"))


def evaluation_refresh(*, region_ids: Iterable[str] | None = None, nation: bool | None = None) -> int:
    """Rebuild the analysis table (of these regencies; None: all) and the estimates of the areas it feeds.

    A change in some regencies rebuilds their rows, their provinces' and their own estimates; the nation's, which
    bootstrap every row, are left to the daily run (``nation=None`` means: with a full rebuild only), as the other
    outcome summaries do. Returns the number of areas stored."""
    today = timezone.localdate()
    if region_ids is not None:
        regions = {r for r in region_ids if r}
        # Participants of classes held in these regencies may run businesses elsewhere: their rows too.
        regions |= set(
            Participant.objects.filter(batch__region_id__in=regions, business__isnull=False)
            .values_list("business__region_id", flat=True)
            .distinct()
        )
        regions = set(Region.objects.filter(code__in=regions, level=RegionLevel.REGENCY).values_list("code", flat=True))
    else:
        regions = None
    rows = build_rows(region_ids=regions, today=today)
    with transaction.atomic():
        stale = EvaluationRow.objects.all() if regions is None else EvaluationRow.objects.filter(region_id__in=regions)
        stale.delete()
        EvaluationRow.objects.bulk_create(rows, batch_size=2000)
        touched = {r.region_id for r in rows} | (regions or set())
        if regions is None:
            touched |= set(EvaluationSummary.objects.exclude(area="").values_list("area", flat=True))
            areas = _areas_of(r for r in touched if "." in r)
        else:
            areas = _areas_of(regions)
        if nation is None:
            nation = regions is None
        if nation:
            areas.add("")
        now = timezone.now()
        for area in sorted(areas):
            data = area_estimates(_rows_in(area))
            EvaluationSummary.objects.update_or_create(area=area, defaults={"data": data, "refreshed_at": now})
    return len(areas)
