"""List and detail pages cost the same number of queries with N and 10×N rows (DEVELOPERS.md: Speed)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sentra.regions.models import Kbli
from sentra.registry import services
from sentra.registry.models import Business
from tests.registry.factories import BusinessFactory, OwnerFactory

N = 3


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _businesses(n, officer):
    kbli = list(Kbli.objects.filter(version="2020", level=5, code__startswith="31")[:3])
    for i in range(n):
        owner = OwnerFactory()
        business = BusinessFactory(kbli=kbli[i % 3], owners=[owner, OwnerFactory()])
        business.kbli_others.set(kbli)
        services.business_update(actor=officer, business=Business.objects.get(pk=business.pk), commodity=f"K{i}")


@pytest.mark.parametrize("url_name", ["registry:business_list", "registry:owner_list"])
def test_list_queries_do_not_grow(client_for, officer_region_a, django_assert_max_num_queries, url_name, settings):
    settings.SENTRA_PAGE_SIZE = 100  # every row on one page, so more rows really means more rendered rows
    client = client_for(officer_region_a)
    _businesses(N, officer_region_a)
    small = count(client, reverse(url_name))
    _businesses(9 * N, officer_region_a)
    with django_assert_max_num_queries(small):
        client.get(reverse(url_name))
    with django_assert_max_num_queries(small):
        client.get(reverse(url_name), {"q": "a"})


def test_business_detail_and_history_queries_do_not_grow(client_for, officer_region_a, django_assert_max_num_queries):
    client = client_for(officer_region_a)
    kbli = list(Kbli.objects.filter(version="2020", level=5, code__startswith="10")[: 10 * N])

    def make(n):
        business = BusinessFactory(kbli=kbli[0], owners=[OwnerFactory() for _ in range(n)])
        business.kbli_others.set(kbli[:n])
        for i in range(n):
            services.business_update(
                actor=officer_region_a, business=Business.objects.get(pk=business.pk), name=f"B{i}"
            )
        return business

    small, big = make(N), make(10 * N)
    for name in ("registry:business_detail", "registry:business_history"):
        baseline = count(client, reverse(name, args=[small.pk]))
        with django_assert_max_num_queries(baseline):
            client.get(reverse(name, args=[big.pk]))


def test_owner_detail_queries_do_not_grow(client_for, officer_region_a, django_assert_max_num_queries):
    client = client_for(officer_region_a)

    def make(n):
        owner = OwnerFactory()
        for _ in range(n):
            BusinessFactory(owners=[owner])
        for i in range(n):
            services.owner_update(actor=officer_region_a, owner=type(owner).objects.get(pk=owner.pk), address=f"Jl {i}")
        return owner

    small, big = make(N), make(10 * N)
    for name in ("registry:owner_detail", "registry:owner_history"):
        baseline = count(client, reverse(name, args=[small.pk]))
        with django_assert_max_num_queries(baseline):
            client.get(reverse(name, args=[big.pk]))
