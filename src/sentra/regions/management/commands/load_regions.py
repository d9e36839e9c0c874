from django.core.management.base import BaseCommand

from sentra.regions.loader import load_kbli, load_regions
from sentra.regions.models import Kbli, Region


class Command(BaseCommand):
    help = "Memuat (idempoten) wilayah Kemendagri dan KBLI 2020 yang dikirim bersama Sentra."

    def handle(self, *args, **options):
        regions = load_regions(Region)
        kbli = load_kbli(Kbli)
        self.stdout.write(
            self.style.SUCCESS(
                "Wilayah: {created} baru, {updated} diperbarui, {total} total. KBLI: {kc} baru, {kt} total.".format(
                    **regions, kc=kbli["created"], kt=kbli["total"]
                )
            )
        )
