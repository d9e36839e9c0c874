from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sentra.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Mencadangkan basis data dan berkas media ke satu direktori dengan manifest dan checksum."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=None, help="Direktori tujuan (bawaan: SENTRA_DATA_DIR/backups).")
        parser.add_argument("--label", default="", help="Label tambahan pada nama cadangan.")

    def handle(self, *args, **options):
        output = Path(options["output"] or Path(settings.DATA_DIR) / "backups")
        try:
            result = backup_create(output_dir=output, label=options["label"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = result.manifest["tables"]
        rows = sum(t["rows"] for t in tables.values())
        self.stdout.write(self.style.SUCCESS(f"Cadangan dibuat: {result.path} ({len(tables)} tabel, {rows} baris)"))
