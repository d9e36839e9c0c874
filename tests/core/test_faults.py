"""Faults: the database failing mid-request leaves nothing half-written and shows a clear page."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from sentra.registry.models import Business, Owner

pytestmark = pytest.mark.django_db


def _form():
    return {
        "name": "Mebel Putus Koneksi",
        "legal_form": "perorangan",
        "status": "active",
        "region": "74.71",
        "district": "74.71.03",
        "village": "74.71.03.1002",
        "owner_full_name": "La Ode Uji",
        "owner_nik": "7471031207850011",
        "workforce_male": "3",
    }


def test_database_lost_mid_write_rolls_back_and_says_so(client, officer_region_a):
    client.force_login(officer_region_a)
    lost = OperationalError("server closed the connection unexpectedly")
    # The owner is written and audited, the business row written, then the connection drops before the business's
    # audit event (a registration is written through the registry's one bulk write path).
    with mock.patch("sentra.registry.services.audit_bulk_created", side_effect=lost):
        response = client.post(reverse("registry:business_add"), _form())
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "tidak ada data yang tersimpan sebagian" in response.content.decode()
    assert not Business.objects.filter(name="Mebel Putus Koneksi").exists()
    assert not Owner.objects.filter(nik="7471031207850011").exists()


def test_the_same_submission_succeeds_once_the_database_is_back(client, officer_region_a):
    client.force_login(officer_region_a)
    response = client.post(reverse("registry:business_add"), _form())
    assert response.status_code == 302
    assert Business.objects.filter(name="Mebel Putus Koneksi").count() == 1


def test_form_without_csrf_token_is_refused_with_a_clear_message(officer_region_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_region_a)
    response = client.post(reverse("registry:business_add"), _form())
    assert response.status_code == 403
    assert "Formulir tidak dapat dikirim" in response.content.decode()
    assert not Business.objects.filter(name="Mebel Putus Koneksi").exists()


def test_unknown_page_is_an_indonesian_404(client, officer_region_a):
    client.force_login(officer_region_a)
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
