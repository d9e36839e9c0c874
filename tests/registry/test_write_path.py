"""One write path: every interface that creates a business ends in ``services.business_bulk_write``, and a page
registration and an import of the same data leave the same row and the same audit entry."""

from __future__ import annotations

import csv
from decimal import Decimal
from unittest import mock

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from sentra.core.audit import audit_event_changes, audit_history
from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import
from sentra.registry import services
from sentra.registry.models import Business

HEADER = ["NIB", "Nama usaha", "Kode wilayah", "Alamat", "KBLI", "Komoditas/produk", "Tenaga kerja laki-laki",
          "Tenaga kerja perempuan", "Nilai investasi (Rp)", "Hasil penjualan per tahun (Rp)", "Status", "Telepon",
          "Surel", "Situs web"]  # fmt: skip


def _csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def _import(path, user, **options):
    return run_import(path=path, filename=path.name, kind=get_kind("business"), user=user, **options)


FORM = {
    "name": "Mebel Lepo Baru",
    "legal_form": "cv",
    "nib": "9120001234567",
    "status": "active",
    "region": "74.71",
    "district": "74.71.03",
    "village": "74.71.03.1002",
    "address": "Jl. Poros No. 3",
    "kbli_code": "31001",
    "commodity": "Mebel kayu",
    "workforce_male": "4",
    "workforce_female": "1",
    "investment_value": "250.000.000",
    "turnover": "1.250.000.000,50",
    "phone": "0401-312345",
    "email": "Info@Mebel.id",
    "website": "mebel.id",
}
#: The same business as a register row: the form in the name, the phone at the end of the address.
ROW = ["9120001234567", "CV. Mebel Lepo Baru", "74.71.03.1002", "Jl. Poros No. 3 Telp. 0401-312345", "31001",
       "Mebel kayu", "4", "1", "250.000.000", "1.250.000.000,50", "Aktif", "", "Info@Mebel.id", "mebel.id"]  # fmt: skip

IGNORED = {"id", "created_at", "updated_at"}


def _row(business: Business) -> dict:
    values = model_to_dict(business, exclude=["kbli_others", "owners"])
    values.update(size_class=business.size_class, umkm_class=business.umkm_class, version=business.version)
    values.update(created_by=business.created_by_id, kbli_version=business.kbli_version)
    return {k: v for k, v in values.items() if k not in IGNORED}


def _created_event(business: Business) -> tuple:
    (event,) = [e for e in audit_history(business) if e.action == "registry.business.created"]
    return (
        event.action,
        event.actor_id,
        event.region_id,
        event.note,
        event.object_repr,
        audit_event_changes(event, business),
    )


def test_a_page_and_an_import_leave_the_same_row_and_audit_entry(client_for, officer_region_a, tmp_path):
    response = client_for(officer_region_a).post(reverse("registry:business_add"), FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    by_page = Business.objects.get(nib="9120001234567")
    page_row, page_event = _row(by_page), _created_event(by_page)
    assert page_row["phone"] == "+62401312345" and page_row["website"] == "https://mebel.id"
    assert page_row["turnover"] == Decimal("1250000000.50") and page_row["size_class"] == "kecil"
    # The same data once more, through the import (the first record removed so that the NIB is free again).
    Business._base_manager.filter(pk=by_page.pk).delete()
    outcome = _import(_csv(tmp_path / "usaha.csv", [ROW]), officer_region_a)
    assert outcome.committed and outcome.stats.created == 1, outcome.messages
    by_import = Business.objects.get(nib="9120001234567")
    assert by_import.pk != by_page.pk
    assert _row(by_import) == page_row
    by_import_event = _created_event(by_import)
    # The same event; only its note names the channel (a file import says so, a page does not).
    assert (page_event[3], by_import_event[3]) == ("", "impor")
    assert by_import_event[:3] + by_import_event[4:5] == page_event[:3] + page_event[4:5]
    a, b = by_import_event[5], page_event[5]
    assert a == b, {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}


@pytest.fixture
def spy():
    with mock.patch.object(services, "business_bulk_write", wraps=services.business_bulk_write) as wrapped:
        yield wrapped


def test_the_page_creates_through_the_one_write_path(spy, client_for, officer_region_a):
    data = {**FORM, "owner_full_name": "La Ode Ahmad", "owner_gender": "L"}
    response = client_for(officer_region_a).post(reverse("registry:business_add"), data)
    assert response.status_code == 302
    assert spy.call_count == 1 and spy.call_args.kwargs["count"] == 1
    business = Business.objects.get(nib="9120001234567")
    assert [o.full_name for o in business.owners.all()] == ["La Ode Ahmad"]


def test_the_service_creates_through_the_one_write_path(spy, officer_region_a):
    from sentra.regions.models import Region

    region = Region.objects.get(pk="74.71")
    business = services.business_register(actor=officer_region_a, name="Tenun", region=region)
    assert spy.call_count == 1 and business.version == 1 and business.legal_form == "perorangan"


def test_the_import_creates_through_the_one_write_path(spy, officer_region_a, tmp_path):
    outcome = _import(_csv(tmp_path / "usaha.csv", [ROW]), officer_region_a)
    assert outcome.stats.created == 1
    assert spy.call_count == 1


def test_the_api_creates_through_the_one_write_path(spy, api_a):
    response = api_a.post("/businesses", {"name": "Tenun Api", "region": "74.71", "phone": "0812-3456-7890"})
    assert response.status_code == 201, response.content
    assert spy.call_count == 1
    business = Business.objects.get(pk=response.json()["id"])
    assert business.phone == "+6281234567890"
    # The detail answer masks the business phone unless revealed (an audited reveal).
    detail = api_a.get(f"/businesses/{business.pk}").json()
    assert detail["phone"] != business.phone and detail["revealed"] is False


def test_the_bulk_api_creates_through_the_one_write_path(spy, api_a):
    rows = [{"name": f"Usaha {i}", "region": "74.71", "email": f"u{i}@contoh.id"} for i in range(3)]
    response = api_a.post("/businesses/bulk", {"rows": rows})
    assert response.status_code in (200, 201), response.content
    assert spy.call_count == 1 and spy.call_args.kwargs["count"] == 3
    assert sorted(Business.objects.values_list("email", flat=True)) == ["u0@contoh.id", "u1@contoh.id", "u2@contoh.id"]


@pytest.fixture
def api_a(officer_region_a):
    from tests.api.conftest import ApiClient, make_token

    return ApiClient(make_token(officer_region_a))
