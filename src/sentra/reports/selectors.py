"""Read use-cases of the dashboards: every figure comes from the summary tables, within the user's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from sentra.core.years import data_years
from sentra.regions.models import Kbli, Region, RegionLevel
from sentra.registry.choices import BusinessStatus, SizeClass, UmkmClass
from sentra.registry.filters import NONE
from sentra.registry.models import Business
from sentra.reports.models import BusinessCube, BusinessYearCube, ProgrammeCube, ProvinceBusinessFigures
from sentra.reports.programme import reference_day

SUMS = {
    "businesses": Sum("businesses"),
    "workforce_male": Sum("workforce_male"),
    "workforce_female": Sum("workforce_female"),
    "investment_value": Sum("investment_value"),
    "production_value": Sum("production_value"),
    "turnover": Sum("turnover"),
}


@dataclass
class Breakdown:
    key: str
    label: str
    value: int
    url: str


@dataclass
class ChildRow:
    region: Region
    businesses: int
    active: int
    workforce: int
    investment: Decimal
    url: str
    list_url: str


@dataclass
class Dashboard:
    level: str  # national | province | regency
    region: Region | None
    totals: dict[str, Any]
    by_size: list[Breakdown]
    by_umkm: list[Breakdown]
    by_status: list[Breakdown]
    by_division: list[Breakdown]
    new_per_year: list[tuple[int, int]]
    children: list[ChildRow] = field(default_factory=list)
    children_label: str = ""
    children_unassigned: int = 0  # businesses of the region with no child region recorded (e.g. no district)
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)
    year: int = 0
    years: list[int] = field(default_factory=list)
    where: dict[str, str] = field(default_factory=dict)  # the business-list parameters of the area
    programme: Programme | None = None


def _dashboard_url(code: str | None, year: int | None) -> str:
    params = {k: v for k, v in (("wilayah", code), ("tahun", year)) if v}
    return reverse("reports:dashboard") + ("?" + urlencode(params) if params else "")


PROGRAMME_FIELDS = (
    "batches",
    "participants",
    "assessed",
    "passed",
    "score_pairs",
    "score_gain_sum",
    "dak_allocations",
    "dak_pagu",
    "dak_received",
    "dak_paid",
    "dak_physical_weighted",
    "dak_plan_total",
    "dak_reports_due",
    "dak_reports_late",
    "certs_held",
    "certs_expiring",
    "indi_0",
    "indi_1",
    "indi_2",
    "indi_3",
    "indi_4",
    "centres",
    "centres_operating",
    "units",
    "units_let",
    "reports_expected",
    "reports_missing",
)


def _ratio(part: Any, whole: Any, places: str = "0.1") -> Decimal | None:
    # Half up, as the pages of each app round the same figure (budget.figures.pct): the dashboard and the DAK
    # pages must not differ in the last digit.
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


@dataclass
class Programme:
    """The programme figures of one area and year, summed from ``ProgrammeCube`` (rates computed from sums)."""

    year: int
    totals: dict[str, Any]
    per_year: list[dict[str, Any]]
    links: dict[str, str] = field(default_factory=dict)
    list_params: dict[str, str] = field(default_factory=dict)  # the area's filter on lists that have one

    @property
    def completion_pct(self) -> Decimal | None:
        return _ratio(self.totals["passed"], self.totals["assessed"])

    @property
    def score_gain(self) -> Decimal | None:
        pairs = self.totals["score_pairs"]
        return (Decimal(self.totals["score_gain_sum"]) / pairs).quantize(Decimal("0.1")) if pairs else None

    @property
    def absorption_pct(self) -> Decimal | None:
        return _ratio(self.totals["dak_paid"], self.totals["dak_received"], "0.01")

    @property
    def absorption_of_pagu_pct(self) -> Decimal | None:
        return _ratio(self.totals["dak_paid"], self.totals["dak_pagu"], "0.01")

    @property
    def physical_pct(self) -> Decimal | None:
        total = self.totals["dak_plan_total"]
        return (Decimal(self.totals["dak_physical_weighted"]) / total).quantize(Decimal("0.01")) if total else None

    @property
    def occupancy_pct(self) -> Decimal | None:
        return _ratio(self.totals["units_let"], self.totals["units"])

    @property
    def indi_levels(self) -> list[tuple[int, int]]:
        return [(level, self.totals[f"indi_{level}"]) for level in range(5)]


def programme_get(*, user: Any, region: Region | None, year: int) -> Programme:
    """One grouped query over the summary rows of the area: every year's sums (the charts) and the chosen year's."""
    from sentra.reports.programme import programme_years

    cube = _filter_cube(ProgrammeCube.objects.visible_to(user), region)
    years = programme_years()
    if year not in years:
        years = sorted({*years, year})
    sums = {
        row["year"]: row
        for row in cube.filter(year__in=years)
        .values("year")
        .annotate(**{f: Sum(f) for f in PROGRAMME_FIELDS})
        .order_by()
    }
    zero = dict.fromkeys(PROGRAMME_FIELDS, 0)
    per_year = [{**zero, **{k: v or 0 for k, v in sums.get(y, {}).items()}, "year": y} for y in years]
    totals = next(r for r in per_year if r["year"] == year)
    regency = {"region": region.code} if region is not None and region.level == RegionLevel.REGENCY else {}
    province = {"province": region.code} if region is not None and region.level == RegionLevel.PROVINCE else {}
    # Every programme list takes the area as ``region`` (a regency/city, or a province: its regencies/cities),
    # applied on top of visible_to, so a drilled figure opens exactly its rows.
    area = {"region": region.code} if region is not None else {}
    # Certifications held are counted on the year's last day (today for the current year): the list is asked
    # for that day, so a past year's figure opens exactly its certifications.
    held_on = reference_day(year).isoformat()

    def link(name: str, **params: Any) -> str:
        params = {k: v for k, v in params.items() if v not in (None, "")}
        return reverse(name) + ("?" + urlencode(params) if params else "")

    links = {
        "batches": link("training:batch_list", status="bukan-batal", year=year, **area),
        "dak": link("budget:allocation_list", year=year, **province, **regency),  # as the DAK chart bars
        "certs": link("quality:certification_list", status="berlaku", pada=held_on, **area),
        "certs_expiring": link("quality:certification_list", status="akan-habis", pada=held_on, **area),
        "indi": link("quality:indi_overview", year=year, **area),
        "centres": link("centres:centre_list", **area),
    }
    return Programme(year, totals, per_year, links, province)


def dashboard_region(*, user: Any, code: str | None) -> Region | None:
    """The region the dashboard is about: the requested one if the user's scope covers it, else their own."""
    scope = user.scope
    if not code:
        if scope.kind == "region":
            if user.region_id and user.region.level == RegionLevel.PROVINCE:
                return user.region
            if len(scope.region_ids) == 1:
                return Region.objects.get(code=next(iter(scope.region_ids)))
        return None
    region = Region.objects.filter(code=code, level__in=[RegionLevel.PROVINCE, RegionLevel.REGENCY]).first()
    if region is None:
        raise Http404
    if scope.kind == "national" or user.is_superuser:
        return region
    if scope.kind == "region":
        if region.level == RegionLevel.REGENCY and region.code in scope.region_ids:
            return region
        if region.level == RegionLevel.PROVINCE and user.region_id == region.code:
            return region
    raise Http404


