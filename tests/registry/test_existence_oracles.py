"""A NIK or NIB held by a record outside the user's scope gets a neutral answer on every interface (page,
service, API, bulk API), so that typing numbers cannot tell an officer that a person or business is registered
elsewhere; inside the scope the clash names the record, so the user can pick it instead of typing it again."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sentra.regions.models import Region
from sentra.registry import services
from sentra.registry.models import Business, Owner
from tests.registry.factories import BusinessFactory, OwnerFactory
from tests.registry.test_pages import form_data

NEUTRAL_NIK = "NIK tidak dapat dipakai. Hubungi petugas provinsi/nasional."
NIK_A = "7471035207850001"
NIK_B = "7472035207850002"
NIB = "9120001234567"


def _region(code: str) -> Region:
    return Region.objects.get(pk=code)


def owner_data(**overrides):
    data = {"full_name": "Wa Ode Baru", "nik": NIK_A, "gender": "P", "region": "74.71", "legal_basis": "public_task"}
    return data | overrides


# --- Services ----------------------------------------------------------------------------------------------------


def test_service_names_an_owner_inside_the_scope(officer_region_a):
    OwnerFactory(nik=NIK_A, full_name="Wa Ode Lama", region_id="74.71")
    with pytest.raises(ValidationError) as exc:
        services.owner_register(actor=officer_region_a, full_name="Wa Ode Baru", nik=NIK_A, region=_region("74.71"))
    assert exc.value.message_dict["nik"] == [
        "NIK ini sudah terdaftar atas nama Wa Ode Lama. Pilih orang tersebut dari registri."
    ]


def test_service_is_neutral_about_an_owner_outside_the_scope(officer_region_a):
    OwnerFactory(nik=NIK_B, full_name="Rahasia Baubau", region_id="74.72")
    with pytest.raises(ValidationError) as exc:
        services.owner_register(actor=officer_region_a, full_name="X", nik=NIK_B, region=_region("74.71"))
    assert exc.value.message_dict["nik"] == [NEUTRAL_NIK]
    assert Owner.objects.count() == 1


def test_service_names_a_business_inside_the_scope_and_not_one_outside(officer_region_a):
    BusinessFactory(nib=NIB, name="Mebel Kendari", region_id="74.71")
    with pytest.raises(ValidationError) as exc:
        services.business_register(actor=officer_region_a, name="Baru", nib=NIB, region=_region("74.71"))
    assert exc.value.message_dict["nib"] == [f"NIB {NIB} sudah terdaftar pada usaha Mebel Kendari."]
    Business.objects.filter(nib=NIB).update(region_id="74.72", district_id="74.72.01", village_id=None)
    with pytest.raises(ValidationError) as exc:
        services.business_register(actor=officer_region_a, name="Baru", nib=NIB, region=_region("74.71"))
    assert exc.value.message_dict["nib"] == [f"NIB {NIB} tidak dapat dipakai. Hubungi petugas provinsi/nasional."]
    assert Business.objects.count() == 1


# --- Pages -------------------------------------------------------------------------------------------------------


def test_owner_page_names_an_owner_inside_the_scope(client_for, officer_region_a):
    OwnerFactory(nik=NIK_A, full_name="Wa Ode Lama", region_id="74.71")
    response = client_for(officer_region_a).post(reverse("registry:owner_add"), owner_data())
    assert response.status_code == 200
    assert "Wa Ode Lama" in " ".join(response.context["form"].errors["nik"])


def test_owner_page_is_neutral_about_an_owner_outside_the_scope(client_for, officer_region_a):
    OwnerFactory(nik=NIK_B, full_name="Rahasia Baubau", region_id="74.72")
    response = client_for(officer_region_a).post(reverse("registry:owner_add"), owner_data(nik=NIK_B, gender="P"))
    assert response.status_code == 200
    assert response.context["form"].errors["nik"] == [NEUTRAL_NIK]
    html = response.content.decode()
    assert "Rahasia Baubau" not in html and "wilayah lain" not in html and "sudah terdaftar" not in html
    assert Owner.objects.count() == 1


def test_business_page_is_neutral_about_a_nib_and_an_owner_nik_outside_the_scope(client_for, officer_region_a):
    BusinessFactory(nib=NIB, name="Mebel Baubau", region_id="74.72", district_id="74.72.01", village_id=None)
    OwnerFactory(nik=NIK_B, full_name="Rahasia Baubau", region_id="74.72")
    client = client_for(officer_region_a)
    response = client.post(reverse("registry:business_add"), form_data(nib=NIB))
    assert response.context["form"].errors["nib"] == [
        f"NIB {NIB} tidak dapat dipakai. Hubungi petugas provinsi/nasional."
    ]
    response = client.post(reverse("registry:business_add"), form_data(owner_nik=NIK_B, owner_gender="P"))
    assert response.context["form"].errors["owner_nik"] == [NEUTRAL_NIK]
    html = response.content.decode()
    assert "Rahasia Baubau" not in html and "Mebel Baubau" not in html
    assert Business.objects.count() == 1


def test_business_edit_page_names_a_nib_inside_the_scope(client_for, officer_region_a):
    BusinessFactory(nib=NIB, name="Mebel Pertama")
    other = BusinessFactory(name="Mebel Kedua")
    url = reverse("registry:business_edit", args=[other.pk])
    response = client_for(officer_region_a).post(url, form_data(name="Mebel Kedua", nib=NIB, version=other.version))
    assert response.context["form"].errors["nib"] == [f"NIB {NIB} sudah terdaftar pada usaha Mebel Pertama."]
