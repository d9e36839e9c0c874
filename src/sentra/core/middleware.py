"""Small cross-cutting middleware."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


class VaryOnHtmxMiddleware:
    """One view, two renderings (full page or htmx partial): caches must key on HX-Request [NetBox]."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy and permissions policy for every page.

    All scripts and styles are served from our own origin (packages, never CDNs), so the policy can be strict.
    htmx needs no inline script; Bootstrap needs none either. No inline styles either: templates carry classes,
    never ``style`` attributes (tests/core/test_csp.py), htmx's own indicator ``<style>`` is switched off
    (``htmx-config`` in base.html), and scripts set styles through ``element.style`` (Leaflet, Bootstrap, our maps),
    which the policy allows. So text that slips into a page as markup cannot restyle it either.

    The one hash in ``style-src`` is that of the empty string: it admits an empty ``<style>`` element, which
    plotly.js (the dashboard's charts) creates and then fills through the CSSOM (``insertRule``, allowed). Without
    it the charts lose plotly's own rules (hover labels fall outside the chart). Styles with content stay refused.
    """

    #: ``'sha256-…'`` of ``""``: an empty ``<style>`` element, nothing else.
    EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    CSP = (
        f"default-src 'self'; script-src 'self'; style-src 'self' {EMPTY_STYLE_HASH}; img-src 'self' data: blob:; "
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
        "object-src 'none'"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
        return response


class DatabaseUnavailableMiddleware:
    """A database that went away mid-request gives a clear 503 page, not a stack trace (a full disk: 507).

    Writes run inside ``transaction.atomic`` in the services, so the failed request has left nothing half-written;
    the page says so. Other errors go to the normal 500 handling.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import InterfaceError, OperationalError
        from django.template.loader import render_to_string

        from sentra.core.uploads import is_storage_failure

        if is_storage_failure(exception):
            return _storage_unavailable(request, exception)
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        import logging

        logging.getLogger("sentra.database").error("Database unavailable: %s", exception)
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            response: HttpResponse = JsonResponse(
                {"code": "database_unavailable", "message": "Basis data sedang tidak dapat dihubungi.", "errors": {}},
                status=503,
            )
        else:
            response = HttpResponse(render_to_string("503_database.html"), status=503)
        response["Retry-After"] = "60"
        return response


def _storage_unavailable(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """A full or unwritable disk (media, uploads) gives a clear 507 page; the service's transaction rolled back
    and ``SafeFileSystemStorage`` removed the half-written file."""
    import logging

    from django.template.loader import render_to_string

    from sentra.core.uploads import storage_error_message

    logging.getLogger("sentra.storage").error("Storage unavailable: %s", exception)
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse(
            {"code": "storage_unavailable", "message": storage_error_message(), "errors": {}}, status=507
        )
    return HttpResponse(render_to_string("507_storage.html", {"message": storage_error_message()}), status=507)
