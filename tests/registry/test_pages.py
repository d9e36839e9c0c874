"""Registry pages through the views: list search/filters/sort/pagination, htmx, forms with bad input, scope."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from sentra.core.models import AuditEvent
from sentra.regions.models import Kbli
from sentra.registry.models import Business, Owner
from tests.registry.factories import BusinessFactory, OwnerFactory, make_nik

LIST = reverse("registry:business_list")


def names(response):
    return [b.name for b in response.context["page"].object_list]


@pytest.fixture
def registry(db):
    """A small registry over three regencies."""
    siti = OwnerFactory(full_name="Siti Rahmawati", nik=make_nik(101, female=True))
    kbli_furniture = Kbli.objects.get(version="2020", code="31001")
    kbli_food = Kbli.objects.get(version="2020", code="10792")
    kbli_car = Kbli.objects.get(version="2020", code="45201")
    return {
        "mebel": BusinessFactory(name="Mebel Jati Lepo", nib="9120001234567", kbli=kbli_furniture, owners=[siti]),
        "kue": BusinessFactory(
            name="Kue Bagea Mandonga",
            district_id="74.71.01",
            village_id="74.71.01.1005",
            kbli=kbli_food,
            turnover=Decimal("3000000000"),
            status="inactive",
        ),
        "bengkel": BusinessFactory(
            name="Bengkel Mobil Baruga", kbli=kbli_car, workforce_male=25, investment_value=Decimal("2000000000")
        ),
        "baubau": BusinessFactory(
            name="Mebel Baubau", region_id="74.72", district_id=None, village_id=None, kbli=kbli_furniture
        ),
        "makassar": BusinessFactory(name="Mebel Makassar", region_id="73.71", district_id=None, village_id=None),
        "siti": siti,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "mebel"}, ["Mebel Jati Lepo"]),
        ({"q": "  JATI   lepo "}, ["Mebel Jati Lepo"]),
        ({"q": "9120001234567"}, ["Mebel Jati Lepo"]),
        ({"q": "Rahmawati"}, ["Mebel Jati Lepo"]),  # owner name
        ({"q": "tidak ada"}, []),
        ({"district": "74.71.01", "region": "74.71"}, ["Kue Bagea Mandonga"]),
        ({"kbli": "31"}, ["Mebel Jati Lepo"]),
        ({"kbli": "1079"}, ["Kue Bagea Mandonga"]),
        ({"kbli": "45201"}, ["Bengkel Mobil Baruga"]),
        ({"size_class": "menengah"}, ["Bengkel Mobil Baruga"]),
        ({"umkm_class": "kecil"}, ["Kue Bagea Mandonga"]),
        ({"status": "inactive"}, ["Kue Bagea Mandonga"]),
        ({"sort": "-name"}, ["Mebel Jati Lepo", "Kue Bagea Mandonga", "Bengkel Mobil Baruga"]),
        ({}, ["Bengkel Mobil Baruga", "Kue Bagea Mandonga", "Mebel Jati Lepo"]),
        ({"sort": "nonsense"}, ["Bengkel Mobil Baruga", "Kue Bagea Mandonga", "Mebel Jati Lepo"]),
    ],
)
def test_list_search_filters_and_sort(client_for, officer_region_a, registry, query, expected):
    response = client_for(officer_region_a).get(LIST, query)
    assert response.status_code == 200
    assert names(response) == expected


def test_list_sorted_by_last_change(client_for, officer_region_a, registry):
    from sentra.registry import services

    services.business_update(
        actor=officer_region_a, business=Business.objects.get(pk=registry["kue"].pk), commodity="Bagea sagu"
    )
    assert names(client_for(officer_region_a).get(LIST, {"sort": "-updated"}))[0] == "Kue Bagea Mandonga"


def test_province_officer_sees_both_cities_but_not_another_province(client_for, province_officer, registry):
    client = client_for(province_officer)
    assert set(names(client.get(LIST))) == {
        "Bengkel Mobil Baruga",
        "Kue Bagea Mandonga",
        "Mebel Jati Lepo",
        "Mebel Baubau",
    }
    assert names(client.get(LIST, {"region": "74.72"})) == ["Mebel Baubau"]
    assert names(client.get(LIST, {"province": "74", "q": "mebel"})) == ["Mebel Baubau", "Mebel Jati Lepo"]
    # Asking for a region outside the scope is not a way round it.
    assert "Mebel Makassar" not in names(client.get(LIST, {"region": "73.71"}))
    assert client.get(registry["makassar"].get_absolute_url()).status_code == 404
    assert client.get(registry["baubau"].get_absolute_url()).status_code == 200


def test_national_admin_filters_by_province(client_for, national_admin, registry):
    client = client_for(national_admin)
    assert names(client.get(LIST, {"province": "73"})) == ["Mebel Makassar"]
    assert len(names(client.get(LIST))) == 5


def test_owner_sees_only_own_business(client_for, owner_user, registry):
    registry["siti"].user = owner_user
    registry["siti"].save()
    client = client_for(owner_user)
    assert names(client.get(LIST)) == ["Mebel Jati Lepo"]
    assert client.get(registry["mebel"].get_absolute_url()).status_code == 200
    assert client.get(registry["kue"].get_absolute_url()).status_code == 404
    assert client.get(reverse("registry:owner_detail", args=[registry["siti"].pk])).status_code == 200
    assert [o.full_name for o in client.get(reverse("registry:owner_list")).context["page"]] == ["Siti Rahmawati"]
    assert client.get(reverse("registry:business_add")).status_code == 403


def test_trash_lists_deleted_businesses(client_for, officer_region_a, registry):
    from sentra.registry import services

    services.business_delete(actor=officer_region_a, business=registry["kue"])
    client = client_for(officer_region_a)
    assert "Kue Bagea Mandonga" not in names(client.get(LIST))
    assert names(client.get(LIST, {"trash": "on"})) == ["Kue Bagea Mandonga"]
    # An invalid filter value does not bring the deleted rows back.
    assert "Kue Bagea Mandonga" not in names(client.get(LIST, {"region": "99.99"}))


def test_invalid_filter_values_do_not_crash(client_for, officer_region_a, registry):
    client = client_for(officer_region_a)
    for query in ({"region": "99.99"}, {"size_class": "raksasa"}, {"cursor": "!!!"}, {"district": "x"}):
        assert client.get(LIST, query).status_code == 200


def _cursor(url):
    return parse_qs(urlparse(url).query).get("cursor", [None])[0]


def test_keyset_pagination_next_and_prev(client_for, officer_region_a, settings):
    settings.SENTRA_PAGE_SIZE = 3
    for i in range(8):
        BusinessFactory(name=f"Usaha {i:02d}")
    client = client_for(officer_region_a)
    seen, pages, cursor = [], [], None
    while True:
        response = client.get(LIST, {"cursor": cursor} if cursor else {})
        page = response.context["page"]
        pages.append((cursor, names(response)))
        seen += names(response)
        if not page.has_next:
            break
        assert 'rel="next"' in response.content.decode()
        cursor = page.next_cursor
    assert seen == [f"Usaha {i:02d}" for i in range(8)]
    assert len(pages) == 3
    # Going back from the last page gives the middle page again.
    last = client.get(LIST, {"cursor": pages[-1][0]}).context["page"]
    back = client.get(LIST, {"cursor": last.prev_cursor})
    assert names(back) == pages[1][1]
    assert 'rel="prev"' in back.content.decode()
    first = client.get(LIST, {"cursor": back.context["page"].prev_cursor}).context["page"]
    assert [b.name for b in first] == pages[0][1]
    assert not first.has_previous


def test_pagination_keeps_the_filters(client_for, officer_region_a, settings):
    settings.SENTRA_PAGE_SIZE = 2
    for i in range(3):
        BusinessFactory(name=f"Mebel {i}")
    BusinessFactory(name="Kue")
    html = client_for(officer_region_a).get(LIST, {"q": "mebel"}).content.decode()
    assert "q=mebel" in html and "cursor=" in html


def test_htmx_request_gets_the_table_partial(client_for, officer_region_a, registry):
    client = client_for(officer_region_a)
    full = client.get(LIST)
    partial = client.get(LIST, {"q": "kue"}, headers={"HX-Request": "true"})
    assert "<html" in full.content.decode()
    body = partial.content.decode()
    assert "<html" not in body and 'data-testid="business-table"' in body
    assert "Kue Bagea Mandonga" in body and "Mebel Jati Lepo" not in body
    for response in (full, partial):
        assert "HX-Request" in response.headers["Vary"]


# --- Create / edit / delete / restore through the views ---------------------------------------------------------


def form_data(**overrides):
    data = {
        "name": "Mebel Lepo Baru",
        "legal_form": "perorangan",
        "status": "active",
        "region": "74.71",
        "district": "74.71.03",
        "village": "74.71.03.1002",
        "kbli_code": "31001",
        "workforce_male": "4",
        "workforce_female": "1",
        "investment_value": "Rp 250.000.000",
        "turnover": "1.250.000.000,50",
        "owner_full_name": "La Ode Ahmad",
        "owner_nik": "7471031207850001",
        "owner_gender": "L",
        "owner_phone": "0812-3456-7890",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"owner_nik": "7471033207850001"}, "owner_nik", "tanggal lahir"),
        ({"owner_nik": "74710312078500"}, "owner_nik", "16 angka"),
        ({"owner_nik": "7471031207850000"}, "owner_nik", "0000"),
        ({"nib": "12345"}, "nib", "13 angka"),
        ({"kbli_code": "99999"}, "kbli_code", "tidak ada dalam KBLI 2020"),
        ({"owner_phone": "081*******"}, "owner_phone", "tersamar"),
        ({"investment_value": "3,62012E+11"}, "investment_value", "notasi ilmiah"),
        ({"investment_value": "-5"}, "investment_value", None),
        ({"name": ""}, "name", None),
        ({"village": "74.71.01.1005"}, "village", None),  # a village of another district
        ({"region": "74.72", "district": "74.72.01", "village": ""}, "region", None),  # out of scope
    ],
)
def test_create_with_bad_input_saves_nothing(client_for, officer_region_a, overrides, field, message):
    response = client_for(officer_region_a).post(reverse("registry:business_add"), form_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    if message:
        assert message in " ".join(form.errors[field])
    assert "Periksa kembali isian yang ditandai. Data belum disimpan." in response.content.decode()
    assert not Business.objects.exists()
    assert not Owner.objects.exists()
    assert not AuditEvent.objects.exists()


def test_create_then_find_it(client_for, officer_region_a):
    client = client_for(officer_region_a)
    response = client.post(reverse("registry:business_add"), form_data())
    business = Business.objects.get()
    assert response.status_code == 302 and response.url == business.get_absolute_url()
    assert business.investment_value == Decimal("250000000")
    assert business.turnover == Decimal("1250000000.50")
    assert business.kbli.code == "31001" and business.size_class == "kecil"
    owner = business.owners.get()
    assert (owner.nik, owner.phone, owner.region_id) == ("7471031207850001", "+6281234567890", "74.71")
    assert names(client.get(LIST, {"q": "lepo baru"})) == ["Mebel Lepo Baru"]
    assert names(client.get(LIST, {"q": "La Ode Ahmad"})) == ["Mebel Lepo Baru"]


def test_create_with_htmx_redirects_the_client(client_for, officer_region_a):
    response = client_for(officer_region_a).post(
        reverse("registry:business_add"), form_data(), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == Business.objects.get().get_absolute_url()


def test_create_with_existing_owner_nik_reuses_the_owner(client_for, officer_region_a):
    owner = OwnerFactory(nik="7471031207850001")
    data = form_data(owner_full_name="")
    response = client_for(officer_region_a).post(reverse("registry:business_add"), data)
    assert response.status_code == 302
    assert list(Business.objects.get().owners.all()) == [owner]
    assert Owner.objects.count() == 1


def test_create_with_owner_nik_of_another_region_does_not_leak(client_for, officer_region_b):
    OwnerFactory(nik="7471031207850001", full_name="Rahasia Kendari")
    data = form_data(region="74.72", district="74.72.01", village="", owner_full_name="Orang Baru")
    response = client_for(officer_region_b).post(reverse("registry:business_add"), data)
    assert response.status_code == 200
    assert "NIK tidak dapat dipakai" in " ".join(response.context["form"].errors["owner_nik"])
    assert "Rahasia Kendari" not in response.content.decode()
    assert not Business.objects.exists()


def test_duplicate_is_shown_before_saving_then_user_can_go_on(client_for, officer_region_a):
    owner = OwnerFactory(nik="7471031207850001")
    existing = BusinessFactory(name="Mebel Lepo", owners=[owner])
    client = client_for(officer_region_a)
    response = client.post(reverse("registry:business_add"), form_data(owner_full_name=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="duplicates"' in html and existing.get_absolute_url() in html
    assert Business.objects.count() == 1
    response = client.post(reverse("registry:business_add"), form_data(owner_full_name="", confirm_duplicate="1"))
    assert response.status_code == 302
    assert Business.objects.count() == 2


def test_same_nib_is_refused_with_a_clear_message(client_for, officer_region_a):
    BusinessFactory(nib="9120001234567")
    client = client_for(officer_region_a)
    # First the duplicate guard shows the existing business (merge or go on) ...
    shown = client.post(reverse("registry:business_add"), form_data(nib="9120001234567"))
    assert 'data-testid="duplicates"' in shown.content.decode()
    # ... and going on with the same NIB is refused with a clear message on the field.
    response = client.post(reverse("registry:business_add"), form_data(nib="9120001234567", confirm_duplicate="1"))
    assert "sudah terdaftar" in " ".join(response.context["form"].errors["nib"])
    assert Business.objects.count() == 1


def edit_data(business, **overrides):
    data = form_data(name=business.name, version=str(business.version))
    for key in ("owner_full_name", "owner_nik", "owner_gender", "owner_phone"):
        data.pop(key)
    data.update(overrides)
    return data


def test_two_edits_from_the_same_version_second_is_refused(client_for, officer_region_a, province_officer):
    business = BusinessFactory(name="Asli")
    url = reverse("registry:business_edit", args=[business.pk])
    first = client_for(officer_region_a).post(url, edit_data(business, name="Edit Pertama"))
    assert first.status_code == 302
    second = client_for(province_officer).post(url, edit_data(business, commodity="Edit Kedua"))
    assert second.status_code == 409
    html = second.content.decode()
    assert "sejak Anda membukanya" in html
    assert 'data-testid="conflict"' in html and "Edit Pertama" in html  # what is stored now, shown beside yours
    business.refresh_from_db()
    assert (business.name, business.commodity, business.version) == ("Edit Pertama", "", 2)
    # The refused form keeps what the user typed, so nothing they entered is lost.
    assert 'value="Edit Kedua"' in html


def test_edit_with_bad_input_changes_nothing(client_for, officer_region_a):
    business = BusinessFactory(name="Tetap")
    url = reverse("registry:business_edit", args=[business.pk])
    response = client_for(officer_region_a).post(url, edit_data(business, name="Baru", workforce_male="-3"))
    assert response.status_code == 200
    assert "workforce_male" in response.context["form"].errors
    business.refresh_from_db()
    assert (business.name, business.version) == ("Tetap", 1)


def test_delete_and_restore_through_the_views(client_for, officer_region_a):
    business = BusinessFactory()
    client = client_for(officer_region_a)
    assert client.get(reverse("registry:business_delete", args=[business.pk])).status_code == 405
    response = client.post(reverse("registry:business_delete", args=[business.pk]), follow=True)
    assert "dihapus" in response.content.decode()
    business.refresh_from_db()
    assert business.is_deleted
    detail = client.get(business.get_absolute_url()).content.decode()
    assert "Pulihkan" in detail
    client.post(reverse("registry:business_restore", args=[business.pk]))
    business.refresh_from_db()
    assert not business.is_deleted


def test_owner_cannot_delete_own_business(client_for, owner_user):
    owner = OwnerFactory(user=owner_user)
    business = BusinessFactory(owners=[owner])
    response = client_for(owner_user).post(reverse("registry:business_delete", args=[business.pk]))
    assert response.status_code == 404
    business.refresh_from_db()
    assert not business.is_deleted


def test_owner_form_bad_input(client_for, officer_region_a):
    data = {
        "full_name": "Wa Ode",
        "nik": "7471035207850001",
        "gender": "L",
        "region": "74.71",
        "village": "74.71.03.1002",
        "legal_basis": "public_task",
        "phone": "0812 3456 7890",
    }
    response = client_for(officer_region_a).post(reverse("registry:owner_add"), data)
    assert response.status_code == 200
    assert "Jenis kelamin tidak sesuai dengan NIK" in " ".join(response.context["form"].errors["gender"])
    assert not Owner.objects.exists()
    data["gender"] = "P"
    data["birth_date"] = "12 Juli 1985"
    response = client_for(officer_region_a).post(reverse("registry:owner_add"), data)
    assert response.status_code == 302
    owner = Owner.objects.get()
    assert owner.phone == "+6281234567890" and str(owner.birth_date) == "1985-07-12"


# --- Inline validation and chained options -----------------------------------------------------------------------


def test_inline_validation_renders_the_field_with_its_error(client_for, officer_region_a):
    client = client_for(officer_region_a)
    url = reverse("registry:business_validate")
    response = client.post(url, {"_field": "nib", "nib": "123"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "NIB harus terdiri dari 13 angka." in html and "is-invalid" in html
    ok = client.post(url, {"_field": "nib", "nib": "9120001234567", "name": "X", "region": "74.71"})
    assert "is-invalid" not in ok.content.decode()
    assert (
        client.post(url, {"_field": "owner_nik", "owner_nik": "7471031207850000"}).content.decode().count("0000") >= 1
    )
    assert client.post(url, {"_field": "no_such_field"}).status_code == 204
    assert client.get(url).status_code == 405
    assert not Business.objects.exists()


def test_inline_validation_of_an_edit_is_scoped(client_for, officer_region_b, officer_region_a):
    business = BusinessFactory(nib="9120001234567")
    url = reverse("registry:business_validate")
    data = {"_field": "nib", "_pk": business.pk, "nib": "9120001234567"}
    assert client_for(officer_region_b).post(url, data).status_code == 404
    response = client_for(officer_region_a).post(url, data)
    assert "sudah terdaftar" not in response.content.decode()  # its own NIB is no clash


def test_inline_validation_needs_add_permission(client_for, owner_user):
    assert client_for(owner_user).post(reverse("registry:business_validate"), {"_field": "nib"}).status_code == 403


def test_chained_region_options(client_for, officer_region_a):
    client = client_for(officer_region_a)
    url = reverse("regions:options")
    districts = client.get(url, {"level": "3", "region": "74.71"}).content.decode()
    assert districts.count("<option") == 12  # the placeholder and Kendari's 11 kecamatan
    assert "Kec. Baruga" in districts and "Pilih kecamatan" in districts
    villages = client.get(url, {"level": "4", "district": "74.71.03"}).content.decode()
    assert 'value="74.71.03.1002">Kel. Lepo Lepo' in villages
    prefixed = client.get(url, {"level": "4", "owner-region": "74.71"}).content.decode()
    assert "Kel. Lepo Lepo" in prefixed
    for bad in ({"level": "x"}, {"level": "3"}, {"level": "9", "region": "74.71"}, {"level": "3", "region": "'"}):
        response = client.get(url, bad)
        assert response.status_code == 200
        assert response.content.decode().count("<option") == 1
