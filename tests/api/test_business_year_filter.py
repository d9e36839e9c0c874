"""``GET /businesses?year_started=``: the page's filter; an implausible year is a 422 naming the parameter, as
the other API year filters (``/batches?year=``, ``/allocations?year=``)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.api.conftest import assert_error_format
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_a(officer_region_a, api_for):
    return api_for(officer_region_a)


@pytest.mark.parametrize("value", ["19", "3000", "abc", "-1", "1899", "2101", "2020.5"])
def test_bad_year_is_a_422_naming_year_started(api_a, value):
    BusinessFactory(region_id="74.71", year_started=2020)
    body = assert_error_format(api_a.get("/businesses", {"year_started": value}), 422, "validation_error")
    assert list(body["errors"]) == ["year_started"], body


def test_bad_year_is_refused_like_the_other_year_filters(api_a):
    for path, name in (("/businesses", "year_started"), ("/batches", "year"), ("/allocations", "year")):
        body = assert_error_format(api_a.get(path, {name: "19"}), 422, "validation_error")
        assert list(body["errors"]) == [name], (path, body)


def test_good_year_lists_exactly_that_years_businesses(api_a):
    BusinessFactory(region_id="74.71", name="Roti 2020", year_started=2020)
    BusinessFactory(region_id="74.71", name="Mebel 2020", year_started=2020)
    BusinessFactory(region_id="74.71", name="Tenun 2001", year_started=2001)
    BusinessFactory(region_id="74.71", name="Dihapus 2020", year_started=2020, deleted_at=timezone.now())
    BusinessFactory(region_id="74.72", district_id=None, village_id=None, name="Baubau 2020", year_started=2020)

    def names(**params):
        response = api_a.get("/businesses", params)
        assert response.status_code == 200, response.content
        return [r["name"] for r in response.json()["results"]]

    assert names(year_started=2020) == ["Mebel 2020", "Roti 2020"]
    assert names(year_started=2001) == ["Tenun 2001"]
    assert names(year_started=1999) == []
    assert names(year_started=2020, q="Roti") == ["Roti 2020"]
    assert len(names()) == 3
