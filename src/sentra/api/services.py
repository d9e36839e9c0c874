"""Creating, revoking and checking personal API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.api import tokencache
from sentra.api.fastlist import Prepared
from sentra.api.models import ApiToken, TokenAccess
from sentra.api.requestcache import RequestCache
from sentra.core.audit import audit_record

TOKEN_PREFIX = "sentra"  # noqa: S105 - the public marker of the token format, not a secret
#: Tokens expire; the longest a user may choose (days).
MAX_LIFETIME_DAYS = 365
#: ``last_used_at`` is written at most this often, so that reading the API does not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    #: The full secret, shown to the user once and never stored.
    raw: str


@transaction.atomic
def token_create(*, actor: Any, name: str, access: str, lifetime_days: int) -> CreatedToken:
    """A new token for ``actor`` itself. Returns the raw secret once; only its digest is saved."""
    name = " ".join((name or "").split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Beri nama token, misalnya nama sistem yang memakainya.")]
    if access not in TokenAccess.values:
        errors["access"] = [_("Pilih akses: hanya baca atau baca dan tulis.")]
    if not isinstance(lifetime_days, int) or not 1 <= lifetime_days <= MAX_LIFETIME_DAYS:
        errors["lifetime_days"] = [_("Masa berlaku harus antara 1 dan {days} hari.").format(days=MAX_LIFETIME_DAYS)]
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():  # pragma: no cover - 1 in 4 billion
        prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=actor,
        name=name[:100],
        prefix=prefix,
        digest=token_digest(raw),
        access=access,
        expires_at=timezone.now() + timedelta(days=lifetime_days),
    )
    audit_record(
        actor=actor,
        action="api.apitoken.created",
        obj=token,
        changes={"name": [None, token.name], "access": [None, access], "expires_at": [None, token.expires_at]},
    )
    return CreatedToken(token=token, raw=raw)


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke at once; a revoked token is refused on its next request. Idempotent."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api.apitoken.revoked", obj=token)
    return token


def tokens_revoke_for_user(actor: Any, user: Any) -> int:
    """Revoke every active token of ``user`` (an officer reset their password); each revocation is audited.

    The token cache is dropped again once the transaction commits: a request that read the still-active row
    between the revocation and the commit cannot keep it cached.
    """
    tokens = list(ApiToken.objects.active().filter(user=user).select_for_update())
    for token in tokens:
        token_revoke(actor=actor, token=token)
    if tokens:
        transaction.on_commit(tokencache.invalidate)
    return len(tokens)


class TokenRefused(Exception):
    """The presented token cannot be used; ``code`` says why (unknown, expired, revoked, inactive)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


#: The lookup of every API request, compiled once (``sentra.api.fastlist.Prepared``).
_TOKEN_BY_PREFIX = Prepared(
    # The prefix is unique: no ORDER BY (the model's ordering only made PostgreSQL plan a sort).
    lambda prefix: ApiToken.objects.select_related("user", "user__region").filter(prefix=prefix).order_by()[:1],
    [str],
)


def token_prefix(raw: str) -> str:
    """The public prefix of a raw token (``sentra_<prefix>_<secret>``); ``TokenRefused`` if it has no such form."""
    parts = (raw or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        raise TokenRefused("token_invalid", _("Token API tidak dikenal. Periksa kembali token Anda."))
    return parts[1]


def token_authenticate(raw: str, reads: RequestCache | None = None) -> ApiToken:
    """The active token for the raw secret, with its user loaded; ``TokenRefused`` otherwise.

    The lookup is by the public prefix (kept in the cache between requests, ``sentra.api.tokencache``); the
    digest is compared in constant time; revocation, expiry and the user's state are checked on every request.
    ``reads``: the request's cache reads (``sentra.api.requestcache``), holding ``tokencache.keys(prefix)``; a
    token loaded or touched here is then written with the request's other writes (the caller flushes). Without
    it the token cache is read and written on its own.
    """
    prefix = token_prefix(raw)
    own = reads is None
    if reads is None:
        reads = RequestCache(tokencache.keys(prefix))
    try:
        return _token_check(raw, prefix, reads)
    finally:
        if own:
            reads.flush()


def _token_check(raw: str, prefix: str, reads: RequestCache) -> ApiToken:
    token = tokencache.get(prefix, reads)
    if token is None:
        token = _TOKEN_BY_PREFIX.first(prefix)
        if token is not None:
            tokencache.put(token, reads)
    if token is None or not hmac.compare_digest(token.digest, token_digest(raw.strip())):
        raise TokenRefused("token_invalid", _("Token API tidak dikenal. Periksa kembali token Anda."))
    if token.revoked_at is not None:
        raise TokenRefused("token_revoked", _("Token API ini sudah dicabut. Buat token baru di halaman Akun."))
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenRefused("token_expired", _("Token API ini sudah kedaluwarsa. Buat token baru di halaman Akun."))
    if not token.user.is_active:
        raise TokenRefused("user_inactive", _("Akun pemilik token ini tidak aktif."))
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        tokencache.put(token, reads)  # ``update`` sends no signal: the cached row learns the new time here
    return token
