"""Two-factor sign-in in a real browser: a new officer is made to enrol an authenticator app at the first sign-in
(the code computed here from the secret the page shows), keeps the recovery codes, signs in again with the app and
with a recovery code (which works once, not twice); an officer without the code reaches no page."""

from __future__ import annotations

import os
import re
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import PASSWORD, VERIFY_PATH, give_totp_code, login, totp_code

ENROL_PATH = "/akun/dua-langkah/daftar/"
CODES_PATH = "/akun/dua-langkah/kode-cadangan/"
SHOTS = Path(os.environ.get("SENTRA_SCREENSHOTS", "/tmp/sentra-two-factor-shots"))
PHONE, DESKTOP = 390, 1280


def _path(page) -> str:
    return urlsplit(page.url).path


def _shoot(page, name: str) -> None:
    """The page at phone and desktop width; it must not be wider than the phone."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 900})
        if width == PHONE:
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, f"{name} is wider than a phone"
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def _password_only(page, username: str, password: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)


def _sign_out(page) -> None:
    page.goto("/akun/")
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url(lambda url: "/akun/masuk/" in url)


def _new_officer(browser, demo_server) -> tuple[str, str]:
    """The national admin adds a city officer (a role that requires the second factor) with a temporary password."""
    context = browser.new_context(base_url=demo_server, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    username = f"petugas_{uuid.uuid4().hex[:6]}"
    temporary = "Sementara-Kendari-2fa-77"
    try:
        login(page, "admin")
        page.goto("/akun/pengguna/baru/")
        page.fill("#id_username", username)
        page.fill("#id_full_name", "Petugas Dua Langkah")
        page.select_option("#id_role", "regency_officer")
        page.select_option("#id_region", "74.71")
        page.fill("#id_password", temporary)
        page.click("#main form button[type=submit]")
        page.wait_for_url(re.compile(r"/akun/pengguna/\d+/$"))
    finally:
        context.close()
    return username, temporary


def test_forced_enrolment_then_app_code_and_a_recovery_code_that_works_once(browser, demo_server):
    username, temporary = _new_officer(browser, demo_server)
    context = browser.new_context(base_url=demo_server, locale="id-ID", viewport={"width": DESKTOP, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        # First sign-in: after the password, the enrolment page, before anything else (even the password change).
        _password_only(page, username, temporary)
        assert _path(page) == ENROL_PATH
        page.goto("/usaha/")
        assert _path(page) == ENROL_PATH
        assert page.locator("[data-testid=two-factor-qr] svg").is_visible()
        secret = page.locator("[data-testid=two-factor-secret]").inner_text().replace(" ", "")
        assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
        _shoot(page, "enrol")
        page.set_viewport_size({"width": DESKTOP, "height": 900})

        page.fill("#id_code", "000000" if totp_code(secret, int(time.time() // 30)) != "000000" else "111111")
        with page.expect_navigation():
            page.click("[data-testid=two-factor-enrol] button[type=submit]")
        assert _path(page) == ENROL_PATH and page.locator(".invalid-feedback").is_visible()
        time.sleep(1.5)  # the wait the device imposes after a wrong code
        step = int(time.time() // 30)
        page.fill("#id_code", totp_code(secret, step))
        with page.expect_navigation():
            page.click("[data-testid=two-factor-enrol] button[type=submit]")
        assert _path(page) == CODES_PATH
        codes = [c.strip() for c in page.locator("[data-testid=recovery-codes] code").all_inner_texts()]
        assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", c) for c in codes)
        _shoot(page, "recovery-codes")
        page.set_viewport_size({"width": DESKTOP, "height": 900})
        page.click("[data-testid=recovery-codes-done]")
        # Shown once: back on the page, the codes are gone.
        page.goto(CODES_PATH)
        assert page.locator("[data-testid=recovery-codes]").count() == 0

        # Then the forced change of the temporary password.
        page.goto("/")
        assert _path(page) == "/akun/kata-sandi/"
        new_password = "Petugas-Baru-Kendari-2fa"
        page.fill("#id_old_password", temporary)
        page.fill("#id_new_password1", new_password)
        page.fill("#id_new_password2", new_password)
        page.click("#main form button[type=submit]")
        page.wait_for_url(lambda url: "/akun/kata-sandi/" not in url)
        _sign_out(page)

        # Next sign-in: the code from the app (computed from the secret the enrolment page showed).
        _password_only(page, username, new_password)
        assert _path(page) == VERIFY_PATH
        page.goto("/usaha/")
        assert _path(page) == VERIFY_PATH, "a page opened without the second factor"
        _shoot(page, "verify")
        page.set_viewport_size({"width": DESKTOP, "height": 900})
        give_totp_code(page, username, secret_b32=secret)
        assert _path(page) == "/usaha/"
        _sign_out(page)

        # A recovery code instead of the app: accepted once...
        _password_only(page, username, new_password)
        page.fill("#id_code", codes[0])
        with page.expect_navigation():
            page.click("[data-testid=two-factor-verify] button[type=submit]")
        assert _path(page) != VERIFY_PATH
        assert page.locator(".alert", has_text="Anda masuk dengan kode cadangan").count() == 1
        _sign_out(page)

        # ...and refused the second time.
        _password_only(page, username, new_password)
        page.fill("#id_code", codes[0])
        with page.expect_navigation():
            page.click("[data-testid=two-factor-verify] button[type=submit]")
        assert _path(page) == VERIFY_PATH
        assert "Kode salah" in page.locator(".invalid-feedback").inner_text()
        page.goto("/")
        assert _path(page) == VERIFY_PATH
    finally:
        context.close()


def test_an_officer_without_the_code_reaches_no_page(page):
    _password_only(page, "kendari", PASSWORD)
    assert _path(page) == VERIFY_PATH
    for path in ("/", "/usaha/", "/akun/", "/akun/token/baru/"):
        page.goto(path)
        assert _path(page) == VERIFY_PATH, path
    # Nor the API through the browser's session.
    assert page.request.get("/api/v1/businesses").status == 401
    # The help stays open, and "cancel" signs out.
    page.goto("/bantuan/saya/")
    assert _path(page) != VERIFY_PATH
    page.goto(VERIFY_PATH)
    page.click("text=Batal dan keluar")
    page.wait_for_url(lambda url: "/akun/masuk/" in url)
    page.goto("/usaha/")
    assert "/akun/masuk/" in page.url


@pytest.mark.parametrize("username", ["admin", "sultra", "kendari"])
def test_demo_officers_sign_in_with_the_published_demo_key(page, username):
    login(page, username)  # the demo key's current code, as an authenticator app holding it shows
    page.goto("/akun/")
    assert page.locator("[data-testid=two-factor-section] .badge").inner_text() == "Aktif"
