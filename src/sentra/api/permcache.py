"""The permissions of a token's user, cached between requests (bench/api.py).

Django loads a user's permissions with two queries per request (user permissions, group permissions). An API
client walking a list makes many requests in a row, so the set is kept in the cache for ``TTL`` seconds under a
key with the user's role and a *generation*; any change of groups, group permissions or user permissions (and
every ``migrate``, which re-syncs the role groups) starts a new generation, so the next request reloads. The role
is part of the key and the user row comes fresh with the token on every request (unless the token cache is on,
which needs a shared cache), so a role change or a deactivation applies at once everywhere. With a per-process
cache (no ``REDIS_URL``) a permission granted to or withdrawn from a user or group directly reaches other worker
processes within ``TTL`` seconds; ``SENTRA_API_PERM_CACHE=0`` turns the cache off.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from sentra.api import cachegen

GENERATION_KEY = "sentra:api:perm-generation"
TTL = 30


def enabled() -> bool:
    from django.conf import settings

    configured = getattr(settings, "SENTRA_API_PERM_CACHE", None)
    return True if configured is None else bool(configured)


def prime(user: Any) -> None:
    """Give ``user`` its permission set from the cache (or load it once and cache it)."""
    if user.is_superuser or hasattr(user, "_perm_cache") or not enabled():
        return
    key = f"sentra:api:perms:{user.pk}:{getattr(user, 'role', '')}:{cachegen.generation(GENERATION_KEY)}"
    perms = cache.get(key)
    if perms is None:
        cache.set(key, frozenset(user.get_all_permissions()), TTL)  # fills user._perm_cache as it goes
    else:
        user._perm_cache = set(perms)


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
