"""The production topology of docs/deployment.md on one machine, on 127.0.0.1 only, with its real components.

    python scripts/cluster.py up        # start (idempotent: what already runs is left running)
    python scripts/cluster.py status    # what runs, on which port
    python scripts/cluster.py down      # stop everything it started; --purge also removes its directory
    python scripts/cluster.py kill NAME / start NAME   # one component (app1, app2, worker1, worker2, replica, ...)

Components (ports are fixed so the commands can be typed by hand; override the base with SENTRA_CLUSTER_PORT_BASE):

| name      | what                                                   | port  |
|-----------|--------------------------------------------------------|-------|
| primary   | PostgreSQL primary (initdb; WAL streaming on)           | 55432 |
| replica   | PostgreSQL streaming replica (pg_basebackup -R)         | 55433 |
| redis     | Redis: cache, API token cache and the RQ task queue     | 56379 |
| app1/app2 | gunicorn with sentra.settings.prod                      | 58001/58002 |
| worker1/2 | `sentra worker` on the RQ queue                         | -     |
| lb        | nginx: TLS (self-signed) and load balancing to app1/2  | 58443 |

Everything lives in ``var/cluster/`` (``SENTRA_CLUSTER_DIR``): data directories, logs, pid files, the TLS pair and
``cluster.env`` — ``set -a; . var/cluster/cluster.env`` makes `sentra ...` commands talk to the cluster.
Missing system packages (nginx, a PostgreSQL server) are installed with apt-get. Run as root, the PostgreSQL
processes run as the ``postgres`` user (initdb refuses root); the others as the caller.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIR = Path(os.environ.get("SENTRA_CLUSTER_DIR", ROOT / "var" / "cluster")).resolve()
VENV_BIN = Path(sys.executable).parent
BASE = int(os.environ.get("SENTRA_CLUSTER_PORT_BASE", "55000"))
PORTS = {
    "primary": BASE + 432,
    "replica": BASE + 433,
    "redis": BASE + 1379,
    "app1": BASE + 3001,
    "app2": BASE + 3002,
    "lb": BASE + 3443,
}
APPS = ("app1", "app2")
WORKERS = ("worker1", "worker2")
#: Start order; ``down`` stops in reverse.
ORDER = ("primary", "replica", "redis", *APPS, *WORKERS, "lb")
IS_ROOT = os.geteuid() == 0


def say(message: str) -> None:
    print(f"[cluster] {message}", flush=True)


def lb_url() -> str:
    return f"https://127.0.0.1:{PORTS['lb']}"


# --- System packages ------------------------------------------------------------------------------------------


def _apt_install(*packages: str) -> None:
    if not IS_ROOT or not shutil.which("apt-get"):
        sys.exit(f"Missing {', '.join(packages)}: install them (apt-get install -y {' '.join(packages)}) and retry.")
    say(f"installing {', '.join(packages)} (apt-get)")
    # The packages' own services must not start on their default ports: only what this script starts runs.
    policy = Path("/usr/sbin/policy-rc.d")
    made_policy = not policy.exists()
    if made_policy:
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
    try:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env, stdout=subprocess.DEVNULL)
    finally:
        if made_policy:
            policy.unlink(missing_ok=True)


def pg_bin(name: str) -> str:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True)
    for directory in versions:
        if (directory / name).exists():
            return str(directory / name)
    found = shutil.which(name)
    if found:
        return found
    _apt_install("postgresql")
    return pg_bin(name)


def nginx_bin() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found:
        return found
    _apt_install("nginx-light")
    return shutil.which("nginx") or "/usr/sbin/nginx"


# --- Processes ---------------------------------------------------------------------------------------------------


def pid_file(name: str) -> Path:
    return DIR / "run" / f"{name}.pid"


def running_pid(name: str) -> int | None:
    path = pid_file(name)
    if name in ("primary", "replica"):
        path = DIR / "pg" / name / "postmaster.pid"
    try:
        pid = int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    try:  # a killed child of this process stays a zombie until reaped: it runs no more
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return pid
    return None if state in ("Z", "X") else pid


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_port(port: int, name: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(port):
            return
        time.sleep(0.2)
    raise SystemExit(f"{name} did not open port {port} within {timeout:.0f} s (logs: {DIR / 'logs'})")


def spawn(name: str, argv: list[str], env: dict[str, str]) -> int:
    """Start a long-running process in its own session (so a kill takes its children too); record its pid."""
    log = open(DIR / "logs" / f"{name}.log", "ab")
    proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
    pid_file(name).write_text(str(proc.pid))
    return proc.pid


def as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if IS_ROOT else argv


def run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def,type-arg]
    return subprocess.run(argv, check=True, **kwargs)


# --- Environment ---------------------------------------------------------------------------------------------


def cluster_env() -> dict[str, str]:
    """The environment of every Sentra process of the cluster (also written to ``cluster.env``)."""
    secret_path = DIR / "secret_key"
    if not secret_path.exists():
        secret_path.write_text(secrets.token_urlsafe(50))
        secret_path.chmod(0o600)
    values = {
        "DJANGO_SETTINGS_MODULE": "sentra.settings.prod",
        "SECRET_KEY": secret_path.read_text().strip(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": lb_url(),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PORTS['primary']}/sentra",
        "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{PORTS['replica']}/sentra",
        "REDIS_URL": f"redis://127.0.0.1:{PORTS['redis']}/0",
        "SENTRA_TASKS_BACKEND": "rq",
        "SENTRA_DATA_DIR": str(DIR / "data"),
        # Short enough that a killed worker's job is taken up again within a rehearsal.
        "SENTRA_JOB_STALE_SECONDS": os.environ.get("SENTRA_JOB_STALE_SECONDS", "15"),
        "SENTRA_HSTS_SECONDS": "0",
    }
    (DIR / "cluster.env").write_text("".join(f"{k}={v}\n" for k, v in values.items()))
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "SENTRA_", "DJANGO_", "REDIS_"))}
    return {**keep, **values, "PYTHONUNBUFFERED": "1"}


# --- Components ---------------------------------------------------------------------------------------------------


def start_primary() -> None:
    data = DIR / "pg" / "primary"
    if not (data / "PG_VERSION").exists():
        say("initdb primary")
        (DIR / "pg").mkdir(parents=True, exist_ok=True)
        if IS_ROOT:
            shutil.chown(DIR / "pg", "postgres", "postgres")
        run(
            as_postgres([pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
            stdout=subprocess.DEVNULL,
        )
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(
                "\n# sentra cluster\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
                "wal_level = replica\nmax_wal_senders = 5\nwal_keep_size = '512MB'\nhot_standby = on\n"
                "fsync = on\nsynchronous_commit = on\nmax_connections = 200\nshared_buffers = '256MB'\n"
            )
        with open(data / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
    if running_pid("primary") is None:
        say(f"PostgreSQL primary on {PORTS['primary']}")
        run(
            as_postgres(
                [
                    pg_bin("pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    f"-p {PORTS['primary']}",
                    "-l",
                    str(DIR / "pg" / "primary.log"),
                    "-w",
                    "start",
                ]
            ),
            stdout=subprocess.DEVNULL,
        )
    probe = [pg_bin("psql"), "-h", "127.0.0.1", "-p", str(PORTS["primary"]), "-U", "postgres", "-tAc"]
    exists = subprocess.run(
        [*probe, "SELECT 1 FROM pg_database WHERE datname='sentra'"], capture_output=True, text=True
    )
    if exists.stdout.strip() != "1":
        run([*probe, "CREATE DATABASE sentra"], stdout=subprocess.DEVNULL)


def start_replica() -> None:
    data = DIR / "pg" / "replica"
    if not (data / "PG_VERSION").exists():
        say("pg_basebackup replica from primary")
        run(
            as_postgres(
                [
                    pg_bin("pg_basebackup"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(PORTS["primary"]),
                    "-U",
                    "postgres",
                    "-D",
                    str(data),
                    "-R",
                    "-X",
                    "stream",
                    "-c",
                    "fast",
                ]
            )
        )
    if running_pid("replica") is None:
        say(f"PostgreSQL replica on {PORTS['replica']}")
        run(
            as_postgres(
                [
                    pg_bin("pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    f"-p {PORTS['replica']}",
                    "-l",
                    str(DIR / "pg" / "replica.log"),
                    "-w",
                    "start",
                ]
            ),
            stdout=subprocess.DEVNULL,
        )


def start_redis(env: dict[str, str]) -> None:
    if running_pid("redis") is None:
        say(f"Redis on {PORTS['redis']}")
        (DIR / "redis").mkdir(exist_ok=True)
        redis = shutil.which("redis-server")
        if not redis:
            _apt_install("redis-server")
            redis = shutil.which("redis-server") or "/usr/bin/redis-server"
        # appendonly: a queued task survives a Redis restart.
        spawn(
            "redis",
            [
                redis,
                "--bind",
                "127.0.0.1",
                "--port",
                str(PORTS["redis"]),
                "--dir",
                str(DIR / "redis"),
                "--appendonly",
                "yes",
                "--save",
                "",
                "--daemonize",
                "no",
            ],
            env,
        )
    wait_port(PORTS["redis"], "redis")


def prepare_sentra(env: dict[str, str]) -> None:
    """Migrate and collect static files for the code checked out now (quick when nothing changed)."""
    sentra = str(VENV_BIN / "sentra")
    say("migrate, compile messages, collect static files")
    run([sentra, "migrate", "--no-input", "-v", "0"], env=env)
    run([sentra, "compilemessages_sentra"], env=env, stdout=subprocess.DEVNULL)
    run([sentra, "collectstatic", "--no-input", "-v", "0"], env=env)


def start_app(name: str, env: dict[str, str]) -> None:
    if running_pid(name) is None:
        port = PORTS[name]
        say(f"gunicorn {name} on {port}")
        spawn(
            name,
            [
                str(VENV_BIN / "gunicorn"),
                "sentra.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                os.environ.get("SENTRA_CLUSTER_APP_WORKERS", "2"),
                "--threads",
                "4",
                "--graceful-timeout",
                "5",
                "--timeout",
                "120",
                "--keep-alive",
                "75",
            ],
            env,
        )
    wait_port(PORTS[name], name)


def start_worker(name: str, env: dict[str, str]) -> None:
    if running_pid(name) is None:
        say(f"task worker {name} (RQ)")
        spawn(name, [str(VENV_BIN / "sentra"), "worker"], env)


def write_tls() -> tuple[Path, Path]:
    tls = DIR / "tls"
    cert, key = tls / "cert.pem", tls / "key.pem"
    if not cert.exists():
        tls.mkdir(exist_ok=True)
        run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "30",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        key.chmod(0o600)
    return cert, key


def start_lb(env: dict[str, str]) -> None:
    if running_pid("lb") is None:
        cert, key = write_tls()
        tmp = DIR / "nginx"
        tmp.mkdir(exist_ok=True)
        conf = DIR / "nginx.conf"
        servers = "\n".join(f"        server 127.0.0.1:{PORTS[a]} max_fails=3 fail_timeout=5s;" for a in APPS)
        conf.write_text(f"""daemon off;
