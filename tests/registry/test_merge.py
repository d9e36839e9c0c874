"""Duplicate guard: the user can merge the new registration into the existing business, or go on."""

import pytest
from django.urls import reverse

from sentra.core.models import AuditEvent
from sentra.registry.models import Business
from tests.registry.factories import BusinessFactory, OwnerFactory

pytestmark = pytest.mark.django_db


def _form(**extra):
    data = {
        "name": "Mebel Sejahtera",
        "legal_form": "perorangan",
        "status": "active",
        "region": "74.71",
        "district": "74.71.03",
        "village": "74.71.03.1002",
        "nib": "1234567890123",
        "commodity": "kursi jati",
        "owner_full_name": "La Ode Baru",
        "owner_nik": "7471031207850021",
        "workforce_male": "4",
    }
    data.update(extra)
    return data


@pytest.fixture
def existing():
    owner = OwnerFactory(full_name="La Ode Lama", nik="7471031207850020")
    return BusinessFactory(name="Mebel Sejahtera", nib="1234567890123", commodity="", owners=[owner])


def test_same_nib_shows_the_duplicate_with_merge_and_go_on(client, officer_region_a, existing):
    client.force_login(officer_region_a)
    page = client.post(reverse("registry:business_add"), _form())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Kemungkinan duplikat" in html and f'name="merge_into" value="{existing.pk}"' in html
    assert Business.objects.count() == 1


def test_merge_fills_only_empty_fields_and_adds_the_owner(client, officer_region_a, existing):
    client.force_login(officer_region_a)
    response = client.post(reverse("registry:business_add"), _form(merge_into=existing.pk, workforce_male="9"))
    assert response.status_code == 302
    existing.refresh_from_db()
    assert Business.objects.count() == 1
    assert existing.commodity == "kursi jati"  # was empty: filled
    assert existing.workforce_male == 3  # was filled: kept
    assert sorted(o.full_name for o in existing.owners.all()) == ["La Ode Baru", "La Ode Lama"]
    assert AuditEvent.objects.filter(action="registry.business.merged", object_id=str(existing.pk)).exists()


def test_going_on_with_a_taken_nib_is_refused_clearly(client, officer_region_a, existing):
    client.force_login(officer_region_a)
    page = client.post(reverse("registry:business_add"), _form(confirm_duplicate="1"))
    assert "NIB" in page.content.decode() and "sudah terdaftar" in page.content.decode()
    assert Business.objects.count() == 1


def test_merge_into_a_business_outside_scope_is_404(client, officer_region_b, existing):
    client.force_login(officer_region_b)
    response = client.post(
        reverse("registry:business_add"),
        _form(region="74.72", district="", village="", nib="9876543210987", merge_into=existing.pk),
    )
    assert response.status_code == 404
    existing.refresh_from_db()
    assert existing.commodity == ""


def test_nib_of_a_business_outside_scope_is_refused_without_naming_it(client, officer_region_b, existing):
    client.force_login(officer_region_b)
    page = client.post(reverse("registry:business_add"), _form(region="74.72", district="", village=""))
    html = page.content.decode()
    assert "tidak dapat dipakai" in html
    assert "Mebel Sejahtera</a>" not in html
