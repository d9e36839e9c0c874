"""The audit trail ("Riwayat"), NIK reveal logging and masking of personal data (docs/domain.md §8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sentra.core.audit import audit_event_changes, audit_history
from sentra.core.models import AuditEvent
from sentra.regions.models import Region
from sentra.registry import services
from sentra.registry.models import Business
from tests.accounts.factories import UserFactory
from tests.registry.factories import BusinessFactory, OwnerFactory, make_nik

NIK = make_nik(42)  # 7471031207850043
PHONE = "+6281234567890"


def events(obj, action):
    return AuditEvent.objects.filter(object_id=str(obj.pk), action=action)


def test_create_update_delete_restore_are_recorded(officer_region_a):
    village = Region.objects.get(pk="74.71.03.1002")
    business = services.business_register(
        actor=officer_region_a, name="Mebel Sejati", village=village, workforce_male=2
    )
    # A page's registration is written as a one-row batch of the registry's one write path: its event is the
    # same as an import's, and the record's history finds it.
    (created,) = [e for e in audit_history(business) if e.action == "registry.business.created"]
    assert created.actor == officer_region_a and created.actor_name == officer_region_a.username
    assert created.at is not None and created.region_id == "74.71"
    changes = audit_event_changes(created, business)
    assert changes["name"] == [None, "Mebel Sejati"]
    assert changes["village_id"] == [None, "74.71.03.1002"]
    assert changes["workforce_male"] == [None, 2]
    assert "version" not in changes and "updated_at" not in changes

    services.business_update(
        actor=officer_region_a,
        business=Business.objects.get(pk=business.pk),
        name="Mebel Sejati Jaya",
        workforce_male=3,
    )
    updated = events(business, "registry.business.updated").get()
    assert updated.changes == {"name": ["Mebel Sejati", "Mebel Sejati Jaya"], "workforce_male": [2, 3]}

    services.business_delete(actor=officer_region_a, business=business)
    services.business_restore(actor=officer_region_a, business=business)
    actions = list(audit_history(business).order_by("at", "id").values_list("action", flat=True))
    assert actions == [
        "registry.business.created",
        "registry.business.updated",
        "registry.business.deleted",
        "registry.business.restored",
    ]
    assert all(e.actor == officer_region_a for e in audit_history(business))


def test_history_partial_shows_the_events(client_for, officer_region_a):
    business = BusinessFactory(name="Sebelum")
    services.business_update(actor=officer_region_a, business=Business.objects.get(pk=business.pk), name="Sesudah")
    response = client_for(officer_region_a).get(reverse("registry:business_history", args=[business.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Riwayat" in html
    assert "Usaha (IKM) diubah" in html and "registry.business.updated" not in html
    assert officer_region_a.username in html
    assert "<del>Sebelum</del>" in html and "Sesudah" in html


@pytest.mark.parametrize("who", ["officer_region_b", "owner_user", "centre_manager"])
def test_history_hidden_from_users_who_may_not_see_the_record(request, client_for, officer_region_a, who):
    business = BusinessFactory()
    services.business_update(actor=officer_region_a, business=Business.objects.get(pk=business.pk), name="Rahasia")
    response = client_for(request.getfixturevalue(who)).get(reverse("registry:business_history", args=[business.pk]))
    assert response.status_code == 404
    assert "Rahasia" not in response.content.decode()


def test_owner_linked_to_business_sees_its_history(client_for, owner_user, officer_region_a):
    owner = OwnerFactory(user=owner_user)
    business = BusinessFactory(owners=[owner])
    services.business_update(actor=officer_region_a, business=Business.objects.get(pk=business.pk), name="Milik Saya")
    response = client_for(owner_user).get(reverse("registry:business_history", args=[business.pk]))
    assert response.status_code == 200
    assert "Milik Saya" in response.content.decode()


def test_nik_reveal_is_logged(client_for, officer_region_a):
    owner = OwnerFactory(nik=NIK, phone=PHONE)
    response = client_for(officer_region_a).post(reverse("registry:owner_reveal", args=[owner.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert NIK in html and PHONE in html
    event = events(owner, "registry.owner.nik_revealed").get()
    assert event.actor == officer_region_a
    assert "dicatat" in html


def test_nik_reveal_refused_without_permission(client_for, owner_user):
    owner = OwnerFactory(nik=NIK, phone=PHONE, user=owner_user)  # the owner may view their record, not reveal
    client = client_for(owner_user)
    assert client.get(reverse("registry:owner_detail", args=[owner.pk])).status_code == 200
    response = client.post(reverse("registry:owner_reveal", args=[owner.pk]))
    assert response.status_code == 403
    assert NIK not in response.content.decode()
    assert not events(owner, "registry.owner.nik_revealed").exists()


def test_nik_reveal_out_of_scope_is_404(client_for, officer_region_b):
    owner = OwnerFactory(nik=NIK)
    response = client_for(officer_region_b).post(reverse("registry:owner_reveal", args=[owner.pk]))
    assert response.status_code == 404
    assert not events(owner, "registry.owner.nik_revealed").exists()


def test_reveal_needs_post(client_for, officer_region_a):
    owner = OwnerFactory(nik=NIK)
    assert client_for(officer_region_a).get(reverse("registry:owner_reveal", args=[owner.pk])).status_code == 405


def test_nik_and_phone_masked_in_list_and_detail(client_for, officer_region_a):
    owner = OwnerFactory(nik=NIK, phone=PHONE, full_name="Wa Ode Sitti")
    business = BusinessFactory(owners=[owner])
    client = client_for(officer_region_a)
    pages = [
        reverse("registry:owner_list"),
        reverse("registry:owner_detail", args=[owner.pk]),
        reverse("registry:business_list"),
        business.get_absolute_url(),
        reverse("registry:owner_history", args=[owner.pk]),
        reverse("registry:business_history", args=[business.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert NIK not in html, url
        assert PHONE not in html and PHONE[1:] not in html, url
    owner_page = client.get(reverse("registry:owner_detail", args=[owner.pk])).content.decode()
    assert "7471********0043" in owner_page
    assert "+62812*****890" in owner_page
    assert "7471********0043" in client.get(reverse("registry:owner_list")).content.decode()


def test_personal_data_masked_in_owner_history(client_for, officer_region_a, centre_manager):
    village = Region.objects.get(pk="74.71.03.1002")
    owner = services.owner_register(actor=officer_region_a, full_name="Ani", nik=NIK, phone=PHONE, village=village)
    other = make_nik(43)
    services.owner_update(actor=officer_region_a, owner=owner, nik=other, phone="+6281299998888")
    html = client_for(officer_region_a).get(reverse("registry:owner_history", args=[owner.pk])).content.decode()
    assert "Pelaku usaha diubah" in html
    for secret in (NIK, PHONE, other, "+6281299998888"):
        assert secret not in html
    assert "7471********0043" in html and "7471********0044" in html


def test_user_without_reveal_permission_sees_no_reveal_button(client_for, owner_user):
    owner = OwnerFactory(nik=NIK, user=owner_user)
    html = client_for(owner_user).get(reverse("registry:owner_detail", args=[owner.pk])).content.decode()
    assert 'data-testid="reveal"' not in html
    officer = UserFactory(username="petugas_lain")
    html = client_for(officer).get(reverse("registry:owner_detail", args=[owner.pk])).content.decode()
    assert 'data-testid="reveal"' in html
