"""The installable web app: its manifest, its service worker and the page it shows offline.

The service worker's code is ``static/sentra/sw.js``; it is served from the site root (a worker only controls
pages under its own path) with its settings put above it. Its cache is named after its code and settings, so a
new release replaces the old cache.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@cache
def _worker_code() -> str:
    path = finders.find("sentra/sw.js")
    with open(str(path), encoding="utf-8") as f:
        return f.read()


@login_not_required
@never_cache  # the browser compares the worker byte for byte on every visit; a stale copy would keep old code
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    settings = {"offlinePage": reverse("core:offline"), "staticUrl": static("")}
    code = _worker_code()
    name = hashlib.sha256((code + json.dumps(settings, sort_keys=True)).encode()).hexdigest()[:12]
    head = f"var SENTRA_SW = {json.dumps({**settings, 'cache': f'sentra-{name}'})};\n"
    response = HttpResponse(head + code, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": "Sentra",
        "short_name": "Sentra",
        "description": _("Data sentra IKM, pelatihan dan mutu"),
        "start_url": reverse("core:dashboard"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "lang": request.LANGUAGE_CODE,
        "icons": [{"src": static("sentra/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@login_not_required
@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page that needs the connection while there is none."""
    return render(request, "core/offline.html")
