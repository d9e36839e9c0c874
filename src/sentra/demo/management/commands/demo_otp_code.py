from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sentra.demo.context import refuse_production
from sentra.demo.users import DEMO_TOTP_SECRET, demo_code


class Command(BaseCommand):
    help = "Menampilkan kode verifikasi dua langkah demo yang berlaku sekarang (tidak untuk produksi)."

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_production("demo_otp_code")
        self.stdout.write(f"{demo_code()}  (kunci demo {DEMO_TOTP_SECRET}; kode berganti tiap 30 detik)")
