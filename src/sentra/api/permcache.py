"""The permissions of a token's user, cached between requests (bench/api.py).

Django loads a user's permissions with two queries per request (user permissions, group permissions). An API
client walking a list makes many requests in a row, so the set is kept in the cache for ``TTL`` seconds, together
with the user, the user's role and the *generation* it was loaded under (read with the request's token and
rate-limit counter in one round trip, ``sentra.api.requestcache``); any change of groups, group permissions or user permissions (and
every ``migrate``, which re-syncs the role groups) starts a new generation, so the next request reloads. The role
is part of the key and the user row comes fresh with the token on every request (unless the token cache is on,
which needs a shared cache), so a role change or a deactivation applies at once everywhere. With a per-process
cache (no ``REDIS_URL``) a permission granted to or withdrawn from a user or group directly reaches other worker
processes within ``TTL`` seconds; ``SENTRA_API_PERM_CACHE=0`` turns the cache off.
"""

from __future__ import annotations

from typing import Any

from sentra.api import cachegen
from sentra.api.requestcache import RequestCache

GENERATION_KEY = "sentra:api:perm-generation"
TTL = 30


def enabled() -> bool:
    from django.conf import settings

    configured = getattr(settings, "SENTRA_API_PERM_CACHE", None)
    return True if configured is None else bool(configured)


def key(ident: str) -> str:
    """The entry of one caller (a token's prefix): ``(generation, user pk, role, permissions)``."""
    return f"sentra:api:perms:{ident}"


def keys(ident: str) -> list[str]:
    """What ``prime`` reads (for ``sentra.api.requestcache``): nothing when the cache is off."""
    return [GENERATION_KEY, key(ident)] if enabled() else []


def prime(user: Any, ident: str | None = None, reads: RequestCache | None = None) -> None:
    """Give ``user`` its permission set from the cache (or load it once and cache it).

    ``ident`` names the entry (the token's prefix; the user's pk by default). The entry is used only if it was
    cached under the current generation for this user with this role. ``reads``: the request's cache reads,
    already holding ``keys(ident)``; a reload is then written with the request's other writes.
    """
    if user.is_superuser or hasattr(user, "_perm_cache") or not enabled():
        return
    ident = ident or f"u{user.pk}"
    own = reads is None
    if reads is None:
        reads = RequestCache(keys(ident))
    generation = reads.generation(GENERATION_KEY)
    role = getattr(user, "role", "")
    entry = reads.get(key(ident))
    if entry is not None and entry[0] == generation and entry[1] == user.pk and entry[2] == role:
        user._perm_cache = set(entry[3])
        return
    perms = frozenset(user.get_all_permissions())  # fills user._perm_cache as it goes
    reads.set(key(ident), (generation, user.pk, role, perms), TTL)
    if own:
        reads.flush()


def invalidate(**kwargs: Any) -> None:
    cachegen.bump(GENERATION_KEY)


def connect() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    user_model = get_user_model()
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(invalidate, sender=through, dispatch_uid=f"api-perms-{through._meta.label}")
    for model in (Group, Permission):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"api-perms-save-{model._meta.label}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"api-perms-delete-{model._meta.label}")
    post_migrate.connect(invalidate, dispatch_uid="api-perms-migrate")
