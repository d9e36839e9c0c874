"""``make bench`` / ``python -m bench.run``: run the registered benchmarks and write var/bench/results.json.

Each database kind, and each size of the generated registry, runs in its own child process (Django's settings
are per process) against a dedicated bench database, never the demo database ``var/sentra.sqlite3``:

- SQLite: ``var/bench/sentra_bench.sqlite3`` for unsized benchmarks, ``var/bench/sentra_bench_<size>.sqlite3``
  for sized ones (``BENCH_SQLITE_DIR``);
- PostgreSQL: ``sentra_bench`` / ``sentra_bench_<size>`` on ``postgres://postgres@127.0.0.1:5432``
  (``BENCH_POSTGRES_URL`` names the unsized database; sized ones add ``_<size>``), when reachable.

One database per size keeps the generated data between runs: only the first run at a size pays for seeding.

Examples::

    python -m bench.run                                  # everything, sizes 100,000 and 1,000,000
    python -m bench.run --only registry --sizes 100000   # one group, one size
    python -m bench.run --databases sqlite --repeat 3
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench import results
from bench.registry import DATABASES, select

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = results.RESULTS_DIR
DEFAULT_SIZES = (100_000, 1_000_000)
SQLITE_DIR = Path(os.environ.get("BENCH_SQLITE_DIR", BENCH_DIR))
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/sentra_bench")


def database_url(database: str, size: int | None) -> str:
    suffix = f"_{size}" if size else ""
    if database == "sqlite":
        return f"sqlite:///{SQLITE_DIR / f'sentra_bench{suffix}.sqlite3'}"
    base, _, query = POSTGRES_URL.partition("?")
    return base + suffix + (f"?{query}" if query else "")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", default=[], help="group or benchmark name (repeatable, or a,b)")
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="generated businesses for sized benchmarks, comma-separated (default 100000,1000000)",
    )
    parser.add_argument(
        "--databases", default=",".join(DATABASES), help="sqlite,postgresql (PostgreSQL is skipped if unreachable)"
    )
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per measurement (median is reported)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs before timing")
    parser.add_argument("--fresh", action="store_true", help="start a new results file instead of merging")
    parser.add_argument("--list", action="store_true", help="list the registered benchmarks and exit")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # database kind, internal
    parser.add_argument("--out", help=argparse.SUPPRESS)  # child's output file, internal
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)  # child's size, internal
    args = parser.parse_args(argv)
    args.only = [o for item in args.only for o in item.split(",") if o]
    args.sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    for db in args.databases:
        if db not in DATABASES:
            parser.error(f"unknown database {db!r}; choose from {', '.join(DATABASES)}")
    return args


def discover() -> None:
    """Import every ``bench/bench_*.py`` module so that its ``@benchmark`` functions register."""
    import bench

    for module in pkgutil.iter_modules(bench.__path__):
        if module.name.startswith("bench_"):
            importlib.import_module(f"bench.{module.name}")


# --- parent ---------------------------------------------------------------------------------------------------


def postgres_reachable(url: str) -> tuple[bool, str]:
    """Connect to the server's ``postgres`` database and create the bench database if it is missing."""
    try:
        import psycopg
        from psycopg import sql
    except ImportError:
        return False, "psycopg is not installed"
    import dj_database_url

    cfg = dj_database_url.parse(url)
    conninfo = {
        "host": cfg.get("HOST") or "127.0.0.1",
        "port": cfg.get("PORT") or 5432,
        "user": cfg.get("USER") or "postgres",
        "password": cfg.get("PASSWORD") or None,
        "connect_timeout": 3,
    }
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))
    except Exception as exc:  # unreachable server, refused auth, ...
        return False, f"{exc.__class__.__name__}: {str(exc).strip().splitlines()[0] if str(exc) else ''}"
    return True, ""


