"""`sentra backup` / `sentra restore` round trip: identical record counts and checksums."""

from __future__ import annotations

import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import override_settings

from sentra.core.backup import backup_create, backup_restore, backup_verify, table_fingerprints
from sentra.registry.models import Business
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    with override_settings(
        MEDIA_ROOT=root,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield root


def test_round_trip_restores_identical_data_and_media(tmp_path, media):
    kept = BusinessFactory(name="Mebel Sebelum Cadangan")
    (media / "dokumen").mkdir()
    (media / "dokumen" / "bast.pdf").write_bytes(b"%PDF-1.4 contoh")

    result = backup_create(output_dir=tmp_path / "backups")
    before = table_fingerprints()
    assert result.manifest["tables"] == before
    assert result.manifest["tables"]["registry_business"]["rows"] == Business.objects.count()

    # Lose data after the backup: a row deleted, a row added, a file changed and one removed.
    Business.objects.filter(pk=kept.pk).delete()
    BusinessFactory(name="Mebel Setelah Cadangan")
    (media / "dokumen" / "bast.pdf").unlink()
    (media / "baru.txt").write_text("x")

    backup_restore(path=result.path)

    assert table_fingerprints() == before
    assert Business.objects.filter(name="Mebel Sebelum Cadangan").exists()
    assert not Business.objects.filter(name="Mebel Setelah Cadangan").exists()
    assert (media / "dokumen" / "bast.pdf").read_bytes() == b"%PDF-1.4 contoh"
    assert not (media / "baru.txt").exists()


def test_damaged_backup_is_refused_before_anything_changes(tmp_path, media):
    BusinessFactory(name="Tetap Ada")
    result = backup_create(output_dir=tmp_path / "backups")
    db_file = next(p for p in result.path.iterdir() if p.name.startswith("database."))
    db_file.write_bytes(db_file.read_bytes()[:-10] + b"0123456789")
    BusinessFactory(name="Ditambah Kemudian")

    with pytest.raises(CommandError, match="rusak"):
        call_command("restore", str(result.path), "--yes")
    assert Business.objects.filter(name="Ditambah Kemudian").exists()


def test_restore_requires_confirmation_and_a_manifest(tmp_path, media):
    result = backup_create(output_dir=tmp_path / "backups")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(result.path))
    with pytest.raises(CommandError, match="bukan cadangan"):
        call_command("restore", str(tmp_path), "--yes")
    manifest = backup_verify(result.path)
    assert json.loads((result.path / "manifest.json").read_text())["files"] == manifest["files"]


def test_backup_command_reports_counts(tmp_path, media, capsys):
    ContentFile(b"x")  # media may be empty: the archive is still written
    call_command("backup", "--output", str(tmp_path / "b"))
    out = capsys.readouterr().out
    assert "Cadangan dibuat" in out
    assert len(list((tmp_path / "b").iterdir())) == 1
