"""Owners and businesses through the API: same rules as the pages, one error format."""

from __future__ import annotations

import pytest
from django.test import override_settings

from sentra.core.audit import audit_history
from sentra.core.models import AuditEvent
from sentra.registry.models import Business
from tests.api.conftest import assert_error_format
from tests.registry.factories import BusinessFactory, OwnerFactory


@pytest.fixture
def api_a(officer_region_a, api_for):
    return api_for(officer_region_a)


def test_list_filters_orders_and_pages_with_a_cursor(api_a):
    for i in range(7):
        BusinessFactory(region_id="74.71", name=f"Mebel {i:02d}")
    BusinessFactory(region_id="74.71", name="Roti Kendari", status="closed")
    BusinessFactory(region_id="74.72", name="Mebel Baubau")
    first = api_a.get("/businesses", {"q": "Mebel", "page_size": 3})
    assert first.status_code == 200
    body = first.json()
    assert [r["name"] for r in body["results"]] == ["Mebel 00", "Mebel 01", "Mebel 02"]
    names = [r["name"] for r in body["results"]]
    cursor = body["next_cursor"]
    while cursor:
        page = api_a.get("/businesses", {"q": "Mebel", "page_size": 3, "cursor": cursor}).json()
        names += [r["name"] for r in page["results"]]
        cursor = page["next_cursor"]
    assert names == [f"Mebel {i:02d}" for i in range(7)]
    assert body["next"].startswith("http") and "cursor=" in body["next"]
    closed = api_a.get("/businesses", {"status": "closed"}).json()["results"]
    assert [r["name"] for r in closed] == ["Roti Kendari"]
    desc = api_a.get("/businesses", {"ordering": "-name", "page_size": 1}).json()["results"]
    assert desc[0]["name"] == "Roti Kendari"


def test_list_refuses_bad_filters_with_field_details(api_a):
    body = assert_error_format(api_a.get("/businesses", {"region": "74.72"}), 422, "validation_error")
    assert "region" in body["errors"]
    body = assert_error_format(api_a.get("/businesses", {"page_size": 0}), 422, "validation_error")
    assert list(body["errors"]) == ["page_size"]
    body = assert_error_format(api_a.get("/businesses", {"ordering": "nib"}), 422)
    assert "ordering" in body["errors"]


def test_broken_cursors_never_500(api_a):
    BusinessFactory(region_id="74.71")
    import base64
    import json

    forged = base64.urlsafe_b64encode(json.dumps({"v": ["x", "not-an-id"], "d": "next"}).encode()).decode()
    for cursor in ("???", forged, "e30"):
        response = api_a.get("/businesses", {"cursor": cursor})
        assert response.status_code in (200, 422), response.content


def test_list_query_count_does_not_grow_with_rows(api_a, django_assert_max_num_queries):
    for _ in range(3):
        BusinessFactory(region_id="74.71")
    api_a.get("/businesses")  # warm the permission cache path
    with django_assert_max_num_queries(8):
        assert len(api_a.get("/businesses").json()["results"]) == 3
    for _ in range(40):
        BusinessFactory(region_id="74.71")
    with django_assert_max_num_queries(8):
        assert len(api_a.get("/businesses").json()["results"]) == 43