worker_processes 2;
pid {DIR / "run" / "nginx-master.pid"};
error_log {DIR / "logs" / "nginx-error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    access_log {DIR / "logs" / "nginx-access.log"};
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    client_max_body_size 200m;
    upstream sentra_app {{
{servers}
        keepalive 16;
        # Closed by nginx before gunicorn would close it (its --keep-alive is longer): a reused connection is
        # never reset under a request, which would count against a healthy node.
        keepalive_timeout 30s;
    }}
    server {{
        listen 127.0.0.1:{PORTS["lb"]} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        location / {{
            proxy_pass http://sentra_app;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_connect_timeout 2s;
            proxy_read_timeout 120s;
            # A node that is down: GETs go to the other node (nginx never repeats a POST on its own).
            proxy_next_upstream error timeout http_502 http_503;
            add_header X-Sentra-Node $upstream_addr always;
        }}
    }}
}}
""")
        say(f"nginx load balancer on https://127.0.0.1:{PORTS['lb']}")
        spawn("lb", [nginx_bin(), "-c", str(conf), "-p", str(DIR)], env)
    wait_port(PORTS["lb"], "nginx")


def start(name: str, env: dict[str, str] | None = None) -> None:
    env = env or cluster_env()
    if name == "primary":
        start_primary()
    elif name == "replica":
        start_replica()
    elif name == "redis":
        start_redis(env)
    elif name in APPS:
        start_app(name, env)
    elif name in WORKERS:
        start_worker(name, env)
    elif name == "lb":
        start_lb(env)
    else:
        raise SystemExit(f"unknown component {name!r} ({', '.join(ORDER)})")


def up() -> None:
    for sub in ("logs", "run", "data"):
        (DIR / sub).mkdir(parents=True, exist_ok=True)
    DIR.chmod(0o711)  # the postgres user must reach its data directory inside
    env = cluster_env()
    start_primary()
    start_replica()
    start_redis(env)
    prepare_sentra(env)
    for name in (*APPS, *WORKERS, "lb"):
        start(name, env)
    wait_healthy()
    say(f"up: {lb_url()}  (environment: {DIR / 'cluster.env'})")


def _insecure() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the cluster's own self-signed certificate, on 127.0.0.1 only
    return context


def wait_healthy(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{lb_url()}/healthz", timeout=3, context=_insecure()) as r:
                if r.status == 200:
                    return
        except OSError as exc:
            last = str(exc)
        time.sleep(0.5)
    raise SystemExit(f"the cluster did not answer /healthz within {timeout:.0f} s: {last}")


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children, ...), whatever their process group."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill(name: str, sig: int = signal.SIGKILL) -> None:
    """Kill one component the hard way (a crash, not a shutdown): the whole process group, at once."""
    if name in ("primary", "replica"):
        mode = "immediate" if sig == signal.SIGKILL else "fast"
        data = DIR / "pg" / name
        if running_pid(name) is not None:
            subprocess.run(
                as_postgres([pg_bin("pg_ctl"), "-D", str(data), "-m", mode, "-w", "stop"]),
                stdout=subprocess.DEVNULL,
                check=False,
            )
        return
    pid = running_pid(name)
    if pid is None:
        return
    # An RQ work horse runs in a session of its own: it would finish its job after its worker died.
    for child in descendants(pid):
        try:
            os.kill(child, sig)
        except ProcessLookupError:
            pass
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass
    for _ in range(100):
        if running_pid(name) is None:
            break
        time.sleep(0.05)
    pid_file(name).unlink(missing_ok=True)


def down(purge: bool = False) -> None:
    for name in reversed(ORDER):
        if running_pid(name) is not None:
            say(f"stopping {name}")
            kill(name, signal.SIGTERM)  # a shutdown; a component that will not stop is killed below
            if running_pid(name) is not None:
                kill(name, signal.SIGKILL)
    left = [f"{name}:{port}" for name, port in PORTS.items() if port_open(port)]
    if left:
        raise SystemExit(f"still answering after down: {', '.join(left)}")
    if purge and DIR.exists():
        shutil.rmtree(DIR)
        say(f"removed {DIR}")
    say("down: nothing left running")


def status() -> int:
    missing = 0
    for name in ORDER:
        pid = running_pid(name)
        port = PORTS.get(name)
        where = f" port {port}" if port else ""
        state = f"running (pid {pid}){where}" if pid else "stopped"
        missing += pid is None
        print(f"{name:<8} {state}")
    return 1 if missing else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("up", "down", "status", "kill", "start", "env"))
    parser.add_argument("name", nargs="?")
    parser.add_argument("--purge", action="store_true", help="with down: also remove the cluster's directory")
    args = parser.parse_args(argv)
    if args.command == "up":
        up()
    elif args.command == "down":
        down(purge=args.purge)
    elif args.command == "status":
        return status()
    elif args.command == "env":
        print((DIR / "cluster.env").read_text(), end="")
    elif args.command in ("kill", "start"):
        if not args.name:
            parser.error(f"{args.command} needs a component name: {', '.join(ORDER)}")
        kill(args.name) if args.command == "kill" else start(args.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
