"""Business pickers tell look-alike names apart and search instead of listing every business; an occupied unit
offers to end its tenancy, not to let it again."""

import datetime as dt

import pytest
from django.urls import reverse

from sentra.centres.forms import SEARCH_LIMIT, TenancyForm, business_label
from tests.centres.factories import CentreFactory, GrantFactory, MembershipFactory, TenancyFactory, UnitFactory
from tests.registry.factories import BusinessFactory, OwnerFactory

pytestmark = pytest.mark.django_db


def _look_alikes(n=3):
    return [
        BusinessFactory(
            name="Kusen Halim",
            nib=f"91203012345{i:02d}",
            owners=[OwnerFactory(full_name=f"La Ode Halim {chr(65 + i)}")],
        )
        for i in range(n)
    ]


def test_label_tells_look_alikes_apart():
    labels = {business_label(b) for b in _look_alikes()}
    assert len(labels) == 3
    assert "Kusen Halim — NIB 9120301234500 · Kel. " in sorted(labels)[0]
    assert sorted(labels)[0].endswith("· pemilik La Ode Halim A")


def test_unit_page_renders_no_business_list_only_a_search(client_for, officer_region_a):
    unit = UnitFactory(centre=CentreFactory(region_id="74.71"))
    _look_alikes(5)
    page = client_for(officer_region_a).get(reverse("centres:unit_detail", args=[unit.centre_id, unit.pk]))
    html = page.content.decode()
    assert "Sewakan unit ini" in html
    assert "Kusen Halim" not in html  # nothing listed until the officer types
    assert reverse("centres:business_search", args=[unit.centre_id]) in html


def test_search_finds_by_name_nib_or_owner_with_labels(client_for, officer_region_a, django_assert_max_num_queries):
    centre = CentreFactory(region_id="74.71")
    _look_alikes(3)
    BusinessFactory(name="Mebel Jati", region_id="74.72", district_id="74.72.01", village_id=None)  # Baubau
    client = client_for(officer_region_a)
    url = reverse("centres:business_search", args=[centre.pk])
    with django_assert_max_num_queries(12):
        html = client.get(url, {"q": "kusen"}).content.decode()
    assert html.count("Kusen Halim — NIB") == 3 and "3 usaha cocok" in html
    assert html.count('type="radio" name="business"') == 3
    html = client.get(url, {"q": "9120301234501"}).content.decode()
    assert html.count('type="radio"') == 1 and "pemilik La Ode Halim B" in html
    html = client.get(url, {"q": "halim C"}).content.decode()
    assert "La Ode Halim C" in html and "La Ode Halim A" not in html
    html = client.get(url, {"q": "Jati"}).content.decode()  # another regency's business is never offered
    assert "Mebel Jati" not in html and "Tidak ada usaha yang cocok" in html


def test_search_is_capped_and_query_count_does_not_grow(client_for, officer_region_a):
    centre = CentreFactory(region_id="74.71")
    url = reverse("centres:business_search", args=[centre.pk])
    client = client_for(officer_region_a)
    for i in range(SEARCH_LIMIT + 5):
        BusinessFactory(name=f"Kusen Halim {i}", owners=[OwnerFactory()])
    client.get(url, {"q": "kusen"})  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as many:
        html = client.get(url, {"q": "kusen"}).content.decode()
    assert html.count("Kusen Halim") == SEARCH_LIMIT and "ketik lebih lengkap" in html
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "Kusen Halim 3"})
    assert len(many) == len(few)


def test_search_is_404_outside_scope(client_for, officer_region_b):
    centre = CentreFactory(region_id="74.71")
    grant = GrantFactory(region_id="74.71")
    client = client_for(officer_region_b)
    assert client.get(reverse("centres:business_search", args=[centre.pk]), {"q": "a"}).status_code == 404
    assert client.get(reverse("centres:grant_business_search", args=[grant.pk]), {"q": "a"}).status_code == 404


def test_membership_search_leaves_out_members(client_for, officer_region_a):
    centre = CentreFactory(region_id="74.71")
    member = BusinessFactory(name="Kusen Anggota")
    MembershipFactory(centre=centre, business=member)
    BusinessFactory(name="Kusen Baru")
    url = reverse("centres:business_search", args=[centre.pk])
    html = client_for(officer_region_a).get(url, {"q": "kusen", "untuk": "anggota"}).content.decode()
    assert "Kusen Baru" in html and "Kusen Anggota" not in html


def test_tenancy_form_still_validates_a_chosen_business(officer_region_a):
    unit = UnitFactory(centre=CentreFactory(region_id="74.71"))
    business = BusinessFactory(name="Kusen Halim", nib="9120301234599")
    outsider = BusinessFactory(name="Kusen Luar", region_id="74.72", district_id="74.72.01", village_id=None)
    form = TenancyForm({"business": business.pk, "start_date": "01-01-2024"}, user=officer_region_a, centre=unit.centre)
    assert form.is_valid(), form.errors
    shown = str(form["business"])  # the chosen one stays shown, checked
    assert "Kusen Halim — NIB 9120301234599" in shown and f'value="{business.pk}" checked' in shown
    bad = TenancyForm({"business": outsider.pk, "start_date": "01-01-2024"}, user=officer_region_a, centre=unit.centre)
    assert not bad.is_valid() and "business" in bad.errors


def test_occupied_unit_offers_to_end_the_tenancy_not_to_let_it(client_for, officer_region_a):
    unit = UnitFactory(centre=CentreFactory(region_id="74.71"))
    TenancyFactory(unit=unit, business=BusinessFactory(name="Kusen Halim"), start_date=dt.date(2022, 1, 1))
    html = client_for(officer_region_a).get(reverse("centres:unit_detail", args=[unit.centre_id, unit.pk]))
    html = html.content.decode()
    assert "Sewakan unit ini" not in html and 'data-testid="tenancy-form"' not in html
    assert 'data-testid="end-tenancy-form"' in html and "Akhiri sewa" in html
    assert "Unit ini sedang disewa Kusen Halim" in html


def test_handover_search_posts_under_the_recipient_field(client_for, officer_region_a):
    grant = GrantFactory(region_id="74.71")
    BusinessFactory(name="Kusen Penerima")
    url = reverse("centres:grant_business_search", args=[grant.pk])
    html = client_for(officer_region_a).get(url, {"q": "penerima", "name": "recipient_business"}).content.decode()
    assert 'type="radio" name="recipient_business"' in html and "Kusen Penerima" in html
    html = client_for(officer_region_a).get(url, {"q": "penerima", "name": "password"}).content.decode()
    assert 'name="business"' in html and 'name="password"' not in html  # only the pickers' own field names


def test_letting_an_occupied_unit_says_why_without_offering_the_form_again(client_for, officer_region_a):
    unit = UnitFactory(centre=CentreFactory(region_id="74.71"))
    TenancyFactory(unit=unit, business=BusinessFactory(name="Kusen Halim"), start_date=dt.date(2022, 1, 1))
    url = reverse("centres:tenancy_add", args=[unit.centre_id, unit.pk])
    response = client_for(officer_region_a).post(url, {"business": BusinessFactory().pk, "start_date": "2023-01-01"})
    html = response.content.decode()
    assert response.status_code == 400 and "sudah disewa" in html
    assert 'data-testid="form-errors"' in html and "Sewakan unit ini" not in html
