"""Two-factor sign-in: who must use it, forced enrolment, verification with the app or a recovery code, lockout,
the optional factor, an officer's reset of a lost phone, and what stays open (API tokens, help, sign-out)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sentra.accounts import two_factor
from sentra.accounts.roles import Role
from sentra.core.models import AuditEvent
from tests.accounts.factories import PASSWORD, UserFactory, authenticator_for, totp_now

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:two_factor_verify")
ENROL = reverse("accounts:two_factor_enrol")
CODES = reverse("accounts:two_factor_recovery_codes")
DASHBOARD = reverse("core:dashboard")


def _password(client, user):
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password step failed"
    return response


def _codes_on_page(html: str) -> list[str]:
    return re.findall(r"<code[^>]*>([a-z2-7]{4}-[a-z2-7]{4})</code>", html)


def _pending_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def _enrol(client, user) -> list[str]:
    """Enrol ``user`` (signed in with the password) through the pages; the recovery codes shown."""
    assert client.get(ENROL).status_code == 200
    response = client.post(ENROL, {"code": totp_now(_pending_device(user))})
    assert response.status_code == 302 and response.url.startswith(CODES)
    page = client.get(response.url)
    return _codes_on_page(page.content.decode())


# --- who must use it -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "region", "required"),
    [
        (Role.NATIONAL_ADMIN, None, True),
        (Role.PROVINCE_OFFICER, "74", True),
        (Role.REGENCY_OFFICER, "74.71", True),  # may reveal NIKs and manage users
        (Role.CENTRE_MANAGER, "74.71", False),
        (Role.TRAINER, "74.71", False),
        (Role.BUSINESS_OWNER, "74.71", False),
    ],
)
def test_required_follows_roles_and_permissions(db, role, region, required):
    user = UserFactory(role=role, region_id=region)
    assert two_factor.is_required(user) is required


def test_a_permission_granted_to_a_role_makes_it_required(db):
    """Derived from permissions: a trainer given the right to reveal NIKs needs the second factor too."""
    from django.contrib.auth.models import Permission

    user = UserFactory(role=Role.TRAINER)
    user.user_permissions.add(Permission.objects.get(codename="reveal_nik_owner"))
    user = type(user).objects.get(pk=user.pk)
    assert two_factor.is_required(user)


def test_superuser_is_required_and_the_setting_switches_it_off(db, settings):
    admin = UserFactory(role=Role.BUSINESS_OWNER, is_superuser=True)
    assert two_factor.is_required(admin)
    settings.SENTRA_2FA_REQUIRED = False
    assert not two_factor.is_required(admin)


# --- forced enrolment --------------------------------------------------------------------------------------


def test_a_required_user_enrols_at_next_sign_in(client, officer_region_a, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a right code straight after a wrong one (the wait is tested below)
    _password(client, officer_region_a)
    blocked = client.get(reverse("registry:business_list"))
    assert blocked.status_code == 302 and blocked.url.startswith(ENROL)
    page = client.get(ENROL)
    html = page.content.decode()
    assert "Aktifkan verifikasi dua langkah" in html and "<svg" in html
    device = _pending_device(officer_region_a)
    assert two_factor.secret_text(device) in html
    # Reloading keeps the same secret (the phone may already hold it).
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=officer_region_a).count() == 1

    wrong = client.post(ENROL, {"code": "000000" if totp_now(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "Kode tidak cocok" in wrong.content.decode()
    letters = client.post(ENROL, {"code": "abcd-efgh"})
    assert letters.status_code == 400 and "6 angka" in letters.content.decode()

    codes = _enrol(client, officer_region_a)
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT == len(set(codes))
    assert client.get(reverse("registry:business_list")).status_code == 200
    # Shown once: the page now sends the user to the account page.
    again = client.get(CODES)
    assert again.status_code == 302 and again.url == reverse("accounts:profile")
    assert AuditEvent.objects.filter(
        action="accounts.user.two_factor_enrolled", object_id=str(officer_region_a.pk)
    ).exists()


def test_enrolment_keeps_where_the_user_was_going(client, officer_region_a):
    _password(client, officer_region_a)
    target = reverse("registry:business_list")
    redirected = client.get(target)
    follow = client.post(redirected.url, {"code": "123"})  # malformed: refused, the next address is kept
    assert follow.status_code == 400 and f'value="{target}"' in follow.content.decode()
    response = client.post(ENROL, {"code": totp_now(_pending_device(officer_region_a)), "next": target})
    assert client.get(response.url).context["next"] == target


def test_enrol_page_never_shows_another_secret_to_a_user_who_has_one(client, officer_region_a):
    authenticator_for(officer_region_a)
    _password(client, officer_region_a)
    response = client.get(ENROL)
    assert response.status_code == 302 and response.url == VERIFY
    assert not TOTPDevice.objects.filter(user=officer_region_a, confirmed=False).exists()


# --- verification ------------------------------------------------------------------------------------------


def test_a_user_with_an_app_must_give_a_code_before_any_page(client, officer_region_a):
    device = authenticator_for(officer_region_a)
    response = _password(client, officer_region_a)
    for url in (DASHBOARD, reverse("registry:business_list"), reverse("accounts:profile"), reverse("api:token_create")):
        blocked = client.get(url)
        assert blocked.status_code == 302 and blocked.url.startswith(VERIFY), url
    # A write is refused as well, without its effect.
    assert client.post(reverse("accounts:two_factor_recovery_renew")).url == VERIFY
    assert not StaticDevice.objects.filter(user=officer_region_a).exists()
    assert client.get(response.url).url.startswith(VERIFY)

    page = client.get(VERIFY + "?next=/usaha/")
    assert page.status_code == 200 and "Verifikasi dua langkah" in page.content.decode()
    assert 'data-testid="menu-' not in page.content.decode()  # no menu whose links would only lead back here
    ok = client.post(VERIFY, {"code": totp_now(device), "next": "/usaha/"})
    assert ok.status_code == 302 and ok.url == "/usaha/"
    assert client.get(DASHBOARD).status_code == 200


def test_the_same_code_does_not_open_a_second_session(client, officer_region_a):
    device = authenticator_for(officer_region_a)
    code = totp_now(device)
    _password(client, officer_region_a)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    other = Client()
    _password(other, officer_region_a)
    replay = other.post(VERIFY, {"code": code})
    assert replay.status_code == 400 and "Kode salah" in replay.content.decode()
    assert other.get(DASHBOARD).status_code == 302


def test_an_htmx_request_is_sent_to_the_code_page_whole(client, officer_region_a):
    authenticator_for(officer_region_a)
    _password(client, officer_region_a)
    response = client.get(reverse("registry:business_list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == VERIFY


def test_an_outside_next_address_is_ignored(client, officer_region_a):
    device = authenticator_for(officer_region_a)
    _password(client, officer_region_a)
    response = client.post(VERIFY, {"code": totp_now(device), "next": "https://contoh.example/curi"})
    assert response.url == DASHBOARD


def test_sign_out_and_help_stay_open_before_the_code(client, officer_region_a):
    authenticator_for(officer_region_a)
    _password(client, officer_region_a)
    help_page = client.get(reverse("help", args=[""]))
    assert not (help_page.status_code == 302 and help_page.url.startswith(VERIFY))
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("name", ["core:service_worker", "core:manifest", "core:offline"])
def test_the_installable_app_shell_is_served_before_the_code_and_the_password_change(client, officer_region_a, name):
    """Every page registers the worker script; a browser refuses one that comes through a redirect."""
    authenticator_for(officer_region_a)
    _password(client, officer_region_a)
    assert client.get(reverse(name)).status_code == 200
    officer_region_a.must_change_password = True
    officer_region_a.save(update_fields=["must_change_password"])
    assert client.get(reverse(name)).status_code == 200


def test_api_refuses_a_session_without_the_code_but_tokens_work(client, officer_region_a):
    from tests.api.conftest import make_token

    authenticator_for(officer_region_a)
    raw = make_token(officer_region_a, access="read")
    cache.clear()
    _password(client, officer_region_a)
    assert client.get("/api/v1/businesses").status_code == 401
    with_token = Client().get("/api/v1/businesses", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert with_token.status_code == 200


def test_recovery_code_works_once_and_not_twice(client, officer_region_a):
    _password(client, officer_region_a)
    codes = _enrol(client, officer_region_a)
    client.post(reverse("accounts:logout"))

    _password(client, officer_region_a)
    used = client.post(VERIFY, {"code": codes[0].upper().replace("-", " ")})  # typed loosely: still accepted
    assert used.status_code == 302
    assert client.get(DASHBOARD).status_code == 200
    assert StaticToken.objects.filter(device__user=officer_region_a).count() == two_factor.RECOVERY_CODE_COUNT - 1
    event = AuditEvent.objects.get(action="accounts.user.recovery_code_used", object_id=str(officer_region_a.pk))
    assert "9" in event.note
    client.post(reverse("accounts:logout"))

    _password(client, officer_region_a)
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 400
    assert client.get(DASHBOARD).status_code == 302


def test_wrong_codes_lock_the_account_like_wrong_passwords(client, officer_region_a, settings):
    device = authenticator_for(officer_region_a)
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the device's own growing wait is tested below
    _password(client, officer_region_a)
    right = totp_now(device)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(VERIFY, {"code": wrong}).status_code == 400
    locked = client.post(VERIFY, {"code": wrong})
    assert locked.status_code == 429 and "dikunci sementara" in locked.content.decode()
    assert "_auth_user_id" not in client.session  # the half-signed-in session ends
    # The right password does not wipe the count of wrong codes: the code page stays locked.
    _password(client, officer_region_a)
    still = client.get(VERIFY)
    assert still.status_code == 429
    assert client.get(DASHBOARD).status_code == 302


def test_the_device_slows_down_guessing(client, officer_region_a):
    device = authenticator_for(officer_region_a)
    _password(client, officer_region_a)
    client.post(VERIFY, {"code": "000000" if totp_now(device) != "000000" else "111111"})
    throttled = client.post(VERIFY, {"code": totp_now(device)})  # right, but within the wait after a wrong one
    assert throttled.status_code == 400 and "Tunggu sebentar" in throttled.content.decode()


# --- optional for the others -------------------------------------------------------------------------------


def test_optional_user_signs_in_without_and_may_enrol_then_must_verify(client, trainer):
    _password(client, trainer)
    profile = client.get(reverse("accounts:profile"))
    assert profile.status_code == 200 and "Aktifkan verifikasi dua langkah" in profile.content.decode()
    _enrol(client, trainer)
    client.post(reverse("accounts:logout"))

    _password(client, trainer)
    assert client.get(DASHBOARD).url.startswith(VERIFY)
    device = authenticator_for(trainer)
    # The next step's code: the one that confirmed the enrolment a moment ago is used up.
    assert client.post(VERIFY, {"code": totp_now(device, offset=1)}).status_code == 302
    off = client.post(reverse("accounts:two_factor_disable"))
    assert off.status_code == 302
    assert not TOTPDevice.objects.filter(user=trainer).exists()
    assert not StaticDevice.objects.filter(user=trainer).exists()
    assert AuditEvent.objects.filter(action="accounts.user.two_factor_disabled", object_id=str(trainer.pk)).exists()


def test_a_required_user_cannot_turn_it_off(client_for, officer_region_a):
    client = client_for(officer_region_a)
    response = client.post(reverse("accounts:two_factor_disable"), follow=True)
    assert "tidak dapat dimatikan" in response.content.decode()
    assert TOTPDevice.objects.filter(user=officer_region_a, confirmed=True).exists()


def test_renewed_recovery_codes_replace_the_old_ones(client, trainer):
    _password(client, trainer)
    old = _enrol(client, trainer)
    response = client.post(reverse("accounts:two_factor_recovery_renew"))
    new = _codes_on_page(client.get(response.url).content.decode())
    assert len(new) == two_factor.RECOVERY_CODE_COUNT and not set(old) & set(new)
    assert AuditEvent.objects.filter(action="accounts.user.recovery_codes_renewed").exists()


# --- an officer resets a lost phone ------------------------------------------------------------------------


def test_officer_resets_a_lost_device_and_the_user_enrols_again(client, client_for, national_admin, officer_region_a):
    authenticator_for(officer_region_a)
    url = reverse("accounts:user_reset_two_factor", args=[officer_region_a.pk])
    admin = client_for(national_admin)
    assert admin.get(url).status_code == 200
    assert admin.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=officer_region_a).exists()
    event = AuditEvent.objects.get(action="accounts.user.two_factor_reset", object_id=str(officer_region_a.pk))
    assert event.actor == national_admin
    admin.post(reverse("accounts:logout"))

    _password(client, officer_region_a)
    assert client.get(DASHBOARD).url.startswith(ENROL)


def test_a_session_waiting_for_a_code_is_sent_to_enrol_after_a_reset(client, officer_region_a, national_admin):
    authenticator_for(officer_region_a)
    _password(client, officer_region_a)
    assert client.get(DASHBOARD).url.startswith(VERIFY)
    two_factor.second_factor_remove(actor=national_admin, user=officer_region_a)
    assert client.get(VERIFY).url.startswith(ENROL)


def test_a_fellow_officer_cannot_reset_and_a_lower_one_is_404(client_for, officer_region_a, trainer):
    fellow = UserFactory(username="kendari_2", role=Role.REGENCY_OFFICER, region_id="74.71")
    authenticator_for(fellow)
    url = reverse("accounts:user_reset_two_factor", args=[fellow.pk])
    assert client_for(officer_region_a).post(url).status_code == 404
    assert TOTPDevice.objects.filter(user=fellow).exists()
    assert client_for(trainer).get(url).status_code == 403


def test_user_detail_offers_the_reset_to_whoever_may_manage(client_for, officer_region_a, trainer):
    html = client_for(officer_region_a).get(reverse("accounts:user_detail", args=[trainer.pk])).content.decode()
    assert reverse("accounts:user_reset_two_factor", args=[trainer.pk]) in html


# --- with the forced password change -----------------------------------------------------------------------


def test_code_comes_before_the_forced_password_change(client, officer_region_a):
    device = authenticator_for(officer_region_a)
    officer_region_a.must_change_password = True
    officer_region_a.save(update_fields=["must_change_password"])
    _password(client, officer_region_a)
    assert client.get(reverse("accounts:password_change")).url.startswith(VERIFY)
    assert client.get(VERIFY).status_code == 200
    client.post(VERIFY, {"code": totp_now(device)})
    assert client.get(DASHBOARD).url == reverse("accounts:password_change")


def test_pages_are_indonesian_with_english(client, officer_region_a, settings):
    authenticator_for(officer_region_a)
    _password(client, officer_region_a)
    assert "Masukkan" in client.get(VERIFY).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(VERIFY).content.decode()
    assert "Two-step verification" in english


def test_demo_seeds_the_published_key_for_required_demo_users(db):
    from sentra.demo.context import DemoContext
    from sentra.demo.users import DEMO_TOTP_SECRET, demo_code, seed_two_factor

    officer = UserFactory(username="kendari_demo", role=Role.REGENCY_OFFICER)
    owner = UserFactory(username="pemilik_demo", role=Role.BUSINESS_OWNER)
    lines: list[str] = []
    import random

    seed_two_factor(
        DemoContext(rng=random.Random(1), users={"kendari_demo": officer, "pemilik_demo": owner}, log=lines.append)
    )
    device = TOTPDevice.objects.get(user=officer)
    assert device.confirmed and device.verify_token(demo_code())
    assert not TOTPDevice.objects.filter(user=owner).exists()
    assert any("SENT RADE" in line for line in lines) and len(DEMO_TOTP_SECRET) == 32
