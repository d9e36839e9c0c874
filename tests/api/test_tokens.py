"""Personal API tokens: hashing, expiry, revocation, read-only, and the account page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from sentra.api import tokencache
from sentra.api.models import ApiToken
from sentra.api.services import token_create, token_digest, token_revoke
from sentra.core.models import AuditEvent
from tests.api.conftest import ApiClient, assert_error_format
from tests.registry.factories import BusinessFactory


def test_raw_token_is_never_stored(officer_region_a):
    created = token_create(actor=officer_region_a, name="SIINas", access="read", lifetime_days=30)
    row = ApiToken.objects.get(pk=created.token.pk)
    assert created.raw.startswith(f"sentra_{row.prefix}_")
    assert row.digest == token_digest(created.raw)
    stored = [str(v) for v in ApiToken.objects.filter(pk=row.pk).values().first().values()]
    assert not any(created.raw in v or created.raw.split("_", 2)[2] in v for v in stored)
    event = AuditEvent.objects.get(action="api.apitoken.created", object_id=str(row.pk))
    assert created.raw not in str(event.changes)


def test_token_authenticates_as_its_user(officer_region_a):
    raw = token_create(actor=officer_region_a, name="t", access="read", lifetime_days=30).raw
    response = ApiClient(raw).get("/businesses")
    assert response.status_code == 200
    assert ApiToken.objects.get(prefix=raw.split("_")[1]).last_used_at is not None


@pytest.mark.parametrize(
    "raw", ["", "nonsense", "sentra_deadbeef_wrongsecret", "Basic abc", "sentra__x", "sentra_x_"], ids=str
)
def test_unknown_tokens_are_refused(officer_region_a, raw):
    token_create(actor=officer_region_a, name="t", access="read", lifetime_days=30)
    response = ApiClient(None).get("/businesses", HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = assert_error_format(response, 401)
    assert body["code"] in ("token_invalid", "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_wrong_secret_with_a_real_prefix_is_refused(officer_region_a):
    raw = token_create(actor=officer_region_a, name="t", access="read", lifetime_days=30).raw
    forged = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")
    assert_error_format(ApiClient(forged).get("/businesses"), 401, "token_invalid")


def test_expired_token_is_refused(officer_region_a):
    created = token_create(actor=officer_region_a, name="t", access="read", lifetime_days=1)
    assert ApiClient(created.raw).get("/businesses").status_code == 200
    # Expiry is checked on every request, whether the token row comes from the cache (sentra.api.tokencache) or not.
    with freeze_time(created.token.expires_at + timedelta(seconds=1)):
        assert_error_format(ApiClient(created.raw).get("/businesses"), 401, "token_expired")
    ApiToken.objects.filter(pk=created.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    tokencache.invalidate()  # a queryset update sends no signal
    assert_error_format(ApiClient(created.raw).get("/businesses"), 401, "token_expired")


def test_without_a_shared_cache_tokens_are_not_cached(settings):
    """A per-process cache cannot tell other worker processes about a revocation: then tokens are not cached."""
    from sentra.api import permcache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert tokencache.ttl() == 0
    assert permcache.enabled()  # keyed by role, and the user row is fresh: a role change applies at once
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
    assert tokencache.ttl() == tokencache.DEFAULT_SECONDS
    settings.SENTRA_API_TOKEN_CACHE_SECONDS = 0
    settings.SENTRA_API_PERM_CACHE = False
    assert tokencache.ttl() == 0 and not permcache.enabled()


def test_the_cached_token_follows_a_deactivated_user_and_a_revocation_at_once(officer_region_a, settings):
    settings.SENTRA_API_TOKEN_CACHE_SECONDS = 10  # as with Redis (the test cache is per process)
    created = token_create(actor=officer_region_a, name="t", access="read", lifetime_days=30)
    client = ApiClient(created.raw)
    assert client.get("/businesses").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/businesses").status_code == 200
    assert not [q for q in queries.captured_queries if "api_apitoken" in q["sql"]]  # the token came from the cache
    officer_region_a.is_active = False
    officer_region_a.save()
    assert_error_format(client.get("/businesses"), 401, "user_inactive")
    officer_region_a.is_active = True
    officer_region_a.save()
    assert client.get("/businesses").status_code == 200
    created.token.revoked_at = timezone.now()
    created.token.save()
    assert_error_format(client.get("/businesses"), 401, "token_revoked")


def test_revoked_token_is_refused_at_once(officer_region_a):
    created = token_create(actor=officer_region_a, name="t", access="write", lifetime_days=30)
    client = ApiClient(created.raw)
    assert client.get("/businesses").status_code == 200
    token_revoke(actor=officer_region_a, token=created.token)
    assert_error_format(client.get("/businesses"), 401, "token_revoked")
    assert AuditEvent.objects.filter(action="api.apitoken.revoked", object_id=str(created.token.pk)).exists()


def test_inactive_user_token_is_refused(officer_region_a):
    raw = token_create(actor=officer_region_a, name="t", access="read", lifetime_days=30).raw
    officer_region_a.is_active = False
    officer_region_a.save()
    assert_error_format(ApiClient(raw).get("/businesses"), 401, "user_inactive")


def test_read_only_token_is_refused_on_every_write(officer_region_a):
    business = BusinessFactory(region_id="74.71")
    client = ApiClient(token_create(actor=officer_region_a, name="t", access="read", lifetime_days=30).raw)
    attempts = [
        client.post("/businesses", {"name": "Baru", "region": "74.71"}),
        client.patch(f"/businesses/{business.pk}", {"version": business.version, "name": "Ubah"}),
        client.delete(f"/businesses/{business.pk}"),
        client.post(f"/businesses/{business.pk}/restore"),
        client.post("/businesses/bulk", {"rows": [{"name": "Baru", "region": "74.71"}]}),
    ]
    for response in attempts:
        assert_error_format(response, 403, "token_read_only")
    business.refresh_from_db()
    assert business.name != "Ubah" and business.deleted_at is None


@pytest.mark.parametrize("days", [0, 366, -5])
def test_lifetime_is_bounded(officer_region_a, days):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        token_create(actor=officer_region_a, name="t", access="read", lifetime_days=days)
    assert "lifetime_days" in info.value.message_dict


def test_account_page_creates_shows_once_and_revokes(client, officer_region_a):
    client.force_login(officer_region_a)
    page = client.get(reverse("accounts:profile"))
    assert page.status_code == 200 and "Token API" in page.content.decode()
    response = client.post(reverse("api:token_create"), {"name": "Provinsi", "access": "read", "lifetime_days": 90})
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=officer_region_a)
    html = response.content.decode()
    start = html.index("sentra_" + token.prefix + "_")
    raw = html[start : html.index('"', start)]
    assert token.digest == token_digest(raw)
    # Shown once: the account page lists the prefix only.
    listing = client.get(reverse("accounts:profile")).content.decode()
    assert raw not in listing and f"sentra_{token.prefix}_" in listing
    assert ApiClient(raw).get("/businesses").status_code == 200
    revoked = client.post(reverse("api:token_revoke", args=[token.pk]))
    assert revoked.status_code == 302
    assert ApiClient(raw).get("/businesses").status_code == 401


def test_account_page_rejects_bad_input_and_saves_nothing(client, officer_region_a):
    client.force_login(officer_region_a)
    response = client.post(reverse("api:token_create"), {"name": " ", "access": "admin", "lifetime_days": 9999})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert "is-invalid" in response.content.decode()


def test_nobody_revokes_someone_elses_token(client, officer_region_a, officer_region_b, national_admin):
    token = token_create(actor=officer_region_a, name="t", access="read", lifetime_days=30).token
    for other in (officer_region_b, national_admin):
        client.force_login(other)
        assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_permission_changes_reach_the_cached_permissions_at_once(world, api_for, settings):
    """The token user's permissions are cached between requests; a change of them starts over (permcache)."""
    from django.contrib.auth.models import Group, Permission

    from sentra.accounts.roles import Role

    client = api_for(world.owner_a)
    assert client.get("/allocations").status_code == 403
    assert client.get("/allocations").status_code == 403  # now from the cache
    view = Permission.objects.get(codename="view_allocation", content_type__app_label="budget")
    world.owner_a.user_permissions.add(view)
    assert client.get("/allocations").status_code == 200
    world.owner_a.user_permissions.remove(view)
    assert client.get("/allocations").status_code == 403
    group = Group.objects.create(name="anggaran tambahan")
    world.owner_a.groups.add(group)
    assert client.get("/allocations").status_code == 403
    group.permissions.add(view)
    assert client.get("/allocations").status_code == 200
    # A role change is part of the cache key.
    world.owner_a.groups.clear()
    world.owner_a.role = Role.REGENCY_OFFICER
    world.owner_a.save()
    assert client.get("/allocations").status_code == 200
