"""Business contacts (phone, e-mail, website): masked by default, an audited reveal, and what the import does with
the contact columns and a phone written at the end of an address. Nothing mapped is dropped silently."""

from __future__ import annotations

import csv

import pytest
from django.urls import reverse

from sentra.core.audit import audit_history
from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import
from sentra.registry import services
from sentra.registry.imports import BusinessImport
from sentra.registry.models import Business, mask_email
from tests.registry.factories import BusinessFactory

HEADER = ["Nama usaha", "Alamat", "Telepon", "Email", "Website", "HP pemilik", "Nama pemilik"]


def _import(tmp_path, rows, user, **options):
    path = tmp_path / "kontak.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return run_import(
        path=path, filename=path.name, kind=get_kind("business"), user=user, error_dir=tmp_path, **options
    )


def test_contact_columns_are_stored_on_the_business(officer_region_a, tmp_path):
    rows = [
        ["UD Rotan Indah", "Jl. Mawar 3, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari", "0401-312345",
         "Rotan@Indah.id", "rotanindah.id", "0812 3456 7890", "Wa Ode Sari"],
    ]  # fmt: skip
    outcome = _import(tmp_path, rows, officer_region_a)
    assert outcome.committed and outcome.stats.created == 1, outcome.messages
    business = Business.objects.get()
    assert (business.phone, business.email, business.website) == (
        "+62401312345",
        "rotan@indah.id",
        "https://rotanindah.id",
    )
    assert business.legal_form == "ud" and business.name == "Rotan Indah"
    # "HP pemilik" goes to the owner, not to the business.
    assert business.owners.get().phone == "+6281234567890"


def test_a_phone_at_the_end_of_the_address_moves_to_the_phone(officer_region_a, tmp_path):
    rows = [
        ["Mebel A", "Jl. Mawar 3, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari Telp. 0401-312345", "", "", "", "", ""],
        ["Mebel B", "Jl. Melati 4, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari HP 081*********", "", "", "", "", ""],
        ["Mebel C", "Jl. Kenanga 5, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari Telp 0401-399999", "0401-311111",
         "", "", "", ""],
    ]  # fmt: skip
    outcome = _import(tmp_path, rows, officer_region_a)
    assert outcome.committed and outcome.stats.created == 3, outcome.messages
    a, b, c = (Business.objects.get(name=n) for n in ("Mebel A", "Mebel B", "Mebel C"))
    assert a.phone == "+62401312345" and "0401" not in a.address and a.address.endswith("Kota Kendari")
    # A masked number is unknown: removed from the address, no phone stored.
    assert b.phone == "" and "081" not in b.address and "*" not in b.address
    # The phone column wins; the address's number leaves the address and is reported, not kept silently.
    assert c.phone == "+62401311111" and "399999" not in c.address
    assert a.region_id == b.region_id == c.region_id == "74.71"
    assert outcome.warned == 2  # the masked number (B) and the second number (C)


def test_discarded_values_are_warnings_counted_in_the_preview(officer_region_a):
    from sentra.core.importing import ImportContext
    from sentra.core.importing.engine import Layout, check_batch

    kind = get_kind("business")
    assert isinstance(kind, BusinessImport)
    ctx = ImportContext(user=officer_region_a, kind=kind, options={"default_region": "74.71"})
    kind.start(ctx)
    columns = ["name", "address", "phone", "email", "website", "owner_phone"]
    layout = Layout(header_line=-1, headers=columns, mapping=dict(enumerate(columns)))
    rows = [
        (0, ["KSO. Maju Bersama", "Kota Kendari", "081*******", "bukan surel", "ht!tp://x", ""]),
        (1, ["Jaya", "Kota Kendari", "0401-312345 / 0812-3333-4444", "", "", ""]),
        (2, ["Sari", "Kota Kendari", "081*******", "", "", "0812-1111-2222"]),
    ]
    result = check_batch(rows, layout, ctx, seen_keys={})
    assert not result.errors, result.errors
    warnings = result.warnings
    assert set(warnings[0]) == {"legal_form", "phone", "email", "website"}
    assert "KSO" in warnings[0]["legal_form"] and "disamarkan" in warnings[0]["phone"]
    assert "0812-3333-4444" in warnings[1]["phone"]
    # An owner's phone without an owner's name has nowhere to go: said, not dropped silently.
    assert set(warnings[2]) == {"phone", "owner_phone"}
    # The unknown form stays in the name, and the form is unknown, not perorangan.
    row = result.row(0)
    assert row["name"] == "KSO. Maju Bersama" and row["legal_form"] == ""
    assert result.row(1)["phone"] == "+62401312345"


def test_contacts_are_masked_on_the_page_and_revealed_with_an_audit_event(client_for, officer_region_a, owner_user):
    business = BusinessFactory(phone="+6281234567890", email="budi.santoso@gmail.com", website="https://mebel.id")
    client = client_for(officer_region_a)
    html = client.get(business.get_absolute_url()).content.decode()
    assert "+6281234567890" not in html and "budi.santoso@gmail.com" not in html
    assert business.phone_masked in html and mask_email(business.email) in html and "https://mebel.id" in html
    assert 'data-testid="reveal-contacts"' in html
    url = reverse("registry:business_reveal_contacts", args=[business.pk])
    revealed = client.post(url).content.decode()
    assert "+6281234567890" in revealed and "budi.santoso@gmail.com" in revealed
    assert "registry.business.contacts_revealed" in {e.action for e in audit_history(business)}
    # An owner of another business may not reveal them (not even see the page).
    assert client_for(owner_user).post(url).status_code == 404


def test_reveal_needs_the_personal_data_permission(officer_region_a, centre_manager):
    business = BusinessFactory(phone="+6281234567890")
    with pytest.raises(Exception) as exc:
        services.business_reveal_contacts(actor=centre_manager, business=business)
    assert "berwenang" in str(exc.value)
    assert services.business_reveal_contacts(actor=officer_region_a, business=business)["phone"] == "+6281234567890"


def test_contacts_are_masked_in_the_audit_trail(client_for, officer_region_a):
    business = BusinessFactory()
    services.business_update(
        actor=officer_region_a, business=Business.objects.get(pk=business.pk), phone="+6281234567890"
    )
    html = client_for(officer_region_a).get(reverse("registry:business_history", args=[business.pk])).content
    assert b"+6281234567890" not in html and b"+62812*****890" in html


def test_the_page_form_stores_contacts(client_for, officer_region_a):
    from tests.registry.test_pages import form_data

    data = form_data(phone="(0401) 312345", email="INFO@MEBEL.ID", website="mebel.id")
    response = client_for(officer_region_a).post(reverse("registry:business_add"), data)
    assert response.status_code == 302
    business = Business.objects.get(name="Mebel Lepo Baru")
    assert (business.phone, business.email, business.website) == ("+62401312345", "info@mebel.id", "https://mebel.id")
    bad = client_for(officer_region_a).post(reverse("registry:business_add"), form_data(name="Lain", email="x@"))
    assert bad.status_code == 200 and Business.objects.count() == 1