def _list_url(**params: str) -> str:
    return reverse("registry:business_list") + "?" + urlencode({k: v for k, v in params.items() if v})


#: The dimensions the dashboard breaks the businesses down by, one at a time.
DIMENSIONS = tuple(ProvinceBusinessFigures.Dimension.values)


@dataclass
class BusinessFigures:
    """The registry's figures of a dashboard: totals (``SUMS``, ``workforce``, ``active``) and, per dimension,
    the businesses per value."""

    totals: dict[str, Any]
    counts: dict[str, dict[str, int]]


def business_figures(user: Any, region: Region | None) -> BusinessFigures:
    """The figures of ``region`` (the nation when ``None``) the user may read, in one query: for the nation from
    the per-province figures (about 3,500 rows whatever the registry's size), below it from the regency cube
    rows grouped by every dimension (a few thousand at most)."""
    counts: dict[str, dict[str, int]] = {d: {} for d in DIMENSIONS}
    totals: dict[str, Any] = dict.fromkeys(SUMS, 0)
    active = 0
    if region is None:
        rows: Any = (
            ProvinceBusinessFigures.objects.visible_to(user)
            .values("dimension", "value")
            .annotate(**SUMS, active_n=Sum("active"))
            .order_by()
        )
        for r in rows:
            counts[r["dimension"]][r["value"]] = r["businesses"] or 0
            if r["dimension"] == ProvinceBusinessFigures.Dimension.STATUS:  # each business once
                for name in SUMS:
                    totals[name] += r[name] or 0
                active += r["active_n"] or 0
    else:
        cube = _filter_cube(BusinessCube.objects.visible_to(user), region)
        for c in cube.values(*DIMENSIONS).annotate(**SUMS).order_by():
            n = c["businesses"] or 0
            for d in DIMENSIONS:
                counts[d][c[d]] = counts[d].get(c[d], 0) + n
            for name in SUMS:
                totals[name] += c[name] or 0
            if c["status"] == BusinessStatus.ACTIVE:
                active += n
    totals["workforce"] = totals["workforce_male"] + totals["workforce_female"]
    totals["active"] = active
    return BusinessFigures(totals, counts)


