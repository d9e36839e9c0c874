"""Benchmark records and the results file ``var/bench/results.json``.

A record is ``{name, value, unit, baseline, ratio, target, ok}`` plus context fields (``database``, ``size``,
``group``, ``note``). ``target`` is a limit in the record's own unit: ``ok`` is ``value <= target`` (or
``value >= target`` when ``higher_is_better``). ``ratio`` is ``value / baseline`` when a baseline is given.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(os.environ.get("SENTRA_BENCH_DIR", ROOT / "var" / "bench"))
RESULTS_FILE = RESULTS_DIR / "results.json"


@dataclass
class Record:
    name: str
    value: float
    unit: str
    baseline: float | None = None
    ratio: float | None = None
    target: float | None = None
    ok: bool | None = None
    database: str | None = None
    size: int | None = None
    group: str | None = None
    note: str = ""
    higher_is_better: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.value = _round(self.value)
        self.baseline = _round(self.baseline) if self.baseline is not None else None
        if self.ratio is None and self.baseline:
            self.ratio = _round(self.value / self.baseline)
        if self.target is not None:
            self.target = _round(self.target)
            if self.ok is None:
                self.ok = self.value >= self.target if self.higher_is_better else self.value <= self.target

    @property
    def key(self) -> str:
        """Identity in the results file: a later run of the same measurement replaces the earlier one."""
        return f"{self.name}|{self.database or ''}|{self.size or ''}"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if not data["extra"]:
            data.pop("extra")
        return data


def _round(value: float) -> float:
    if value == 0 or abs(value) >= 100:
        return round(value, 1)
    return float(f"{value:.3g}")


def median_ms(func: Callable[[], Any], *, repeat: int = 7, warmup: int = 2) -> float:
    """Median wall time of ``func()`` in milliseconds, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


#: Page timings that must not grow with the registry: the same page at a larger size within this factor of its
#: time at the smallest size measured in the same run (national size, 4.4M businesses, against 100k).
SCALE_TARGET = 1.5
SCALE_PAGES = ("registry.list.", "registry.search.", "registry.detail.", "dashboard.national.page")


def scale_records(new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``scale.<name>``: a page's time at each larger size divided by its time at the run's smallest size.

    Only pages named in ``SCALE_PAGES`` get the target; other timings are recorded without one. The two sizes
    come from the same run (same machine, same load), so the ratio says how the page grows with the table.
    """
    timings = [r for r in new if r.get("unit") == "ms" and r.get("size") and ".server_ms." not in r["name"]]
    smallest: dict[tuple[str, str], dict[str, Any]] = {}
    for r in timings:
        key = (r["name"], r["database"])
        if key not in smallest or r["size"] < smallest[key]["size"]:
            smallest[key] = r
    out = []
    for r in timings:
        base = smallest[(r["name"], r["database"])]
        if r["size"] == base["size"] or not base["value"]:
            continue
        gated = r["name"].startswith(SCALE_PAGES)
        out.append(
            Record(
                f"scale.{r['name']}",
                r["value"] / base["value"],
                "×",
                target=SCALE_TARGET if gated else None,
                database=r["database"],
                size=r["size"],
                group="scale",
                note=f"{r['value']:g} ms at {r['size']:,} vs {base['value']:g} ms at {base['size']:,} businesses",
            ).as_dict()
        )
    return out


def load(path: Path = RESULTS_FILE) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return []
    return data if isinstance(data, list) else []


def merge(existing: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Existing records with the new ones replacing those of the same name, database and size."""

    def key(r: dict[str, Any]) -> str:
        return f"{r.get('name')}|{r.get('database') or ''}|{r.get('size') or ''}"

    replaced = {key(r) for r in new}
    return [r for r in existing if key(r) not in replaced] + new


def save(records: list[dict[str, Any]], path: Path = RESULTS_FILE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n")
    tmp.replace(path)


def format_table(records: list[dict[str, Any]]) -> str:
    rows = [("name", "db", "size", "value", "baseline", "ratio", "target", "ok")]
    for r in records:
        rows.append(
            (
                r["name"],
                r.get("database") or "",
                f"{r['size']:,}" if r.get("size") else "",
                f"{r['value']:g} {r['unit']}",
                "" if r.get("baseline") is None else f"{r['baseline']:g}",
                "" if r.get("ratio") is None else f"{r['ratio']:g}×",
                "" if r.get("target") is None else f"{'≥' if r.get('higher_is_better') else '≤'}{r['target']:g}",
                {True: "ok", False: "FAIL", None: ""}[r.get("ok")],
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows)
