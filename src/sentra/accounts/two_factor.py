"""Two-factor sign-in: who must use it, enrolling an authenticator app, recovery codes, verifying and resetting.

The second factor is a TOTP device (an authenticator app on the user's phone, django-otp's ``otp_totp``) and a
set of single-use recovery codes (``otp_static``). It protects the accounts whose loss would hurt most: whoever
may approve DAK plans, reveal an owner's NIK or manage other users' accounts, and every national or province
officer. That is derived from permissions (each app names its own with ``roles.require_second_factor``), so a
role that gains such a permission later is covered without touching this module. Everyone else may enrol from
their account page; once they have, they are asked for a code like the others.

Failed codes count towards the same lockout as failed passwords (django-axes), under the user name with a
``#2fa`` suffix: a correct password resets the password counter, and must not reset the count of wrong codes
(otherwise a stolen password would give five fresh guesses per sign-in). django-otp's own throttling (a growing
wait after each wrong code, per device) stays on as well, against guesses spread over many addresses.
"""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sentra.accounts.models import User
from sentra.accounts.roles import Role, second_factor_permissions
from sentra.accounts.services import _check_manageable
from sentra.core.audit import audit_record

#: Roles that need it whatever their permissions: they oversee many regions' data.
REQUIRED_ROLES = (Role.NATIONAL_ADMIN, Role.PROVINCE_OFFICER)
RECOVERY_CODE_COUNT = 10
#: The device names this module creates (one authenticator app and one set of recovery codes per user).
APP_DEVICE = "aplikasi"
RECOVERY_DEVICE = "kode-cadangan"
#: Session keys: where the user stands (see ``state``), and the recovery codes waiting to be shown once.
STATE_SESSION_KEY = "sentra_2fa_state"
CODES_SESSION_KEY = "sentra_2fa_new_codes"

VERIFY = "verify"  # has a confirmed device: must give a code
ENROL = "enrol"  # must enrol before anything else
NONE = "none"  # neither: nothing to do


def is_required(user: Any) -> bool:
    """Whether ``user`` must sign in with a second factor (role and permissions, and the setting)."""
    if not getattr(settings, "SENTRA_2FA_REQUIRED", True) or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff or user.role in REQUIRED_ROLES:
        return True
    return any(user.has_perm(perm) for perm in second_factor_permissions())


def app_device(user: Any, *, confirmed: bool | None = True) -> TOTPDevice | None:
    qs = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        qs = qs.filter(confirmed=confirmed)
    return qs.order_by("pk").first()


def has_second_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def state(user: Any) -> str:
    """``VERIFY``, ``ENROL`` or ``NONE`` for a user signed in with the password only."""
    if has_second_factor(user):
        return VERIFY
    return ENROL if is_required(user) else NONE


def session_state(request: HttpRequest) -> str:
    """The user's ``state``, computed once per session (the middleware asks on every request)."""
    value = request.session.get(STATE_SESSION_KEY)
    if value not in (VERIFY, ENROL, NONE):
        value = state(request.user)
        request.session[STATE_SESSION_KEY] = value
    return str(value)


def forget_session_state(request: HttpRequest) -> None:
    request.session.pop(STATE_SESSION_KEY, None)


def is_verified(request: HttpRequest) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed app device an enrolment shows (made once, so reloading the page keeps the same secret)."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed by hand: base32, in groups of four."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no inline script or data: image, for the CSP)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(device.config_url, image_factory=SvgPathImage, box_size=8, border=2)
    return str(image.to_string(encoding="unicode"))


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in raw.lower() if ch.isalnum())


def format_recovery_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _new_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE)
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    device.token_set.all().delete()
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def enrol_confirm(*, actor: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app ``device`` with a code it shows; the new recovery codes, or None if the code is wrong."""
    if device.user_id != actor.pk or device.confirmed:
        return None
    if not device.verify_token(normalise_code(token)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One app per user: an older one (a lost phone re-enrolled by its owner) stops working now.
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    codes = _new_recovery_codes(actor)
    audit_record(actor=actor, action="accounts.user.two_factor_enrolled", obj=actor)
    return codes


@transaction.atomic
def recovery_codes_renew(*, actor: User) -> list[str]:
    codes = _new_recovery_codes(actor)
    audit_record(actor=actor, action="accounts.user.recovery_codes_renewed", obj=actor)
    return codes


@dataclass(frozen=True)
class Verification:
    device: TOTPDevice | StaticDevice | None
    recovery_code: bool = False
    throttled: bool = False


def verify(*, user: User, token: str) -> Verification:
    """Check a code from the app, or a recovery code (which is used up). Records the use of a recovery code."""
    code = normalise_code(token)
    if not code:
        return Verification(None)
    if code.isdigit():
        devices: list[TOTPDevice | StaticDevice] = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    throttled = False
    for device in devices:
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            allowed, _info = locked.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if locked.verify_token(code):
                if isinstance(locked, StaticDevice):
                    left = locked.token_set.count()
                    audit_record(
                        actor=user,
                        action="accounts.user.recovery_code_used",
                        obj=user,
                        note=_("Sisa {n} kode cadangan.").format(n=left),
                    )
                    return Verification(locked, recovery_code=True)
                return Verification(locked)
    return Verification(None, throttled=throttled)


def mark_verified(request: HttpRequest, device: TOTPDevice | StaticDevice) -> None:
    otp_login(request, device)
    request.session[STATE_SESSION_KEY] = VERIFY


@transaction.atomic
def second_factor_remove(*, actor: User, user: User) -> int:
    """Remove ``user``'s app and recovery codes: an officer resetting a lost phone, or a user turning the optional
    second factor off. A user who must use it enrols again at the next sign-in. The number of devices removed."""
    if actor.pk != user.pk:
        _check_manageable(actor=actor, role=user.role, region_id=user.region_id)
    elif is_required(user):
        raise PermissionDenied(_("Verifikasi dua langkah wajib untuk peran Anda dan tidak dapat dimatikan."))
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        count, _details = model.objects.filter(user=user).delete()
        removed += count
    action = "accounts.user.two_factor_disabled" if actor.pk == user.pk else "accounts.user.two_factor_reset"
    audit_record(actor=actor, action=action, obj=user)
    return removed


def session_device_id(request: HttpRequest) -> str | None:
    value = request.session.get(DEVICE_ID_SESSION_KEY)
    return str(value) if value else None
