from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Menampilkan kode verifikasi dua langkah demo yang berlaku sekarang (tidak untuk produksi)."

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "SENTRA_PRODUCTION", False) or settings.SETTINGS_MODULE.endswith(".prod"):
            raise CommandError("demo_otp_code menolak berjalan dengan pengaturan produksi (sentra.settings.prod).")
        from sentra.accounts.demo import DEMO_TOTP_SECRET, demo_code

        self.stdout.write(f"{demo_code()}  (kunci demo {DEMO_TOTP_SECRET}; kode berganti tiap 30 detik)")
