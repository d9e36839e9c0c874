from __future__ import annotations

import random
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from sentra.accounts.models import User
from sentra.demo.context import DemoContext, refuse_production
from sentra.demo.steps import STEPS


class Command(BaseCommand):
    help = "Memuat data demo Kota Kendari (tidak boleh dijalankan dengan pengaturan produksi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Muat lagi walaupun data demo sudah ada.")

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_production("load_demo")
        if User.objects.filter(username="kendari").exists() and not options["force"]:
            self.stdout.write("Data demo sudah dimuat; lewati (pakai --force untuk memuat ulang pada basis data baru).")
            return
        ctx = DemoContext(rng=random.Random(20220719), log=self.stdout.write)
        with transaction.atomic():
            for step in STEPS:
                self.stdout.write(f"- {step.name}")
                step.run(ctx)
        self.stdout.write(self.style.SUCCESS("Data demo Kota Kendari dimuat."))
