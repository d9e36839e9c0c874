"""Dashboard figures of empty values ("Belum ditentukan", "Tanpa KBLI") and of new IKM per year link to the
business list filtered to exactly those businesses (registry filters ``__none__`` and ``year_started``)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import RequestFactory
from django.urls import reverse

from sentra.registry.filters import NONE, BusinessFilterSet
from sentra.registry.models import Business
from sentra.reports.charts import dashboard_charts
from sentra.reports.selectors import dashboard_get
from tests.reports.test_dashboard_levels import THIS_YEAR, registry  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _listed(user, url: str):
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    request = RequestFactory().get(url)
    request.user = user
    fs = BusinessFilterSet(query, queryset=Business.objects.visible_to(user), request=request)
    assert fs.form.is_valid(), fs.form.errors
    return fs.qs


@pytest.mark.parametrize("code", [None, "74", "74.71"])
def test_empty_class_and_kbli_links_list_exactly_those(registry, national_admin, code):  # noqa: F811
    dash = dashboard_get(user=national_admin, code=code)
    scope = Business.objects.alive()
    if code == "74":
        scope = scope.filter(region__parent_id="74")
    elif code:
        scope = scope.filter(region_id=code)
    checked = 0
    for key, field in (("size", "size_class"), ("umkm", "umkm_class")):
        for b in getattr(dash, f"by_{key}"):
            if b.key == "":
                assert f"{field}={NONE}" in b.url
            listed = _listed(national_admin, b.url)
            assert set(listed.values_list("pk", flat=True)) == set(
                scope.filter(**{field: b.key}).values_list("pk", flat=True)
            ), (key, b.key)
            checked += 1
    no_kbli = [b for b in dash.by_division if b.key == ""]
    assert no_kbli and f"kbli={NONE}" in no_kbli[0].url
    assert set(_listed(national_admin, no_kbli[0].url).values_list("pk", flat=True)) == set(
        scope.filter(kbli__isnull=True).values_list("pk", flat=True)
    )
    assert checked >= 6


def test_new_per_year_rows_link_to_the_year_started(client, registry, province_officer):  # noqa: F811
    dash = dashboard_get(user=province_officer)
    chart = next(c for c in dashboard_charts(dash) if c.key == "new")
    scope = Business.objects.alive().filter(region__parent_id="74")
    for row in chart.rows:
        assert "year_started=" in row.url and "province=74" in row.url
        listed = _listed(province_officer, row.url)
        assert listed.count() == scope.filter(year_started=int(row.label)).count() == row.values[0]
    client.force_login(province_officer)
    page = client.get(next(r.url for r in chart.rows if r.label == str(THIS_YEAR)))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Usaha 74.71 0" in html and "Usaha 74.71 1" not in html


def test_bad_filter_values_are_refused_with_a_message(client, registry, officer_region_a):  # noqa: F811
    client.force_login(officer_region_a)
    url = reverse("registry:business_list")
    for params in ({"size_class": "raksasa"}, {"year_started": "dua ribu"}):
        response = client.get(url, params)
        assert response.status_code == 200
        fs = response.context["filterset"]
        assert not fs.form.is_valid()
