"""``sentra daily``: every registered daily schedule once (``core.schedules``), each as a background job."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sentra.core.models import JobState
from sentra.core.parsing import parse_date
from sentra.core.schedules import schedule_start, schedules


class Command(BaseCommand):
    help = (
        "Menjalankan semua tugas harian yang terdaftar (pengingat, retensi data, ringkasan dasbor), masing-masing "
        "sebagai tugas latar yang tercatat. Dijalankan sekali sehari oleh timer systemd."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="Tanggal acuan (YYYY-MM-DD), bawaan: hari ini.")
        parser.add_argument("--only", action="append", help="Jalankan tugas ini saja (boleh berulang).")
        parser.add_argument("--enqueue", action="store_true", help="Antrekan untuk worker, jangan jalankan di sini.")
        parser.add_argument("--list", action="store_true", help="Tampilkan tugas harian yang terdaftar saja.")

    def handle(self, *args: Any, **options: Any) -> None:
        registered = schedules()
        if options["list"]:
            for s in registered:
                self.stdout.write(f"{s.name}: {s.label}")
            return
        today = None
        if options.get("date"):
            try:
                today = parse_date(options["date"])
            except Exception:
                raise CommandError("Tanggal harus berformat YYYY-MM-DD.") from None
        only = set(options.get("only") or [])
        unknown = only - {s.name for s in registered}
        if unknown:
            raise CommandError(f"Tugas harian tidak dikenal: {', '.join(sorted(unknown))}.")
        failed = []
        for s in registered:
            if only and s.name not in only:
                continue
            job = schedule_start(s, today=today, now=not options["enqueue"])
            if options["enqueue"]:
                self.stdout.write(f"{s.name}: diantrekan (tugas {job.pk})")
            elif job.state == JobState.SUCCEEDED:
                self.stdout.write(f"{s.name}: selesai {job.result}")
            else:
                failed.append(s.name)
                self.stderr.write(f"{s.name}: gagal — {'; '.join(str(e) for e in job.errors)}")
        if failed:
            raise CommandError(f"Tugas harian gagal: {', '.join(failed)}.")
