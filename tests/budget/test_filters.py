"""the allocation list narrows to a regency/city or province and a year, on top of visible_to."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.budget.factories import make_allocation, make_fund

pytestmark = pytest.mark.django_db

URL = reverse("budget:allocation_list")


@pytest.fixture
def allocations(db):
    fund, older = make_fund(year=2031), make_fund(year=2030)
    out = {region: make_allocation(fund=fund, region=region).pk for region in ("74.71", "74.72", "73.71")}
    out["old"] = make_allocation(fund=older, region="74.71").pk
    return out


def _listed(client, query: str) -> set[int]:
    response = client.get(URL + query)
    assert response.status_code == 200
    return {a.pk for a in response.context["page"].object_list}


def test_by_regency_province_and_year(allocations, national_admin, client_for):
    client = client_for(national_admin)
    assert _listed(client, "?region=74.71") == {allocations["74.71"], allocations["old"]}
    assert _listed(client, "?region=74.71&year=2031") == {allocations["74.71"]}
    assert _listed(client, "?province=74&year=2031") == {allocations["74.71"], allocations["74.72"]}
    assert _listed(client, "?region=74&year=2031") == {allocations["74.71"], allocations["74.72"]}
    assert _listed(client, "?province=74&region=74.72") == {allocations["74.72"]}


def test_only_narrows(allocations, officer_region_a, province_officer, client_for):
    client = client_for(officer_region_a)
    assert _listed(client, "?year=2031") == {allocations["74.71"]}
    assert _listed(client, "?region=74.72") == set()
    assert _listed(client, "?province=73") == set()
    client = client_for(province_officer)
    assert _listed(client, "?region=73.71") == set()
    assert _listed(client, "?province=73") == set()  # was once ignored (so: the whole province 74)


@pytest.mark.parametrize(
    ("query", "message"),
    [("?region=74.99", "Kode wilayah “74.99” tidak dikenal"), ("?year=31", "Tahun harus angka empat digit")],
)
def test_bad_values_give_a_clear_message(allocations, national_admin, client_for, query, message):
    response = client_for(national_admin).get(URL + query)
    assert list(response.context["page"].object_list) == []
    html = response.content.decode()
    assert 'data-testid="filter-errors"' in html and message in html
