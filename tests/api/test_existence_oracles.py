"""The API and the bulk API answer a NIK or NIB held outside the user's scope neutrally and name a record inside
it, as the pages do (tests/registry/test_existence_oracles.py)."""

from __future__ import annotations

import pytest

from sentra.registry.models import Business
from tests.api.conftest import assert_error_format
from tests.registry.factories import BusinessFactory, OwnerFactory

NEUTRAL_NIK = "NIK tidak dapat dipakai. Hubungi petugas provinsi/nasional."
NIK_B = "7472035207850002"
NIB = "9120001234567"


# --- API ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def api_a(officer_region_a, api_for):
    return api_for(officer_region_a)


def api_business(**overrides):
    return {"name": "Mebel Api", "region": "74.71", "district": "74.71.03", "village": "74.71.03.1002"} | overrides


def test_api_is_neutral_about_a_nib_and_an_owner_nik_outside_the_scope(api_a):
    BusinessFactory(nib=NIB, name="Mebel Baubau", region_id="74.72", district_id="74.72.01", village_id=None)
    OwnerFactory(nik=NIK_B, full_name="Rahasia Baubau", region_id="74.72")
    body = assert_error_format(api_a.post("/businesses", api_business(nib=NIB)), 422)
    assert body["errors"]["nib"] == [f"NIB {NIB} tidak dapat dipakai. Hubungi petugas provinsi/nasional."]
    body = assert_error_format(api_a.post("/businesses", api_business(owner_nik=NIK_B, owner_full_name="X")), 422)
    assert body["errors"]["owner_nik"] == [NEUTRAL_NIK]
    assert "Rahasia" not in str(body) and Business.objects.count() == 1


def test_api_names_a_nib_inside_the_scope(api_a):
    BusinessFactory(nib=NIB, name="Mebel Pertama")
    other = BusinessFactory(name="Mebel Kedua")
    response = api_a.patch(f"/businesses/{other.pk}", {"nib": NIB, "version": other.version})
    body = assert_error_format(response, 422)
    assert body["errors"]["nib"] == [f"NIB {NIB} sudah terdaftar pada usaha Mebel Pertama."]


def test_bulk_api_names_inside_the_scope_and_is_neutral_outside(api_a):
    BusinessFactory(nib=NIB, name="Mebel Kendari")
    BusinessFactory(
        nib="9120001234568", name="Mebel Baubau", region_id="74.72", district_id="74.72.01", village_id=None
    )
    OwnerFactory(nik=NIK_B, full_name="Rahasia Baubau", region_id="74.72")
    rows = [
        {"name": "Satu", "region": "74.71", "nib": NIB, "confirm_duplicate": True},
        {"name": "Dua", "region": "74.71", "nib": "9120001234568", "confirm_duplicate": True},
        {"name": "Tiga", "region": "74.71", "owner_full_name": "X", "owner_nik": NIK_B, "confirm_duplicate": True},
    ]
    body = assert_error_format(api_a.post("/businesses/bulk", {"rows": rows}), 422)
    assert body["errors"]["rows.0.nib"] == [f"NIB {NIB} sudah terdaftar pada usaha Mebel Kendari."]
    assert body["errors"]["rows.1.nib"] == ["NIB 9120001234568 tidak dapat dipakai. Hubungi petugas provinsi/nasional."]
    assert body["errors"]["rows.2.owner_nik"] == [NEUTRAL_NIK]
    assert "Baubau" not in str(body) and Business.objects.count() == 2
