"""What every demo step shares: the context earlier steps fill for later ones, and the demo's constants."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

DEMO_PASSWORD = "sentra-demo"  # noqa: S105 - the documented demo password, refused in production
KENDARI = "74.71"  # Kota Kendari, the demo's regency (docs/domain.md §2d)
LEPO_LEPO = "74.71.03.1002"  # the village of the Sentra IKM Meubeler
RIBU = Decimal(1_000)
JUTA = Decimal(1_000_000)
MILIAR = Decimal(1_000_000_000)


@dataclass
class DemoContext:
    """What earlier steps made, for later steps: users by login, records by key."""

    rng: random.Random
    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    log: Callable[[str], None] = print


def aware(day: dt.date, hour: int = 10) -> dt.datetime:
    """``day`` at ``hour`` o'clock in the project's time zone: when a dated demo event happened."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def refuse_production(command: str) -> None:
    """Demo and synthetic data never go into a production database."""
    from django.conf import settings
    from django.core.management.base import CommandError

    if getattr(settings, "SENTRA_PRODUCTION", False) or settings.SETTINGS_MODULE.endswith(".prod"):
        raise CommandError(f"{command} menolak berjalan dengan pengaturan produksi (sentra.settings.prod).")
