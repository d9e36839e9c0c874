"""The business list finds a business by its name and by its owners' names, through one derived column that every
write path keeps current: registering, editing, a bulk write (new rows and stored rows gaining an owner), renaming
an owner (one or from a file), anonymising an owner."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentra.regions.models import Region
from sentra.registry import search_text, services
from sentra.registry.models import Business, Owner
from sentra.registry.personal_data import _anonymise
from tests.registry.factories import BusinessFactory, OwnerFactory, make_nik

LEPO_LEPO = "74.71.03.1002"


def found(text: str) -> list[str]:
    return sorted(Business.objects.search(text).values_list("name", flat=True))


def stored_equals_recomputed() -> None:
    """What the write paths stored is what a recomputation from the tables gives."""
    before = dict(Business._base_manager.values_list("pk", "search_text"))
    search_text.refresh()
    assert dict(Business._base_manager.values_list("pk", "search_text")) == before


@pytest.fixture
def village(db):
    return Region.objects.get(code=LEPO_LEPO)


def test_register_and_update_keep_the_owners_names_searchable(officer_region_a, village):
    siti = services.owner_register(actor=officer_region_a, full_name="Siti Aminah", nik=make_nik(1), village=village)
    business = services.business_register(actor=officer_region_a, owners=[siti], name="Mebel Jati", village=village)
    assert found("aminah") == ["Mebel Jati"]
    assert found("mebel") == ["Mebel Jati"]

    budi = services.owner_register(actor=officer_region_a, full_name="Budi Saputra", nik=make_nik(2), village=village)
    services.business_update(actor=officer_region_a, business=business, owners=[budi], name="Mebel Jati Baru")
    assert found("saputra") == ["Mebel Jati Baru"]
    assert found("aminah") == []  # no longer an owner
    stored_equals_recomputed()


def test_renaming_an_owner_moves_what_finds_their_businesses(officer_region_a):
    owner = OwnerFactory(full_name="Wa Ode Lama")
    BusinessFactory(name="Tenun Satu", owners=[owner])
    BusinessFactory(name="Tenun Dua", owners=[owner])
    services.owner_update(actor=officer_region_a, owner=owner, full_name="Wa Ode Baru")
    assert found("ode baru") == ["Tenun Dua", "Tenun Satu"]
    assert found("ode lama") == []
    stored_equals_recomputed()


def test_an_anonymised_owner_can_no_longer_be_found_by_name(officer_region_a):
    owner = OwnerFactory(full_name="Rahasia Pribadi")
    BusinessFactory(name="Kue Bagea", owners=[owner])
    _anonymise(owner, officer_region_a)
    assert found("rahasia") == []
    assert found("kue bagea") == ["Kue Bagea"]


def test_bulk_write_new_rows_and_a_stored_business_gaining_an_owner(officer_region_a):
    stored_owner = OwnerFactory(full_name="Nama Tercatat", nik=make_nik(7))
    stored = BusinessFactory(name="Las Lama", nib="9120000000001")
    columns = {
        "name": ["Las Lama", "Roti Baru", "Kopi Baru"],
        "nib": ["9120000000001", None, None],
        "region": ["74.71"] * 3,
        # A person found by NIK keeps the name on record, whatever the file spells.
        "owner_name": ["Andi Pemilik", "Nama Di Berkas", "Rina Baru"],
        "owner_nik": [make_nik(8), make_nik(7), None],
    }
    services.business_bulk_write(actor=officer_region_a, columns=columns, count=3)
    assert found("andi pemilik") == ["Las Lama"]
    assert found("nama tercatat") == ["Roti Baru"]
    assert found("nama di berkas") == []
    assert found("rina baru") == ["Kopi Baru"]
    assert stored.pk in Business.objects.search("andi").values_list("pk", flat=True)
    assert stored_owner.pk == Owner.objects.get(nik=make_nik(7)).pk
    stored_equals_recomputed()


def test_owner_import_rename_reaches_the_business_list(officer_region_a):
    owner = OwnerFactory(full_name="La Ode Sebelum", nik=make_nik(9))
    BusinessFactory(name="Meubel Kayu", owners=[owner])
    stored = {
        make_nik(9): dict(
            Owner.objects.filter(pk=owner.pk).values(*services.OWNER_EXISTING_FIELDS).get(),
        )
    }
    services.owner_bulk_write(
        actor=officer_region_a,
        columns={"owner_nik": [make_nik(9)], "owner_name": ["La Ode Sesudah"], "region": ["74.71"]},
        count=1,
        stored=stored,
    )
    assert found("sesudah") == ["Meubel Kayu"]
    assert found("sebelum") == []


def test_a_nib_is_matched_exactly_and_a_name_fragment_by_substring(db):
    BusinessFactory(name="Bengkel Baruga", nib="9120001234567")
    BusinessFactory(name="Bengkel 9120001234567 Palsu")  # a name that holds the digits is not a NIB match
    assert found("9120001234567") == ["Bengkel Baruga"]
    assert found("  BENGKEL   baruga ") == ["Bengkel Baruga"]


def test_the_separator_keeps_two_fields_from_matching_as_one_phrase(db):
    BusinessFactory(name="Sinar Jaya", owners=[OwnerFactory(full_name="Budi Santoso")])
    assert found("jaya budi") == []
    assert found("jaya") == ["Sinar Jaya"]


@settings(max_examples=60, deadline=None)
@given(
    name=st.text(min_size=1, max_size=40),
    owners=st.lists(st.text(max_size=30), max_size=4),
)
def test_for_row_always_starts_with_the_name_and_holds_every_named_owner(name, owners):
    text = search_text.for_row(name, owners)
    assert text.startswith(name)
    for owner in owners:
        assert owner in text
    assert text.count(search_text.SEPARATOR) >= len([o for o in owners if o])


def test_one_regency_finds_the_same_as_the_country(db, client_for, officer_region_a, national_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    BusinessFactory(name="Mebel Saputra", region_id="74.71")
    BusinessFactory(name="Tenun", region_id="74.71", owners=[OwnerFactory(full_name="Rina Saputra")])
    BusinessFactory(name="Kopi Saputra", region_id="74.72", district_id=None, village_id=None)
    url = reverse("registry:business_list")

    def names_and_sql(user, **query):
        with CaptureQueriesContext(connection) as queries:
            response = client_for(user).get(url, {"q": "saputra", **query})
        assert response.status_code == 200
        listed = sorted(b.name for b in response.context["page"].object_list)
        sql = [q["sql"] for q in queries if "search_text" in q["sql"]]
        return listed, sql

    regency, regency_sql = names_and_sql(officer_region_a)
    national, national_sql = names_and_sql(national_admin)
    chosen, chosen_sql = names_and_sql(national_admin, region="74.71")
    assert regency == chosen == ["Mebel Saputra", "Tenun"]
    assert national == ["Kopi Saputra", "Mebel Saputra", "Tenun"]
    if connection.vendor == "postgresql":
        # The trigram index serves the country; one regency is read through the list's own index.
        trigram_form = 'UPPER("registry_business"."search_text"::text) LIKE'
        assert any(trigram_form in sql for sql in national_sql)
        assert not any(trigram_form in sql for sql in regency_sql + chosen_sql)
