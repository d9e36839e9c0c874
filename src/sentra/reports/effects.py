"""The programme-evaluation estimator on plain numbers: matching and difference-in-differences with a bootstrap.

Nothing here touches the database, so the coverage tests can run it on thousands of synthetic data sets, and an
auditor can follow it line by line (the method page says the same in words):

- **Matching** (``match_nearest``): each treated business gets one comparison business of the same cell
  (regency × KBLI division × size class) that is not used by another treated business (without replacement, so
  pairs are independent and may be resampled as units), the nearest on the baseline value (on the log scale for
  turnover, so Rp10 juta is as far from Rp20 juta as Rp100 juta from Rp200 juta).
- **Estimator** (``did``): the mean over pairs of (treated change − comparison change). Turnover changes are log
  changes (``ln(after) − ln(before)``), so the effect reads as a percentage: ``100 × (exp(d) − 1)``; workforce
  changes are in persons and NIB changes (0/1) in percentage points.
- **Interval**: percentile bootstrap over pairs (businesses resampled with replacement, ``B`` replicates) with a
  seed derived from the group's key, so the same data always give the same interval.
"""

from __future__ import annotations

import math
import random
import zlib
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
C = TypeVar("C")

#: bootstrap replicates on the page (the tests use fewer; the interval's ends move by well under its width)
BOOTSTRAP = 400
LEVEL = 0.95


@dataclass(frozen=True)
class Estimate:
    """A mean difference with its bootstrap interval; ``n`` pairs."""

    point: float
    low: float
    high: float
    n: int

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


def seed_of(key: str) -> int:
    """A stable seed for a group (``hash()`` changes between processes; crc32 does not)."""
    return zlib.crc32(key.encode("utf-8"))


def _quantile(sorted_values: Sequence[float], q: float) -> float:
    """The ``q`` quantile with linear interpolation between order statistics (Excel's PERCENTILE.INC)."""
    pos = q * (len(sorted_values) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def mean_interval(diffs: Sequence[float], *, seed: int, replicates: int = BOOTSTRAP) -> Estimate | None:
    """Mean of ``diffs`` (one per pair) with a percentile bootstrap interval; None for no pairs."""
    n = len(diffs)
    if n == 0:
        return None
    values = list(diffs)
    point = math.fsum(values) / n
    if n == 1:
        return Estimate(point, point, point, 1)
    rng = random.Random(seed)
    choices = rng.choices
    means = sorted(math.fsum(choices(values, k=n)) / n for _ in range(replicates))
    tail = (1 - LEVEL) / 2
    return Estimate(point, _quantile(means, tail), _quantile(means, 1 - tail), n)


def log_change(before: float | None, after: float | None) -> float | None:
    """``ln(after) − ln(before)``; None when either is missing or not positive (a log needs both above zero)."""
    if before is None or after is None or before <= 0 or after <= 0:
        return None
    return math.log(after) - math.log(before)


def level_change(before: float | None, after: float | None) -> float | None:
    if before is None or after is None:
        return None
    return after - before


def pair_differences(
    treated: Sequence[tuple[float | None, float | None]],
    comparison: Sequence[tuple[float | None, float | None]],
    *,
    log: bool,
) -> list[float]:
    """Per pair: treated change − comparison change, for the pairs where both changes exist."""
    change = log_change if log else level_change
    out = []
    for (t0, t1), (c0, c1) in zip(treated, comparison, strict=True):
        dt_ = change(t0, t1)
        dc = change(c0, c1)
        if dt_ is not None and dc is not None:
            out.append(dt_ - dc)
    return out


def did(
    treated: Sequence[tuple[float | None, float | None]],
    comparison: Sequence[tuple[float | None, float | None]],
    *,
    log: bool,
    seed: int,
    replicates: int = BOOTSTRAP,
) -> Estimate | None:
    """Difference-in-differences over matched pairs: ``treated[i]`` and ``comparison[i]`` are the (before, after)
    values of pair ``i``. Log changes for turnover (``log=True``), level changes otherwise."""
    return mean_interval(pair_differences(treated, comparison, log=log), seed=seed, replicates=replicates)


def as_percent(log_points: float) -> float:
    """A log-point difference as a percentage: ``100 × (exp(d) − 1)``."""
    return 100 * (math.exp(log_points) - 1)


def count_interval(flags: Sequence[bool], *, seed: int, replicates: int = BOOTSTRAP) -> Estimate | None:
    """How many of ``flags`` are true, with a bootstrap interval over the units (for new entrepreneurs)."""
    est = mean_interval([1.0 if f else 0.0 for f in flags], seed=seed, replicates=replicates)
    if est is None:
        return None
    n = len(flags)
    return Estimate(est.point * n, est.low * n, est.high * n, n)


def match_nearest(
    treated: Sequence[tuple[T, float]],
    candidates: Sequence[tuple[C, float]],
    *,
    log: bool = True,
) -> dict[T, C]:
    """One comparison per treated unit, nearest on the baseline value, each candidate used once.

    ``treated`` and ``candidates`` are ``(id, baseline)`` of ONE cell. Treated units are served in order of their
    baseline (then id) so the result does not depend on the order rows came from the database; ties go to the
    candidate with the smaller baseline, then the smaller id. Returns ``{treated id: candidate id}`` (a treated unit
    left without a candidate is absent).
    """

    def scale(v: float) -> float:
        return math.log(v) if log and v > 0 else (float("-inf") if log else v)

    pool = sorted(((scale(v), str(i), i) for i, v in candidates), key=lambda x: (x[0], x[1]))
    keys = [p[0] for p in pool]
    used = [False] * len(pool)
    out: dict[T, C] = {}
    for tid, value in sorted(treated, key=lambda x: (x[1], str(x[0]))):
        x = scale(value)
        pos = bisect_left(keys, x)
        best = None
        left, right = pos - 1, pos
        # Walk outwards from the insertion point to the nearest unused candidate on each side.
        while left >= 0 and used[left]:
            left -= 1
        while right < len(pool) and used[right]:
            right += 1
        if left >= 0 and right < len(pool):
            best = left if (x - keys[left]) <= (keys[right] - x) else right
        elif left >= 0:
            best = left
        elif right < len(pool):
            best = right
        if best is None:
            continue
        used[best] = True
        out[tid] = pool[best][2]
    return out
