"""List and profile pages read a fixed number of queries, whatever the number of units, tenants or members."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.centres.factories import CentreFactory, FacilityFactory, MembershipFactory, TenancyFactory, UnitFactory


def _fill(centre, n):
    for _ in range(n):
        unit = UnitFactory(centre=centre)
        tenancy = TenancyFactory(unit=unit, start_date=dt.date(2022, 1, 1))
        MembershipFactory(centre=centre, business=tenancy.business)
        FacilityFactory(centre=centre)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_profile_queries_do_not_grow(client_for, officer_region_a):
    centre = CentreFactory()
    _fill(centre, 2)
    client = client_for(officer_region_a)
    client.get(f"/sentra/{centre.pk}/")  # warm caches (content types, session)
    small = _count(client, f"/sentra/{centre.pk}/")
    _fill(centre, 15)
    large = _count(client, f"/sentra/{centre.pk}/")
    assert large == small, (small, large)
    assert large <= 30


def test_members_page_queries_do_not_grow(client_for, officer_region_a):
    centre = CentreFactory()
    _fill(centre, 2)
    client = client_for(officer_region_a)
    client.get(f"/sentra/{centre.pk}/anggota/")
    small = _count(client, f"/sentra/{centre.pk}/anggota/")
    _fill(centre, 10)
    assert _count(client, f"/sentra/{centre.pk}/anggota/") == small


def test_list_queries_do_not_grow(client_for, officer_region_a):
    for _ in range(2):
        _fill(CentreFactory(), 1)
    client = client_for(officer_region_a)
    client.get("/sentra/")
    small = _count(client, "/sentra/")
    for _ in range(8):
        _fill(CentreFactory(), 2)
    assert _count(client, "/sentra/") == small
    assert small <= 15


def test_grant_list_queries_do_not_grow(client_for, officer_region_a):
    from tests.centres.factories import GrantFactory

    GrantFactory()
    client = client_for(officer_region_a)
    client.get("/sentra/hibah/")
    small = _count(client, "/sentra/hibah/")
    for _ in range(10):
        GrantFactory()
    assert _count(client, "/sentra/hibah/") == small
