"""Production settings refuse to start without their variables; /healthz reports the database's state."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connection

SENTRA = Path(sys.executable).with_name("sentra")
REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")


def run_check(tmp_path, **env_vars):
    env = {k: v for k, v in os.environ.items() if k not in REQUIRED and not k.startswith(("DJANGO_", "SENTRA_"))}
    env.update(DJANGO_SETTINGS_MODULE="sentra.settings.prod", SENTRA_DATA_DIR=str(tmp_path), **env_vars)
    return subprocess.run(
        [str(SENTRA), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# `check --deploy` clean with the variables and collected static files: tests/core/test_production.py.


@pytest.mark.parametrize("missing", REQUIRED)
def test_prod_refuses_to_start_without_a_required_variable(tmp_path, missing):
    values = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "sentra.kendarikota.go.id",
        "DATABASE_URL": "postgres://sentra@127.0.0.1:5432/sentra",
    }
    del values[missing]
    result = run_check(tmp_path, **values)
    assert result.returncode != 0
    assert f"Pengaturan {missing} wajib diisi untuk produksi" in result.stderr
    assert f"{missing} is required in production" in result.stderr


def test_healthz_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["ok"] is True and data["database"]["vendor"] == connection.vendor
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_503_when_database_unusable(client, db):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("database is locked")

    with mock.patch.object(connection, "cursor", broken_cursor):
        response = client.get("/healthz")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "error"
    assert data["database"] == {"vendor": connection.vendor, "ok": False, "error": "OperationalError"}
    assert "database is locked" not in response.content.decode()  # no internals leak to the public
