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
            from sentra.core.schedules import schedule_start, schedules

            schedule = next(s for s in schedules() if s.name == "quality-expiry-notices")
            job = schedule_start(schedule, today=today, now=False)
            self.stdout.write(f"Tugas diantrekan: {job.pk}")
            return
        from sentra.quality.services import send_expiry_notices

        sent = send_expiry_notices(today=today)
        self.stdout.write(f"{sent} pengingat terkirim.")
