"""Browser journeys: a real server with the Kendari demo, driven by Playwright in Debian's Chromium.

The server runs in its own process against its own database (a temporary SQLite file, or a fresh PostgreSQL
database when DATABASE_URL points at PostgreSQL), exactly as `make demo` runs it, with a task worker beside it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("SENTRA_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "sentra-demo"
SENTRA = str(Path(sys.executable).with_name("sentra"))
#: The served demo's environment (its database), for journeys that act beside the browser: ``sentra shell`` with it.
SERVER_ENV: dict[str, str] = {}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_database(base_url: str) -> tuple[str, str]:
    """A fresh database on the same server, for the served demo."""
    import psycopg

    name = f"sentra_e2e_{uuid.uuid4().hex[:8]}"
    admin_url = base_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base_url.rsplit("/", 1)[0] + f"/{name}", name


def _drop_postgres_database(base_url: str, name: str) -> None:
    import psycopg

    admin_url = base_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("sentra-e2e")
    env = {
        **os.environ,
        "SENTRA_DATA_DIR": str(data_dir),
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "sentra.settings.base",
    }
    env.pop("SENTRA_TASKS_BACKEND", None)
    pg_name = None
    base_url = os.environ.get("DATABASE_URL", "")
    if base_url.startswith("postgres"):
        env["DATABASE_URL"], pg_name = _postgres_database(base_url)
    else:
        env.pop("DATABASE_URL", None)
    SERVER_ENV.update(env)
    log = (data_dir / "server.log").open("w")
    subprocess.run([SENTRA, "migrate", "--no-input", "-v", "0"], env=env, check=True)
    subprocess.run([SENTRA, "load_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    port = _free_port()
    server = subprocess.Popen([SENTRA, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env, stdout=log, stderr=log)
    worker = subprocess.Popen([SENTRA, "worker"], env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a loaded machine may take long to start the server
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"the demo server did not start; see {data_dir / 'server.log'}")
        yield url
    finally:
        server.terminate()
        worker.terminate()
        server.wait(10)
        worker.wait(10)
        log.close()
        if pg_name:
            _drop_postgres_database(base_url, pg_name)
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/ensure-chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--lang=id-ID",  # date inputs in the Indonesian order, as an Indonesian browser shows them
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, demo_server):
    context = browser.new_context(base_url=demo_server, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, demo_server):
    """A phone-sized screen (360×740, touch), for the journeys users make on their phones."""
    context = browser.new_context(
        base_url=demo_server, locale="id-ID", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def login(page, username: str, password: str = PASSWORD) -> None:
    """Sign in as a demo user: the password, then (for the demo's officers) a code from the demo's TOTP key."""
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)
    if urlsplit(page.url).path == VERIFY_PATH:
        give_totp_code(page, username)


VERIFY_PATH = "/akun/dua-langkah/"
#: The last TOTP time step each user gave a code for: a code is accepted once (and only a later one after it),
#: so signing in again as the same user within 30 seconds takes the next step's code (the server accepts one
#: step either side of its own).
_LAST_STEP: dict[str, int] = {}


def totp_code(secret_b32: str, step: int) -> str:
    from base64 import b32decode

    from django_otp.oath import TOTP

    totp = TOTP(b32decode(secret_b32))
    totp.time = step * totp.step
    return f"{totp.token():06d}"


def give_totp_code(page, username: str, secret_b32: str | None = None) -> None:
    """Answer the verification page with the authenticator app's code, computed here from the key."""
    from sentra.demo.users import DEMO_TOTP_SECRET

    secret = secret_b32 or DEMO_TOTP_SECRET
    key = f"{username}:{secret}"
    for _attempt in range(3):
        now = int(time.time() // 30)
        step = max(now - 1, _LAST_STEP.get(key, now - 2) + 1)
        if step > now + 1:  # used up this window's codes: wait for the next step
            time.sleep((step - 1) * 30 - time.time() + 0.5)
        _LAST_STEP[key] = step
        page.fill("#id_code", totp_code(secret, step))
        with page.expect_navigation():
            page.click("[data-testid=two-factor-verify] button[type=submit]")
        if urlsplit(page.url).path != VERIFY_PATH:
            return
        # Another process may have used this step (journeys in parallel): the next one is still ahead, after the
        # short wait the device imposes after a wrong code.
        time.sleep(2)
    raise AssertionError(f"{username}: the second factor was refused three times")
