from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sentra.core.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = "Memulihkan basis data dan media dari cadangan `sentra backup`, lalu membuktikan isinya identik."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Direktori cadangan (berisi manifest.json).")
        parser.add_argument("--yes", action="store_true", help="Jangan bertanya: data saat ini akan diganti.")
        parser.add_argument("--verify-only", action="store_true", help="Hanya periksa checksum berkas cadangan.")

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            manifest = backup_verify(path)
            if options["verify_only"]:
                self.stdout.write(self.style.SUCCESS("Berkas cadangan utuh (checksum cocok)."))
                return
            if not options["yes"]:
                raise CommandError("Pemulihan mengganti SEMUA data saat ini. Ulangi dengan --yes bila yakin.")
            backup_restore(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Dipulihkan dan diverifikasi: {len(manifest['tables'])} tabel, {rows} baris identik.")
        )
