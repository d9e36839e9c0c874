"""The cache traffic of one API request: one read, and at most one write (bench/api.py ``api.redis_cache``).

A token request needs three things from the cache: the token row (``tokencache``), its user's permissions
(``permcache``) and the rate-limit counter of the current window (``auth.TokenRateThrottle``). Each cached entry
keeps the generation it was cached under in its *value*, not in its key, so every key is known from the request
alone: the entries, both generations and the counter are read together with one ``get_many`` (one ``MGET`` with
Redis). What has to be written back — the counter always, the token row or the permission set when they came
from the database — is sent together at the end: with Redis as one pipeline (``MULTI``: the ``SET``\\s, ``INCR``
and ``EXPIRE`` of the counter, ``EXEC``), with the other caches (local memory, database) through the cache API.

``INCR`` is atomic, so concurrent requests of one token never lose a count; the counter read with the entries only
spares the write once the window's limit is already reached (a count never goes down within its window).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from typing import Any

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches

from sentra.api import cachegen


def _redis_client() -> Any:
    """The Redis client behind the default cache (Django's ``RedisCache``), or None for any other backend."""
    from django.core.cache.backends.redis import RedisCache

    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        return backend
    return None


class RequestCache:
    """The values of ``keys`` read at once; ``set`` collects writes for ``flush``."""

    def __init__(self, keys: Iterable[str]) -> None:
        keys = list(dict.fromkeys(keys))
        self.values: dict[str, Any] = cache.get_many(keys) if keys else {}
        self._writes: dict[str, tuple[Any, int]] = {}

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def generation(self, key: str) -> Any:
        """The generation under ``key`` as read; started (one more round trip) only if the cache had none."""
        value = self.values.get(key)
        if value is None:
            value = self.values[key] = cachegen.generation(key)
        return value

    def set(self, key: str, value: Any, timeout: int) -> None:
        """Write ``value`` as it is now (a snapshot: the request goes on changing the objects, e.g. the user's
        ``_perm_cache``, which must not reach the cached token) on ``flush``."""
        self._writes[key] = (pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)), timeout)

    def flush(self, counter: tuple[str, int] | None = None) -> int | None:
        """Write what was collected; with ``counter=(key, timeout)`` also count one hit and return the new count."""
        writes, self._writes = self._writes, {}
        if not writes and counter is None:
            return None
        backend = _redis_client()
        if backend is not None:
            return _flush_redis(backend, writes, counter)
        by_timeout: dict[int, dict[str, Any]] = {}
        for key, (value, timeout) in writes.items():
            by_timeout.setdefault(timeout, {})[key] = value
        for timeout, data in by_timeout.items():
            cache.set_many(data, timeout)
        return hit(*counter, seen=self.values.get(counter[0])) if counter is not None else None


def _flush_redis(backend: Any, writes: dict[str, tuple[Any, int]], counter: tuple[str, int] | None) -> int | None:
    client = backend._cache.get_client(write=True)
    serializer = backend._cache._serializer
    pipe = client.pipeline(transaction=True)
    for key, (value, timeout) in writes.items():
        pipe.set(backend.make_and_validate_key(key), serializer.dumps(value), ex=backend.get_backend_timeout(timeout))
    if counter is not None:
        key = backend.make_and_validate_key(counter[0])
        pipe.incr(key)
        # The key is per window, so renewing its expiry on every hit is harmless (and needs no Redis 7 ``NX``).
        pipe.expire(key, counter[1])
    results = pipe.execute()
    return int(results[len(writes)]) if counter is not None else None


def hit(key: str, timeout: int, seen: int | None = None) -> int:
    """Count one hit on the counter ``key`` (created with ``timeout`` seconds to live); the new count.

    ``seen``: the counter as just read, if it was; then an existing counter is incremented without a first ``add``.
    """
    backend = _redis_client()
    if backend is not None:
        return _flush_redis(backend, {}, (key, timeout))  # type: ignore[return-value]
    if seen is not None:
        try:
            return cache.incr(key)
        except ValueError:  # expired since it was read
            pass
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        return 1
