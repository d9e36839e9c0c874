"""The second factor's pages: enrolment (QR code, secret, confirming code, recovery codes shown once),
verification after the password, recovery codes renewed or the optional factor turned off from the account page,
and an officer's reset of a user's lost phone."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import logout, user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sentra.accounts import two_factor
from sentra.accounts.forms import SecondFactorCodeForm
from sentra.accounts.models import User


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return reverse("core:dashboard")


def _lockout_credentials(user: User) -> dict[str, str]:
    """Wrong codes are counted apart from wrong passwords (see ``two_factor``): ``<user>#2fa``."""
    return {"username": f"{user.get_username()}#2fa"}


def _locked_out(request: HttpRequest, credentials: dict[str, str]) -> HttpResponse:
    logout(request)
    return get_lockout_response(request, None, credentials)


def _menu_hidden(request: HttpRequest) -> dict[str, list[object]]:
    """Before the second factor every menu link would only lead back here: show none."""
    return {} if two_factor.is_verified(request) else {"nav_menu": [], "nav_user_menu": []}


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - LoginRequiredMiddleware lets only signed-in users here
    if two_factor.is_verified(request):
        return redirect(_next_url(request))
    # The state may be stale (an officer reset the device since): ask again.
    two_factor.forget_session_state(request)
    current = two_factor.session_state(request)
    if current == two_factor.ENROL:
        return redirect(f"{reverse('accounts:two_factor_enrol')}?next={_next_url(request)}")
    if current == two_factor.NONE:
        return redirect(_next_url(request))
    credentials = _lockout_credentials(user)
    if AxesProxyHandler.is_locked(request, credentials):
        return _locked_out(request, credentials)
    form = SecondFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = two_factor.verify(user=user, token=form.cleaned_data["code"])
            if result.device is not None:
                AxesProxyHandler.reset_attempts(username=credentials["username"])
                two_factor.mark_verified(request, result.device)
                if result.recovery_code:
                    left = two_factor.recovery_codes_left(user)
                    messages.warning(
                        request,
                        _(
                            "Anda masuk dengan kode cadangan; kode itu kini tidak berlaku lagi. Sisa {n} kode. "
                            "Buat kode cadangan baru di halaman Akun bila hampir habis."
                        ).format(n=left),
                    )
                return redirect(_next_url(request))
            if result.throttled:
                form.add_error("code", _("Terlalu banyak kode salah berturut-turut. Tunggu sebentar, lalu coba lagi."))
            else:
                form.add_error(
                    "code",
                    _("Kode salah atau sudah kedaluwarsa. Masukkan kode yang sekarang tampil di aplikasi."),
                )
        # A wrong or malformed code counts towards the lockout, as a wrong password does.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            request.axes_locked_out = False  # type: ignore[attr-defined] # answered here, not by AxesMiddleware
            return _locked_out(request, credentials)
        status = 400
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request), **_menu_hidden(request)},
        status=status,
    )


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    if two_factor.has_second_factor(user) and not two_factor.is_verified(request):
        # A confirmed device exists: signing in with it comes first (a new phone is enrolled after that).
        return redirect("accounts:two_factor_verify")
    device = two_factor.pending_device(user)
    form = SecondFactorCodeForm(request.POST or None, recovery_allowed=False)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            codes = two_factor.enrol_confirm(actor=user, device=device, token=form.cleaned_data["code"])
            if codes is not None:
                confirmed = two_factor.app_device(user)
                assert confirmed is not None  # noqa: S101 - enrol_confirm just confirmed it
                two_factor.mark_verified(request, confirmed)
                request.session[two_factor.CODES_SESSION_KEY] = codes
                messages.success(request, _("Verifikasi dua langkah aktif."))
                return redirect(f"{reverse('accounts:two_factor_recovery_codes')}?next={_next_url(request)}")
            device.refresh_from_db()
            if not device.verify_is_allowed()[0]:
                form.add_error("code", _("Terlalu banyak kode salah berturut-turut. Tunggu sebentar, lalu coba lagi."))
            else:
                form.add_error(
                    "code", _("Kode tidak cocok. Periksa jam ponsel Anda, lalu masukkan kode yang sekarang tampil.")
                )
        status = 400
    context = {
        "form": form,
        "required": two_factor.is_required(user),
        "secret": two_factor.secret_text(device),
        "qr_svg": two_factor.qr_svg(device),
        "next": _next_url(request),
        **_menu_hidden(request),
    }
    return render(request, "accounts/two_factor_enrol.html", context, status=status)


@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows the new recovery codes once: they leave the session as the page is drawn."""
    codes = request.session.pop(two_factor.CODES_SESSION_KEY, None)
    if not codes:
        messages.info(request, _("Kode cadangan hanya ditampilkan sekali. Buat kode baru bila Anda kehilangannya."))
        return redirect("accounts:profile")
    context = {"codes": [two_factor.format_recovery_code(c) for c in codes], "next": _next_url(request)}
    return render(request, "accounts/two_factor_recovery_codes.html", context)


@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    if not two_factor.has_second_factor(user):
        messages.error(request, _("Aktifkan verifikasi dua langkah terlebih dahulu."))
        return redirect("accounts:profile")
    request.session[two_factor.CODES_SESSION_KEY] = two_factor.recovery_codes_renew(actor=user)
    return redirect("accounts:two_factor_recovery_codes")


@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    try:
        two_factor.second_factor_remove(actor=user, user=user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        two_factor.forget_session_state(request)
        messages.success(request, _("Verifikasi dua langkah dimatikan."))
    return redirect("accounts:profile")


def reset(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer removes a user's app and recovery codes (a lost phone); the user enrols again at next sign-in."""
    if not request.user.has_perm("accounts.change_user"):
        raise PermissionDenied
    account = get_object_or_404(User.objects.visible_to(request.user, "change"), pk=pk)
    if request.method == "POST":
        try:
            two_factor.second_factor_remove(actor=request.user, user=account)  # type: ignore[arg-type]
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("Tidak diizinkan."))
        else:
            messages.success(request, _("Verifikasi dua langkah {name} disetel ulang.").format(name=account.username))
            return redirect(account)
    context = {"account": account, "has_device": two_factor.has_second_factor(account)}
    return render(request, "accounts/two_factor_reset.html", context)