def test_create_validates_like_the_page_and_audits(api_a, officer_region_a):
    body = assert_error_format(
        api_a.post(
            "/businesses",
            {"name": "", "region": "74.71", "nib": "123", "kbli": "99999"},
        ),
        422,
        "validation_error",
    )
    assert {"name", "nib", "kbli"} <= set(body["errors"])
    negative = assert_error_format(
        api_a.post("/businesses", {"name": "X", "region": "74.71", "workforce_male": -1}), 422
    )
    assert list(negative["errors"]) == ["workforce_male"]
    assert not Business.objects.exists()
    response = api_a.post(
        "/businesses",
        {
            "name": "Mebel Jati Lepo",
            "region": "74.71",
            "district": "74.71.03",
            "village": "74.71.03.1002",
            "nib": "1234567890123",
            "workforce_male": 4,
            "investment_value": "250000000",
            "owner_full_name": "Siti Aminah",
            "owner_nik": "7471035208850001",
            "owner_gender": "P",
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["size_class"] == "kecil" and data["region"] == "74.71" and data["investment_value"] == "250000000.00"
    assert [o["full_name"] for o in data["owners"]] == ["Siti Aminah"]
    created = Business.objects.get(pk=data["id"])
    assert [e.action for e in audit_history(created)] == ["registry.business.created"]
    # The same NIB is first reported as a suspected duplicate (as on the page) ...
    dup = api_a.post("/businesses", {"name": "Lain", "region": "74.71", "nib": "1234567890123"})
    assert_error_format(dup, 409, "duplicate_suspected")
    # ... and going on anyway is refused on the field, nothing written.
    forced = api_a.post(
        "/businesses", {"name": "Lain", "region": "74.71", "nib": "1234567890123", "confirm_duplicate": True}
    )
    assert "nib" in assert_error_format(forced, 422)["errors"]
    assert Business.objects.filter(nib="1234567890123").count() == 1


def test_create_outside_scope_is_refused(api_a):
    body = assert_error_format(api_a.post("/businesses", {"name": "X", "region": "74.72"}), 422)
    assert "region" in body["errors"]
    assert not Business.objects.exists()


def test_update_uses_optimistic_locking(api_a):
    business = BusinessFactory(region_id="74.71", name="Lama")
    ok = api_a.patch(f"/businesses/{business.pk}", {"version": business.version, "name": "Baru"})
    assert ok.status_code == 200, ok.content
    assert ok.json()["version"] == business.version + 1 and ok.json()["name"] == "Baru"
    stale = api_a.patch(f"/businesses/{business.pk}", {"version": business.version, "name": "Basi"})
    body = assert_error_format(stale, 409, "conflict")
    assert "diubah oleh" in body["message"]
    business.refresh_from_db()
    assert business.name == "Baru"
    missing = assert_error_format(api_a.patch(f"/businesses/{business.pk}", {"name": "x"}), 422)
    assert "version" in missing["errors"]


def test_a_stale_update_says_per_field_who_changed_it_and_when(api_a, api_for):
    import datetime as dt

    from sentra.accounts.roles import Role
    from sentra.core.models import AuditEvent
    from tests.accounts.factories import UserFactory

    business = BusinessFactory(region_id="74.71", name="Lama", commodity="Kursi")
    budi = UserFactory(username="budi", role=Role.REGENCY_OFFICER, region_id="74.71", phone="081277665544")
    assert (
        api_for(budi).patch(f"/businesses/{business.pk}", {"version": business.version, "name": "Baru"}).status_code
        == 200
    )
    AuditEvent.objects.filter(actor=budi).update(at=dt.datetime(2026, 11, 29, 3, 14, tzinfo=dt.UTC))  # 10:14 WIB
    Business.objects.filter(pk=business.pk).update(commodity="Meja")  # a raw change: counted, nobody named
    stale = api_a.patch(
        f"/businesses/{business.pk}", {"version": business.version, "name": "Basi", "commodity": "Lemari"}
    )
    body = assert_error_format(stale, 409, "conflict")
    assert body["errors"]["name"] == ["Diubah oleh budi (Petugas kabupaten/kota, Kota Kendari) pada 29 Nov 2026 10.14."]
    assert body["errors"]["commodity"] == ["Diubah sejak versi yang Anda baca."]
    assert "081277665544" not in stale.content.decode() and budi.full_name not in stale.content.decode()


def test_delete_is_soft_and_restorable(api_a):
    business = BusinessFactory(region_id="74.71")
    assert api_a.delete(f"/businesses/{business.pk}").status_code == 204
    business.refresh_from_db()
    assert business.deleted_at is not None
    assert business.pk not in [r["id"] for r in api_a.get("/businesses").json()["results"]]
    assert business.pk in [r["id"] for r in api_a.get("/businesses", {"trash": "true"}).json()["results"]]
    restored = api_a.post(f"/businesses/{business.pk}/restore")
    assert restored.status_code == 200 and restored.json()["deleted_at"] is None


def test_owner_nik_is_masked_and_reveal_is_audited(api_a):
    owner = OwnerFactory(region_id="74.71", nik="7471031207850001", phone="+6281234567890")
    listed = api_a.get("/owners").json()["results"][0]
    assert listed["nik"] == "7471********0001" and "*" in listed["phone"]
    detail = api_a.get(f"/owners/{owner.pk}").json()
    assert detail["nik"] == "7471********0001" and detail["revealed"] is False
    assert not AuditEvent.objects.filter(action="registry.owner.nik_revealed").exists()
    revealed = api_a.get(f"/owners/{owner.pk}", {"reveal": "nik"}).json()
    assert revealed["nik"] == "7471031207850001" and revealed["phone"] == "+6281234567890" and revealed["revealed"]
    assert AuditEvent.objects.filter(action="registry.owner.nik_revealed", object_id=str(owner.pk)).count() == 1


def test_reveal_without_permission_is_403(owner_user, api_for):
    owner = OwnerFactory(region_id="74.71", user=owner_user)
    client = api_for(owner_user)
    assert client.get(f"/owners/{owner.pk}").json()["nik"].startswith("7471****")
    assert_error_format(client.get(f"/owners/{owner.pk}", {"reveal": "nik"}), 403, "permission_denied")
    assert not AuditEvent.objects.filter(action="registry.owner.nik_revealed").exists()


def test_bulk_creates_and_updates_all_or_nothing(api_a):
    existing = BusinessFactory(region_id="74.71", name="Sudah Ada")
    rows = [{"name": f"Usaha Massal {i}", "region": "74.71", "workforce_male": 2} for i in range(3)]
    rows.append({"id": existing.pk, "version": existing.version, "commodity": "Kursi"})
    response = api_a.post("/businesses/bulk", {"rows": rows})
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 3 and response.json()["updated"] == 1
    existing.refresh_from_db()
    assert existing.commodity == "Kursi"


def test_bulk_is_limited_to_1000_rows(api_a):
    rows = [{"name": f"U{i}", "region": "74.71"} for i in range(1001)]
    body = assert_error_format(api_a.post("/businesses/bulk", {"rows": rows}), 422)
    assert "rows" in body["errors"]


@pytest.mark.parametrize(
    "payload,field",
    [
        ("{not json", "__all__"),
        ('{"rows": "x"}', "rows"),
        ('{"rows": [{"latitude": "abc"}]}', "rows.0.latitude"),
    ],
)
def test_malformed_bodies_are_422_not_500(api_a, payload, field):
    response = api_a.client.post(
        "/api/v1/businesses/bulk", data=payload, content_type="application/json", headers=api_a.headers
    )
    body = assert_error_format(response, 422, "validation_error")
    assert field in body["errors"], body


def test_not_found_and_unknown_paths_use_the_error_format(api_a):
    assert_error_format(api_a.get("/businesses/999999"), 404, "not_found")
    assert_error_format(api_a.get("/regions/99.99"), 404, "not_found")
    assert_error_format(api_a.get("/no-such-thing"), 404, "not_found")


def test_messages_follow_accept_language(officer_region_a, api_for):
    indonesian = api_for(officer_region_a, language="id").get("/businesses/999999").json()["message"]
    assert "tidak ditemukan" in indonesian
    english = api_for(officer_region_a, language="en").get("/businesses/999999")
    assert english["Content-Language"] == "en"


@override_settings(SENTRA_API_RATE_LIMIT="3/min")
def test_rate_limit_per_token(officer_region_a, api_for):
    first, second = api_for(officer_region_a), api_for(officer_region_a)
    assert [first.get("/regions", {"level": 1}).status_code for _ in range(3)] == [200, 200, 200]
    limited = first.get("/regions", {"level": 1})
    assert_error_format(limited, 429, "rate_limited")
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert second.get("/regions", {"level": 1}).status_code == 200  # another token has its own budget


def test_session_auth_needs_csrf_for_writes(client, officer_region_a):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(officer_region_a)
    assert csrf_client.get("/api/v1/businesses").status_code == 200
    response = csrf_client.post("/api/v1/businesses", data="{}", content_type="application/json")
    assert response.status_code == 403
    assert not Business.objects.exists()


def test_reference_data(api_a):
    regions = api_a.get("/regions", {"parent": "74", "level": 2, "page_size": 200}).json()["results"]
    assert {"74.71", "74.72"} <= {r["code"] for r in regions}
    assert api_a.get("/regions/74.71").json()["name"]
    kbli = api_a.get("/kbli", {"q": "31001"}).json()["results"]
    assert kbli and kbli[0]["code"] == "31001" and kbli[0]["is_manufacturing"] is True
    assert api_a.get("/kbli/31001").json()["parent"] == "3100"


def test_list_rows_match_the_schema(api_a):
    """The list builds its rows without the schema (for speed); they must be exactly what BusinessOut gives."""
    import datetime as dt
    import json
    from decimal import Decimal

    from ninja.renderers import JSONRenderer

    from sentra.api.routers.registry import BusinessOut
    from sentra.regions.models import Kbli

    BusinessFactory(
        region_id="74.71",
        name="A Lengkap",
        investment_value=Decimal("1250000.50"),
        latitude=Decimal("-3.998500"),
        workforce_male=3,
        workforce_female=None,
        kbli=Kbli.objects.get(code="31001"),
    )
    BusinessFactory(region_id="74.71", name="B Kosong", workforce_male=None, workforce_female=None)
    for i, money in enumerate(["2.67", "0.13", "999999999999999.99", "1234567.89", "0.01"]):
        BusinessFactory(region_id="74.71", name=f"D Uang {i}", turnover=Decimal(money), longitude=Decimal("122.514839"))
    gone = BusinessFactory(region_id="74.71", name="C Terhapus")
    Business.objects.filter(pk=gone.pk).update(deleted_at=dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC))
    for trash in (None, True):
        params = {"trash": "true"} if trash else {}
        rows = api_a.get("/businesses", params).json()["results"]
        qs = Business.objects.filter(pk__in=[r["id"] for r in rows]).select_related("kbli").order_by("name", "id")
        expected = json.loads(
            JSONRenderer().render(None, [BusinessOut.from_orm(b).model_dump() for b in qs], response_status=200)
        )
        assert rows == expected
        assert list(rows[0]) == list(BusinessOut.model_fields)
