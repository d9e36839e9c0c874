"""The business list's "Tahun mulai usaha" filter: an implausible year is an error shown above an empty list (as
in the other year filters), a good year lists exactly that year's businesses; the export follows the page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db

LIST = reverse("registry:business_list")
EXPORT = reverse("registry:business_export")
MESSAGE = "Tahun harus angka empat digit antara 1900 dan 2100, mis. 2025."
BAD_YEARS = ["19", "3000", "abc", "-1", "1899", "2101"]


@pytest.fixture
def businesses(db):
    return {
        "lama": BusinessFactory(name="Tenun Lama", year_started=2001),
        "baru": BusinessFactory(name="Roti Baru", year_started=2020),
        "baru2": BusinessFactory(name="Mebel Baru", year_started=2020),
        "kosong": BusinessFactory(name="Tanpa Tahun", year_started=None),
        "dihapus": BusinessFactory(name="Dihapus 2020", year_started=2020, deleted_at=timezone.now()),
        "baubau": BusinessFactory(
            name="Baubau 2020", region_id="74.72", district_id=None, village_id=None, year_started=2020
        ),
    }


def _names(response) -> list[str]:
    return [b.name for b in response.context["page"].object_list]


@pytest.mark.parametrize("value", BAD_YEARS)
def test_bad_year_shows_the_message_and_lists_nothing(client, officer_region_a, businesses, value):
    client.force_login(officer_region_a)
    for headers in ({}, {"HX-Request": "true"}):  # the full page and the htmx table fragment
        response = client.get(LIST, {"year_started": value}, headers=headers)
        assert response.status_code == 200
        assert _names(response) == []
        html = response.content.decode()
        assert 'data-testid="filter-errors"' in html
        assert "Saringan tidak bisa dipakai, daftar dikosongkan" in html
        assert f"Tahun mulai usaha: {MESSAGE}" in html
        assert "Tenun Lama" not in html and "Roti Baru" not in html


def test_good_year_lists_exactly_that_years_businesses(client, officer_region_a, businesses):
    client.force_login(officer_region_a)
    response = client.get(LIST, {"year_started": "2020"})
    assert _names(response) == ["Mebel Baru", "Roti Baru"]  # not the deleted one, not Baubau (out of scope)
    assert 'data-testid="filter-errors"' not in response.content.decode()
    assert _names(client.get(LIST, {"year_started": "2001"})) == ["Tenun Lama"]
    assert _names(client.get(LIST, {"year_started": "1999"})) == []  # a plausible year with no business: no error
    assert 'data-testid="filter-errors"' not in client.get(LIST, {"year_started": "1999"}).content.decode()
    # No year: every live business of the scope, with or without a year.
    assert _names(client.get(LIST, {"year_started": ""})) == ["Mebel Baru", "Roti Baru", "Tanpa Tahun", "Tenun Lama"]


def test_a_stale_area_choice_is_still_ignored_without_the_message(client, province_officer, businesses):
    """Only the year empties the list: a regency left selected after the province changed is ignored as before."""
    client.force_login(province_officer)
    response = client.get(LIST, {"province": "74", "region": "73.71", "year_started": "2020"})
    assert _names(response) == ["Baubau 2020", "Mebel Baru", "Roti Baru"]
    assert 'data-testid="filter-errors"' not in response.content.decode()


def _exported(client, **params) -> str:
    response = client.get(EXPORT, {"format": "csv", **params})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def test_export_follows_the_page(client, officer_region_a, businesses):
    client.force_login(officer_region_a)
    good = _exported(client, year_started="2020")
    assert "Roti Baru" in good and "Mebel Baru" in good
    assert "Tenun Lama" not in good and "Dihapus 2020" not in good and "Baubau 2020" not in good
    for value in BAD_YEARS:
        bad = _exported(client, year_started=value)
        assert bad.count("\n") == 1, value  # the header only, as the page lists nothing
    # Unfiltered, the export is the list: the soft-deleted business is not in it.
    everything = _exported(client)
    assert "Tenun Lama" in everything and "Tanpa Tahun" in everything and "Dihapus 2020" not in everything
