"""The products API: the same services as the pages (scope, validation, locking, audit)."""

from __future__ import annotations

import pytest

from sentra.core.models import AuditEvent
from sentra.products.models import Product
from tests.api.conftest import ApiClient, assert_error_format, make_token
from tests.products.factories import ProductFactory
from tests.quality.factories import CertificationFactory
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for():
    def build(user):
        return ApiClient(make_token(user, "write"))

    return build


def test_owner_creates_and_reads_a_product(api_for, owner_user, owned_business):
    cert = CertificationFactory(business=owned_business)
    api = api_for(owner_user)
    body = {
        "business": owned_business.pk,
        "name": "Lemari jati",
        "kbli": "31001",
        "price_min": "1500000",
        "price_max": "2500000",
        "monthly_capacity": "10",
        "capacity_unit": "unit",
        "links": ["https://shopee.co.id/mebel"],
        "certifications": [cert.pk],
        "published": True,
    }
    response = api.post("/products", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["price_max"] == "2500000.00" and data["certifications"] == [cert.pk] and data["listed"] is False
    assert AuditEvent.objects.filter(action="products.product.created", actor=owner_user).exists()
    listed = api.get("/products", {"business": owned_business.pk}).json()["results"]
    assert [row["id"] for row in listed] == [data["id"]]


def test_create_refuses_bad_values_with_field_errors(api_for, officer_region_a):
    api = api_for(officer_region_a)
    business = BusinessFactory()
    response = api.post(
        "/products",
        {"business": business.pk, "name": "X", "kbli": "31001", "price_min": "9", "price_max": "1"},
    )
    assert "price_max" in assert_error_format(response, 422, "validation_error")["errors"]
    response = api.post("/products", {"business": business.pk, "name": "X", "kbli": "99999"})
    assert "kbli" in assert_error_format(response, 422)["errors"]
    response = api.post(
        "/products", {"business": business.pk, "name": "X", "kbli": "31001", "links": ["javascript:alert(1)"]}
    )
    assert "links" in assert_error_format(response, 422)["errors"]
    other_cert = CertificationFactory()
    response = api.post(
        "/products", {"business": business.pk, "name": "X", "kbli": "31001", "certifications": [other_cert.pk]}
    )
    assert "certifications" in assert_error_format(response, 422)["errors"]
    assert not Product.objects.exists()


def test_owner_cannot_create_for_another_business(api_for, owner_user):
    response = api_for(owner_user).post("/products", {"business": BusinessFactory().pk, "name": "X", "kbli": "31001"})
    assert_error_format(response, 404, "not_found")
    assert not Product.objects.exists()


def test_stale_patch_is_a_409_and_keeps_the_first_change(api_for, officer_region_a):
    product = ProductFactory(description="awal")
    api = api_for(officer_region_a)
    first = api.patch(f"/products/{product.pk}", {"version": product.version, "description": "pertama"})
    assert first.status_code == 200 and first.json()["version"] == product.version + 1
    stale = api.patch(f"/products/{product.pk}", {"version": product.version, "description": "kedua"})
    assert_error_format(stale, 409)
    assert Product.objects.get(pk=product.pk).description == "pertama"


def test_delete(api_for, officer_region_a, officer_region_b):
    product = ProductFactory()
    assert_error_format(api_for(officer_region_b).delete(f"/products/{product.pk}"), 404)
    assert api_for(officer_region_a).delete(f"/products/{product.pk}").status_code == 204
    assert not Product.objects.filter(pk=product.pk).exists()
