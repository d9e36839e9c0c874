"""The benchmark registry: a module under ``bench/`` decorates a function with ``@benchmark(...)`` and
``python -m bench.run`` finds it, runs it once per database (and once per size when ``sized=True``) and
collects what it records.

A benchmark function receives a :class:`bench.context.BenchContext` and calls ``ctx.record(...)`` for each
measurement (see bench/README.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Every database kind a benchmark can run on. ``postgresql`` runs only when the server is reachable.
DATABASES = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Benchmark:
    name: str
    group: str
    func: Callable[[Any], None]
    description: str = ""
    #: Run once per size of the generated registry (``--sizes``); the context then carries ``ctx.size``.
    sized: bool = False
    databases: tuple[str, ...] = DATABASES
    tags: tuple[str, ...] = field(default_factory=tuple)


_REGISTRY: dict[str, Benchmark] = {}


def benchmark(
    name: str,
    *,
    group: str | None = None,
    description: str = "",
    sized: bool = False,
    databases: tuple[str, ...] = DATABASES,
) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
    """Register ``func(ctx)`` as the benchmark ``name``.

    Args:
        name: unique, dotted (``"registry.business_list"``); record names usually start with it.
        group: what ``--only`` selects; defaults to the part of ``name`` before the first dot.
        sized: run once per ``--sizes`` value with ``ctx.size`` set (e.g. 100,000 and 1,000,000 businesses).
        databases: the database kinds it makes sense on (default: SQLite and PostgreSQL).
    """

    def decorator(func: Callable[[Any], None]) -> Callable[[Any], None]:
        register(
            Benchmark(
                name=name,
                group=group or name.split(".", 1)[0],
                func=func,
                description=description or (func.__doc__ or "").strip().split("\n")[0],
                sized=sized,
                databases=tuple(databases),
            )
        )
        return func

    return decorator


def register(bench: Benchmark) -> None:
    existing = _REGISTRY.get(bench.name)
    if existing is not None and existing.func is not bench.func:
        raise ValueError(f"benchmark {bench.name!r} is registered twice")
    _REGISTRY[bench.name] = bench


def all_benchmarks() -> list[Benchmark]:
    return list(_REGISTRY.values())


def select(only: list[str] | None) -> list[Benchmark]:
    """Benchmarks whose group or name is in ``only`` (a name prefix matches too); all when ``only`` is empty."""
    if not only:
        return all_benchmarks()
    chosen = []
    for bench in _REGISTRY.values():
        if any(bench.group == o or bench.name == o or bench.name.startswith(o + ".") for o in only):
            chosen.append(bench)
    return chosen
