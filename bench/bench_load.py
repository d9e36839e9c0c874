"""load test — 50 logged-in officers for 60 s against a served instance, p95 per page vs a bare view.

The bench starts gunicorn itself (several workers, 127.0.0.1, a free port) on the bench database of the size
asked for (``--sizes``, e.g. 20000 or 1000000 businesses), makes a session per virtual user (a national admin,
never a superuser, so scope checks run), and runs locust headless: list, search, detail, edit (open and save)
and export, and the bare view ``/bench-bare/`` (bench/load_urls.py) with the same weight as a page. It records
per page the p95 in ms next to the bare view's p95 (the ratio), the request count, and the errors (target 0).

PostgreSQL only (the issue's set-up). Not part of CI. Knobs (environment): ``BENCH_LOAD_USERS`` (50),
``BENCH_LOAD_SECONDS`` (60), ``BENCH_LOAD_WORKERS`` (gunicorn workers, 4), ``BENCH_LOAD_THREADS`` (4 per
worker), ``BENCH_LOAD_THINK`` (mean seconds between a user's requests, 1.0).

    python -m bench.run --only load --sizes 20000         # a quick check
    python -m bench.run --only load --sizes 1000000       # the issue's figure, on an idle machine
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.registry import benchmark

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("list", "search", "detail", "edit_form", "edit_save", "export")


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fixture(users: int, path: Path) -> None:
    """Sessions for ``users`` virtual officers, and the ids/NIBs/words they ask for."""
    from django.conf import settings

    from bench.fixtures import bench_user, verified_session
    from sentra.registry.models import Business

    user = bench_user("national")
    sessions = [verified_session(user) for _ in range(users)]
    sample = list(Business.objects.filter(deleted_at__isnull=True).order_by("?").values("pk", "nib", "name")[:2000])
    words = sorted({w for b in sample[:300] for w in b["name"].split() if len(w) >= 4})[:200] or ["Jaya"]
    path.write_text(
        json.dumps(
            {
                "cookie": settings.SESSION_COOKIE_NAME,
                "sessions": sessions,
                "business_ids": [b["pk"] for b in sample],
                "nibs": [b["nib"] for b in sample if b["nib"]][:500],
                "words": words,
            }
        ),
        encoding="utf-8",
    )


def _wait_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def _stats(prefix: Path) -> dict[str, dict[str, float]]:
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows[row["Name"]] = {
                "count": float(row["Request Count"]),
                "failures": float(row["Failure Count"]),
                "p95": float(row["95%"]),
                "median": float(row["50%"]),
                "rps": float(row["Requests/s"]),
            }
    return rows


@benchmark("load.mixed", sized=True, databases=("postgresql",))
def load_mixed(ctx) -> None:  # type: ignore[no-untyped-def]
    """50 logged-in users for 60 s: p95 of each page vs a bare Django view, errors."""
    users = _env_int("BENCH_LOAD_USERS", 50)
    seconds = _env_int("BENCH_LOAD_SECONDS", 60)
    workers = _env_int("BENCH_LOAD_WORKERS", 4)
    threads = _env_int("BENCH_LOAD_THREADS", 4)
    locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or shutil.which("locust")
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    if not locust or not gunicorn:
        print("  load test skipped: install the bench extra (pip install -e '.[bench]') for locust and gunicorn")
        return
    ctx.ensure_businesses(ctx.size)
    out = ROOT / "var" / "bench" / f"load_{ctx.database}_{ctx.size}"
    out.parent.mkdir(parents=True, exist_ok=True)
    fixture = out.with_suffix(".json")
    _fixture(users, fixture)

    from django.db import connections

    connections.close_all()  # the served workers open their own
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.load_settings", "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [
            gunicorn,
            "sentra.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--worker-class=gthread",
            "--log-level=warning",
            "--timeout=120",
            "--keep-alive=30",  # as behind nginx: no race between an idle close and the next request
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        host = f"http://127.0.0.1:{port}"
        _wait_up(f"{host}/bench-bare/", server)
        print(f"  gunicorn {workers}×{threads} on {host}; locust {users} users for {seconds} s", flush=True)
        run = subprocess.run(
            [
                locust,
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                f"--users={users}",
                f"--spawn-rate={users}",
                f"--run-time={seconds}s",
                "--stop-timeout=30",  # let requests in flight finish: an interrupted one is not a server error
                f"--host={host}",
                f"--csv={out}",
                "--only-summary",
                "--loglevel=WARNING",
                "--exit-code-on-error=0",
            ],
            cwd=ROOT,
            env={**os.environ, "BENCH_LOAD_FIXTURE": str(fixture)},
            capture_output=True,
            text=True,
            timeout=seconds + 120,
        )
        if run.returncode != 0:
            print(run.stdout[-3000:], run.stderr[-3000:], sep="\n")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    stats = _stats(out)
    bare = stats["bare"]["p95"]
    ctx.record("load.bare.p95", bare, note=f"{int(stats['bare']['count'])} requests")
    for page in PAGES:
        if page in stats:
            s = stats[page]
            ctx.record(
                f"load.{page}.p95",
                s["p95"],
                baseline=bare,
                note=f"{int(s['count'])} requests, median {s['median']:g} ms",
            )
    total = stats.get("Aggregated", {})
    errors = int(sum(s["failures"] for name, s in stats.items() if name != "Aggregated"))
    ctx.record(
        "load.errors", errors, unit="errors", target=0, ok=errors == 0, note=f"of {int(total.get('count', 0))} requests"
    )
    ctx.record(
        "load.throughput",
        total.get("rps", 0.0),
        unit="req/s",
        higher_is_better=True,
        note=f"{users} users, {seconds} s",
    )
    failures = out.parent / f"{out.name}_failures.csv"
    if errors and failures.exists():
        print(failures.read_text(encoding="utf-8")[:2000])
