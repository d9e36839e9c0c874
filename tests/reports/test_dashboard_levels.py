"""Each level's dashboard (nation, Sulawesi Tenggara, Kota Kendari, one centre): every figure and every chart bar
equals a direct count on the raw tables for that scope, and no link leads out of it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from sentra.registry.models import Business
from sentra.reports.charts import dashboard_charts
from sentra.reports.selectors import dashboard_get
from sentra.reports.services import summary_refresh_all
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def registry():
    """Businesses of three regencies in two provinces, with varied classes, statuses, KBLI, years and workforce."""
    specs = [
        # region, district, kbli, workforce (m, f), investment, status, year started
        ("74.71", "74.71.03", "31001", (3, 2), "150000000", "active", THIS_YEAR),
        ("74.71", "74.71.03", "31001", (25, 10), "2000000000", "active", THIS_YEAR - 1),
        ("74.71", "74.71.03", "10710", (1, 4), "40000000", "inactive", THIS_YEAR - 1),
        ("74.71", "74.71.03", "10710", (0, 2), "12000000", "active", THIS_YEAR - 3),
        ("74.71", "74.71.03", None, (2, 0), None, "active", None),
        ("74.71", "74.71.03", "16101", (120, 60), "20000000000", "closed", 2001),
        ("74.72", None, "31001", (4, 4), "90000000", "active", THIS_YEAR),
        ("74.72", None, "10710", (2, 9), "300000000", "active", THIS_YEAR - 2),
        ("73.71", None, "13121", (6, 30), "800000000", "active", THIS_YEAR),
        ("73.71", None, "31001", (3, 3), "100000000", "inactive", THIS_YEAR - 5),
    ]
    from sentra.regions.models import Kbli

    codes = {k.code: k for k in Kbli.objects.filter(version="2020", code__in={s[2] for s in specs if s[2]})}
    assert len(codes) == 4
    for i, (region, district, kbli, (m, f), inv, status, year) in enumerate(specs):
        BusinessFactory(
            name=f"Usaha {region} {i}",
            region_id=region,
            district_id=district,
            village_id="74.71.03.1002" if district else None,
            kbli=codes.get(kbli),
            workforce_male=m,
            workforce_female=f,
            investment_value=Decimal(inv) if inv else None,
            status=status,
            year_started=year,
        )
    BusinessFactory(name="Dihapus", region_id="74.71", deleted_at=timezone.now())
    summary_refresh_all()


def _raw(scope: Q):
    return Business.objects.filter(scope, deleted_at__isnull=True)


def _assert_matches_raw(dash, scope: Q) -> None:
    raw = _raw(scope)
    sums = raw.aggregate(
        n=Count("id"),
        active=Count("id", filter=Q(status="active")),
        wm=Sum("workforce_male"),
        wf=Sum("workforce_female"),
        inv=Sum("investment_value"),
        prod=Sum("production_value"),
    )
    assert dash.totals["businesses"] == sums["n"] > 0
    assert dash.totals["active"] == sums["active"]
    assert dash.totals["workforce_male"] == (sums["wm"] or 0)
    assert dash.totals["workforce_female"] == (sums["wf"] or 0)
    assert dash.totals["workforce"] == (sums["wm"] or 0) + (sums["wf"] or 0)
    assert dash.totals["investment_value"] == (sums["inv"] or 0)
    assert dash.totals["production_value"] == (sums["prod"] or 0)

    charts = {c.key: c for c in dashboard_charts(dash)}
    for key, field_name in (("size", "size_class"), ("umkm", "umkm_class"), ("status", "status")):
        bars = {row.label: row.values[0] for row in charts[key].rows}
        for b in getattr(dash, f"by_{key}"):
            assert bars[b.label] == b.value == raw.filter(**{field_name: b.key}).count(), (key, b.key)
        assert sum(bars.values()) == sums["n"], key
    for b in dash.by_division:
        expected = raw.filter(kbli__code__startswith=b.key).count() if b.key else raw.filter(kbli__isnull=True).count()
        assert b.value == expected, b.key
    assert sum(b.value for b in dash.by_division) == sums["n"]  # fewer than 12 divisions here: all are shown
    for year, n in dash.new_per_year:
        assert n == raw.filter(year_started=year).count(), year
    assert [r.values[0] for r in charts["new"].rows] == [n for _, n in dash.new_per_year]
    assert [r.values[0] for r in charts["workforce"].rows] == [sums["wm"] or 0, sums["wf"] or 0]
    for child in dash.children:
        lookup = {"province": "region__parent_id", "regency": "region_id", "district": "district_id"}[
            {1: "province", 2: "regency", 3: "district"}[child.region.level]
        ]
        assert child.businesses == raw.filter(**{lookup: child.region.code}).count(), child.region.code
    assert sum(c.businesses for c in dash.children) + dash.children_unassigned == sums["n"]


def test_national_admin_figures_equal_raw_counts(registry, national_admin):
    dash = dashboard_get(user=national_admin)
    assert dash.level == "national"
    _assert_matches_raw(dash, Q())
    # …and the same at every level the admin drills to.
    _assert_matches_raw(dashboard_get(user=national_admin, code="74"), Q(region__parent_id="74"))
    _assert_matches_raw(dashboard_get(user=national_admin, code="74.71"), Q(region_id="74.71"))


def test_province_officer_figures_equal_raw_counts(registry, province_officer):
    dash = dashboard_get(user=province_officer)
    assert (dash.level, dash.region.code) == ("province", "74")
    _assert_matches_raw(dash, Q(region__parent_id="74"))
    _assert_matches_raw(dashboard_get(user=province_officer, code="74.72"), Q(region_id="74.72"))


def test_city_officer_figures_equal_raw_counts(registry, officer_region_a):
    dash = dashboard_get(user=officer_region_a)
    assert (dash.level, dash.region.code) == ("regency", "74.71")
    _assert_matches_raw(dash, Q(region_id="74.71"))


def _links(html: str) -> list[str]:
    return [u.replace("&amp;", "&") for u in re.findall(r'href="([^"#]+)"', html)]


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("province_officer", {"74", "74.71", "74.72"}),
        ("officer_region_a", {"74.71"}),
    ],
)
def test_every_dashboard_link_stays_in_the_officers_region(request, client, registry, persona, allowed):
    """Drill-down, figure, chart-table and download links all carry a region the officer may see, and opening
    each region-bearing link answers (not 404), while the same links for another region are 404."""
    user = request.getfixturevalue(persona)
    client.force_login(user)
    html = client.get(reverse("reports:dashboard")).content.decode()
    dashboard = reverse("reports:dashboard")
    business_list = reverse("registry:business_list")
    checked = 0
    for url in _links(html):
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        if parts.path == dashboard and "wilayah" in query:
            assert query["wilayah"][0] in allowed, url
            assert client.get(url).status_code == 200, url
            checked += 1
        elif parts.path == business_list and parts.query:
            codes = query.get("region", []) + query.get("province", [])
            assert codes and all(c in allowed for c in codes), url
            checked += 1
        elif parts.path.startswith(dashboard + "grafik/"):
            assert parts.path.split("/")[4] in allowed, url
            assert client.get(url).status_code == 200, url
            checked += 1
    assert checked >= 8
    # The officer cannot drill out: Baubau/Makassar dashboards and downloads are 404.
    for code in ("73", "73.71", *(("74", "74.72") if persona == "officer_region_a" else ())):
        assert client.get(dashboard, {"wilayah": code}).status_code == 404
        assert client.get(reverse("reports:chart_xlsx", args=[code, "size"])).status_code == 404


def test_centre_manager_figures_equal_raw_counts(client, registry, centre_manager):
    """The centre level (`mebel` in the demo): the figures of their own centre, each equal to a direct count."""
    from sentra.centres.models import Tenancy
    from tests.centres.factories import CentreFactory, MembershipFactory, TenancyFactory, UnitFactory
    from tests.quality.factories import CertificationFactory

    today = timezone.localdate()
    mine = CentreFactory(name="Sentra Mebel Saya")
    mine.managers.set([centre_manager])
    other = CentreFactory(name="Sentra Lain", region_id="74.72", village_id=None)
    members = list(Business.objects.filter(region_id="74.71", deleted_at__isnull=True).order_by("pk")[:3])
    for business in members:
        MembershipFactory(centre=mine, business=business)
    MembershipFactory(centre=other, business=Business.objects.filter(region_id="74.72").first())
    units = [UnitFactory(centre=mine, code=f"W-{i}") for i in range(4)]
    TenancyFactory(unit=units[0], business=members[0], start_date=today - dt.timedelta(days=30))
    TenancyFactory(unit=units[1], business=members[1], start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 1, 1))
    TenancyFactory(unit=UnitFactory(centre=other, code="X-1"), start_date=today - dt.timedelta(days=3))
    CertificationFactory(business=members[0], expires_on=today + dt.timedelta(days=20))
    CertificationFactory(business=members[1], expires_on=today - dt.timedelta(days=1))
    CertificationFactory(business=Business.objects.filter(region_id="74.72").first(), expires_on=today)

    client.force_login(centre_manager)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    figures = {f.label: f for f in response.context["figures"]}

    member_ids = [b.pk for b in members]
    raw = Business.objects.filter(pk__in=member_ids, deleted_at__isnull=True)
    assert figures["Usaha IKM terdaftar"].value == raw.count() == 3
    assert figures["Usaha aktif"].value == raw.filter(status="active").count()
    assert figures["Industri kecil"].value == raw.filter(size_class="kecil").count()
    assert figures["Industri menengah"].value == raw.filter(size_class="menengah").count()
    assert figures["Sentra IKM"].value == 1
    let = (
        Tenancy.objects.filter(centre=mine, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values("unit")
        .distinct()
        .count()
    )
    assert figures["Workshop terisi"].value == let == 1
    assert figures["Workshop terisi"].hint == "dari 4 workshop"
    assert figures["Sertifikat akan habis (90 hari)"].value == 1
    assert figures["Sertifikat sudah habis"].value == 1
    # The figure links lead to lists that show only the centre's rows.
    listed = client.get(figures["Usaha IKM terdaftar"].url).content.decode()
    assert all(b.name in listed for b in members)
    assert "Usaha 74.72" not in listed and "Usaha 73.71" not in listed
    centres = client.get(figures["Sentra IKM"].url).content.decode()
    assert "Sentra Mebel Saya" in centres and "Sentra Lain" not in centres
    # A centre manager has no regional dashboard: no drilling into a region, no chart download.
    regional = client.get(reverse("reports:dashboard"), {"wilayah": "74.71"})
    assert next(t.name for t in regional.templates) == "core/dashboard.html"
    assert "Dasbor IKM" not in regional.content.decode()
    assert client.get(reverse("reports:chart_xlsx", args=["74.71", "size"])).status_code in (403, 404)


def test_other_figures_only_on_the_users_own_level(client, registry, province_officer):
    """Trainings, DAK and certificate figures count the user's whole scope: not shown on a drilled-to region."""
    from sentra.core.dashboard import dashboard_figures

    client.force_login(province_officer)
    own = client.get(reverse("reports:dashboard"))
    assert [f.label for f in own.context["figures"]] == [f.label for f in dashboard_figures(province_officer)]
    assert own.context["figures"]
    drilled = client.get(reverse("reports:dashboard"), {"wilayah": "74.71"})
    assert drilled.context["figures"] == []
    assert "Angka lain" not in drilled.content.decode()
