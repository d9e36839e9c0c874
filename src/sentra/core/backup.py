"""Backups of the database and media, and restores that prove themselves.

A backup is one directory (or its ``.tar.gz``) holding:

- ``database.sqlite3`` (SQLite's online backup API: consistent while the site runs) or ``database.pgdump``
  (``pg_dump --format=custom``);
- ``media.tar.gz`` with every file of the default storage under MEDIA_ROOT;
- ``manifest.json``: Sentra's version, the vendor, the time, SHA-256 of each file, and per table the row count and a
  checksum of its content.

``restore`` checks the files against the manifest before touching anything, replaces the database and media,
then recomputes the per-table counts and checksums and refuses to report success unless they all match.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

import sentra

MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    """The backup or restore cannot go on; the message says why in Indonesian and English."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def table_fingerprints(conn: Any = None) -> dict[str, dict[str, Any]]:
    """Row count and content checksum of every table, rows in primary-key (or full-row) order."""
    conn = conn or connection
    result: dict[str, dict[str, Any]] = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            if table.startswith("sqlite_"):
                continue
            quoted = conn.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} WHERE 1 = 0")  # noqa: S608 - names from introspection
            columns = [c[0] for c in cursor.description]
            order = ", ".join(conn.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608 - names from introspection
            digest = hashlib.sha256()
            count = 0
            while rows := cursor.fetchmany(5000):
                for row in rows:
                    digest.update(repr(tuple(_canonical(v) for v in row)).encode())
                    count += 1
            result[table] = {"rows": count, "sha256": digest.hexdigest()}
    return result


def _canonical(value: Any) -> Any:
    """The same value reads back alike from a restored database (e.g. memoryview vs bytes)."""
    if isinstance(value, memoryview):
        return bytes(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]


@contextlib.contextmanager
def _private_files() -> Iterator[None]:
    """Files and directories created inside are the service user's alone (umask 077): a backup holds full NIKs.

    The umask is the process's; a backup runs from the command line (``sentra backup``), not inside the web server.
    """
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _make_private(path: Path) -> None:
    """0700 for directories, 0600 for files, under ``path`` and ``path`` itself (what pg_dump etc. made too)."""
    for item in [path, *path.rglob("*")]:
        if not item.is_symlink():
            item.chmod(0o700 if item.is_dir() else 0o600)


def backup_create(*, output_dir: Path, label: str = "") -> BackupResult:
    """Write a backup directory under ``output_dir`` and return it with its manifest.

    The backup directory is 0700 and its files 0600; an ``output_dir`` this creates is 0700 too.
    """
    with _private_files():
        result = _backup_create(output_dir=Path(output_dir), label=label)
    _make_private(result.path)
    return result


def _backup_create(*, output_dir: Path, label: str) -> BackupResult:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    output_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = output_dir / f"sentra-backup-{stamp}{('-' + label) if label else ''}"
    target.mkdir(mode=0o700, exist_ok=False)
    vendor = connection.vendor
    files: dict[str, str] = {}
    if vendor == "sqlite":
        db_file = target / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(db_file)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    elif vendor == "postgresql":
        db_file = target / "database.pgdump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={db_file}", _pg_dsn()])
    else:
        raise BackupError(f"Basis data {vendor} belum didukung / database {vendor} is not supported.")
    files[db_file.name] = _sha256(db_file)

    media_file = target / "media.tar.gz"
    with tarfile.open(media_file, "w:gz") as tar:
        root = _media_root()
        if root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(root)))
    files[media_file.name] = _sha256(media_file)

    manifest = {
        "sentra_version": sentra.__version__,
        "vendor": vendor,
        "created_at": timezone.now().isoformat(),
        "files": files,
        "tables": table_fingerprints(),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return BackupResult(target, manifest)


def backup_verify(path: Path) -> dict[str, Any]:
    """The manifest, after checking every file's SHA-256; raises BackupError on any mismatch."""
    path = Path(path)
    manifest_file = path / MANIFEST
    if not manifest_file.exists():
        raise BackupError(f"{path} bukan cadangan Sentra (tidak ada {MANIFEST}) / not a Sentra backup.")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    for name, expected in manifest["files"].items():
        file = path / name
        if not file.exists() or _sha256(file) != expected:
            raise BackupError(f"Berkas {name} rusak atau hilang / file {name} is damaged or missing.")
    return manifest


def backup_restore(*, path: Path) -> dict[str, Any]:
    """Replace the database and media with the backup's, then prove the data equals the manifest's."""
    manifest = backup_verify(path)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(
            f"Cadangan dibuat dari {manifest['vendor']}, basis data ini {vendor} / backup is from {manifest['vendor']}."
        )
    path = Path(path)
    if vendor == "sqlite":
        source = sqlite3.connect(path / "database.sqlite3")
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        connections.close_all()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--dbname={_pg_dsn()}",
                str(path / "database.pgdump"),
            ]
        )
    _restore_media(path / "media.tar.gz")
    connections.close_all()
    found = table_fingerprints()
    expected = manifest["tables"]
    mismatched = sorted(t for t in set(expected) | set(found) if expected.get(t) != found.get(t))
    if mismatched:
        raise BackupError(
            "Pemulihan tidak identik untuk tabel / restore differs for tables: " + ", ".join(mismatched[:10])
        )
    return manifest


def _restore_media(archive: Path) -> None:
    root = _media_root()
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(tmp, filter="data")  # the "data" filter refuses absolute paths, links out and devices
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(tmp, root, dirs_exist_ok=True)


def _pg_dsn() -> str:
    s = connection.settings_dict
    parts = {
        "host": s.get("HOST") or "",
        "port": str(s.get("PORT") or ""),
        "user": s.get("USER") or "",
        "dbname": s.get("NAME") or "",
    }
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


def _run(cmd: list[str]) -> None:
    env = {**os.environ}
    password = connection.settings_dict.get("PASSWORD")
    if password:
        env["PGPASSWORD"] = password
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} gagal / failed: {done.stderr.strip()[:500]}")
