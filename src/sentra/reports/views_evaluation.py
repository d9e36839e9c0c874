"""The programme evaluation on the outcomes page (its section), its method page and its analysis-table download."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sentra.budget.choices import FundKind
from sentra.regions.models import Region
from sentra.reports.effects import BOOTSTRAP, LEVEL
from sentra.reports.models import EvaluationSummary
from sentra.reports.selectors import dashboard_region
from sentra.reports.suppression import MIN_CELL
from sentra.training.choices import ProgrammeKind

GROUPING_TITLES = {
    "kelas": _("Per kelas"),
    "jenis": _("Per jenis program"),
    "sentra": _("Penyewa sentra IKM dibanding usaha serupa yang tidak menyewa"),
    "wilayah": _("Per kabupaten/kota dan tahun"),
}


@dataclass
class EffectGroup:
    grouping: str
    key: str
    label: str
    data: dict[str, Any]
    csv_url: str = ""

    def __getattr__(self, name: str) -> Any:
        # Template access to the stored figures (``g.turnover``, ``g.workforce_pre``…); missing ones are None.
        if name.startswith("__"):
            raise AttributeError(name)
        return self.data.get(name)

    @property
    def cost_rupiah(self) -> Decimal | None:
        cost = self.data.get("cost")
        return Decimal(cost) if cost not in (None, "") else None

    @property
    def answer_share(self) -> float | None:
        due = self.data.get("followup_due") or 0
        return None if not due else 100 * (self.data.get("followup_answered") or 0) / due


#: groups listed per grouping on the page
MAX_GROUPS = 25


@dataclass
class Section:
    grouping: str
    title: Any
    groups: list[EffectGroup]
    total: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.groups)


@dataclass
class Evaluation:
    area: str
    groups: dict[str, list[EffectGroup]] = field(default_factory=dict)
    what_works: list[EffectGroup] = field(default_factory=list)
    rows: int = 0
    matched: int = 0
    refreshed_at: Any = None
    csv_url: str = ""
    level: float = LEVEL * 100
    min_cell: int = MIN_CELL
    sections: list[Section] = field(default_factory=list)


def _csv_url(area: str, group: str = "") -> str:
    params = {"format": "csv"}
    if area:
        params["wilayah"] = area
    if group:
        params["kelompok"] = group
    return reverse("reports:evaluation_csv") + "?" + urlencode(params)


def _labels(grouping: str, entries: list[dict[str, Any]]) -> dict[str, str]:
    if grouping == "jenis":
        kinds = dict(ProgrammeKind.choices)
        return {e["key"]: str(kinds.get(e["key"].split(":", 1)[1], e["key"])) for e in entries}
    if grouping == "menu":
        funds = {str(k): str(v) for k, v in FundKind.choices}
        out = {}
        for e in entries:
            fund, _sep, code = e["key"].split(":", 1)[1].partition("-")
            out[e["key"]] = f"{funds.get(fund, fund)} · {code}. {e.get('label', '')}"
        return out
    return {e["key"]: e.get("label") or e["key"] for e in entries}


def evaluation_get(*, region: Region | None) -> Evaluation:
    """The stored estimates of the area the outcomes page shows (already checked against the reader's scope by
    ``dashboard_region``). Computed here only the first time ever (no estimates stored yet); afterwards the jobs
    keep them current and an area without rows simply has no estimates."""
    area = "" if region is None else region.code
    row = EvaluationSummary.objects.filter(area=area).first()
    if row is None and not EvaluationSummary.objects.exists():
        from sentra.reports.evaluation import evaluation_refresh

        evaluation_refresh(region_ids=None)
        row = EvaluationSummary.objects.filter(area=area).first()
    data = row.data if row is not None else {}
    ev = Evaluation(area=area, rows=data.get("rows", 0), matched=data.get("matched", 0), csv_url=_csv_url(area))
    ev.refreshed_at = row.refreshed_at if row is not None else None
    for grouping in ("kelas", "jenis", "sentra", "wilayah", "menu"):
        entries = data.get(grouping, [])
        labels = _labels(grouping, entries)
        ev.groups[grouping] = [
            EffectGroup(grouping, e["key"], labels[e["key"]], e, _csv_url(area, e["key"])) for e in entries
        ]
    ev.what_works = ev.groups["jenis"] + ev.groups["menu"]
    for grouping in ("kelas", "jenis", "sentra", "wilayah"):
        groups = ev.groups[grouping]
        # A nation has hundreds of classes: the page shows those resting on the most pairs (its cost stays the same
        # at any scale); every group's rows are in the download.
        shown = sorted(groups, key=lambda g: (-(g.data.get("matched") or 0), g.key))[:MAX_GROUPS]
        ev.sections.append(Section(grouping, GROUPING_TITLES[grouping], shown, len(groups)))
    return ev


def evaluation_for(*, user: Any, code: str | None) -> Evaluation:
    return evaluation_get(region=dashboard_region(user=user, code=code))


def _require_reports(request: HttpRequest) -> None:
    if not (request.user.is_superuser or request.user.has_perm("reports.view_businesscube")):
        raise PermissionDenied


def evaluation_method(request: HttpRequest) -> HttpResponse:
    """``/laporan/hasil-program/metode/``: definitions, matching, estimator and limits of the evaluation."""
    from sentra.reports.evaluation import MIN_PAIRS

    _require_reports(request)
    region = dashboard_region(user=request.user, code=request.GET.get("wilayah") or None)
    context = {
        "region": region,
        "min_pairs": MIN_PAIRS,
        "min_cell": MIN_CELL,
        "replicates": BOOTSTRAP,
        "level": LEVEL * 100,
        "csv_url": _csv_url("" if region is None else region.code),
        "outcomes_url": reverse("reports:outcomes") + (f"?wilayah={region.code}" if region else ""),
    }
    return render(request, "reports/evaluation_method.html", context)
