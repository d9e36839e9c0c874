from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class ForcePasswordChangeMiddleware:
    """A user with a temporary password (admin-driven reset) must change it before doing anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            # The second factor's pages come first (TwoFactorMiddleware sends the user there before this one).
            allowed = {
                reverse("accounts:password_change"),
                reverse("accounts:two_factor_recovery_codes"),
                *_sign_in_paths(),
            }
            if request.path not in allowed and not request.path.startswith(("/static/", "/api/")):
                return redirect("accounts:password_change")
        return self.get_response(request)


class TwoFactorMiddleware:
    """After the password, a user who has a second factor (or must have one) gives a code (or enrols) first.

    Runs after django-otp's ``OTPMiddleware`` (which tells whether this session gave a code) and before the forced
    password change, so a temporary password is only changed by someone who also holds the phone. Only the
    sign-in's own pages, signing out, the help pages and static files stay open. A session that has not given its
    code is no session at all for the API (its token auth does not use sessions and is unaffected).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from sentra.accounts import two_factor

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or two_factor.is_verified(request):
            return self.get_response(request)
        current = two_factor.session_state(request)
        if current == two_factor.NONE:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            from django.contrib.auth.models import AnonymousUser

            request.user = AnonymousUser()
            return self.get_response(request)
        if request.path.startswith(("/static/", "/bantuan/")) or request.path in _open_paths():
            return self.get_response(request)
        target = reverse("accounts:two_factor_verify" if current == two_factor.VERIFY else "accounts:two_factor_enrol")
        if request.headers.get("HX-Request"):
            # htmx would put the whole page into a fragment's place: have it load the page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        if request.method == "GET":
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return redirect(target)


def _open_paths() -> set[str]:
    return {reverse("accounts:login"), reverse("set_language"), reverse("healthz"), *_sign_in_paths()}


def _sign_in_paths() -> set[str]:
    """What a half signed-in user may always open: the second factor's pages, signing out, and the installable
    app's worker script, manifest and offline page (no user data, and every page, the sign-in's own included,
    registers the worker, which a browser refuses to load through a redirect)."""
    return {
        reverse("accounts:two_factor_verify"),
        reverse("accounts:two_factor_enrol"),
        reverse("accounts:logout"),
        reverse("core:service_worker"),
        reverse("core:manifest"),
        reverse("core:offline"),
    }
