"""The cluster rehearsal: the production topology under load while its parts fail, and what was lost (nothing).

    python -m bench.cluster rehearsal     # `make cluster-rehearsal`: 120 s, 100k-row import, every fault
    python -m bench.cluster smoke         # `make cluster-smoke` (CI): 10 s of load, one app node killed, a 2k import

It starts the cluster of ``scripts/cluster.py`` (PostgreSQL primary + streaming replica, Redis, two gunicorn
nodes behind nginx, two RQ workers; all on 127.0.0.1), seeds a registry, and runs locust against the load
balancer: officers reading lists, searching, opening businesses, the dashboard and statistics (served from the
replica), editing (each save is followed by a read of the same business: read-your-writes) and exporting. On a
schedule it kills one app node with SIGKILL and starts it again, starts an import of ``--import-rows`` rows as a
background job and kills the worker running it in the middle, and stops the replica (immediate shutdown) and
starts it again. Afterwards it checks against the log of acknowledged writes that every one of them is in the
database (its audit event and, for the last save of each business, the row itself), that the import went in
exactly once (row count, distinct NIBs and a checksum of the rows against the file's), and records:

| record | target |
|---|---|
| ``cluster.requests`` / ``cluster.failure_pct`` | failures ≤ 1% (only requests in flight on the killed node may fail) |
| ``cluster.lost_writes`` | 0 |
| ``cluster.read_your_writes_violations`` | 0 |
| ``cluster.import_exactly_once`` | 1 (rows, distinct NIBs and checksum all equal the file's) |
| ``cluster.replica_lag_max_s`` | reported (the replica was stopped for a while on purpose) |
| ``cluster.requests_per_s_per_node``, ``cluster.import_rows_per_s`` | reported (the sizing table's figures) |

into ``var/bench/results.json``. It stops the cluster at the end (``--keep`` leaves it running).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
IMPORT_NIB_BASE = 9_100_000_000_000
#: The failure text bench/cluster_locustfile.py gives a read after a save that does not show the saved value.
MISSING_AFTER_SAVE = "the saved value is missing on the next page"


def _cluster_module() -> Any:
    spec = importlib.util.spec_from_file_location("sentra_cluster", ROOT / "scripts" / "cluster.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cluster = _cluster_module()


# --- Django side (run in a child process with the cluster's environment) ------------------------------------


def _child(task: str, env: dict[str, str], **kwargs: Any) -> dict[str, Any]:
    # The cluster's database, cache and queue, with the base settings: seeding refuses the production settings.
    env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "sentra.settings.base",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
    }
    out = subprocess.run(
        [sys.executable, "-m", "bench.cluster", "_child", task, json.dumps(kwargs)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{task} failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def child_prepare(*, businesses: int, users: int, import_rows: int, fixture: str, import_file: str) -> dict[str, Any]:
    from bench.bench_import_export import write_csv
    from bench.fixtures import bench_user, ensure_businesses, verified_session
    from sentra.core.models import Job
    from sentra.registry.models import Business

    ensure_businesses(businesses)  # reseeds (replacing all) when a previous rehearsal's import is still there
    Job.objects.filter(kind="import").delete()
    officer = bench_user("national")
    bench_user("regency")
    sample = list(Business.objects.order_by("?").values("pk", "nib", "name")[:3000])
    words = sorted({w for b in sample[:300] for w in b["name"].split() if len(w) >= 4})[:200] or ["Jaya"]
    from django.conf import settings

    Path(fixture).write_text(
        json.dumps(
            {
                "cookie": settings.SESSION_COOKIE_NAME,
                "sessions": [verified_session(officer) for _ in range(users)],
                "business_ids": [b["pk"] for b in sample],
                "nibs": [b["nib"] for b in sample if b["nib"]][:500],
                "words": words,
            }
        )
    )
    if import_rows:
        write_csv(Path(import_file), import_rows)
    return {"businesses": Business.objects.count()}


def child_start_import(*, path: str) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bench.fixtures import bench_user
    from sentra.core.importing.service import import_commit, import_upload

    officer = bench_user("regency")
    upload = SimpleUploadedFile("rehearsal.csv", Path(path).read_bytes(), content_type="text/csv")
    job = import_upload(actor=officer, kind_key="business", upload=upload)
    job = import_commit(actor=officer, job=job, partial=False)
    return {"job": job.pk}


def _rows_checksum(rows: list[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for nib, name in sorted(rows):
        digest.update(f"{nib}\t{name}\n".encode())
    return digest.hexdigest()


def child_verify(*, writes: str, attempts: str, job: int | None, import_file: str, import_rows: int) -> dict[str, Any]:
    from sentra.core.models import AuditEvent, Job
    from sentra.registry.models import Business

    acknowledged = [json.loads(line) for line in Path(writes).read_text().splitlines() if line.strip()]
    tried = [json.loads(line) for line in Path(attempts).read_text().splitlines() if line.strip()]
    lost: list[dict[str, Any]] = []
    ids = {w["id"] for w in acknowledged}
    events: dict[int, set[str]] = {}
    for object_id, changes in AuditEvent.objects.filter(
        object_id__in=[str(i) for i in ids], action__startswith="registry.business."
    ).values_list("object_id", "changes"):
        value = (changes or {}).get("commodity")
        if isinstance(value, dict):
            value = value.get("new")
        elif isinstance(value, list | tuple):
            value = value[-1]
        events.setdefault(int(object_id), set()).add(str(value))
    final = dict(Business.objects.filter(pk__in=ids).values_list("pk", "commodity"))
    last_ack: dict[int, dict[str, Any]] = {}
    for w in acknowledged:
        if w["value"] not in events.get(w["id"], set()):
            lost.append({**w, "why": "no audit event"})
        if w["id"] not in last_ack or w["t"] > last_ack[w["id"]]["t"]:
            last_ack[w["id"]] = w
    for pk, w in last_ack.items():
        # A later save that was sent but not acknowledged (cut off on a killed node) may have committed.
        later = {a["value"] for a in tried if a["id"] == pk and a["t"] >= w["t"]}
        if final.get(pk) != w["value"] and final.get(pk) not in later:
            lost.append({**w, "why": f"row holds {final.get(pk)!r}"})
    result: dict[str, Any] = {
        "acknowledged": len(acknowledged),
        "attempted": len(tried),
        "lost": lost[:20],
        "lost_count": len(lost),
    }
    if job:
        record = Job.objects.get(pk=job)
        end = str(IMPORT_NIB_BASE + import_rows)
        rows = list(Business.objects.filter(nib__gte=str(IMPORT_NIB_BASE), nib__lt=end).values_list("nib", "name"))
        with open(import_file, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter=";")
            next(reader)
            expected = [(r[0], r[1]) for r in reader]
        result["import"] = {
            "state": record.state,
            "attempts": record.attempts,
            "errors": record.errors[:3],
            "rows": len(rows),
            "distinct_nibs": len({nib for nib, _ in rows}),
            "expected": len(expected),
            # The file's "CV " prefix is the legal form: the import moves it out of the name.
            "checksum_ok": _rows_checksum([(n, " ".join(m.split())) for n, m in rows])
            == _rows_checksum([(n, " ".join(re.sub(r"^CV\s+", "", m).split())) for n, m in expected]),
            "seconds": (record.finished_at - record.started_at).total_seconds()
            if record.finished_at and record.started_at
            else None,
        }
    return result


def _child_main(task: str, kwargs: dict[str, Any]) -> None:
    import django

    django.setup()
    func = {"prepare": child_prepare, "start_import": child_start_import, "verify": child_verify}[task]
    print(json.dumps(func(**kwargs), default=str))


# --- The driver -------------------------------------------------------------------------------------------------


def psql(sql: str, port: int) -> str:
    out = subprocess.run(
        [cluster.pg_bin("psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "sentra", "-tAc", sql],
        capture_output=True,
        text=True,
        timeout=10,
    )
    return out.stdout.strip()


class LagSampler(threading.Thread):
    """Samples, every second, how far the replica is behind (seconds and bytes, as the primary sees it)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.max_seconds = 0.0
        self.max_bytes = 0.0
        self.samples = 0
        self.disconnected = 0

    def run(self) -> None:
        sql = (
            "SELECT COALESCE(MAX(EXTRACT(EPOCH FROM replay_lag)), 0), "
            "COALESCE(MAX(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0), COUNT(*) FROM pg_stat_replication"
        )
        while not self.stop.wait(1.0):
            try:
                seconds, lag_bytes, connected = psql(sql, cluster.PORTS["primary"]).split("|")
            except (ValueError, subprocess.TimeoutExpired):
                continue
            self.samples += 1
            if int(connected) == 0:
                self.disconnected += 1
                continue
            self.max_seconds = max(self.max_seconds, float(seconds))
            self.max_bytes = max(self.max_bytes, float(lag_bytes))


