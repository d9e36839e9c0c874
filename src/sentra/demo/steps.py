"""The demo's steps in the order ``sentra load_demo`` runs them (each reads what the earlier ones left in the context).

Steps are deterministic (seeded random) so the demo and the tests that use it always see the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sentra.demo import budget, centres, products, quality, registry, reports, training, users
from sentra.demo.context import DemoContext


@dataclass(frozen=True)
class DemoStep:
    name: str
    run: Callable[[DemoContext], None]


STEPS: tuple[DemoStep, ...] = (
    DemoStep("Pengguna demo", users.load_users),
    DemoStep("Verifikasi dua langkah pengguna demo", users.seed_two_factor),  # before anything signs in as them
    DemoStep("Registri IKM Kota Kendari", registry.load_registry),
    DemoStep("Sentra IKM Kota Kendari", centres.load_centres),  # before the DAK lines that fund them
    DemoStep("Anggaran DAK (pagu, rencana, kontrak, penyaluran, laporan)", budget.load_budget),
    DemoStep("Pelatihan Kota Kendari", training.load_training),
    DemoStep("Mutu, sertifikasi dan INDI 4.0", quality.load_quality),
    DemoStep("Produk dan katalog IKM", products.load_products),
    DemoStep("Tabel ringkasan dasbor", reports.load_summaries),
)
