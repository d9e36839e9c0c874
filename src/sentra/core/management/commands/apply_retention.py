"""``sentra apply_retention``: erase personal data and files whose retention period ended (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sentra.core.retention import RULES, apply_retention


class Command(BaseCommand):
    help = "Hapus data pribadi dan berkas yang masa simpannya telah habis (UU PDP). Jalankan setiap hari."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Hanya hitung, jangan hapus apa pun.")
        parser.add_argument("--only", action="append", choices=sorted(RULES), help="Jalankan aturan ini saja.")

    def handle(self, *args: Any, **options: Any) -> None:
        results = apply_retention(dry_run=options["dry_run"], only=options.get("only"))
        verb = "akan dihapus" if options["dry_run"] else "dihapus"
        for r in results:
            if r.cutoff is None:
                self.stdout.write(f"{r.key}: nonaktif (0 hari) — {r.label}")
            else:
                self.stdout.write(
                    f"{r.key}: {r.count} {verb} (lebih lama dari {r.days} hari, {r.cutoff:%Y-%m-%d}) — {r.label}"
                )
