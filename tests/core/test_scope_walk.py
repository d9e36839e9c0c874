"""The URLconf walk: every URL denies users outside its scope (STYLE E).

New URLs are picked up automatically; one that takes arguments fails here until its app registers a scope
provider in ``tests/<app>/scope_objects.py``.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import reverse

import tests
from sentra.core.testing import PUBLIC_URLS, SCOPE_PROVIDERS, walk_urls

for module in pkgutil.walk_packages(tests.__path__, "tests."):
    if module.name.endswith(".scope_objects"):
        importlib.import_module(module.name)

URLS = walk_urls()
OBJECT_URLS = [u for u in URLS if u.has_args and not u.public]
PLAIN_URLS = [u for u in URLS if not u.has_args and not u.public and u.name not in PUBLIC_URLS]
DENIED = (403, 404, 405)


def test_walk_found_the_registry_urls():
    names = {u.name for u in URLS}
    assert {"registry:business_list", "registry:business_detail", "accounts:user_detail"} <= names


@pytest.mark.parametrize("url", PLAIN_URLS, ids=lambda u: u.name)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(reverse(url.name))
    assert response.status_code in (302, 405), url.name
    if response.status_code == 302:
        assert response.url.startswith(reverse("accounts:login")), url.name


@pytest.mark.parametrize("url", OBJECT_URLS, ids=lambda u: u.name)
def test_object_urls_deny_users_outside_scope(client, world, url):
    provider = SCOPE_PROVIDERS.get(url.name)
    assert provider is not None, (
        f"{url.name} ({url.route}) has no scope provider: register one in tests/<app>/scope_objects.py"
    )
    kwargs = provider(world)
    path = reverse(url.name, kwargs=kwargs)

    # The provider's object is inside region A: its officer is not refused (so this test cannot pass vacuously).
    client.force_login(world.officer_a)
    own = client.get(path)
    assert own.status_code not in (403, 404), f"{url.name}: officer of region A got {own.status_code}"

    for outsider in (world.officer_b, world.owner_a):
        client.force_login(outsider)
        got = client.get(path)
        assert got.status_code in DENIED, f"{url.name}: {outsider.username} GET -> {got.status_code}"
        assert got.status_code != 403 or outsider is world.owner_a, f"{url.name}: out of scope must be 404, not 403"
        posted = client.post(path, {})
        assert posted.status_code in DENIED, f"{url.name}: {outsider.username} POST -> {posted.status_code}"
        if outsider is world.officer_b:
            assert 404 in (got.status_code, posted.status_code), f"{url.name}: other region must get 404"


def test_admin_is_superuser_only(client, world):
    client.force_login(world.officer_a)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url