def child_env(database: str, size: int | None) -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "sentra.settings.base"
    env["SENTRA_DATA_DIR"] = str(BENCH_DIR)
    env["DATABASE_URL"] = database_url(database, size)
    env.pop("DEBUG", None)
    env["PYTHONUNBUFFERED"] = "1"  # progress of long seeds shows up at once, also when output is redirected
    env.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child_main(args)
    if args.list:
        discover()
        for b in select(args.only):
            print(f"{b.name:40} group={b.group:10} sized={b.sized!s:5} {b.description}")
        return 0
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    new: list[dict] = []
    failed = False
    discover()
    chosen = select(args.only)
    if not chosen:
        print(f"no benchmark matches --only {','.join(args.only)} (see --list)", file=sys.stderr)
        return 2
    for database in args.databases:
        wanted = [b for b in chosen if database in b.databases]
        runs: list[int | None] = [None] if any(not b.sized for b in wanted) else []
        runs += args.sizes if any(b.sized for b in wanted) else []
        for size in runs:
            url = database_url(database, size)
            if database == "postgresql":
                ok, why = postgres_reachable(url)
                if not ok:
                    print(f"== postgresql: skipped, server not reachable ({why})", flush=True)
                    break
            print(f"== {database}" + (f", {size:,} businesses" if size else ""), flush=True)
            with tempfile.NamedTemporaryFile(suffix=".json", dir=BENCH_DIR, delete=False) as fh:
                out = Path(fh.name)
            cmd = [sys.executable, "-m", "bench.run", "--child", database, "--out", str(out)]
            cmd += ["--repeat", str(args.repeat), "--warmup", str(args.warmup)]
            if size:
                cmd += ["--size", str(size)]
            if args.only:
                cmd += ["--only", ",".join(args.only)]
            proc = subprocess.run(cmd, env=child_env(database, size), cwd=ROOT)
            failed |= proc.returncode != 0
            try:
                new += json.loads(out.read_text() or "[]")
            except (FileNotFoundError, json.JSONDecodeError):
                failed = True
            finally:
                out.unlink(missing_ok=True)
    new += results.scale_records(new)
    records = new if args.fresh else results.merge(results.load(), new)
    results.save(records)
    print()
    print(results.format_table(new) if new else "(no measurements)")
    missed = [r for r in new if r.get("ok") is False]
    print(
        f"\n{len(new)} measurements, {len(missed)} over target, in {time.perf_counter() - started:.0f} s → "
        f"{results.RESULTS_FILE.relative_to(ROOT) if results.RESULTS_FILE.is_relative_to(ROOT) else results.RESULTS_FILE}"
    )
    return 1 if failed or missed else 0


# --- child ----------------------------------------------------------------------------------------------------


def child_main(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from bench.context import BenchContext

    if getattr(settings, "SENTRA_PRODUCTION", False):
        print("bench refuses to run with production settings", file=sys.stderr)
        return 2
    name = settings.DATABASES["default"]["NAME"]
    demo = (Path(settings.DATA_DIR) / "sentra.sqlite3").resolve() if hasattr(settings, "DATA_DIR") else None
    if str(name).endswith("sentra.sqlite3") and demo is not None and Path(str(name)).resolve() == demo:
        print("bench refuses to touch the demo database", file=sys.stderr)
        return 2
    print(f"  migrating {name} …", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    discover()
    benches = [b for b in select(args.only) if args.child in b.databases]
    records = []
    failed = False

    def run_one(bench, size):  # type: ignore[no-untyped-def]
        nonlocal failed
        ctx = BenchContext(database=args.child, size=size, repeat=args.repeat, warmup=args.warmup, group=bench.group)
        label = f"{bench.name}" + (f" @ {size:,}" if size else "")
        print(f"-- {label}", flush=True)
        try:
            bench.func(ctx)
        except Exception:
            traceback.print_exc()
            failed = True
        records.extend(r.as_dict() for r in ctx.records)

    for bench in benches:
        if bool(bench.sized) == bool(args.size):
            run_one(bench, args.size)
    Path(args.out).write_text(json.dumps(records))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
