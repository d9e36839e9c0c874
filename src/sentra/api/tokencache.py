"""The token lookup of every API request, kept in the cache between requests (issue #9, bench/api.py).

Every API request looked its token (with the user and the user's region) up in the database: on PostgreSQL one
more round trip than the list itself, which on a busy server costs as much as the page's own query. The token
row is therefore kept in the cache for ``SENTRA_API_TOKEN_CACHE_SECONDS`` seconds (default 10; 0 turns it
off) under a key with the token's public prefix and a *generation*. Any save or delete of a token (revocation
included) or of a user (deactivation, role or region change) starts a new generation, so the next request reads
the database again. Expiry, revocation and the user's ``is_active`` are still checked on every request, on the
cached row.

With Redis as the cache (``REDIS_URL``) the generation is shared by every worker process and a revocation is
refused on the very next request everywhere. With the per-process cache (no ``REDIS_URL``) the process that
revoked sees it at once; another worker process may accept the revoked token for at most
``SENTRA_API_TOKEN_CACHE_SECONDS`` more seconds.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache

GENERATION_KEY = "sentra:api:token-generation"
DEFAULT_SECONDS = 10


def ttl() -> int:
    return int(getattr(settings, "SENTRA_API_TOKEN_CACHE_SECONDS", DEFAULT_SECONDS) or 0)


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        generation = cache.get(GENERATION_KEY, 0)
    return generation


def _key(prefix: str) -> str:
    return f"sentra:api:token:{prefix}:{_generation()}"


def get(prefix: str) -> Any:
    """The cached token (a fresh copy, with ``user`` and ``user.region`` loaded), or None."""
    if ttl() <= 0:
        return None
    return cache.get(_key(prefix))


def put(token: Any) -> None:
    seconds = ttl()
    if seconds > 0:
        cache.set(_key(token.prefix), token, seconds)


def invalidate(**kwargs: Any) -> None:
    cache.set(GENERATION_KEY, time.time_ns(), None)


def connect() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from sentra.api.models import ApiToken

    for model in (ApiToken, get_user_model()):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"api-token-cache-save-{model._meta.label}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"api-token-cache-delete-{model._meta.label}")
