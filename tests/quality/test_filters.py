"""the certification list and the INDI 4.0 overview narrow to an area (and a year), on top of visible_to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sentra.quality.models import IndiAssessment
from tests.quality.factories import CertificationFactory, make_indi
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db

CERTS = reverse("quality:certification_list")
INDI = reverse("quality:indi_overview")


def _listed(client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {o.pk for o in response.context["page"].object_list}


@pytest.fixture
def certs(db):
    return {
        region: CertificationFactory(business=BusinessFactory(region_id=region)).pk
        for region in ("74.71", "74.72", "73.71")
    }


def test_certifications_by_regency_and_province(certs, national_admin, client_for):
    client = client_for(national_admin)
    assert _listed(client, CERTS + "?region=74.71") == {certs["74.71"]}
    assert _listed(client, CERTS + "?region=74") == {certs["74.71"], certs["74.72"]}
    assert _listed(client, CERTS + "?province=74") == {certs["74.71"], certs["74.72"]}
    assert _listed(client, CERTS + "?province=73&status=berlaku") == {certs["73.71"]}


def test_certifications_only_narrow(certs, officer_region_a, client_for):
    client = client_for(officer_region_a)
    assert _listed(client, CERTS) == {certs["74.71"]}
    assert _listed(client, CERTS + "?region=74.72") == set()
    assert _listed(client, CERTS + "?province=73") == set()
    assert _listed(client, CERTS + "?province=74") == {certs["74.71"]}


@pytest.mark.parametrize("query", ["?region=99.99", "?province=xx", "?region=74.71.03"])
def test_certifications_bad_area_is_a_clear_message(certs, national_admin, client_for, query):
    response = client_for(national_admin).get(CERTS + query)
    assert list(response.context["page"].object_list) == []
    html = response.content.decode()
    assert 'data-testid="filter-errors"' in html and "tidak dikenal" in html


@pytest.fixture
def indi(db):
    out = {region: make_indi(business=BusinessFactory(region_id=region)).pk for region in ("74.71", "74.72", "73.71")}
    # one of Kendari's assessments submitted last year
    old = make_indi(business=BusinessFactory(region_id="74.71"))
    last_year = timezone.localdate().year - 1
    IndiAssessment.objects.filter(pk=old.pk).update(
        submitted_at=timezone.make_aware(dt.datetime(last_year, 6, 1, 10)), created_at=timezone.now()
    )
    out["old"] = old.pk
    return out


def test_indi_overview_by_region_and_year(indi, national_admin, client_for):
    client = client_for(national_admin)
    year = timezone.localdate().year
    assert _listed(client, INDI + "?region=74.71") == {indi["74.71"], indi["old"]}
    assert _listed(client, INDI + f"?region=74.71&year={year}") == {indi["74.71"]}
    assert _listed(client, INDI + f"?region=74.71&year={year - 1}") == {indi["old"]}
    assert _listed(client, INDI + f"?region=74&year={year}") == {indi["74.71"], indi["74.72"]}
    assert _listed(client, INDI + f"?year={year}&status=submitted") == {indi["74.71"], indi["74.72"], indi["73.71"]}


def test_indi_overview_only_narrows(indi, officer_region_a, client_for):
    client = client_for(officer_region_a)
    assert _listed(client, INDI) == {indi["74.71"], indi["old"]}
    assert _listed(client, INDI + "?region=74.72") == set()
    assert _listed(client, INDI + "?region=73") == set()


@pytest.mark.parametrize(("query", "message"), [("?region=00", "tidak dikenal"), ("?year=dua", "Tahun harus")])
def test_indi_bad_values_are_a_clear_message(indi, national_admin, client_for, query, message):
    response = client_for(national_admin).get(INDI + query)
    assert list(response.context["page"].object_list) == []
    html = response.content.decode()
    assert 'data-testid="filter-errors"' in html and message in html


def test_status_buttons_keep_the_area(indi, national_admin, client_for):
    html = client_for(national_admin).get(INDI + "?region=74.71&year=2025").content.decode()
    assert "status=submitted" in html
    assert "?region=74.71&amp;year=2025&amp;status=submitted" in html
