"""``sentra send_expiry_notices``: send the certificate-expiry reminders that are due (run daily)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Mengirim pengingat masa berlaku sertifikat (90/30/7 hari sebelum dan sesudah habis). Aman diulang."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Tanggal acuan YYYY-MM-DD (bawaan: hari ini).")
        parser.add_argument("--enqueue", action="store_true", help="Antrekan sebagai tugas latar, jangan jalankan.")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("Tanggal harus berformat YYYY-MM-DD.") from None
        if options["enqueue"]:
            from sentra.quality.tasks import send_expiry_notices_task

            result = send_expiry_notices_task.enqueue(today.isoformat() if today else None)
            self.stdout.write(f"Tugas diantrekan: {result.id}")
            return
        from sentra.quality.services import send_expiry_notices

        sent = send_expiry_notices(today=today)
        self.stdout.write(f"{sent} pengingat terkirim.")
