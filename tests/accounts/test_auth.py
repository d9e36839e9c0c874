"""Login, lockout (django-axes), password change and officer-driven reset with forced change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sentra.accounts.roles import Role
from sentra.core.models import AuditEvent
from tests.accounts.factories import PASSWORD, UserFactory, authenticator_for, totp_now

LOGIN = reverse("accounts:login")


@pytest.fixture
def officer(db):
    user = UserFactory(username="petugas", role=Role.REGENCY_OFFICER, region_id="74.71")
    authenticator_for(user)  # officers sign in with a second factor (tests/accounts/test_two_factor.py)
    return user


def _second_factor(client, user):
    response = client.post(reverse("accounts:two_factor_verify"), {"code": totp_now(authenticator_for(user))})
    assert response.status_code == 302, response.content.decode()[:500]


def test_login_page_is_indonesian(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'lang="id"' in response.content.decode()


def test_login_works(client, officer):
    response = client.post(LOGIN, {"username": "petugas", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("core:dashboard")
    _second_factor(client, officer)
    assert client.get(reverse("registry:business_list")).status_code == 200


def test_wrong_password_is_refused_with_a_message(client, officer):
    response = client.post(LOGIN, {"username": "petugas", "password": "salah-sekali"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(reverse("registry:business_list")).status_code == 302


def test_lockout_after_five_failures(client, officer):
    for _ in range(4):
        assert client.post(LOGIN, {"username": "petugas", "password": "salah"}).status_code == 200
    locked = client.post(LOGIN, {"username": "petugas", "password": "salah"})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Terlalu banyak percobaan masuk yang gagal" in html
    assert "dikunci sementara" in html
    assert "Coba lagi dalam 15 menit" in html  # AXES_COOLOFF_TIME, from SENTRA_LOGIN_COOLOFF_MINUTES
    # Now even the correct password is refused, and no session is opened.
    again = client.post(LOGIN, {"username": "petugas", "password": PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("registry:business_list")).status_code == 302


def test_lockout_is_per_user(client, officer):
    UserFactory(username="lainnya")
    for _ in range(5):
        client.post(LOGIN, {"username": "petugas", "password": "salah"})
    assert client.post(LOGIN, {"username": "lainnya", "password": PASSWORD}).status_code == 302


def test_success_resets_the_failure_count(client, officer):
    for _ in range(4):
        client.post(LOGIN, {"username": "petugas", "password": "salah"})
    assert client.post(LOGIN, {"username": "petugas", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post(LOGIN, {"username": "petugas", "password": "salah"})
    assert client.post(LOGIN, {"username": "petugas", "password": PASSWORD}).status_code == 302


def test_password_is_hashed_with_argon2_in_production_settings():
    from sentra.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_password_change(client, officer):
    client.post(LOGIN, {"username": "petugas", "password": PASSWORD})
    _second_factor(client, officer)
    url = reverse("accounts:password_change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"})
    assert weak.status_code == 200 and weak.context["form"].errors
    new = "Sagu-Bagea-Kendari-2026"
    response = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(new)
    assert client.get(reverse("accounts:profile")).status_code == 200  # the session survived the change


def test_officer_reset_forces_a_change(client, client_for, officer):
    trainer = UserFactory(username="pelatih_a", role=Role.TRAINER, region_id="74.71")
    temp = "Sementara-Kendari-77"
    response = client_for(officer).post(reverse("accounts:user_reset_password", args=[trainer.pk]), {"password": temp})
    assert response.status_code == 302
    trainer.refresh_from_db()
    assert trainer.must_change_password and trainer.check_password(temp)
    assert AuditEvent.objects.filter(action="accounts.user.password_reset", object_id=str(trainer.pk)).exists()

    client.logout()
    assert client.post(LOGIN, {"username": "pelatih_a", "password": temp}).status_code == 302
    for url in (reverse("core:dashboard"), reverse("registry:business_list"), reverse("accounts:profile")):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("accounts:password_change"), url
    new = "Pelatih-Baru-Kendari-1"
    client.post(reverse("accounts:password_change"), {"old_password": temp, "new_password1": new, "new_password2": new})
    trainer.refresh_from_db()
    assert not trainer.must_change_password
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_session_cookie_hardening(settings):
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_locked_page_tells_the_configured_cooloff(client, officer, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    for _ in range(5):
        locked = client.post(LOGIN, {"username": "petugas", "password": "salah"})
    assert "Coba lagi dalam 30 menit" in locked.content.decode()
