"""Generation counters for the API's caches: an entry keeps the generation it was cached under, and one of an
older generation is not used, so bumping it drops every entry at once, in every process that shares the cache
(permcache, tokencache; read together with the entries in one round trip, requestcache)."""

from __future__ import annotations

import time

from django.core.cache import cache


def generation(key: str) -> int:
    """The current generation stored under ``key`` (started on first use)."""
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), None)
        value = cache.get(key, 0)
    return value


def bump(key: str) -> None:
    """A new generation: every entry keyed with the old one is no longer found."""
    cache.set(key, time.time_ns(), None)
