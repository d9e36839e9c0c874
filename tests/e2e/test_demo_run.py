"""`make demo` serves through scripts/demo-run: Ctrl-C stops the server and the one worker and exits 0.

A terminal's Ctrl-C sends SIGINT to the whole foreground process group; the test starts the script in a process
group of its own and does the same. It needs no browser, but it serves, so it runs with the browser journeys.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SENTRA = str(Path(sys.executable).with_name("sentra"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _default_sigint() -> None:
    # A process started from a shell's background job inherits SIGINT ignored, and bash cannot trap a signal
    # ignored on entry; a terminal's foreground job never has it ignored, so neither does the test's script.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _group_members(pgid: int) -> list[str]:
    out = subprocess.run(
        ["ps", "-ww", "-o", "pid=,stat=,args=", "-g", str(pgid)], capture_output=True, text=True
    ).stdout
    return [line for line in out.splitlines() if line.strip() and " Z" not in line]


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo-run")
    env = {**os.environ, "SENTRA_DATA_DIR": str(data_dir), "SENTRA": SENTRA}
    for name in ("DATABASE_URL", "SENTRA_TASKS_BACKEND", "DEBUG", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)  # the start and stop do not depend on the database: the embedded SQLite
    # An empty database is enough to serve /healthz and run the worker: no regions, no demo data.
    env["SENTRA_LOAD_REGIONS_ON_MIGRATE"] = "0"
    subprocess.run([SENTRA, "migrate", "--no-input", "-v", "0"], env=env, check=True)
    return env


def _start(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "demo-run")],
        env={**env, "PORT": str(port)},
        start_new_session=True,
        preexec_fn=_default_sigint,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_healthy(url: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"demo-run ended early:\n{proc.stdout.read()}"
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the demo server did not answer /healthz")


def test_ctrl_c_stops_server_and_worker_and_exits_zero(demo_env):
    port = _free_port()
    proc = _start(demo_env, port)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}", proc)
        members = _group_members(proc.pid)
        workers = [m for m in members if "sentra worker" in m]
        servers = [m for m in members if "runserver" in m]
        assert len(workers) == 1, members  # one worker: no autoreloader parent and child
        assert len(servers) == 1, members
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        output, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, output
    assert "Sentra dihentikan." in output
    assert "Watching for file changes" not in output
    assert "Segmentation fault" not in output
    time.sleep(0.5)
    assert _group_members(proc.pid) == []
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)


def test_server_that_cannot_start_stops_the_worker_and_fails(demo_env):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = _start(demo_env, port)
        try:
            output, _ = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    assert proc.returncode == 1, output
    assert "berhenti sendiri" in output
    time.sleep(0.5)
    assert _group_members(proc.pid) == []
