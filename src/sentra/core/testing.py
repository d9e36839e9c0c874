"""Helpers for the generic scope tests (STYLE E): the URLconf walk and its object providers.

Every URL that takes arguments must have a *scope provider*: a function that creates an object in region A
and returns the URL's kwargs. The walk test (tests/core/test_scope_walk.py) then proves that a user of region
B, and a business owner with no link to the object, get 404 (never the page) on GET and POST. A URL without
a provider fails the walk, so every future URL is covered automatically.

Providers live in ``tests/<app>/scope_objects.py``::

    @scope_provider("registry:business_detail", "registry:business_edit")
    def business(world):
        return {"pk": BusinessFactory(region_id="74.71").pk}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

ScopeProvider = Callable[[Any], dict[str, Any]]

SCOPE_PROVIDERS: dict[str, ScopeProvider] = {}

#: URLs anyone may open without logging in. Views marked with ``login_not_required`` are found by the walk
#: itself (``WalkedURL.public``); public pages that take arguments get their own tests.
PUBLIC_URLS: set[str] = {"accounts:login", "healthz", "set_language"}

#: URLs the walk does not visit, with the reason. Keep this short.
WALK_EXCLUDED_PREFIXES: dict[str, str] = {
    "admin:": "Django admin: superusers only, checked by test_admin_is_superuser_only",
    "api-": "the API has its own schema-driven scope tests",
}


def scope_provider(*url_names: str) -> Callable[[ScopeProvider], ScopeProvider]:
    def register(fn: ScopeProvider) -> ScopeProvider:
        for name in url_names:
            SCOPE_PROVIDERS[name] = fn
        return fn

    return register


@dataclass(frozen=True)
class WalkedURL:
    name: str
    route: str
    has_args: bool
    public: bool = False


def _walk(patterns: list[Any], namespace: str = "", prefix: str = "") -> list[WalkedURL]:
    found: list[WalkedURL] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            found.extend(_walk(p.url_patterns, ns, prefix + str(p.pattern)))
        elif isinstance(p, URLPattern) and p.name:
            route = prefix + str(p.pattern)
            callback = p.callback
            public = (
                getattr(callback, "login_required", True) is False
                or getattr(getattr(callback, "view_class", None), "login_required", True) is False
            )
            found.append(
                WalkedURL(f"{namespace}{p.name}", route, bool(p.pattern.converters) or "(?P<" in route, public)
            )
    return found


def walk_urls() -> list[WalkedURL]:
    seen: dict[str, WalkedURL] = {}
    for url in _walk(get_resolver().url_patterns):
        if any(url.name.startswith(prefix) for prefix in WALK_EXCLUDED_PREFIXES):
            continue
        seen.setdefault(url.name, url)
    return sorted(seen.values(), key=lambda u: u.name)
