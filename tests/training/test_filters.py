"""the batch list narrows to a region (province or regency/city) and a year, on top of visible_to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.training.factories import make_batch

pytestmark = pytest.mark.django_db

URL = reverse("training:batch_list")


@pytest.fixture
def batches(db):
    return {
        "kendari_2024": make_batch(region_id="74.71", start=dt.date(2024, 3, 4), end=dt.date(2024, 3, 8)),
        "kendari_2025": make_batch(region_id="74.71", start=dt.date(2025, 3, 3), end=dt.date(2025, 3, 7)),
        "kendari_cancelled": make_batch(
            region_id="74.71", start=dt.date(2025, 4, 7), end=dt.date(2025, 4, 9), status="cancelled"
        ),
        "baubau_2025": make_batch(region_id="74.72", start=dt.date(2025, 5, 5), end=dt.date(2025, 5, 9)),
        "makassar_2025": make_batch(region_id="73.71", start=dt.date(2025, 6, 2), end=dt.date(2025, 6, 6)),
    }


def _listed(client, query: str) -> set[int]:
    response = client.get(URL + query)
    assert response.status_code == 200
    return {b.pk for b in response.context["page"].object_list}


def _pks(batches, *names: str) -> set[int]:
    return {batches[n].pk for n in names}


def test_regency_province_and_year(batches, national_admin, client_for):
    client = client_for(national_admin)
    assert _listed(client, "?region=74.71") == _pks(batches, "kendari_2024", "kendari_2025", "kendari_cancelled")
    assert _listed(client, "?region=74") == _pks(
        batches, "kendari_2024", "kendari_2025", "kendari_cancelled", "baubau_2025"
    )
    assert _listed(client, "?region=74&year=2025") == _pks(batches, "kendari_2025", "kendari_cancelled", "baubau_2025")
    assert _listed(client, "?region=74.71&year=2025&status=bukan-batal") == _pks(batches, "kendari_2025")
    assert _listed(client, "?region=73") == _pks(batches, "makassar_2025")


def test_a_region_outside_the_scope_lists_nothing(batches, officer_region_a, province_officer, client_for):
    client = client_for(officer_region_a)
    assert _listed(client, "") == _pks(batches, "kendari_2024", "kendari_2025", "kendari_cancelled")
    assert _listed(client, "?region=74.72") == set()
    assert _listed(client, "?region=73") == set()
    assert _listed(client, "?region=74") == _pks(batches, "kendari_2024", "kendari_2025", "kendari_cancelled")
    client = client_for(province_officer)
    assert _listed(client, "?region=73.71") == set()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?region=99.99", "Kode wilayah “99.99” tidak dikenal"),
        ("?region=74.71.03", "Kode wilayah “74.71.03” tidak dikenal"),  # a district is not a region filter
        ("?region=kendari", "Kode wilayah “kendari” tidak dikenal"),
        ("?year=abc", "Tahun harus angka empat digit"),
        ("?year=20255", "Tahun harus angka empat digit"),
    ],
)
def test_bad_values_give_a_clear_message_and_no_rows(batches, national_admin, client_for, query, message):
    response = client_for(national_admin).get(URL + query)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    html = response.content.decode()
    assert 'data-testid="filter-errors"' in html
    assert message in html


def test_filtered_list_query_count_does_not_grow(batches, national_admin, client_for, django_assert_max_num_queries):
    client = client_for(national_admin)
    client.get(URL + "?region=74&year=2025")  # warm the session/permission caches
    with django_assert_max_num_queries(14):
        client.get(URL + "?region=74&year=2025")
    for _i in range(3):
        make_batch(region_id="74.72", start=dt.date(2025, 8, 4), end=dt.date(2025, 8, 8))
    with django_assert_max_num_queries(14):
        client.get(URL + "?region=74&year=2025")


@pytest.mark.parametrize("url_name", ["training:batch_list", "registry:business_list"])
def test_owners_and_trainers_get_no_area_filter_they_cannot_use(client_for, trainer, owner_user, url_name):
    """Their lists hold their own records only: a region select (all of Indonesia) would only confuse."""
    for user in (trainer, owner_user):
        html = client_for(user).get(reverse(url_name)).content.decode()
        for field in ("region", "province", "district"):
            assert f'name="{field}"' not in html, (user.username, field)


def test_officers_keep_the_area_filter(client_for, province_officer, batches):
    html = client_for(province_officer).get(URL).content.decode()
    assert 'name="region"' in html
    assert _listed(client_for(province_officer), "?region=74.72") == _pks(batches, "baubau_2025")
