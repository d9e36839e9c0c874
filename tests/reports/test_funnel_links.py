"""Every stage of the entrepreneur funnel links to the list of participations behind its figure, within scope."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.reports.outcome_data import YEAR, build
from tests.reports.test_outcomes import SCOPES, _direct

pytestmark = pytest.mark.django_db

STAGES = ("applied", "trained", "certified", "business", "grew", "tenant")


@pytest.fixture
def data():
    return build()


@pytest.mark.parametrize("persona", SCOPES)
def test_every_funnel_stage_links_to_its_list(data, client_for, persona, request):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    html = client.get(reverse("reports:outcomes"), {"tahun": YEAR}).content.decode()
    direct = _direct(SCOPES[persona])
    for stage in STAGES:
        row = re.search(rf'<tr data-stage="{stage}">(.*?)</tr>', html, re.S).group(1)
        link = re.search(r'href="([^"]+)"', row)
        assert link, f"stage {stage} has no link"
        url = link.group(1).replace("&amp;", "&")
        assert url.startswith(reverse("reports:funnel_stage") + "?") and f"tahap={stage}" in url
        page = client.get(url)
        assert page.status_code == 200, url
        listed = re.findall(r'data-participant="(\d+)"', page.content.decode())
        assert len(listed) == len(set(listed)) == direct[stage][0] > 0, stage


def test_stage_list_keeps_the_region(data, client_for, province_officer, officer_region_a):
    url = reverse("reports:funnel_stage")
    kendari = client_for(officer_region_a)
    html = kendari.get(reverse("reports:outcomes"), {"tahun": YEAR}).content.decode()
    assert "wilayah=74.71" in re.search(r'<tr data-stage="grew">(.*?)</tr>', html, re.S).group(1)
    assert kendari.get(url, {"tahap": "trained", "tahun": YEAR, "wilayah": "74.72"}).status_code == 404
    assert kendari.get(url, {"tahap": "trained", "tahun": YEAR, "wilayah": "74"}).status_code == 404
    own = kendari.get(url, {"tahap": "applied", "tahun": YEAR}).content.decode()
    assert len(re.findall(r'data-participant="', own)) == _direct({"74.71"})["applied"][0]
    sultra = client_for(province_officer)
    assert sultra.get(url, {"tahap": "trained", "tahun": YEAR, "wilayah": "73"}).status_code == 404
    narrowed = sultra.get(url, {"tahap": "applied", "tahun": YEAR, "wilayah": "74.72"}).content.decode()
    assert len(re.findall(r'data-participant="', narrowed)) == _direct({"74.72"})["applied"][0]


def test_stage_list_refuses_bad_input_and_outsiders(data, client_for, national_admin, owner_user):
    url = reverse("reports:funnel_stage")
    admin = client_for(national_admin)
    assert admin.get(url, {"tahap": "nope", "tahun": YEAR}).status_code == 404
    assert admin.get(url, {"tahun": YEAR}).status_code == 404
    bad_year = admin.get(url, {"tahap": "applied", "tahun": "dua ribu"})
    assert bad_year.status_code == 200
    assert "tidak dikenal" in bad_year.content.decode()
    assert client_for(owner_user).get(url, {"tahap": "applied", "tahun": YEAR}).status_code in (403, 404)


def test_stage_list_query_count_does_not_grow(data, client_for, national_admin, django_assert_max_num_queries):
    from tests.training.factories import make_batch, make_participant

    client = client_for(national_admin)
    url = reverse("reports:funnel_stage")
    client.get(url, {"tahap": "applied", "tahun": YEAR})
    with django_assert_max_num_queries(12):
        client.get(url, {"tahap": "applied", "tahun": YEAR})
    import datetime as dt

    batch = make_batch(region_id="74.71", start=dt.date(YEAR, 6, 1), end=dt.date(YEAR, 6, 5))
    for _ in range(8):
        make_participant(batch)
    with django_assert_max_num_queries(12):
        client.get(url, {"tahap": "applied", "tahun": YEAR})