def _filter_cube(qs: QuerySet, region: Region | None) -> QuerySet:
    if region is None:
        return qs
    if region.level == RegionLevel.PROVINCE:
        return qs.filter(province_code=region.code)
    return qs.filter(region_id=region.code)


def dashboard_get(*, user: Any, code: str | None = None, year: int | None = None) -> Dashboard:
    """The dashboard of ``code`` (default: the user's own level) and ``year`` (default: this year): the registry
    figures (the present state) and the programme figures of the year, both from summary tables."""
    region = dashboard_region(user=user, code=code)
    this_year = timezone.localdate().year
    year = year or this_year
    figures = business_figures(user, region)
    years = _filter_cube(BusinessYearCube.objects.visible_to(user), region)
    where: dict[str, str] = {}
    if region is not None:
        where = {"province": region.code} if region.level == RegionLevel.PROVINCE else {"region": region.code}
    totals = figures.totals

    def breakdown(field_name: str, choices: Any, param: str) -> list[Breakdown]:
        counts = figures.counts[field_name]
        rows = [
            Breakdown(v, str(label), counts.get(v, 0) or 0, _list_url(**where, **{param: v})) for v, label in choices
        ]
        unknown = counts.get("", 0) or 0
        if unknown:
            rows.append(Breakdown("", "Belum ditentukan", unknown, _list_url(**where, **{param: NONE})))
        return rows

    divisions = sorted(figures.counts["kbli_division"].items(), key=lambda d: (-d[1], d[0]))[:12]
    titles = dict(
        Kbli.objects.filter(
            version="2020", level=Kbli.Level.DIVISION, code__in=[code for code, _n in divisions]
        ).values_list("code", "title")
    )
    by_division = [
        Breakdown(
            code,
            f"{code} {titles.get(code, '')}".strip() or "Tanpa KBLI",
            n,
            _list_url(**where, kbli=code or NONE),
        )
        for code, n in divisions
    ]
    per_year = dict(
        years.filter(year_started__gte=this_year - 9)
        .values_list("year_started")
        .annotate(n=Sum("businesses"))
        .order_by()
    )
    dash = Dashboard(
        level="national" if region is None else ("province" if region.level == RegionLevel.PROVINCE else "regency"),
        region=region,
        totals=totals,
        by_size=breakdown("size_class", SizeClass.choices, "size_class"),
        by_umkm=breakdown("umkm_class", UmkmClass.choices, "umkm_class"),
        by_status=breakdown("status", BusinessStatus.choices, "status"),
        by_division=by_division,
        new_per_year=[(y, per_year.get(y, 0)) for y in range(this_year - 9, this_year + 1)],
    )
    dash.year = year
    dash.where = where
    dash.years = sorted({*data_years(user), year}, reverse=True)  # the years every selector offers, and this one
    dash.programme = programme_get(user=user, region=region, year=year)
    dash.breadcrumbs = _breadcrumbs(user, region, year)
    _fill_children(dash, user, region)
    return dash


def _breadcrumbs(user: Any, region: Region | None, year: int | None = None) -> list[tuple[str, str]]:
    crumbs: list[tuple[str, str]] = []
    if user.scope.kind == "national" or user.is_superuser:
        crumbs.append(("Indonesia", _dashboard_url(None, year)))
    if region is not None and region.level == RegionLevel.REGENCY and region.parent is not None:
        if user.scope.kind == "national" or user.is_superuser or user.region_id == region.parent_id:
            crumbs.append((region.parent.name, _dashboard_url(region.parent_id, year)))
    if region is not None:
        crumbs.append((region.name, _dashboard_url(region.code, year)))
    return crumbs


def _workforce_investment() -> dict[str, Sum]:
    return {"wm": Sum("workforce_male"), "wf": Sum("workforce_female"), "inv": Sum("investment_value")}