def worker_running_a_job() -> str | None:
    """The RQ worker that has a work horse (the child process running a task) at the moment."""
    for name in cluster.WORKERS:
        pid = cluster.running_pid(name)
        if pid is not None and cluster.descendants(pid):
            return str(name)
    return None


class Faults(threading.Thread):
    """Kills and restarts parts of the cluster on a schedule (seconds after the load started) and logs it."""

    def __init__(self, seconds: float, *, env: dict[str, str], import_file: str | None, smoke: bool) -> None:
        super().__init__(daemon=True)
        self.seconds, self.env, self.import_file, self.smoke = seconds, env, import_file, smoke
        self.log: list[tuple[float, str]] = []
        self.job: int | None = None
        self.error: str | None = None
        self.t0 = time.monotonic()

    def note(self, what: str) -> None:
        at = time.monotonic() - self.t0
        self.log.append((round(at, 1), what))
        print(f"  [{at:6.1f} s] {what}", flush=True)

    def at(self, fraction: float) -> None:
        delay = self.t0 + fraction * self.seconds - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def run(self) -> None:
        try:
            self._run()
        except Exception as exc:  # the rehearsal reports it instead of dying silently in a thread
            self.error = repr(exc)
            self.note(f"fault schedule failed: {exc!r}")

    def _run(self) -> None:
        if self.smoke:
            if self.import_file:  # a small import through the RQ workers: the queue works end to end
                self.job = _child("start_import", self.env, path=self.import_file)["job"]
                self.note(f"import job {self.job} queued")
            self.at(0.3)
            cluster.kill("app1")
            self.note("app1 killed (SIGKILL)")
            self.at(0.6)
            cluster.start("app1", self.env)
            self.note("app1 started again")
            return
        killer = None
        if self.import_file:
            self.at(0.1)
            self.job = _child("start_import", self.env, path=self.import_file)["job"]
            self.note(f"import job {self.job} queued")
            killer = threading.Thread(target=self._kill_the_import_worker, daemon=True)
            killer.start()
        self.at(0.2)
        cluster.kill("app1")
        self.note("app1 killed (SIGKILL)")
        self.at(0.35)
        cluster.start("app1", self.env)
        self.note("app1 started again")
        if killer is not None:
            killer.join(timeout=0.2 * self.seconds)
        self.at(0.55)
        cluster.kill("replica")
        self.note("replica stopped (immediate)")
        self.at(0.75)
        cluster.start("replica", self.env)
        self.note("replica started again")

    def _kill_the_import_worker(self) -> None:
        """Kill the worker running the import once it has run for three seconds, and start it again."""
        deadline = time.monotonic() + 0.4 * self.seconds
        victim, running_for = None, ""
        while time.monotonic() < deadline:
            sql = f"SELECT state, EXTRACT(EPOCH FROM now() - started_at)::int FROM core_job WHERE id={self.job}"
            state, running_for = [*psql(sql, cluster.PORTS["primary"]).split("|"), "", ""][:2]
            if state in ("succeeded", "failed"):
                break
            # In the middle: the worker has parsed for a few seconds and is reading or writing rows.
            if state == "running" and running_for.isdigit() and int(running_for) >= 3:
                victim = worker_running_a_job()
                if victim:
                    break
            time.sleep(0.3)
        if victim is None:
            self.note("the import was never seen running mid-way: no worker killed")
            return
        cluster.kill(victim)
        self.note(f"{victim} killed (SIGKILL) in the middle of the import ({running_for} s into it)")
        time.sleep(3)
        cluster.start(victim, self.env)
        self.note(f"{victim} started again")


