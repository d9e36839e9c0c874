"""A small fixed-window rate limiter on Django's cache, for public forms (captcha-free but limited).

``hit(key, limit, window)`` counts one request and answers whether it is still allowed. The window starts at
the first hit; ``cache.add`` then ``cache.incr`` are atomic on Redis and on the local-memory cache.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    # Behind the reverse proxy (docs/deploy) the proxy sets REMOTE_ADDR via the WSGI server; we do not trust
    # X-Forwarded-For here, which a client could forge to escape the limit.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one request under ``key``; False when more than ``limit`` were made within ``window`` seconds."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=window):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window)
        count = 1
    return count <= limit
