"""URLs of the API app: the API itself, its docs assets, and the token pages under /akun/token/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path, re_path

from sentra.api import views
from sentra.api.main import api


def _public(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The API authenticates in ninja (token or session), so LoginRequiredMiddleware must let it through."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _public(pattern.url_patterns)
        else:
            pattern.callback.login_required = False  # what @login_not_required sets
    return patterns


_api_patterns, _app_name, _namespace = api.urls

urlpatterns = [
    path("api/v1/", (_public(_api_patterns), _app_name, _namespace)),
    path("api/v1/docs/aset/<str:name>", views.docs_asset, name="api-docs-asset"),
    re_path(r"^api/v1/", views.api_not_found),
    path("akun/token/", include("sentra.api.token_urls")),
]
