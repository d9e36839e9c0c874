"""The one list shape (sentra.api.listing.list_page): which filters apply when, and a filter nobody applies."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from ninja import Schema

from sentra.api.listing import list_page
from sentra.regions.models import Region
from tests.api.conftest import assert_error_format


@pytest.fixture
def api_a(officer_region_a, api_for):
    return api_for(officer_region_a)


class _Params(Schema):
    level: int | None = None
    cursor: str | None = None
    page_size: int = 200


def test_a_documented_filter_that_nothing_applies_is_refused(db):
    """Without a FilterSet every filter parameter needs a ``where`` entry, or the list would ignore it."""
    request = RequestFactory().get("/api/v1/regions")
    with pytest.raises(ImproperlyConfigured, match="level"):
        list_page(request, _Params(level=1), Region.objects.all(), ordering=["code"])
    page = list_page(request, _Params(level=1), Region.objects.all(), where={"level": "level"}, ordering=["code"])
    assert page["results"] and {r.level for r in page["results"]} == {1}


def test_where_applies_a_given_value_false_included_and_skips_none_and_empty(api_a):
    furniture = api_a.get("/kbli", {"q": "31", "manufacturing": "true"}).json()["results"]
    assert furniture and {r["is_manufacturing"] for r in furniture} == {True}
    assert api_a.get("/kbli", {"q": "31", "manufacturing": "false"}).json()["results"] == []
    farming = api_a.get("/kbli", {"q": "01", "manufacturing": "false"}).json()["results"]
    assert farming and {r["is_manufacturing"] for r in farming} == {False}
    everything = api_a.get("/kbli", {"level": 1, "q": "", "page_size": 200}).json()["results"]
    assert {r["code"] for r in everything} >= {"A", "C"}  # an empty q filters nothing


def test_the_filterset_gets_the_parameters_where_does_not_take(api_a):
    """/batches: ``programme`` is the API's own filter; ``status`` and ``q`` go to the page's BatchFilterSet."""
    from tests.training.factories import make_batch

    first, second = make_batch(status="open"), make_batch(status="open")
    make_batch(programme=first.programme, status="completed")
    rows = api_a.get("/batches", {"programme": first.programme_id, "status": "open"}).json()["results"]
    assert [r["id"] for r in rows] == [first.pk] and second.programme_id != first.programme_id
    body = assert_error_format(api_a.get("/batches", {"programme": first.programme_id, "q": "a\x00b"}), 422)
    assert list(body["errors"]) == ["q"]
