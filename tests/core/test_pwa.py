"""The installable web app: manifest, service worker at the site root, the offline page, the queue counter."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_service_worker_is_served_from_the_root_with_its_settings(client):
    response = client.get("/sw.js")
    assert response.status_code == 200  # no sign-in: the browser checks for updates on the sign-in page too
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    head, code = response.content.decode().split("\n", 1)
    settings = json.loads(head.removeprefix("var SENTRA_SW = ").rstrip(";"))
    assert settings["offlinePage"] == reverse("core:offline")
    assert settings["staticUrl"] == "/static/"
    assert settings["cache"].startswith("sentra-")
    assert 'request.method !== "GET"' in code  # POSTs are never answered from the cache


def test_manifest_describes_an_installable_app(client):
    data = json.loads(client.get(reverse("core:manifest")).content)
    assert data["display"] == "standalone" and data["start_url"] == "/" and data["icons"]


def test_offline_page_says_what_still_works(client):
    page = client.get(reverse("core:offline")).content.decode()
    assert "perlu koneksi internet" in page


def test_pages_link_the_manifest_and_register_the_worker_when_signed_in(client_for, officer_region_a):
    page = client_for(officer_region_a).get(reverse("core:dashboard")).content.decode()
    assert 'rel="manifest"' in page
    assert 'data-sw="/sw.js"' in page
    assert 'data-testid="offline-counter"' in page and "sentra/offline.js" in page


def test_signed_out_pages_do_not_register_the_worker(client):
    assert "data-sw=" not in client.get(reverse("core:offline")).content.decode()
