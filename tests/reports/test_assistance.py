"""Assistance history on the business and owner pages (core detail panels), the double-recipient check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sentra.centres.models import EquipmentHandover
from sentra.core.panels import detail_panels_for
from sentra.registry.models import Business, Owner
from sentra.reports.assistance import (
    KIND_DAK,
    KIND_EQUIPMENT,
    KIND_QUALITY,
    KIND_TENANCY,
    KIND_TRAINING,
    assistance_double_recipients,
    assistance_history,
)
from sentra.training import services as training_services
from tests.centres.factories import CentreFactory, GrantFactory, TenancyFactory, UnitFactory
from tests.quality.factories import CertificationFactory
from tests.reports.outcome_data import build
from tests.training.factories import make_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build()


def test_panels_are_registered_for_business_and_owner():
    assert any(p.template == "reports/partials/assistance_panel.html" for p in detail_panels_for(Business()))
    assert any(p.template == "reports/partials/assistance_panel.html" for p in detail_panels_for(Owner()))


def test_history_lists_every_kind(data, officer_region_a):
    first = data.participants[0]
    CertificationFactory(business=first.business, number="HAL-1", issued_on=dt.date(2023, 2, 1))
    history = assistance_history(user=officer_region_a, business=first.business)
    kinds = history.by_kind
    assert kinds[KIND_TRAINING] == 2  # two 2022 classes
    assert kinds[KIND_EQUIPMENT] == 1
    assert kinds[KIND_TENANCY] == 1
    assert kinds[KIND_QUALITY] == 1
    assert kinds[KIND_DAK] == 1  # the budget line paying for the Kendari class
    owner_history = assistance_history(user=officer_region_a, owner=first.owner)
    assert owner_history.by_kind == kinds
    assert 2022 in history.years


def test_history_is_scoped(data, officer_region_b):
    first = data.participants[0]
    assert assistance_history(user=officer_region_b, business=first.business).items == []


def test_business_page_shows_history_and_double_warning(data, client_for, officer_region_a):
    first = data.participants[0]
    html = client_for(officer_region_a).get(first.business.get_absolute_url()).content.decode()
    assert 'data-testid="assistance-panel"' in html
    assert "Riwayat bantuan" in html
    assert 'data-testid="double-warning"' in html
    assert "2 kali pada tahun 2022" in html
    owner_html = client_for(officer_region_a).get(first.owner.get_absolute_url()).content.decode()
    assert 'data-testid="assistance-panel"' in owner_html and 'data-testid="double-warning"' in owner_html


def test_no_warning_for_a_single_recipient(data, client_for, officer_region_a):
    other = data.participants[1]
    html = client_for(officer_region_a).get(other.business.get_absolute_url()).content.decode()
    assert 'data-testid="assistance-panel"' in html
    assert 'data-testid="double-warning"' not in html


def test_double_recipients_service(data, officer_region_a, officer_region_b, province_officer, national_admin):
    owner = data.double_owner
    rows = assistance_double_recipients(user=officer_region_a)
    assert [(r.kind, r.year, r.subject, r.times) for r in rows] == [(KIND_TRAINING, 2022, owner, 2)]
    assert assistance_double_recipients(user=officer_region_b) == []
    assert len(assistance_double_recipients(user=province_officer)) == 1
    assert assistance_double_recipients(user=national_admin, kind=KIND_EQUIPMENT) == []
    assert assistance_double_recipients(user=national_admin, year=2021) == []
    assert assistance_double_recipients(user=officer_region_a, owner=owner)[0].times == 2
    assert assistance_double_recipients(user=officer_region_a, owner=data.participants[1].owner) == []
    # A second machine the same year makes the business a double recipient of grants; reallocations don't count.
    grant = GrantFactory(region_id="74.71", name="Mesin bubut")
    EquipmentHandover.objects.create(
        grant=grant, bast_number="BAST-2", date=dt.date(2022, 12, 1), recipient_business=data.participants[0].business
    )
    third = GrantFactory(region_id="74.71", name="Mesin amplas")
    EquipmentHandover.objects.create(
        grant=third,
        bast_number="BAST-3",
        date=dt.date(2022, 12, 2),
        recipient_business=data.participants[0].business,
        is_reallocation=True,
    )
    grants = assistance_double_recipients(user=officer_region_a, kind=KIND_EQUIPMENT)
    assert [(r.subject, r.times) for r in grants] == [(data.participants[0].business, 2)]


def test_double_recipients_page(data, client_for, officer_region_a, province_officer):
    url = reverse("reports:double_recipients")
    html = client_for(officer_region_a).get(url).content.decode()
    assert data.double_owner.full_name in html
    assert client_for(officer_region_a).get(url, {"wilayah": "74.72"}).status_code == 404
    html_b = client_for(province_officer).get(url, {"wilayah": "74.72"}).content.decode()
    assert 'data-testid="no-doubles"' in html_b
    assert "tidak dikenal" in client_for(officer_region_a).get(url, {"tahun": "abc"}).content.decode()


def _grow_history(business, year):
    batch = make_batch(region_id="74.71", start=dt.date(year, 4, 3), end=dt.date(year, 4, 7))
    owner = business.ownerships.first().owner
    training_services.participant_register(actor=None, batch=batch, owner=owner, business=business, accept=True)
    TenancyFactory(
        unit=UnitFactory(centre=CentreFactory()),
        business=business,
        start_date=dt.date(year, 5, 1),
        end_date=dt.date(year, 12, 31),
    )
    for i in range(3):
        grant = GrantFactory(region_id="74.71", name=f"Mesin {i}", year=year)
        EquipmentHandover.objects.create(
            grant=grant, bast_number=f"B-{i}", date=dt.date(year, 6, 1 + i), recipient_business=business
        )
        CertificationFactory(business=business, number=f"C-{year}-{i}", issued_on=dt.date(year, 1, 1 + i))


@pytest.mark.parametrize("page", ["business", "owner"])
def test_detail_page_query_count_does_not_grow_with_history(data, client_for, officer_region_a, page):
    """One query per kind of help (plus at most one per kind of double found), whatever the history's length."""
    first = data.participants[0]
    url = first.business.get_absolute_url() if page == "business" else first.owner.get_absolute_url()
    client = client_for(officer_region_a)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    _grow_history(first.business, 2023)
    with CaptureQueriesContext(connection) as grown:
        client.get(url)
    _grow_history(first.business, 2024)
    with CaptureQueriesContext(connection) as after:
        html = client.get(url).content.decode()
    assert "Mesin 2" in html
    assert len(grown) <= len(before) + 1  # the businesses of the newly found doubles, in one query
    assert len(after) == len(grown), [q["sql"] for q in after.captured_queries]


