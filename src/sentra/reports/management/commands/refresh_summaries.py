from __future__ import annotations

from django.core.management.base import BaseCommand

from sentra.reports.services import summary_refresh, summary_refresh_all


class Command(BaseCommand):
    help = (
        "Menghitung ulang tabel ringkasan dasbor: usaha, angka program (pelatihan, DAK, mutu, sentra) dan hasil "
        "program (semua wilayah, atau kab/kota tertentu). Dijalankan setiap hari."
    )

    def add_arguments(self, parser):
        parser.add_argument("regions", nargs="*", help="Kode kab/kota, mis. 74.71; kosong = semua.")

    def handle(self, *args, **options):
        from sentra.reports.outcomes import outcome_summaries_refresh
        from sentra.reports.programme import programme_refresh

        regions = options["regions"] or None
        if regions:
            rows = summary_refresh(region_ids=regions)
        else:
            rows = summary_refresh_all(progress=lambda code: self.stdout.write(f"  provinsi {code}"))
        self.stdout.write(self.style.SUCCESS(f"{rows} baris ringkasan ditulis."))
        rows = programme_refresh(region_ids=regions)
        self.stdout.write(self.style.SUCCESS(f"{rows} baris ringkasan program ditulis."))
        rows = outcome_summaries_refresh(region_ids=regions)
        self.stdout.write(self.style.SUCCESS(f"{rows} ringkasan hasil program dihitung."))
