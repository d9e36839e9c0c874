"""The demo loader's steps. Each app registers its step at start-up; ``sentra load_demo`` runs them in order.

Steps are deterministic (seeded random) so the demo and the tests that use it always see the same data.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "sentra-demo"  # noqa: S105 - the documented demo password, refused in production


@dataclass
class DemoContext:
    """What earlier steps made, for later steps: users by login, records by key."""

    rng: random.Random
    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    log: Callable[[str], None] = print


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    run: Callable[[DemoContext], None]


_STEPS: list[DemoStep] = []


def register_demo_step(order: int, name: str, run: Callable[[DemoContext], None]) -> None:
    if all(s.name != name for s in _STEPS):
        _STEPS.append(DemoStep(order, name, run))
        _STEPS.sort(key=lambda s: s.order)


def demo_steps() -> list[DemoStep]:
    return list(_STEPS)