def read_your_write_violations(prefix: Path) -> int:
    """Reads right after a save that answered but did not show it (a failed request is counted as a failure)."""
    with open(f"{prefix}_failures.csv", encoding="utf-8") as fh:
        return sum(
            int(row["Occurrences"])
            for row in csv.DictReader(fh)
            if row["Name"] == "read_your_write" and MISSING_AFTER_SAVE in row["Error"]
        )


def locust_stats(prefix: Path) -> dict[str, dict[str, float]]:
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows[row["Name"]] = {
                "count": float(row["Request Count"]),
                "failures": float(row["Failure Count"]),
                "p95": float(row["95%"] if row["95%"] != "N/A" else 0),
                "rps": float(row["Requests/s"]),
            }
    return rows


def rehearse(args: argparse.Namespace) -> int:
    from bench.results import Record, load, merge, save

    work = Path(tempfile.mkdtemp(prefix="sentra-rehearsal-"))
    fixture, writes, attempts = work / "fixture.json", work / "writes.jsonl", work / "attempts.jsonl"
    import_file = work / "import.csv"
    writes.write_text("")
    attempts.write_text("")
    started = time.monotonic()
    cluster.up()
    env = cluster.cluster_env()
    up_seconds = time.monotonic() - started
    print(f"  cluster up in {up_seconds:.0f} s; seeding {args.businesses:,} businesses", flush=True)
    _child(
        "prepare",
        env,
        businesses=args.businesses,
        users=args.users,
        import_rows=args.import_rows,
        fixture=str(fixture),
        import_file=str(import_file),
    )
    locust = Path(sys.executable).parent / "locust"
    if not locust.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "-c", str(ROOT / "constraints.txt"), "locust>=2.30,<3"],
            check=True,
        )
    prefix = work / "locust"
    load_env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "BENCH_LOAD_FIXTURE": str(fixture),
        "BENCH_CLUSTER_WRITES": str(writes),
        "BENCH_CLUSTER_ATTEMPTS": str(attempts),
        "BENCH_LOAD_THINK": str(args.think),
    }
    lag = LagSampler()
    faults = Faults(args.seconds, env=env, import_file=str(import_file) if args.import_rows else None, smoke=args.smoke)
    print(f"  locust: {args.users} officers for {args.seconds} s against {cluster.lb_url()}", flush=True)
    proc = subprocess.Popen(
        [
            str(locust),
            "-f",
            str(ROOT / "bench" / "cluster_locustfile.py"),
            "--headless",
            "-u",
            str(args.users),
            "-r",
            str(args.users),
            "-t",
            f"{args.seconds}s",
            "-H",
            cluster.lb_url(),
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "10",
        ],
        env=load_env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(work / "locust.log", "w"),
    )
    lag.start()
    faults.t0 = time.monotonic()
    faults.start()
    proc.wait()
    faults.join(timeout=60)
    if faults.job:  # the import must finish (exactly once) after the faults
        deadline = time.monotonic() + args.import_timeout
        while time.monotonic() < deadline:
            if psql(f"SELECT state FROM core_job WHERE id={faults.job}", cluster.PORTS["primary"]) in (
                "succeeded",
                "failed",
            ):
                break
            time.sleep(1)
    time.sleep(2)
    lag.stop.set()
    verdict = _child(
        "verify",
        env,
        writes=str(writes),
        attempts=str(attempts),
        job=faults.job,
        import_file=str(import_file),
        import_rows=args.import_rows,
    )
    stats = locust_stats(prefix)
    total = stats.get("Aggregated", {"count": 0, "failures": 0, "rps": 0})
    ryw = stats.get("read_your_write", {"failures": 0, "count": 0})
    ryw["failures"] = read_your_write_violations(prefix)
    failure_pct = 100 * total["failures"] / total["count"] if total["count"] else 100.0
    group = "cluster_smoke" if args.smoke else "cluster"
    note = f"{args.users} users, {args.seconds} s, faults: " + "; ".join(f"{t} s {w}" for t, w in faults.log)
    records = [
        Record("cluster.requests", total["count"], "requests", note=note, group=group),
        Record(
            "cluster.failure_pct",
            failure_pct,
            "%",
            target=1.0,
            group=group,
            note=f"{total['failures']:.0f} of {total['count']:.0f} requests failed",
        ),
        Record(
            "cluster.lost_writes",
            verdict["lost_count"],
            "writes",
            target=0,
            group=group,
            note=f"{verdict['acknowledged']} acknowledged saves checked",
        ),
        Record(
            "cluster.read_your_writes_violations",
            ryw["failures"],
            "reads",
            target=0,
            group=group,
            note=f"{ryw['count']:.0f} reads right after a save",
        ),
        Record(
            "cluster.requests_per_s_per_node",
            total["rps"] / len(cluster.APPS),
            "req/s",
            group=group,
            note=f"{len(cluster.APPS)} gunicorn nodes × {os.environ.get('SENTRA_CLUSTER_APP_WORKERS', '2')} workers "
            f"× 4 threads on this machine, think time {args.think} s (load-limited, not a ceiling)",
        ),
    ]
    if not args.smoke:
        records.append(
            Record(
                "cluster.replica_lag_max_s",
                lag.max_seconds,
                "s",
                group=group,
                note=f"max {lag.max_bytes / 1e6:.1f} MB behind; replica disconnected in "
                f"{lag.disconnected} of {lag.samples} samples (stopped on purpose)",
            )
        )
    imported = verdict.get("import")
    if imported:
        once = (
            imported["state"] == "succeeded"
            and imported["rows"] == imported["expected"] == imported["distinct_nibs"]
            and imported["checksum_ok"]
        )
        records.append(
            Record(
                "cluster.import_exactly_once",
                1 if once else 0,
                "bool",
                target=1,
                higher_is_better=True,
                group=group,
                note=f"{imported['rows']:,} of {imported['expected']:,} rows, attempts "
                f"{imported['attempts']}, checksum {'ok' if imported['checksum_ok'] else 'DIFFERENT'}",
            )
        )
        if imported["seconds"]:
            records.append(
                Record(
                    "cluster.import_rows_per_s",
                    imported["expected"] / imported["seconds"],
                    "rows/s",
                    group=group,
                    higher_is_better=True,
                    note="last attempt, one RQ worker, while under load",
                )
            )
    for r in records:
        r.database = "postgresql"
        r.size = args.businesses
    data = [r.as_dict() for r in records]
    save(merge(load(), data))
    print(json.dumps({"verdict": verdict, "faults": faults.log}, indent=1, default=str)[:4000])
    for r in data:
        flag = "" if r["ok"] is None else (" ok" if r["ok"] else " MISSED")
        print(f"  {r['name']:<40} {r['value']:>12} {r['unit']:<8}{flag}  {r['note']}")
    if not args.keep:
        cluster.down()
    missed = [r["name"] for r in data if r["ok"] is False]
    if faults.error:
        missed.append(f"fault schedule: {faults.error}")
    if missed:
        print(f"  MISSED: {', '.join(missed)} (work files: {work})", flush=True)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_child":
        _child_main(argv[1], json.loads(argv[2]))
        return 0
    parser = argparse.ArgumentParser(description="Cluster rehearsal with faults (see the module's docstring).")
    parser.add_argument("mode", choices=("rehearsal", "smoke"))
    parser.add_argument("--seconds", type=int)
    parser.add_argument("--users", type=int)
    parser.add_argument("--businesses", type=int)
    parser.add_argument("--import-rows", type=int)
    parser.add_argument("--import-timeout", type=int, default=600)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a user's requests")
    parser.add_argument("--keep", action="store_true", help="leave the cluster running afterwards")
    args = parser.parse_args(argv)
    args.smoke = args.mode == "smoke"
    defaults = {"seconds": (10, 120), "users": (5, 30), "businesses": (2_000, 20_000), "import_rows": (2_000, 100_000)}
    for name, (smoke, full) in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, smoke if args.smoke else full)
    try:
        return rehearse(args)
    except BaseException:
        if not args.keep:
            cluster.down()
        raise


if __name__ == "__main__":

    def _stop(*_: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # `timeout` and a shell may both pass the signal on
        sys.exit(143)

    signal.signal(signal.SIGTERM, _stop)
    sys.exit(main())
