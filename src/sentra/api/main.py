"""The REST API under /api/v1/: django-ninja, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.

Routers live in ``sentra.api.routers.<area>``; each operation declares its scope (``common.scope``) so the
schema-driven tests prove every endpoint keeps to ``visible_to``.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from sentra.api.auth import SessionAuth, TokenAuth, TokenRateThrottle
from sentra.api.errors import install_error_handlers
from sentra.api.routers import budget, centres, products, quality, reference, registry, training

DESCRIPTION = """
API Sentra untuk sistem provinsi, kementerian dan pertukaran data (SIINas/OSS).

* **Autentikasi**: token API pribadi dari halaman Akun (`/akun/`), dikirim sebagai
  `Authorization: Bearer sentra_…`. Token bisa *hanya baca* atau *baca-tulis* dan selalu punya masa berlaku.
* **Cakupan**: sama dengan halaman situs. Data di luar cakupan Anda dijawab 404.
* **Daftar**: paginasi kursor (`cursor`, `page_size` ≤ 200), urutan `ordering`, filter sama dengan halaman.
* **Kesalahan**: selalu `{"code", "message", "errors": {kolom: [pesan]}}`; bahasa mengikuti `Accept-Language`.
* **Batas laju**: per token; 429 dengan header `Retry-After`.

Panduan lengkap: `docs/api.md`.
"""


class PackagedSwagger(Swagger):
    """Swagger UI from the files django-ninja ships (no CDN: the site's CSP allows only our own origin)."""

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings), "api": api}
        return render(request, self.template, context)


api = NinjaAPI(
    title="Sentra API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=PackagedSwagger(settings={"persistAuthorization": False, "tryItOutEnabled": False}),
    auth=[TokenAuth(), SessionAuth()],
    throttle=[TokenRateThrottle()],
)
install_error_handlers(api)
api.add_router("", reference.router)
api.add_router("", registry.router)
api.add_router("", centres.router)
api.add_router("", training.router)
api.add_router("", budget.router)
api.add_router("", quality.router)
api.add_router("", products.router)
