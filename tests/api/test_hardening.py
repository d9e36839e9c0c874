"""API answers for bad input and failures: out-of-range ids are 422, an anonymous write is 401, a lost database is
503, always in the API's own error shape."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from sentra.registry.models import Business
from tests.api.conftest import assert_error_format
from tests.registry.factories import BusinessFactory, OwnerFactory

pytestmark = pytest.mark.django_db

TOO_BIG = 2**63  # one past the largest database id (a signed 64-bit integer)


@pytest.fixture
def api_a(officer_region_a, api_for):
    return api_for(officer_region_a)


# --- owner_ids out of range ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [TOO_BIG, 2**64 + 5, 0, -1])
def test_create_with_an_owner_id_out_of_range_is_422(api_a, bad):
    body = assert_error_format(
        api_a.post("/businesses", {"name": "CV Id Raksasa", "region": "74.71", "owner_ids": [bad]}), 422
    )
    assert set(body["errors"]) == {"owner_ids.0"}
    assert not Business.objects.filter(name="CV Id Raksasa").exists()


def test_patch_with_an_owner_id_out_of_range_is_422_and_changes_nothing(api_a):
    business = BusinessFactory(region_id="74.71", commodity="Meja")
    body = assert_error_format(
        api_a.patch(
            f"/businesses/{business.pk}",
            {"version": business.version, "commodity": "Kursi", "owner_ids": [1, TOO_BIG]},
        ),
        422,
    )
    assert set(body["errors"]) == {"owner_ids.1"}
    assert body["errors"]["owner_ids.1"] == [f"Paling besar {2**63 - 1}."]
    business.refresh_from_db()
    assert business.commodity == "Meja"


def test_bulk_with_an_owner_id_out_of_range_is_422(api_a):
    owner = OwnerFactory(region_id="74.71")
    rows = [
        {"name": "CV Baris Satu", "region": "74.71", "owner_ids": [owner.pk]},
        {"name": "CV Baris Dua", "region": "74.71", "owner_ids": [TOO_BIG]},
    ]
    body = assert_error_format(api_a.post("/businesses/bulk", {"rows": rows}), 422)
    assert set(body["errors"]) == {"rows.1.owner_ids.0"}
    assert not Business.objects.filter(name__startswith="CV Baris").exists()


def test_the_schema_documents_the_owner_id_bounds(client):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    for name in ("BusinessIn", "BusinessPatch", "BulkRow"):
        prop = schemas[name]["properties"]["owner_ids"]
        items = next(option for option in prop["anyOf"] if option.get("type") == "array")["items"]
        assert items["minimum"] == 1 and items["maximum"] == 2**63 - 1, (name, items)


# --- 401 for anonymous writes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/api/v1/businesses"), ("patch", "/api/v1/businesses/1"), ("delete", "/api/v1/businesses/1")],
)
def test_an_anonymous_write_is_401_not_a_csrf_failure(method, path):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(path, data=json.dumps({"name": "x"}), content_type="application/json")
    body = assert_error_format(response, 401, "not_authenticated")
    assert "Authorization: Bearer" in body["message"]
    assert response["WWW-Authenticate"] == 'Bearer realm="sentra"'


def test_an_anonymous_read_is_401():
    assert_error_format(Client().get("/api/v1/businesses"), 401, "not_authenticated")


def test_a_bad_token_on_a_write_is_401(db):
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/businesses",
        data="{}",
        content_type="application/json",
        headers={"Authorization": "Bearer sentra_nope_nope"},
    )
    assert_error_format(response, 401)


def test_a_signed_in_session_without_csrf_token_is_still_refused_as_csrf(officer_region_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_region_a)
    response = client.post(
        "/api/v1/businesses",
        data=json.dumps({"name": "CV Tanpa Csrf", "region": "74.71"}),
        content_type="application/json",
    )
    assert_error_format(response, 403, "csrf_failed")
    assert not Business.objects.filter(name="CV Tanpa Csrf").exists()


def test_a_token_write_needs_no_csrf_token(api_a):
    api_a.client = Client(enforce_csrf_checks=True)
    response = api_a.post("/businesses", {"name": "CV Dengan Token", "region": "74.71"})
    assert response.status_code == 201, response.content[:500]


# --- 503 when the database is gone ---------------------------------------------------------------------------------


@pytest.mark.parametrize("error", [OperationalError("server closed the connection"), InterfaceError("closed")])
def test_a_lost_database_is_503_in_the_api_error_shape(api_a, error):
    with (
        mock.patch("sentra.registry.selectors.business_list", side_effect=error, create=True),
        mock.patch("sentra.api.routers.registry.list_page", side_effect=error),
    ):
        response = api_a.get("/businesses")
    body = assert_error_format(response, 503, "database_unavailable")
    assert response["Retry-After"] == "60"
    assert "Basis data" in body["message"]


def test_a_lost_database_mid_write_is_503_and_saves_nothing(api_a):
    from sentra.registry import services

    register = services.business_register

    def register_then_lose_the_connection(**kwargs):
        register(**kwargs)  # the business is written inside the request's transaction, then the connection drops
        raise OperationalError("server closed the connection unexpectedly")

    with mock.patch.object(services, "business_register", side_effect=register_then_lose_the_connection):
        response = api_a.post("/businesses", {"name": "CV Putus", "region": "74.71"})
    assert_error_format(response, 503, "database_unavailable")
    assert not Business.objects.filter(name="CV Putus").exists()


def test_the_503_message_follows_accept_language(officer_region_a, api_for):
    api = api_for(officer_region_a, language="en")
    with mock.patch("sentra.api.routers.registry.list_page", side_effect=OperationalError("gone")):
        body = assert_error_format(api.get("/businesses"), 503, "database_unavailable")
    assert "database" in body["message"].lower()


@pytest.mark.parametrize("amount", [1e300, 10**40, -(10**40)])
def test_bulk_with_an_amount_past_the_decimal_context_is_422(api_a, amount):
    # Found by the schemathesis run: the import's number parser raised InvalidOperation (500) on such a cell.
    rows = [{"name": "CV Angka Raksasa", "region": "74.71", "investment_value": amount}]
    body = assert_error_format(api_a.post("/businesses/bulk", {"rows": rows}), 422)
    assert body["errors"] == {"rows.0.investment_value": ["Angka terlalu besar."]}
    assert not Business.objects.filter(name="CV Angka Raksasa").exists()
