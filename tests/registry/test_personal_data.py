"""Data-subject export and anonymisation (UU 27/2022 PDP Pasal 7–8;)."""

import json

import pytest
from django.urls import reverse

from sentra.core.models import AuditEvent
from sentra.registry.models import Owner
from sentra.reports.models import BusinessCube
from sentra.reports.services import summary_refresh
from tests.registry.factories import BusinessFactory, OwnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    owner = OwnerFactory(
        full_name="Wa Ode Rahmawati",
        nik="7471035207850003",
        phone="+6281234567890",
        email="wa.ode@example.org",
        address="Jl. Boulevard 1",
        gender="P",
    )
    BusinessFactory(name="Mebel Rahmawati", owners=[owner])
    return owner


def test_export_contains_everything_and_is_logged(client, officer_region_a, owner):
    client.force_login(officer_region_a)
    response = client.post(reverse("registry:owner_personal_data", args=[owner.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["Pelaku usaha"][0]["nik"] == "7471035207850003"
    assert data["Usaha"][0]["name"] == "Mebel Rahmawati"
    assert (
        AuditEvent.objects.filter(action="registry.owner.personal_data_exported", object_id=str(owner.pk)).count() == 1
    )


def test_export_is_refused_without_permission(client, owner_user, owner):
    client.force_login(owner_user)
    assert client.post(reverse("registry:owner_personal_data", args=[owner.pk])).status_code in (403, 404)


def test_anonymise_erases_identity_keeps_aggregates(client, officer_region_a, owner):
    summary_refresh(region_ids=["74.71"])
    before = list(BusinessCube.objects.values_list("businesses", "workforce_male", "workforce_female"))
    client.force_login(officer_region_a)
    url = reverse("registry:owner_anonymise", args=[owner.pk])
    refused = client.post(url, {"reason": " "})
    assert refused.status_code == 200 and "Sebutkan dasar permintaan" in refused.content.decode()
    assert Owner.objects.get(pk=owner.pk).anonymised_at is None

    response = client.post(url, {"reason": "Surat permohonan No. 12/2026"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.full_name.startswith("Anonim")
    assert owner.nik is None and owner.phone == "" and owner.email == "" and owner.address == ""
    assert owner.gender == "P"
    summary_refresh(region_ids=["74.71"])
    assert list(BusinessCube.objects.values_list("businesses", "workforce_male", "workforce_female")) == before
    event = AuditEvent.objects.get(action="registry.owner.anonymised")
    assert event.note == "Surat permohonan No. 12/2026"
    # No earlier event still carries the erased values.
    for old in AuditEvent.objects.filter(object_id=str(owner.pk)).exclude(pk=event.pk):
        assert "Rahmawati" not in json.dumps(old.changes) and "Rahmawati" not in old.object_repr
