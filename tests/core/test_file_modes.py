"""Files holding personal data are the service user's alone: the SQLite database (and its -wal/-shm), backups,
uploads (0600, directories 0700); the data directory 0711. (Collected static files stay readable for the web
server: tests/core/test_production.py.)"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import override_settings

from sentra.core.backup import backup_create

SENTRA = Path(sys.executable).with_name("sentra")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _sentra_shell(data_dir: Path, code: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRA_", "DATABASE_"))}
    env.update(DJANGO_SETTINGS_MODULE="sentra.settings.base", SENTRA_DATA_DIR=str(data_dir))
    result = subprocess.run(
        [str(SENTRA), "shell", "-v", "0", "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]


WRITE = (
    "from django.db import connection\n"
    "with connection.cursor() as c:\n"
    "    c.execute('CREATE TABLE IF NOT EXISTS t (nik TEXT)')\n"
    "    c.execute(\"INSERT INTO t VALUES ('7471031207850011')\")\n"
    "import pathlib; pathlib.Path(connection.settings_dict['NAME']).with_name('ok').write_text('ok')\n"
)


def test_a_new_data_dir_and_sqlite_database_are_private(tmp_path):
    data_dir = tmp_path / "data"
    _sentra_shell(data_dir, WRITE)
    assert (data_dir / "ok").exists()
    assert mode(data_dir) == 0o711
    assert mode(data_dir / "sentra.sqlite3") == 0o600
    assert mode(data_dir / "secret_key") == 0o600
    for suffix in ("-wal", "-shm"):  # WAL mode: SQLite gives them the database file's mode
        side = data_dir / f"sentra.sqlite3{suffix}"
        if side.exists():
            assert mode(side) == 0o600, side


def test_an_existing_world_readable_database_is_made_private(tmp_path):
    data_dir = tmp_path / "data"
    _sentra_shell(data_dir, WRITE)
    (data_dir / "sentra.sqlite3").chmod(0o644)  # as every earlier version left it
    _sentra_shell(data_dir, "from django.db import connection; connection.ensure_connection()")
    assert mode(data_dir / "sentra.sqlite3") == 0o600


@pytest.mark.django_db(transaction=True)
def test_backups_are_private(tmp_path):
    media = tmp_path / "media"
    (media / "foto").mkdir(parents=True)
    (media / "foto" / "ktp.jpg").write_bytes(b"\xff\xd8\xff")
    output = tmp_path / "backups" / "harian"
    umask = os.umask(0o022)
    with override_settings(MEDIA_ROOT=media):
        result = backup_create(output_dir=output, label="uji")
    assert os.umask(umask) == 0o022  # the process's umask is given back
    assert mode(output) == 0o700 and mode(output.parent) == 0o700  # directories this created
    assert mode(result.path) == 0o700
    names = sorted(p.name for p in result.path.iterdir())
    assert names == ["database.sqlite3", "manifest.json", "media.tar.gz"] or "database.pgdump" in names
    for item in result.path.iterdir():
        assert mode(item) == 0o600, item


def test_uploads_are_private(tmp_path):
    with override_settings(
        MEDIA_ROOT=tmp_path / "media",
        STORAGES={
            "default": {"BACKEND": "sentra.core.uploads.SafeFileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        name = storages["default"].save("usaha/2026/foto.jpg", ContentFile(b"\xff\xd8\xff"))
    path = tmp_path / "media" / name
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700 and mode(tmp_path / "media" / "usaha") == 0o700
