"""Locust users for the cluster rehearsal (``bench/cluster.py``; read by ``locust -f``, not by Django).

Officers signed in through the load balancer (HTTPS, the cluster's own certificate) mix the business list, a
search, a business page, the dashboard and the statistics (served from the replica), an edit whose save is
followed by a read of the same business (read-your-writes, reported as ``read_your_write``), and an export.
Every save is logged before it is sent (``BENCH_CLUSTER_ATTEMPTS``) and again once acknowledged with its
redirect (``BENCH_CLUSTER_WRITES``), so the rehearsal can prove afterwards that no acknowledged write was lost.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
import time
import uuid

import urllib3
from locust import HttpUser, between, task
from locust.runners import STATE_STOPPED, STATE_STOPPING

from bench.locustfile import _Form

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
FIXTURE = json.loads(open(os.environ["BENCH_LOAD_FIXTURE"], encoding="utf-8").read())
THINK = float(os.environ.get("BENCH_LOAD_THINK", "1.0"))
_next_user = itertools.count()
_log_lock = threading.Lock()


def _log(path_env: str, entry: dict) -> None:  # type: ignore[type-arg]
    with _log_lock, open(os.environ[path_env], "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


class Officer(HttpUser):
    wait_time = between(THINK * 0.5, THINK * 1.5)

    def on_start(self) -> None:
        n = next(_next_user)
        self.client.verify = False  # the cluster's self-signed certificate, on 127.0.0.1 only
        self.client.cookies.set(FIXTURE["cookie"], FIXTURE["sessions"][n % len(FIXTURE["sessions"])])
        self.client.headers.update({"Referer": f"{self.host}/", "Origin": self.host})
        ids = FIXTURE["business_ids"]
        self.own = ids[n :: len(FIXTURE["sessions"])] or ids  # no two users edit the same business
        self.saves = 0

    def fail(self, response, message: str) -> None:  # type: ignore[no-untyped-def]
        runner = self.environment.runner
        if response.status_code == 0 and runner is not None and runner.state in (STATE_STOPPING, STATE_STOPPED):
            response.success()
            return
        response.failure(f"{message} ({response.error!r})" if response.status_code == 0 else message)

    def page(self, url: str, name: str, **params: str):  # type: ignore[no-untyped-def]
        with self.client.get(url, params=params, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                self.fail(r, f"{name} gave {r.status_code}")
            return r

    @task(4)
    def list_page(self) -> None:
        self.page("/usaha/", "list")

    @task(3)
    def search(self) -> None:
        self.page("/usaha/", "search", q=random.choice(FIXTURE["words"]))

    @task(4)
    def detail(self) -> None:
        self.page(f"/usaha/{random.choice(FIXTURE['business_ids'])}/", "detail")

    @task(2)
    def dashboard(self) -> None:
        self.page("/", "dashboard")

    @task(1)
    def statistics(self) -> None:
        self.page("/statistik/", "statistics")

    @task(3)
    def edit(self) -> None:
        pk = self.own[self.saves % len(self.own)]
        self.saves += 1
        url = f"/usaha/{pk}/ubah/"
        page = self.page(url, "edit_form")
        if page.status_code != 200:
            return
        form = _Form(url)
        form.feed(page.text)
        value = f"Gladi {uuid.uuid4().hex[:12]}"
        form.data["commodity"] = [value]
        _log("BENCH_CLUSTER_ATTEMPTS", {"id": pk, "value": value, "t": time.time()})
        with self.client.post(url, data=form.data, name="edit_save", allow_redirects=False, catch_response=True) as r:
            if r.status_code != 302:
                self.fail(r, f"save gave {r.status_code}")
                return
        _log("BENCH_CLUSTER_WRITES", {"id": pk, "value": value, "t": time.time()})
        # The next page the officer sees must show the save, whichever node or database answers it.
        with self.client.get(f"/usaha/{pk}/", name="read_your_write", catch_response=True) as r:
            if r.status_code == 200 and value not in r.text:
                r.failure("the saved value is missing on the next page")
            elif r.status_code != 200:
                self.fail(r, f"read after save gave {r.status_code}")

    @task(1)
    def export(self) -> None:
        nib = random.choice(FIXTURE["nibs"])
        with self.client.get(
            "/usaha/ekspor/", params={"q": nib, "format": "csv"}, name="export", catch_response=True
        ) as r:
            if r.status_code != 200 or nib not in r.text:
                self.fail(r, f"export gave {r.status_code} without the searched business")
