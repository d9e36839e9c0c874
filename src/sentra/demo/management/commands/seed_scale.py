"""``sentra seed_scale --businesses N``: a synthetic national registry for benchmarks.

See :mod:`sentra.demo.synthetic`. 1,000,000 businesses take minutes, not hours: rows are generated
column-wise and written with ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) in large batches.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sentra.core.formatting import format_number
from sentra.demo import synthetic
from sentra.demo.context import refuse_production


class Command(BaseCommand):
    help = "Membuat registri IKM sintetis berskala nasional untuk uji kinerja (tidak boleh di produksi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--businesses", type=int, required=True, help="Jumlah usaha yang dibuat, mis. 1000000.")
        parser.add_argument(
            "--owners-ratio",
            type=float,
            default=0.9,
            help="Pelaku usaha per usaha (bawaan 0,9: sebagian pelaku punya dua usaha; >1 menambah pengelola).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Benih acak (hasil sama untuk benih sama).")
        parser.add_argument("--batch-size", type=int, default=50_000, help="Baris usaha per transaksi.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Hapus SEMUA usaha, pelaku usaha dan kepemilikan yang ada lebih dulu (hanya untuk basis data uji).",
        )

    def handle(self, *args, **options):
        refuse_production("seed_scale")
        businesses = options["businesses"]
        ratio = options["owners_ratio"]
        if businesses < 1:
            raise CommandError("--businesses harus bilangan bulat positif.")
        if not 0.1 <= ratio <= 3:
            raise CommandError("--owners-ratio harus antara 0,1 dan 3.")
        if options["batch_size"] < 100:
            raise CommandError("--batch-size minimal 100.")
        verbose = options["verbosity"] >= 1
        if options["replace"]:
            if verbose:
                self.stdout.write("Menghapus registri yang ada …")
            synthetic.clear_registry()
        try:
            result = synthetic.seed(
                businesses,
                owners_ratio=ratio,
                seed=options["seed"],
                batch_size=options["batch_size"],
                progress=self.stdout.write if verbose else None,
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        if verbose:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{format_number(result.businesses)} usaha, {format_number(result.owners)} pelaku usaha, "
                    f"{format_number(result.ownerships)} kepemilikan dalam {format_number(result.seconds, 1)} detik "
                    f"({format_number(result.rows_per_second)} baris/detik)."
                )
            )