def _cube_children(cube: QuerySet, key: str) -> QuerySet:
    """The summary cube's businesses (``n``), active ones (``act``), workforce and investment per ``key``."""
    return (
        cube.values(key)
        .annotate(
            n=Sum("businesses"),
            act=Sum("businesses", filter=Q(status=BusinessStatus.ACTIVE)),
            **_workforce_investment(),
        )
        .order_by()
    )


def _fill_children(dash: Dashboard, user: Any, region: Region | None) -> None:
    rows: Any
    if region is None:
        rows = (
            ProvinceBusinessFigures.objects.visible_to(user)
            .filter(dimension=ProvinceBusinessFigures.Dimension.STATUS)  # each business once
            .values("province_code")
            .annotate(n=Sum("businesses"), act=Sum("active"), **_workforce_investment())
            .order_by()
        )
        regions = {r.code: r for r in Region.objects.filter(level=RegionLevel.PROVINCE)}
        key = "province_code"
        dash.children_label = "Provinsi"
        param = "province"
    elif region.level == RegionLevel.PROVINCE:
        rows = _cube_children(_filter_cube(BusinessCube.objects.visible_to(user), region), "region_id")
        regions = {r.code: r for r in Region.objects.filter(parent_id=region.code, level=RegionLevel.REGENCY)}
        key = "region_id"
        dash.children_label = "Kabupaten/kota"
        param = "region"
    else:
        # Districts of one regency/city: an index range over that regency's own rows, not a national scan.
        rows = (
            Business.objects.visible_to(user)
            .alive()
            .filter(region_id=region.code)
            .values("district_id")
            .annotate(n=Count("id"), act=Count("id", filter=Q(status=BusinessStatus.ACTIVE)), **_workforce_investment())
            .order_by()
        )
        regions = {r.code: r for r in Region.objects.filter(parent_id=region.code, level=RegionLevel.DISTRICT)}
        key = "district_id"
        dash.children_label = "Kecamatan"
        param = "district"
    children = []
    for row in rows:
        child = regions.get(row[key])
        if child is None:
            dash.children_unassigned += row["n"] or 0
            continue
        drill = _dashboard_url(child.code, dash.year) if child.level <= RegionLevel.REGENCY else ""
        list_params = {param: child.code}
        if param == "district":
            list_params["region"] = region.code  # type: ignore[union-attr]
        children.append(
            ChildRow(
                child,
                row["n"] or 0,
                row["act"] or 0,
                (row["wm"] or 0) + (row["wf"] or 0),
                row["inv"] or Decimal(0),
                drill,
                _list_url(**list_params),
            )
        )
    dash.children = sorted(children, key=lambda c: c.region.code)


@dataclass
class PublicStatistics:
    region: Region | None
    child_label: str
    size_table: Any
    workforce: list[tuple[str, int | None]]
    workforce_total: int | None
    drill: dict[str, str]
    node: str = ""  # the page's region code ("" for the nation), as the tables' keys use it
    workforce_keys: list[str] = field(default_factory=list)


#: The public tables' columns: the industry size classes, then businesses with no class recorded yet.
PUBLIC_SIZE_COLUMNS = (SizeClass.KECIL.value, SizeClass.MENENGAH.value, SizeClass.BESAR.value, "")
PUBLIC_STATISTICS_CACHE_SECONDS = 24 * 60 * 60


def public_statistics_stamp() -> str:
    """The state of the summary tables behind the public statistics: it keys the cached suppression and the open
    data files' ETag. The summary tables change only through a refresh, which stamps SummaryState and writes new
    cube rows."""
    from django.db.models import Max

    from sentra.reports.models import SummaryState

    state = SummaryState.objects.aggregate(at=Max("refreshed_at"), n=Count("region_id"))
    last_row = BusinessCube.objects.aggregate(m=Max("id"))["m"]
    return f"{state['at'].isoformat() if state['at'] else '-'}:{state['n']}:{last_row or 0}"


