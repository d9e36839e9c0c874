"""the centre list narrows to a region (province or regency/city), on top of visible_to."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.centres.factories import CentreFactory

pytestmark = pytest.mark.django_db

URL = reverse("centres:centre_list")


@pytest.fixture
def centres(db):
    return {
        "kendari": CentreFactory(region_id="74.71", village_id=None),
        "baubau": CentreFactory(region_id="74.72", village_id=None),
        "makassar": CentreFactory(region_id="73.71", village_id=None),
    }


def _listed(client, query: str) -> set[int]:
    response = client.get(URL + query)
    assert response.status_code == 200
    return {c.pk for c in response.context["page"].object_list}


def test_province_and_regency(centres, national_admin, client_for):
    client = client_for(national_admin)
    assert _listed(client, "?region=74") == {centres["kendari"].pk, centres["baubau"].pk}
    assert _listed(client, "?region=74.72") == {centres["baubau"].pk}
    assert _listed(client, "") == {c.pk for c in centres.values()}


def test_a_region_outside_the_scope_only_narrows(centres, officer_region_a, client_for):
    client = client_for(officer_region_a)
    assert _listed(client, "?region=74.71") == {centres["kendari"].pk}
    assert _listed(client, "?region=74.72") == set()
    assert _listed(client, "?region=74") == {centres["kendari"].pk}


def test_an_unknown_region_lists_nothing_and_says_why(centres, national_admin, client_for):
    response = client_for(national_admin).get(URL + "?region=99.99")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert "Kode wilayah “99.99” tidak dikenal" in response.content.decode()
