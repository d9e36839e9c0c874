"""The token lookup of every API request, kept in the cache between requests (bench/api.py).

Every API request looked its token (with the user and the user's region) up in the database: on PostgreSQL one
more round trip than the list itself, which on a busy server costs as much as the page's own query. The token
row is therefore kept in the cache for ``SENTRA_API_TOKEN_CACHE_SECONDS`` seconds (0 turns it off) under a key with
the token's public prefix, together with the *generation* it was cached under. Any save or delete of a token (revocation
included) or of a user (deactivation, role or region change) starts a new generation, so the next request reads
the database again (``sentra.api.requestcache`` reads the entry, the generation, the permissions and the rate-limit
counter in one round trip). Expiry, revocation and the user's ``is_active`` are still checked on every request, on the
cached row.

The default depends on the cache: with Redis (``REDIS_URL``) the generation is shared by every worker process,
a revocation is refused on the very next request everywhere, and the token is cached for 10 s. With the
per-process cache (no ``REDIS_URL``) another worker process could accept a revoked token until its copy expired,
so there the default is 0 (no caching): a revoked token must never work again. Setting the variable explicitly
overrides either default.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache

from sentra.api import cachegen
from sentra.api.requestcache import RequestCache

GENERATION_KEY = "sentra:api:token-generation"
DEFAULT_SECONDS = 10


def shared_cache() -> bool:
    """Whether every worker process sees the same cache (so an invalidation reaches them all at once)."""
    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith(("LocMemCache", "DummyCache"))


def ttl() -> int:
    configured = getattr(settings, "SENTRA_API_TOKEN_CACHE_SECONDS", None)
    if configured is None:
        return DEFAULT_SECONDS if shared_cache() else 0
    return int(configured or 0)


def key(prefix: str) -> str:
    """The entry of one token: ``(generation, token)``; an entry of an older generation is not used."""
    return f"sentra:api:token:{prefix}"


def keys(prefix: str) -> list[str]:
    """What ``get`` reads (for ``sentra.api.requestcache``): nothing when the token cache is off."""
    return [GENERATION_KEY, key(prefix)] if ttl() > 0 else []


def get(prefix: str, reads: RequestCache | None = None) -> Any:
    """The cached token (a fresh copy, with ``user`` and ``user.region`` loaded), or None.

    ``reads``: the request's cache reads, already holding ``keys(prefix)`` (one round trip for the whole request).
    """
    if ttl() <= 0:
        return None
    reads = reads if reads is not None else RequestCache(keys(prefix))
    entry = reads.get(key(prefix))
    if entry is None or entry[0] != reads.generation(GENERATION_KEY):
        return None
    return entry[1]


def put(token: Any, reads: RequestCache | None = None) -> None:
    """Cache ``token``; with ``reads``, under the generation read *before* the database (an invalidation in
    between leaves the entry unused) and written with the request's other writes (``RequestCache.flush``)."""
    seconds = ttl()
    if seconds <= 0:
        return
    if reads is None:
        cache.set(key(token.prefix), (cachegen.generation(GENERATION_KEY), token), seconds)
    else:
        reads.set(key(token.prefix), (reads.generation(GENERATION_KEY), token), seconds)


def invalidate(**kwargs: Any) -> None:
    cachegen.bump(GENERATION_KEY)


def connect() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from sentra.api.models import ApiToken

    for model in (ApiToken, get_user_model()):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"api-token-cache-save-{model._meta.label}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"api-token-cache-delete-{model._meta.label}")
