"""What a benchmark function receives: the database it runs on, the size, timing helpers and ``record``."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.results import Record, median_ms


@dataclass
class BenchContext:
    #: ``"sqlite"`` or ``"postgresql"``: the child process's default database is the bench database of that kind.
    database: str
    #: Number of generated businesses for ``sized`` benchmarks (``None`` otherwise).
    size: int | None = None
    repeat: int = 7
    warmup: int = 2
    group: str | None = None
    records: list[Record] = field(default_factory=list)

    def record(
        self,
        name: str,
        value: float,
        unit: str = "ms",
        *,
        baseline: float | None = None,
        target: float | None = None,
        ok: bool | None = None,
        note: str = "",
        higher_is_better: bool = False,
        **extra: Any,
    ) -> Record:
        """Add one measurement; it is printed at once and written to var/bench/results.json at the end."""
        rec = Record(
            name=name,
            value=value,
            unit=unit,
            baseline=baseline,
            target=target,
            ok=ok,
            database=self.database,
            size=self.size,
            group=self.group,
            note=note,
            higher_is_better=higher_is_better,
            extra=extra,
        )
        self.records.append(rec)
        parts = [f"  {name}: {rec.value:g} {unit}"]
        if rec.baseline is not None:
            parts.append(f"baseline {rec.baseline:g} {unit}, ratio {rec.ratio:g}×")
        if rec.target is not None:
            parts.append(f"target {'≥' if higher_is_better else '≤'} {rec.target:g} → {'ok' if rec.ok else 'FAIL'}")
        print(" | ".join(parts), flush=True)
        return rec

    def time_ms(self, func: Callable[[], Any], *, repeat: int | None = None, warmup: int | None = None) -> float:
        """Median milliseconds of ``func()`` over ``repeat`` runs after ``warmup`` untimed runs."""
        return median_ms(
            func, repeat=self.repeat if repeat is None else repeat, warmup=self.warmup if warmup is None else warmup
        )

    @staticmethod
    def once_s(func: Callable[[], Any]) -> float:
        """Seconds of one call (for long operations such as imports, where medians are too costly)."""
        start = time.perf_counter()
        func()
        return time.perf_counter() - start

    def ensure_businesses(self, count: int, *, seed: int = 2026) -> None:
        """Make the bench database hold exactly ``count`` generated businesses (re-seeds only when needed)."""
        from bench.fixtures import ensure_businesses

        ensure_businesses(count, seed=seed)
