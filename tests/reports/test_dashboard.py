"""Dashboards: every figure equals a direct count, within the user's scope; drill-down keeps the scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sentra.regions.models import Region
from sentra.registry import services
from sentra.registry.models import Business
from sentra.reports.models import BusinessCube
from sentra.reports.selectors import dashboard_get
from sentra.reports.services import summary_refresh, summary_refresh_all
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    for i in range(7):
        BusinessFactory(
            name=f"Kendari {i}",
            region_id="74.71",
            district_id="74.71.03",
            village_id="74.71.03.1002",
            size_class="kecil",
            status="active" if i < 6 else "inactive",
        )
    for i in range(4):
        BusinessFactory(name=f"Baubau {i}", region_id="74.72", district_id=None, village_id=None)
    for i in range(3):
        BusinessFactory(name=f"Makassar {i}", region_id="73.71", district_id=None, village_id=None)
    BusinessFactory(name="Dihapus", region_id="74.71", deleted_at="2024-01-01T00:00:00Z")
    summary_refresh_all()


def _direct(**filters):
    return Business.objects.filter(deleted_at__isnull=True, **filters).count()


def test_national_totals_equal_direct_counts(registry, national_admin):
    dash = dashboard_get(user=national_admin)
    assert dash.level == "national"
    assert dash.totals["businesses"] == _direct() == 14
    assert dash.totals["active"] == _direct(status="active")
    provinces = {c.region.code: c.businesses for c in dash.children}
    assert provinces == {"73": 3, "74": 11}


def test_province_officer_sees_province_and_its_regencies(registry, province_officer):
    dash = dashboard_get(user=province_officer)
    assert dash.level == "province"
    assert dash.totals["businesses"] == _direct(region__parent_id="74") == 11
    assert {c.region.code: c.businesses for c in dash.children} == {"74.71": 7, "74.72": 4}
    regency = dashboard_get(user=province_officer, code="74.72")
    assert regency.totals["businesses"] == 4


def test_regency_officer_sees_only_own_regency_with_districts(registry, officer_region_a):
    dash = dashboard_get(user=officer_region_a)
    assert dash.level == "regency"
    assert dash.totals["businesses"] == 7
    assert [(c.region.code, c.businesses) for c in dash.children] == [("74.71.03", 7)]
    size = {b.key: b.value for b in dash.by_size}
    assert size["kecil"] == _direct(region_id="74.71", size_class="kecil")


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("officer_region_a", "74.72"),
        ("officer_region_a", "74"),
        ("province_officer", "73"),
        ("province_officer", "73.71"),
    ],
)
def test_drill_down_outside_scope_is_404(request, client, registry, persona, code):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("reports:dashboard"), {"wilayah": code}).status_code == 404


def test_figure_links_keep_the_filter(registry, client, province_officer):
    client.force_login(province_officer)
    page = client.get(reverse("reports:dashboard"), {"wilayah": "74.71"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "?region=74.71&amp;size_class=kecil" in html
    listed = client.get(reverse("registry:business_list"), {"region": "74.71", "size_class": "kecil"})
    assert listed.content.decode().count("Kendari ") >= 1
    assert "Baubau" not in listed.content.decode()


def test_home_page_is_the_dashboard_for_officers(registry, client, officer_region_a):
    client.force_login(officer_region_a)
    response = client.get("/")
    assert response.status_code == 200
    assert "Dasbor IKM" in response.content.decode()


def test_summary_follows_service_writes(db, officer_region_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        business = services.business_register(
            actor=officer_region_a,
            name="Mebel Baru",
            region=Region.objects.get(code="74.71"),
            status="active",
            workforce_male=2,
            investment_value=None,
        )
    assert BusinessCube.objects.filter(region_id="74.71").values_list("businesses", flat=True).first() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.business_delete(actor=officer_region_a, business=business)
    assert not BusinessCube.objects.filter(region_id="74.71").exists()


def test_dashboard_query_count_does_not_grow(registry, client, national_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(national_admin)
    client.get(reverse("reports:dashboard"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("reports:dashboard"))
    for i in range(30):
        BusinessFactory(name=f"Tambahan {i}", region_id="74.71", district_id="74.71.03")
        BusinessFactory(name=f"Lain {i}", region_id="74.72", district_id=None, village_id=None)
    summary_refresh(region_ids=["74.71", "74.72"])
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("reports:dashboard"))
    assert len(after) == len(before)
    assert len(before) <= 40


def test_public_statistics_need_no_login_and_suppress_small_cells(registry, client):
    response = client.get(reverse("reports:statistics"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sulawesi Tenggara" in html
    assert "•" in html  # 73: 3 businesses "belum ditentukan" etc.; some cell is small somewhere
    province = client.get(reverse("reports:statistics"), {"wilayah": "74"})
    assert province.status_code == 200
    assert "Kota Kendari" in province.content.decode()
    assert client.get(reverse("reports:statistics"), {"wilayah": "99"}).status_code == 404


def test_map_layer_is_scoped_and_carries_values(registry, client, province_officer, officer_region_a):
    client.force_login(province_officer)
    layer = client.get(reverse("reports:map_data")).json()
    codes = {f["properties"]["kode"]: f["properties"]["value"] for f in layer["features"]}
    assert len(codes) == 17 and all(code.startswith("74.") for code in codes)
    assert codes["74.71"] == 7 and codes["74.72"] == 4
    assert client.get(reverse("reports:map_data"), {"wilayah": "73"}).status_code == 404
    workforce = client.get(reverse("reports:map_data"), {"indikator": "workforce"}).json()
    assert workforce["indicator"] == "workforce"
    client.force_login(officer_region_a)
    own = client.get(reverse("reports:map_data")).json()
    assert [f["properties"]["kode"] for f in own["features"]] == ["74.71"]


def _figures_equal_regency_cube():
    from django.db.models import Sum

    from sentra.reports.models import ProvinceBusinessFigures

    for dimension in ProvinceBusinessFigures.Dimension.values:
        stored = {
            (r["province_code"], r["value"]): (r["businesses"], r["workforce_male"], r["investment_value"])
            for r in ProvinceBusinessFigures.objects.filter(dimension=dimension).values()
        }
        added = {
            (r["province_code"], r[dimension]): (r["n"], r["wm"], r["inv"])
            for r in BusinessCube.objects.values("province_code", dimension)
            .annotate(n=Sum("businesses"), wm=Sum("workforce_male"), inv=Sum("investment_value"))
            .order_by()
        }
        assert stored == added, dimension


def test_the_per_province_figures_follow_every_refresh(registry, national_admin):
    _figures_equal_regency_cube()
    for i in range(5):
        BusinessFactory(name=f"Baru {i}", region_id="74.72", district_id=None, village_id=None, size_class="kecil")
    summary_refresh(region_ids=["74.72"])
    _figures_equal_regency_cube()
    dash = dashboard_get(user=national_admin)
    assert dash.totals["businesses"] == _direct() == 19
    assert dash.totals["active"] == _direct(status="active")
    assert {c.region.code: c.businesses for c in dash.children} == {"73": 3, "74": 16}
    assert {c.region.code: c.active for c in dash.children} == {"73": 3, "74": 15}
    assert sum(b.value for b in dash.by_size) == sum(b.value for b in dash.by_status) == 19


def test_national_and_province_pages_agree(registry, national_admin, province_officer):
    national = dashboard_get(user=national_admin, code=None)
    province = dashboard_get(user=province_officer)
    child = next(c for c in national.children if c.region.code == "74")
    assert (child.businesses, child.active) == (province.totals["businesses"], province.totals["active"])
    assert child.workforce == province.totals["workforce"]


def test_only_national_users_read_the_per_province_figures(
    registry, province_officer, officer_region_a, national_admin
):
    from sentra.reports.models import ProvinceBusinessFigures

    assert ProvinceBusinessFigures.objects.visible_to(national_admin).exists()
    assert not ProvinceBusinessFigures.objects.visible_to(province_officer).exists()
    assert not ProvinceBusinessFigures.objects.visible_to(officer_region_a).exists()


def test_the_national_dashboard_reads_the_business_figures_once(registry, national_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        dashboard_get(user=national_admin)
    reads = [q["sql"] for q in queries if "reports_provincebusinessfigures" in q["sql"]]
    assert len(reads) == 2  # the page's figures and breakdowns, then the provinces' rows
    assert not [q["sql"] for q in queries if "reports_businesscube" in q["sql"]]
