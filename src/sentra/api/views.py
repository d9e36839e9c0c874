"""Token pages on the account page (/akun/token/…) and the API's docs assets."""

from __future__ import annotations

from pathlib import Path

import ninja
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sentra.api import services
from sentra.api.errors import error_body
from sentra.api.forms import TokenForm
from sentra.api.models import ApiToken
from sentra.core.querysets import scoped_get_or_404

NINJA_STATIC = Path(ninja.__file__).parent / "static" / "ninja"
DOCS_ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.png": "image/png",
}


@never_cache
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a token and show its secret once. The page is never cached and the secret never stored."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.token_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return render(request, "api/token_created.html", {"token": created.token, "raw": created.raw})
    return render(request, "api/token_form.html", {"form": form})


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = scoped_get_or_404(ApiToken.objects.all(), request.user, pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token {name} dicabut; token itu tidak dapat dipakai lagi.").format(name=token.name))
    return redirect("accounts:profile")


@login_not_required
@require_GET
def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    """Swagger UI's files, straight from the installed django-ninja package (same origin, no CDN)."""
    content_type = DOCS_ASSETS.get(name)
    if content_type is None:
        raise Http404
    response = FileResponse((NINJA_STATIC / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@csrf_exempt
@login_not_required
def api_not_found(request: HttpRequest) -> JsonResponse:
    """Unknown paths under /api/v1/ answer in the API's error format, not with an HTML page."""
    return JsonResponse(
        error_body("not_found", _("Alamat API ini tidak ada. Lihat /api/v1/docs untuk daftar alamat.")), status=404
    )
