"""The public catalogue: no login, only listed products, only public fields, shareable product pages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sentra.centres.models import CentreMembership
from tests.centres.factories import CentreFactory
from tests.products.factories import ProductFactory, add_photo, list_business, listed_product
from tests.registry.factories import BusinessFactory, OwnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue_world():
    """Two businesses in one centre: one opted in, one not; both with owners whose personal data must not leak."""
    centre = CentreFactory(region_id="74.71", name="Sentra IKM Meubeler Kota Kendari")
    shown_owner = OwnerFactory(nik="7471031207850001", phone="+6281211112222", email="ani.pribadi@example.com")
    hidden_owner = OwnerFactory(nik="7471031207850002", phone="+6281233334444", email="budi.pribadi@example.com")
    shown = BusinessFactory(
        name="Mebel Jati Lepo", owners=[shown_owner], phone="+624013120001", email="mebel.jati@example.com"
    )
    hidden = BusinessFactory(
        name="Kusen Rahasia", owners=[hidden_owner], phone="+624013129999", email="kusen.rahasia@example.com"
    )
    for business in (shown, hidden):
        CentreMembership.objects.create(centre=centre, business=business)
    listed = ProductFactory(business=shown, name="Lemari jati tiga pintu", published=True)
    draft = ProductFactory(business=shown, name="Meja rancangan belum terbit", published=False)
    add_photo(listed)
    private_draft = ProductFactory(business=hidden, name="Kusen pintu tersembunyi", published=True)
    list_business(shown)
    list_business(hidden, opted_in=False)
    return {
        "centre": centre,
        "shown": shown,
        "hidden": hidden,
        "listed": listed,
        "draft": draft,
        "private": private_draft,
        "owners": (shown_owner, hidden_owner),
    }


def public_pages(w) -> list[str]:
    return [
        reverse("products:catalogue"),
        reverse("products:catalogue") + "?q=lemari",
        reverse("products:catalogue") + "?kbli=31001&wilayah=74.71",
        reverse("products:catalogue_region", args=["74.71"]),
        reverse("products:catalogue_centre", args=[w["centre"].pk]),
        reverse("products:catalogue_product", args=[w["listed"].pk]),
    ]


def test_every_public_page_renders_for_anyone_and_leaks_nothing(client, catalogue_world):
    w = catalogue_world
    secrets = [w["hidden"].name, w["hidden"].phone, w["hidden"].email, w["private"].name, w["draft"].name]
    for owner in w["owners"]:
        secrets += [owner.nik, owner.phone, owner.email, owner.full_name, owner.nik[:6] + "*"]
    for path in public_pages(w):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        for secret in secrets:
            assert secret not in html, f"{secret!r} appears on {path}"
        assert not re.search(r"\b\d{16}\b", html), f"a 16-digit number (NIK) on {path}"
    product_page = client.get(public_pages(w)[-1]).content.decode()
    assert w["shown"].phone in product_page  # the business's own contact is public by design
    assert w["shown"].email in product_page


def test_lists_show_only_listed_products(client, catalogue_world):
    w = catalogue_world
    for path in public_pages(w)[:-1]:
        html = client.get(path).content.decode()
        assert w["listed"].name in html, path


def test_pages_of_unlisted_products_and_their_photos_are_404(client, catalogue_world):
    w = catalogue_world
    for product in (w["draft"], w["private"]):
        assert client.get(reverse("products:catalogue_product", args=[product.pk])).status_code == 404
    hidden_photo = add_photo(w["private"])
    assert client.get(reverse("products:catalogue_photo", args=[hidden_photo.pk])).status_code == 404
    shown_photo = w["listed"].photos.get()
    response = client.get(reverse("products:catalogue_photo", args=[shown_photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_unknown_region_and_centre_are_404(client):
    assert client.get(reverse("products:catalogue_region", args=["74"])).status_code == 404  # a province
    assert client.get(reverse("products:catalogue_region", args=["99.99"])).status_code == 404
    assert client.get(reverse("products:catalogue_centre", args=[987654])).status_code == 404


def test_product_page_carries_open_graph_tags_with_absolute_urls(client, catalogue_world):
    w = catalogue_world
    html = client.get(reverse("products:catalogue_product", args=[w["listed"].pk])).content.decode()
    tags = dict(re.findall(r'<meta property="(og:[a-z:]+)" content="([^"]*)"', html))
    assert tags["og:title"].startswith("Lemari jati tiga pintu")
    assert tags["og:description"].startswith("Rp1.500.000 – Rp2.500.000 · Mebel Jati Lepo, Kota Kendari")
    assert "<" not in tags["og:description"] and "&lt;" not in tags["og:description"]
    photo = w["listed"].photos.get()
    assert tags["og:image"] == f"http://testserver{reverse('products:catalogue_photo', args=[photo.pk])}"
    assert tags["og:url"] == f"http://testserver{reverse('products:catalogue_product', args=[w['listed'].pk])}"


def test_product_page_names_only_valid_certificates(client):
    import datetime as dt

    from tests.quality.factories import CertificationFactory

    product = listed_product()
    valid = CertificationFactory(business=product.business, kind="halal", expires_on=dt.date(2099, 1, 1))
    expired = CertificationFactory(
        business=product.business, kind="sni", issued_on=dt.date(2019, 1, 1), expires_on=dt.date(2020, 1, 1)
    )
    product.certifications.set([valid, expired])
    html = client.get(reverse("products:catalogue_product", args=[product.pk])).content.decode()
    names = html.split('data-testid="certificates">', 1)[1].split("</dd>", 1)[0]
    assert valid.get_kind_display() in names and expired.get_kind_display() not in names


def test_search_and_filters_narrow(client, catalogue_world):
    w = catalogue_world
    listed_product(name="Pagar besi tempa", business=BusinessFactory(region_id="74.72"))
    html = client.get(reverse("products:catalogue") + "?q=pagar").content.decode()
    assert "Pagar besi tempa" in html and w["listed"].name not in html
    commodity = "furnitur"  # in the KBLI group's title (31001), not in the product's name
    assert commodity in w["listed"].kbli.title.lower()
    html = client.get(reverse("products:catalogue"), {"q": commodity}).content.decode()
    assert commodity.lower() not in w["listed"].name.lower() and w["listed"].name in html
    html = client.get(reverse("products:catalogue_region", args=["74.71"])).content.decode()
    assert "Pagar besi tempa" not in html
    html = client.get(reverse("products:catalogue") + "?wilayah=74.72").content.decode()
    assert "Pagar besi tempa" in html and w["listed"].name not in html
    html = client.get(reverse("products:catalogue_centre", args=[w["centre"].pk])).content.decode()
    assert "Pagar besi tempa" not in html and w["listed"].name in html


@pytest.mark.parametrize("extra", [0, 30])
def test_catalogue_lists_use_a_fixed_number_of_queries(client, django_assert_max_num_queries, extra):
    business = BusinessFactory()
    centre = CentreFactory(region_id="74.71")
    CentreMembership.objects.create(centre=centre, business=business)
    for i in range(extra + 1):
        add_photo(ProductFactory(business=business, name=f"Produk {i:03d}"))
    list_business(business)
    for path in (
        reverse("products:catalogue"),
        reverse("products:catalogue") + "?q=produk&kbli=31001",
        reverse("products:catalogue_region", args=["74.71"]),
        reverse("products:catalogue_centre", args=[centre.pk]),
    ):
        client.get(path)  # fills the cached filter choices
        with django_assert_max_num_queries(6):
            assert client.get(path).status_code == 200


def test_product_page_uses_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    product = listed_product()
    for i in range(4):
        add_photo(product, i)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("products:catalogue_product", args=[product.pk])).status_code == 200


def test_catalogue_pages_by_cursor(client):
    business = BusinessFactory()
    for i in range(30):
        ProductFactory(business=business, name=f"Produk {i:03d}")
    list_business(business)
    first = client.get(reverse("products:catalogue"))
    page = first.context["page"]
    assert len(list(page)) == 24 and page.has_next
    second = client.get(reverse("products:catalogue"), {"cursor": page.next_cursor})
    names = [p.name for p in second.context["page"]]
    assert names == [f"Produk {i:03d}" for i in range(24, 30)]


def test_a_malformed_filter_lists_nothing_and_says_why(client, catalogue_world):
    response = client.get(reverse("products:catalogue"), {"wilayah": "74.71'--"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="filter-errors"' in html and catalogue_world["listed"].name not in html


def test_a_business_moved_to_the_trash_leaves_the_catalogue_and_comes_back(
    client, officer_region_a, catalogue_world, django_capture_on_commit_callbacks
):
    from sentra.products.models import Product
    from sentra.registry import services as registry_services

    w = catalogue_world
    url = reverse("products:catalogue_product", args=[w["listed"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.business_delete(actor=officer_region_a, business=w["shown"])
    assert not Product.objects.public().filter(business=w["shown"]).exists()
    assert client.get(url).status_code == 404
    assert w["listed"].name not in client.get(reverse("products:catalogue")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.business_restore(actor=officer_region_a, business=w["shown"])
    assert client.get(url).status_code == 200
    assert not Product.objects.filter(pk=w["draft"].pk, listed=True).exists()  # unpublished stays out
