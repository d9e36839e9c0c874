from __future__ import annotations

import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sentra.core.demo import DemoContext, demo_steps


class Command(BaseCommand):
    help = "Memuat data demo Kota Kendari (tidak boleh dijalankan dengan pengaturan produksi)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Muat lagi walaupun data demo sudah ada.")

    def handle(self, *args, **options):
        if getattr(settings, "SENTRA_PRODUCTION", False) or settings.SETTINGS_MODULE.endswith(".prod"):
            raise CommandError("load_demo menolak berjalan dengan pengaturan produksi (sentra.settings.prod).")
        from sentra.accounts.models import User

        if User.objects.filter(username="kendari").exists() and not options["force"]:
            self.stdout.write("Data demo sudah dimuat; lewati (pakai --force untuk memuat ulang pada basis data baru).")
            return
        ctx = DemoContext(rng=random.Random(20220719), log=self.stdout.write)
        with transaction.atomic():
            for step in demo_steps():
                self.stdout.write(f"- {step.name}")
                step.run(ctx)
        self.stdout.write(self.style.SUCCESS("Data demo Kota Kendari dimuat."))