def public_statistics_linked() -> tuple[Any, dict[str, str]]:
    """Every public statistics page of the country, suppressed as one linked set (``suppression.suppress_hierarchy``):
    the national table, each province's page and their regency/city rows, so no page undoes another's suppression
    by subtraction. Computed once per state of the summary tables and kept in the cache; every page reads its slice
    of the same result, so they always agree. Returns the figures and the region names by code."""
    from django.core.cache import cache

    from sentra.reports.suppression import MIN_CELL, suppress_hierarchy

    key = f"reports:statistik:v1:{MIN_CELL}:{public_statistics_stamp()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    regions = list(
        Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.REGENCY])
        .order_by("code")
        .values_list("code", "name", "level", "parent_id")
    )
    children: dict[str, list[str]] = {"": []}
    for code, _name, level, parent in regions:
        if level == RegionLevel.PROVINCE:
            children[""].append(code)
        elif parent:
            children.setdefault(parent, []).append(code)
    known = set(PUBLIC_SIZE_COLUMNS)
    counts: dict[tuple[str, str], int] = {}
    workforce: dict[str, int] = {}
    for row in (
        BusinessCube.objects.values("region_id", "size_class")
        .annotate(n=Sum("businesses"), wm=Sum("workforce_male"), wf=Sum("workforce_female"))
        .order_by()
    ):
        size = row["size_class"] if row["size_class"] in known else ""
        leaf = (row["region_id"], size)
        counts[leaf] = counts.get(leaf, 0) + (row["n"] or 0)
        workforce[row["region_id"]] = workforce.get(row["region_id"], 0) + (row["wm"] or 0) + (row["wf"] or 0)
    result = (
        suppress_hierarchy(children, counts, workforce, PUBLIC_SIZE_COLUMNS),
        {code: name for code, name, _level, _parent in regions},
    )
    cache.set(key, result, PUBLIC_STATISTICS_CACHE_SECONDS)
    return result


def public_statistics(*, code: str | None) -> PublicStatistics:
    """One public statistics page (no login): the nation's provinces, or one province's regencies/cities, read from
    the linked suppression of all pages (``public_statistics_linked``)."""
    from django.utils.translation import gettext as _

    region = None
    if code:
        region = Region.objects.filter(code=code, level=RegionLevel.PROVINCE).first()
        if region is None:
            raise Http404
    linked, names = public_statistics_linked()
    node = region.code if region is not None else ""
    labels = {**{value: str(label) for value, label in SizeClass.choices}, "": _("Belum ditentukan")}
    table = linked.table(node, names, [labels[c] for c in PUBLIC_SIZE_COLUMNS])
    kids = table.row_keys
    workforce = [(names.get(k, k), linked.workforce[k]) for k in kids]
    drill = {names.get(k, k): f"?wilayah={k}" for k in kids} if region is None else {}
    return PublicStatistics(
        region,
        _("Provinsi") if region is None else _("Kabupaten/kota"),
        table,
        workforce,
        linked.workforce[node],
        drill,
        node,
        kids,
    )


INDICATORS = {
    "businesses": ("Usaha IKM", Sum("businesses")),
    "active": ("Usaha aktif", Sum("businesses", filter=Q(status=BusinessStatus.ACTIVE))),
    "workforce": ("Tenaga kerja", Sum("workforce_male") + Sum("workforce_female")),
    "investment": ("Nilai investasi (Rp)", Sum("investment_value")),
    "production": ("Nilai produksi (Rp)", Sum("production_value")),
}


def map_layer(*, user: Any, code: str | None, indicator: str) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the regions one level below ``code``, each with the indicator's value."""
    from sentra.regions.boundaries import ATTRIBUTION, boundary_features

    if indicator not in INDICATORS:
        indicator = "businesses"
    region = dashboard_region(user=user, code=code)
    label, aggregate = INDICATORS[indicator]
    cube = _filter_cube(BusinessCube.objects.visible_to(user), region)
    if region is None:
        values = dict(cube.values_list("province_code").annotate(v=aggregate).order_by())
        features = boundary_features(1)
        drill_level = True
    elif region.level == RegionLevel.PROVINCE:
        values = dict(cube.values_list("region_id").annotate(v=aggregate).order_by())
        features = boundary_features(2, region.code)
        drill_level = True
    else:
        values = dict(cube.values_list("region_id").annotate(v=aggregate).order_by())
        features = [f for f in boundary_features(2, region.code[:2]) if f["properties"]["kode"] == region.code]
        drill_level = False
    url = reverse("reports:dashboard")
    out = []
    for feature in features:
        kode = feature["properties"]["kode"]
        value = values.get(kode) or 0
        out.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {
                    "kode": kode,
                    "nama": feature["properties"]["nama"],
                    "value": float(value),
                    "url": f"{url}?wilayah={kode}" if drill_level else "",
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "indicator": indicator,
        "label": label,
        "attribution": ATTRIBUTION,
        "features": out,
    }
