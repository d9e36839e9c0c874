"""Locust users for ``bench/bench_load.py`` (not imported by Django; read by ``locust -f``).

Each user is a logged-in officer (a session cookie made by the bench) who mixes: the business list, a search,
a business page, an edit (open the form, change the commodity, save: must redirect), and an export of a
search result; and, with the same weight as a page, the bare view that the page timings are compared with.
``BENCH_LOAD_FIXTURE`` names the JSON file with sessions, business ids, NIBs and search words.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from html.parser import HTMLParser

from locust import HttpUser, between, task
from locust.runners import STATE_STOPPED, STATE_STOPPING

FIXTURE = json.loads(open(os.environ["BENCH_LOAD_FIXTURE"], encoding="utf-8").read())
THINK = float(os.environ.get("BENCH_LOAD_THINK", "1.0"))
_next_user = itertools.count()


class _Form(HTMLParser):
    """The values of the form posting to ``action`` (or the first POST form), as a browser would send them."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.data, self.inside, self.done = action, {}, False, False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = dict(attrs)
        if tag == "form" and not self.done and (a.get("method") or "").lower() == "post":
            self.inside = (a.get("action") or self.action) == self.action
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.data[name] = [a.get("value") or ""]
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._textarea:
            self.data[self._textarea][0] += data.removeprefix("\n") if not self.data[self._textarea][0] else data

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


class Officer(HttpUser):
    wait_time = between(THINK * 0.5, THINK * 1.5)

    def on_start(self) -> None:
        n = next(_next_user)
        self.client.cookies.set(FIXTURE["cookie"], FIXTURE["sessions"][n % len(FIXTURE["sessions"])])
        # Each user edits businesses of its own, so two users never edit the same record (0 conflicts expected).
        ids = FIXTURE["business_ids"]
        self.own = ids[n :: len(FIXTURE["sessions"])] or ids
        self.saves = 0

    def fail(self, response, message: str) -> None:  # type: ignore[no-untyped-def]
        """Count an error, except a request cut off because the run is ending (locust stops the users)."""
        runner = self.environment.runner
        if response.status_code == 0 and runner is not None and runner.state in (STATE_STOPPING, STATE_STOPPED):
            response.success()
            return
        response.failure(f"{message} ({response.error!r})" if response.status_code == 0 else message)

    def page(self, url: str, name: str, **params: str):  # type: ignore[no-untyped-def]
        """A page must answer 200 itself: a redirect (to the login page, say) counts as an error."""
        with self.client.get(url, params=params, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                self.fail(r, f"{name} gave {r.status_code}")
            return r

    @task(4)
    def bare(self) -> None:
        self.page("/bench-bare/", "bare")

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
    def edit(self) -> None:
        pk = self.own[self.saves % len(self.own)]
        self.saves += 1
        url = f"/usaha/{pk}/ubah/"
        page = self.page(url, "edit_form")
        if page.status_code != 200:
            return
        form = _Form(url)
        form.feed(page.text)
        data = form.data
        data["commodity"] = [f"Uji beban {self.saves}"]
        with self.client.post(url, data=data, name="edit_save", allow_redirects=False, catch_response=True) as r:
            if r.status_code != 302:
                self.fail(r, f"save gave {r.status_code}")

    @task(1)
    def export(self) -> None:
        nib = random.choice(FIXTURE["nibs"])
        with self.client.get(
            "/usaha/ekspor/", params={"q": nib, "format": "csv"}, name="export", catch_response=True
        ) as r:
            if nib not in r.text:
                r.failure("export without the searched business")
