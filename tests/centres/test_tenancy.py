"""A unit has at most one tenant at a time: refused by the service with a message, and by the database anyway
(exclusion constraint on PostgreSQL, triggers on SQLite)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from sentra.centres import dbguards, services
from sentra.centres.choices import UnitKind
from sentra.centres.models import CentreMembership, Tenancy
from tests.centres.factories import CentreFactory, TenancyFactory, UnitFactory
from tests.registry.factories import BusinessFactory

D = dt.date


@pytest.fixture
def unit(db):
    return UnitFactory(centre=CentreFactory())


def test_guard_is_installed_for_this_database(db):
    assert dbguards.installed(connection), connection.vendor


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ((D(2022, 1, 1), None), (D(2023, 1, 1), D(2023, 12, 31))),  # inside an open tenancy
        ((D(2022, 1, 1), D(2022, 12, 31)), (D(2022, 12, 31), None)),  # touching on the last day (inclusive)
        ((D(2022, 3, 1), D(2022, 6, 30)), (D(2022, 1, 1), D(2022, 3, 1))),  # ends on the other's first day
        ((D(2022, 3, 1), D(2022, 6, 30)), (D(2022, 1, 1), D(2023, 1, 1))),  # covers it entirely
    ],
)
def test_database_refuses_overlapping_tenancies(unit, first, second):
    TenancyFactory(unit=unit, start_date=first[0], end_date=first[1])
    with pytest.raises(IntegrityError), transaction.atomic():
        Tenancy.objects.create(
            unit=unit, centre=unit.centre, business=BusinessFactory(), start_date=second[0], end_date=second[1]
        )
    assert Tenancy.objects.filter(unit=unit).count() == 1


def test_database_refuses_an_update_that_creates_an_overlap(unit):
    TenancyFactory(unit=unit, start_date=D(2022, 1, 1), end_date=D(2022, 6, 30))
    later = TenancyFactory(unit=unit, start_date=D(2022, 7, 1), end_date=D(2022, 12, 31))
    later.start_date = D(2022, 6, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        later.save()


def test_consecutive_tenancies_and_other_units_are_allowed(unit):
    TenancyFactory(unit=unit, start_date=D(2022, 1, 1), end_date=D(2022, 6, 30))
    TenancyFactory(unit=unit, start_date=D(2022, 7, 1), end_date=None)
    other = UnitFactory(centre=unit.centre)
    TenancyFactory(unit=other, start_date=D(2022, 1, 1))
    assert Tenancy.objects.count() == 3


def test_service_refuses_overlap_with_a_clear_message_and_saves_nothing(unit, officer_region_a):
    TenancyFactory(unit=unit, start_date=D(2022, 1, 1))
    business = BusinessFactory()
    with pytest.raises(ValidationError) as exc:
        services.tenancy_start(actor=officer_region_a, unit=unit, business=business, start_date=D(2023, 1, 1))
    assert "sudah disewa" in exc.value.message_dict["start_date"][0]
    assert Tenancy.objects.filter(unit=unit).count() == 1
    assert not CentreMembership.objects.filter(business=business).exists()


def test_service_lets_a_unit_and_makes_the_business_a_member(unit, officer_region_a):
    business = BusinessFactory()
    t = services.tenancy_start(
        actor=officer_region_a, unit=unit, business=business, start_date=D(2022, 1, 3), annual_fee=10_000_000
    )
    assert t.centre == unit.centre
    assert CentreMembership.objects.filter(centre=unit.centre, business=business).exists()
    services.tenancy_end(actor=officer_region_a, tenancy=t, end_date=D(2023, 6, 30))
    t2 = services.tenancy_start(actor=officer_region_a, unit=unit, business=BusinessFactory(), start_date=D(2023, 7, 1))
    assert t2.pk


def test_service_refuses_bad_dates_support_buildings_and_other_regions(unit, officer_region_a):
    with pytest.raises(ValidationError):
        services.tenancy_start(
            actor=officer_region_a,
            unit=unit,
            business=BusinessFactory(),
            start_date=D(2023, 1, 1),
            end_date=D(2022, 1, 1),
        )
    kiln = UnitFactory(centre=unit.centre, kind=UnitKind.SUPPORT)
    with pytest.raises(ValidationError) as exc:
        services.tenancy_start(actor=officer_region_a, unit=kiln, business=BusinessFactory(), start_date=D(2023, 1, 1))
    assert "disewakan" in exc.value.message_dict["unit"][0]
    other = BusinessFactory(region_id="74.72", district_id="74.72.01", village_id=None)
    with pytest.raises(ValidationError):
        services.tenancy_start(actor=officer_region_a, unit=unit, business=other, start_date=D(2023, 1, 1))
    assert Tenancy.objects.count() == 0


def test_tenancy_page_shows_overlap_message(client_for, unit, officer_region_a):
    TenancyFactory(unit=unit, start_date=D(2022, 1, 1))
    business = BusinessFactory()
    client = client_for(officer_region_a)
    response = client.post(
        f"/sentra/{unit.centre_id}/unit/{unit.pk}/sewa/", {"business": business.pk, "start_date": "2023-01-01"}
    )
    assert response.status_code == 400
    assert "sudah disewa" in response.content.decode()
    assert Tenancy.objects.filter(unit=unit).count() == 1
