"""Signed-in product pages: the owner's own products, the business page's panel, the home card, the opt-in form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sentra.products.models import CatalogueListing, Product
from tests.products.factories import ProductFactory, png_upload

pytestmark = pytest.mark.django_db


def form_data(**extra):
    return {
        "name": "Lemari pakaian",
        "kbli_code": "31001",
        "price_min": "1.500.000",
        "price_max": "Rp 2.750.000",
        "monthly_capacity": "12",
        "capacity_unit": "unit",
        "links": "https://shopee.co.id/mebeljati\nhttps://www.instagram.com/mebeljati",
        "published": "on",
        **extra,
    }


def test_owner_adds_a_product_with_a_photo(client_for, owner_user, owned_business):
    client = client_for(owner_user)
    response = client.post(
        reverse("products:product_add", args=[owned_business.pk]), {**form_data(), "photos": [png_upload()]}
    )
    product = Product.objects.get()
    assert response.status_code == 302 and response.url == product.get_absolute_url()
    assert str(product.price_max) == "2750000.00"
    assert product.links == ["https://shopee.co.id/mebeljati", "https://www.instagram.com/mebeljati"]
    assert product.photos.count() == 1
    page = client.get(product.get_absolute_url())
    assert page.status_code == 200 and "Lemari pakaian" in page.content.decode()
    photo = product.photos.get()
    assert client.get(reverse("products:photo", args=[photo.pk])).status_code == 200


def test_bad_input_is_refused_with_messages(client_for, owner_user, owned_business):
    client = client_for(owner_user)
    response = client.post(
        reverse("products:product_add", args=[owned_business.pk]),
        form_data(kbli_code="99999", price_min="3.000.000", price_max="1.000.000", links="javascript:alert(1)"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"kbli_code", "price_max", "links"} <= set(errors)
    assert not Product.objects.exists()


def test_owner_edits_own_product_but_not_anothers(client_for, owner_user, owned_business):
    own = ProductFactory(business=owned_business, description="lama")
    other = ProductFactory()
    client = client_for(owner_user)
    page = client.get(reverse("products:product_edit", args=[own.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("products:product_edit", args=[own.pk]), form_data(description="baru", version=own.version)
    )
    assert response.status_code == 302
    assert Product.objects.get(pk=own.pk).description == "baru"
    assert client.get(reverse("products:product_edit", args=[other.pk])).status_code == 404


def test_business_page_has_the_products_panel(client_for, officer_region_a):
    product = ProductFactory(name="Kusen jati panel")
    html = client_for(officer_region_a).get(product.business.get_absolute_url()).content.decode()
    assert 'data-testid="products-panel"' in html and "Kusen jati panel" in html
    assert reverse("products:product_add", args=[product.business_id]) in html


def test_owner_home_shows_products_and_the_add_step(client_for, owner_user, owned_business):
    client = client_for(owner_user)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("products:product_add", args=[owned_business.pk]) in html
    ProductFactory(business=owned_business, name="Lemari dapur gantung")
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "Lemari dapur gantung" in html


def test_owner_opts_in_without_a_consent_note(client_for, owner_user, owned_business):
    client = client_for(owner_user)
    page = client.get(reverse("products:listing_consent", args=[owned_business.pk]))
    assert "consent_note" not in page.context["form"].fields
    response = client.post(reverse("products:listing_consent", args=[owned_business.pk]), {"opted_in": "on"})
    assert response.status_code == 302
    listing = CatalogueListing.objects.get()
    assert listing.opted_in and listing.consent_via == "owner" and listing.consent_by == owner_user


def test_officer_must_record_the_owners_consent(client_for, officer_region_a):
    product = ProductFactory()
    client = client_for(officer_region_a)
    url = reverse("products:listing_consent", args=[product.business_id])
    refused = client.post(url, {"opted_in": "on"})
    assert refused.status_code == 200 and "consent_note" in refused.context["form"].errors
    assert not CatalogueListing.objects.exists()
    client.post(url, {"opted_in": "on", "consent_note": "Surat persetujuan pemilik 1 Desember 2026"})
    assert CatalogueListing.objects.get().consent_by == officer_region_a
    assert Product.objects.public().filter(pk=product.pk).exists()


def test_centre_manager_sees_but_cannot_write(client_for, centre_manager):
    from sentra.centres.models import CentreMembership
    from tests.centres.factories import CentreFactory

    product = ProductFactory()
    centre = CentreFactory()
    centre.managers.add(centre_manager)
    CentreMembership.objects.create(centre=centre, business=product.business)
    client = client_for(centre_manager)
    assert client.get(product.get_absolute_url()).status_code == 200
    assert client.get(reverse("products:product_edit", args=[product.pk])).status_code == 404
    assert client.get(reverse("products:listing_consent", args=[product.business_id])).status_code == 404


def test_product_list_uses_a_fixed_number_of_queries(client_for, officer_region_a, django_assert_max_num_queries):
    for _ in range(15):
        ProductFactory()
    client = client_for(officer_region_a)
    client.get(reverse("products:product_list"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("products:product_list")).status_code == 200
