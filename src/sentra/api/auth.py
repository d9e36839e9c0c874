"""Who is calling: a personal API token (``Authorization: Bearer``) or the site's own session.

Both end with ``request.user`` set, so every endpoint reads through the same ``visible_to(user, action)``
scope as the pages. A read-only token is refused on any method that writes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import BaseThrottle

from sentra.api import permcache, requestcache, tokencache
from sentra.api.errors import ApiError
from sentra.api.requestcache import RequestCache
from sentra.api.services import TokenRefused, token_authenticate, token_prefix

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """``Authorization: Bearer sentra_<prefix>_<secret>``; created on the user's account page (/akun/)."""

    openapi_description = "Token API pribadi dari halaman Akun (/akun/). Contoh: `Authorization: Bearer sentra_…`."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # One cache read for the whole request (sentra.api.requestcache): the token row, its user's permissions
        # and the rate-limit counter, all keyed by the token's public prefix; the writes follow in one batch.
        try:
            prefix = token_prefix(token)
        except TokenRefused as exc:
            raise ApiError(401, exc.code, exc.message) from None
        window = RateWindow.of(f"token:{prefix}")
        reads = RequestCache([*tokencache.keys(prefix), *permcache.keys(prefix), window.key])
        try:
            api_token = token_authenticate(token, reads)
        except TokenRefused as exc:
            reads.flush()
            raise ApiError(401, exc.code, exc.message) from None
        if request.method not in SAFE_METHODS and not api_token.can_write:
            reads.flush()
            raise ApiError(
                403,
                "token_read_only",
                _("Token ini hanya untuk membaca. Buat token baca-tulis untuk mengubah data."),
            )
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        permcache.prime(api_token.user, prefix, reads)
        # Counted here, with the request's other writes; TokenRateThrottle answers from it.
        request.api_rate = (window.hit(reads), window.limit)  # type: ignore[attr-defined]
        return api_token


class SessionAuth(APIKeyCookie):
    """The site's own htmx calls: the Django session, with the CSRF token on every write."""

    param_name: str = settings.SESSION_COOKIE_NAME
    openapi_description = "Sesi situs (cookie) dengan header X-CSRFToken untuk permintaan yang mengubah data."

    def _get_key(self, request: HttpRequest) -> str | None:
        # CSRF protects a signed-in session only: without one there is nothing to protect, and the caller is told
        # to authenticate (401, as documented), not that a CSRF token is missing (ninja checks CSRF first).
        if not _session_user(request):
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = _session_user(request)
        if user is not None:
            request.api_token = None  # type: ignore[attr-defined]
            return user
        return None


def _session_user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return user
    return None


def parse_rate(rate: str) -> tuple[int, int]:
    """``"600/min"`` → (600, 60). Units: s, min/m, h, d."""
    count, _slash, unit = rate.partition("/")
    seconds = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}
    return int(count), seconds.get(unit.strip().lower(), 60)


@dataclass(frozen=True)
class RateWindow:
    """The current fixed window of one caller's counter (``SENTRA_API_RATE_LIMIT``, default ``600/min``)."""

    key: str
    limit: int
    period: int

    @classmethod
    def of(cls, ident: str) -> RateWindow:
        limit, period = parse_rate(getattr(settings, "SENTRA_API_RATE_LIMIT", "600/min"))
        return cls(f"sentra:api:rate:{ident}:{int(time.time() // period)}", limit, period)

    def hit(self, reads: RequestCache | None = None) -> int:
        """Count this request; the window's count. With ``reads`` (which read ``key``) the increment goes out with
        the request's other writes, and none at all once the limit is reached (the count only grows in a window).
        """
        if reads is None:
            return requestcache.hit(self.key, self.period + 1)
        seen = reads.get(self.key)
        if seen is not None and seen >= self.limit:
            reads.flush()
            return seen + 1
        return reads.flush(counter=(self.key, self.period + 1)) or 1


class TokenRateThrottle(BaseThrottle):
    """A fixed-window counter in the cache per token (per user for the session); 429 with Retry-After.

    The limit comes from ``SENTRA_API_RATE_LIMIT`` (default ``600/min``). With Redis as the cache the counter
    is shared by every worker process. A token request was already counted by ``TokenAuth`` (in the request's
    one batch of cache writes); a session request is counted here.
    """

    def _rate(self) -> tuple[int, int]:
        return parse_rate(getattr(settings, "SENTRA_API_RATE_LIMIT", "600/min"))

    def allow_request(self, request: HttpRequest) -> bool:
        counted = getattr(request, "api_rate", None)
        if counted is not None:
            count, limit = counted
            return count <= limit
        window = RateWindow.of(f"user:{getattr(getattr(request, 'user', None), 'pk', None)}")
        return window.hit() <= window.limit

    def wait(self) -> float:
        _limit, period = self._rate()
        return max(1.0, period - time.time() % period)
