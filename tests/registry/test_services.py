"""Registry write services: register/update/delete/restore, duplicates, optimistic lock, scope of writes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from sentra.core.errors import ConflictError
from sentra.core.models import AuditEvent
from sentra.regions.models import Kbli, Region
from sentra.registry import services
from sentra.registry.models import Business, Owner
from tests.registry.factories import BusinessFactory, OwnerFactory, make_nik

LEPO_LEPO = "74.71.03.1002"


@pytest.fixture
def lepo_lepo(db):
    return Region.objects.get(code=LEPO_LEPO)


def kbli(code):
    return Kbli.objects.get(version="2020", code=code)


def test_business_register_derives_location_and_classes(officer_region_a, lepo_lepo):
    owner = services.owner_register(
        actor=officer_region_a, full_name="Siti Aminah", nik=make_nik(1, female=True), village=lepo_lepo
    )
    assert owner.region_id == "74.71"
    business = services.business_register(
        actor=officer_region_a,
        owners=[owner],
        name="Mebel Jati Lepo",
        village=lepo_lepo,
        kbli=kbli("31001"),
        workforce_male=4,
        workforce_female=1,
        investment_value=Decimal("200000000"),
        turnover=Decimal("500000000"),
    )
    business.refresh_from_db()
    assert (business.region_id, business.district_id) == ("74.71", "74.71.03")
    assert business.size_class == "kecil" and business.umkm_class == "mikro"
    assert business.kbli_version == "2020"
    assert business.created_by == officer_region_a
    assert list(business.owners.all()) == [owner]
    assert not business.kbli_outside_manufacturing


def test_kbli_outside_manufacturing_is_accepted_and_flagged(officer_region_a, lepo_lepo, client_for):
    business = services.business_register(
        actor=officer_region_a, name="Bengkel Mobil Sejahtera", village=lepo_lepo, kbli=kbli("45201")
    )
    assert business.kbli_outside_manufacturing
    html = client_for(officer_region_a).get(business.get_absolute_url()).content.decode()
    assert "di luar Kategori C" in html


def test_business_register_refuses_bad_data_and_saves_nothing(officer_region_a, lepo_lepo):
    with pytest.raises(ValidationError) as exc:
        services.business_register(actor=officer_region_a, name="", village=lepo_lepo)
    assert "name" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.business_register(actor=officer_region_a, name="X", village=lepo_lepo, nib="123")
    assert "nib" in exc.value.error_dict
    with pytest.raises(ValidationError):
        services.business_register(actor=officer_region_a, name="X", village=lepo_lepo, investment_value=Decimal("-1"))
    with pytest.raises(ValidationError):
        services.business_register(actor=officer_region_a, name="X", village=lepo_lepo, latitude=Decimal("50"))
    assert not Business.objects.exists()
    assert not AuditEvent.objects.exists()


def test_nib_is_unique(officer_region_a, lepo_lepo):
    services.business_register(actor=officer_region_a, name="A", village=lepo_lepo, nib="9120001234567")
    with pytest.raises(ValidationError) as exc:
        services.business_register(actor=officer_region_a, name="B", village=lepo_lepo, nib="9120001234567")
    assert "nib" in exc.value.error_dict
    # And the database says so too, whatever path writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Business.objects.create(name="C", region_id="74.71", nib="9120001234567")
    assert Business.objects.count() == 1


def test_out_of_scope_writes_refused(officer_region_b, officer_region_a, lepo_lepo, owner_user):
    # The officer of Baubau (74.72) cannot create into Kendari (74.71).
    with pytest.raises(ValidationError) as exc:
        services.business_register(actor=officer_region_b, name="Mebel", village=lepo_lepo)
    assert exc.value.error_dict["region"][0].code == "out_of_scope"
    with pytest.raises(ValidationError):
        services.owner_register(actor=officer_region_b, full_name="Budi", village=lepo_lepo)
    # Nor change, move, delete or restore a Kendari business.
    business = BusinessFactory()
    with pytest.raises(ValidationError):
        services.business_update(actor=officer_region_b, business=business, name="Dipindah")
    with pytest.raises(ValidationError):
        services.business_delete(actor=officer_region_b, business=business)
    # The officer of Kendari cannot move a business out of Kendari.
    baubau_village = Region.objects.filter(level=4, code__startswith="74.72.").first()
    with pytest.raises(ValidationError):
        services.business_update(
            actor=officer_region_a, business=business, village=baubau_village, district_id=baubau_village.code[:8]
        )
    # A business owner may not register businesses.
    with pytest.raises(PermissionDenied):
        services.business_register(actor=owner_user, name="Usaha", village=lepo_lepo)
    business.refresh_from_db()
    assert business.name.startswith("Usaha Mebel") and business.region_id == "74.71"
    assert Business.objects.count() == 1


def test_province_officer_writes_in_both_cities_not_elsewhere(province_officer):
    baubau = Region.objects.filter(level=4, code__startswith="74.72.").first()
    makassar = Region.objects.filter(level=4, code__startswith="73.71.").first()
    services.business_register(
        actor=province_officer, name="Di Kendari", village_id=LEPO_LEPO, village=Region.objects.get(pk=LEPO_LEPO)
    )
    services.business_register(actor=province_officer, name="Di Baubau", village=baubau)
    with pytest.raises(ValidationError):
        services.business_register(actor=province_officer, name="Di Makassar", village=makassar)
    assert set(Business.objects.values_list("region_id", flat=True)) == {"74.71", "74.72"}


def test_business_update_records_changes_and_bumps_version(officer_region_a):
    business = BusinessFactory(name="Lama")
    assert business.version == 1
    updated = services.business_update(
        actor=officer_region_a,
        business=Business.objects.get(pk=business.pk),
        expected_version=1,
        name="Baru",
        commodity="Kursi",
    )
    assert updated.version == 2
    updated.refresh_from_db()
    assert (updated.name, updated.commodity, updated.version) == ("Baru", "Kursi", 2)
    event = AuditEvent.objects.get(action="registry.business.updated")
    assert event.changes == {"name": ["Lama", "Baru"], "commodity": ["", "Kursi"]}


def test_update_without_changes_records_nothing(officer_region_a):
    business = BusinessFactory()
    services.business_update(actor=officer_region_a, business=Business.objects.get(pk=business.pk), name=business.name)
    assert not AuditEvent.objects.filter(action="registry.business.updated").exists()


def test_optimistic_lock_second_edit_from_same_version_refused(officer_region_a, province_officer):
    business = BusinessFactory(name="Asli", commodity="Meja")
    first = Business.objects.get(pk=business.pk)
    second = Business.objects.get(pk=business.pk)
    services.business_update(actor=officer_region_a, business=first, expected_version=1, name="Versi A")
    with pytest.raises(ConflictError) as exc:
        services.business_update(actor=province_officer, business=second, expected_version=1, commodity="Lemari")
    assert "sejak Anda membukanya" in exc.value.messages[0]
    business.refresh_from_db()
    assert (business.name, business.commodity, business.version) == ("Versi A", "Meja", 2)  # nothing lost
    assert exc.value.changed.get("name") == ["Versi A", "Asli"]  # [stored now, yours]
    # Even without expected_version, a stale in-memory object cannot overwrite a newer row.
    with pytest.raises(ConflictError):
        services.business_update(actor=province_officer, business=second, commodity="Lemari")
    business.refresh_from_db()
    assert business.commodity == "Meja"


def test_owner_optimistic_lock(officer_region_a):
    owner = OwnerFactory(full_name="Andi")
    a, b = Owner.objects.get(pk=owner.pk), Owner.objects.get(pk=owner.pk)
    services.owner_update(actor=officer_region_a, owner=a, expected_version=1, full_name="Andi Saputra")
    with pytest.raises(ConflictError):
        services.owner_update(actor=officer_region_a, owner=b, expected_version=1, address="Jl. Baru")
    owner.refresh_from_db()
    assert (owner.full_name, owner.address) == ("Andi Saputra", "")


def test_delete_and_restore(officer_region_a):
    business = BusinessFactory()
    services.business_delete(actor=officer_region_a, business=business)
    business.refresh_from_db()
    assert business.is_deleted and business.deleted_by == officer_region_a
    assert not Business.objects.alive().filter(pk=business.pk).exists()
    services.business_delete(actor=officer_region_a, business=business)  # idempotent: no second event
    assert AuditEvent.objects.filter(action="registry.business.deleted").count() == 1
    services.business_restore(actor=officer_region_a, business=business)
    business.refresh_from_db()
    assert not business.is_deleted and business.deleted_by is None
    assert AuditEvent.objects.filter(action="registry.business.restored").count() == 1


def test_owner_register_and_update(officer_region_a, lepo_lepo):
    owner = services.owner_register(
        actor=officer_region_a, full_name="Budi", nik=make_nik(5), phone="+6281234567890", village=lepo_lepo
    )
    assert owner.region_id == "74.71" and owner.version == 1
    owner = services.owner_update(actor=officer_region_a, owner=owner, expected_version=1, full_name="Budi Santoso")
    owner.refresh_from_db()
    assert owner.full_name == "Budi Santoso" and owner.version == 2
    with pytest.raises(ValidationError) as exc:
        services.owner_register(actor=officer_region_a, full_name="Dua", nik=make_nik(5), village=lepo_lepo)
    assert "nik" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.owner_register(actor=officer_region_a, full_name="Salah", nik="7471031307850000", village=lepo_lepo)
    assert "nik" in exc.value.error_dict
    assert Owner.objects.count() == 1


# --- Duplicate guard ------------------------------------------------------------------------------------------


def test_duplicates_same_nib(officer_region_a):
    existing = BusinessFactory(nib="9120001234567")
    found = services.business_find_duplicates(
        actor=officer_region_a, name="Lain Sama Sekali", nib="9120001234567", village_id=None, owner_nik=None
    )
    assert [c.business for c in found] == [existing]
    assert "NIB" in found[0].reason
    assert not services.business_find_duplicates(
        actor=officer_region_a, name="X", nib="9120001234567", village_id=None, owner_nik=None, exclude_pk=existing.pk
    )


def test_duplicates_same_owner_similar_name_same_village(officer_region_a):
    owner = OwnerFactory(nik=make_nik(7))
    existing = BusinessFactory(name="Mebel Jati Abadi", owners=[owner])
    found = services.business_find_duplicates(
        actor=officer_region_a, name="Mebel Jati Abadi Jaya", nib=None, village_id=LEPO_LEPO, owner_nik=owner.nik
    )
    assert [c.business for c in found] == [existing]
    # A different name, another village or another owner is no duplicate.
    assert not services.business_find_duplicates(
        actor=officer_region_a, name="Bengkel Las Putra", nib=None, village_id=LEPO_LEPO, owner_nik=owner.nik
    )
    assert not services.business_find_duplicates(
        actor=officer_region_a, name="Mebel Jati Abadi", nib=None, village_id="74.71.01.1005", owner_nik=owner.nik
    )
    assert not services.business_find_duplicates(
        actor=officer_region_a, name="Mebel Jati Abadi", nib=None, village_id=LEPO_LEPO, owner_nik=make_nik(8)
    )


def test_duplicates_do_not_leak_out_of_scope_rows(officer_region_b, officer_region_a):
    owner = OwnerFactory(nik=make_nik(9))
    BusinessFactory(name="Mebel Rahasia", nib="9120009999999", owners=[owner])
    assert not services.business_find_duplicates(
        actor=officer_region_b, name="Mebel Rahasia", nib="9120009999999", village_id=LEPO_LEPO, owner_nik=owner.nik
    )
    assert services.business_find_duplicates(
        actor=officer_region_a, name="Mebel Rahasia", nib="9120009999999", village_id=LEPO_LEPO, owner_nik=owner.nik
    )


def test_deleted_businesses_are_not_duplicates(officer_region_a):
    existing = BusinessFactory(nib="9120001111111")
    services.business_delete(actor=officer_region_a, business=existing)
    assert not services.business_find_duplicates(
        actor=officer_region_a, name="X", nib="9120001111111", village_id=None, owner_nik=None
    )


def test_owner_may_edit_own_business_but_not_move_it(owner_user, officer_region_a):
    owner = OwnerFactory(user=owner_user)
    business = BusinessFactory(owners=[owner])
    services.business_update(actor=owner_user, business=Business.objects.get(pk=business.pk), commodity="Kursi rotan")
    makassar = Region.objects.filter(level=4, code__startswith="73.71.").first()
    with pytest.raises(ValidationError) as exc:
        services.business_update(actor=owner_user, business=Business.objects.get(pk=business.pk), village=makassar)
    assert exc.value.error_dict["region"][0].code == "move_refused"
    with pytest.raises(ValidationError):
        services.owner_update(actor=owner_user, owner=Owner.objects.get(pk=owner.pk), village=makassar)
    business.refresh_from_db()
    owner.refresh_from_db()
    assert (business.region_id, business.commodity, owner.region_id) == ("74.71", "Kursi rotan", "74.71")
    # Within the same city the owner may correct the village.
    village = Region.objects.get(pk="74.71.01.1005")
    services.business_update(actor=owner_user, business=Business.objects.get(pk=business.pk), village=village)
    business.refresh_from_db()
    assert business.district_id == "74.71.01"
