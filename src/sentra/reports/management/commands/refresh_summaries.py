from __future__ import annotations

from django.core.management.base import BaseCommand

from sentra.reports.services import summary_refresh, summary_refresh_all


class Command(BaseCommand):
    help = "Menghitung ulang tabel ringkasan dasbor (semua wilayah, atau kab/kota tertentu)."

    def add_arguments(self, parser):
        parser.add_argument("regions", nargs="*", help="Kode kab/kota, mis. 74.71; kosong = semua.")

    def handle(self, *args, **options):
        if options["regions"]:
            rows = summary_refresh(region_ids=options["regions"])
        else:
            rows = summary_refresh_all(progress=lambda code: self.stdout.write(f"  provinsi {code}"))
        self.stdout.write(self.style.SUCCESS(f"{rows} baris ringkasan ditulis."))
