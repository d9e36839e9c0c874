from django.core.management.base import BaseCommand

from sentra.core.parsing import parse_date
from sentra.periodic.reminders import send_reminders


class Command(BaseCommand):
    help = "Kirim pengingat laporan berkala yang akan jatuh tempo (surel + pemberitahuan di situs). Jalankan harian."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--date", help="Tanggal acuan (YYYY-MM-DD), bawaan: hari ini")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        today = parse_date(options["date"]) if options.get("date") else None
        count = send_reminders(today=today)
        self.stdout.write(f"{count} pengingat dikirim.")