def test_participant_selection_warns_of_people_trained_this_year(data, client_for, officer_region_a, officer_region_b):
    second = data.participants[0].owner.trainings.exclude(batch=data.batches["74.71"]).get().batch
    html = client_for(officer_region_a).get(second.get_absolute_url()).content.decode()
    assert 'data-testid="double-recipient-check"' in html
    assert data.double_owner.full_name in html and data.batches["74.71"].name in html
    # The first class warns too (its participant holds a seat in the second); Baubau's class has no doubles.
    assert (
        'data-testid="double-recipient-check"'
        in client_for(officer_region_a).get(data.batches["74.71"].get_absolute_url()).content.decode()
    )
    html_b = client_for(officer_region_b).get(data.batches["74.72"].get_absolute_url()).content.decode()
    assert 'data-testid="double-recipient-check"' not in html_b


def test_handover_form_warns_of_businesses_with_a_machine_this_year(data, client_for, officer_region_a):
    new_grant = GrantFactory(region_id="74.71", name="Mesin baru", year=2022)
    html = client_for(officer_region_a).get(new_grant.get_absolute_url()).content.decode()
    assert 'data-testid="handover-form"' in html
    assert 'data-testid="double-recipient-check"' in html
    assert data.participants[0].business.name in html
    other_year = GrantFactory(region_id="74.71", name="Mesin lain", year=2024)
    html = client_for(officer_region_a).get(other_year.get_absolute_url()).content.decode()
    assert 'data-testid="handover-form"' in html and 'data-testid="double-recipient-check"' not in html
