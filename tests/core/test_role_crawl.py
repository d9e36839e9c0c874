"""Every demo role walks its pages from its home page and meets no dead end.

The Kendari demo is loaded once; each role then follows every same-site link it is shown (GET), one page per URL
name with path arguments and a few per list (query strings differ), and fails on a 403, 404 or 500: a role is
shown only links it can use. Forms' targets (POST-only pages, logout) and downloads are fetched but not parsed:
a POST-only page (logout included: it does not log out on GET) may answer 405 to GET, never 403/404.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from sentra.accounts.models import User

DEMO_USERS = ("admin", "sultra", "kendari", "mebel", "pelatih", "pemilik")
#: pages per URL name: one for a page with path arguments (a detail page), a few for lists (filters, pages)
PER_NAME_WITH_ARGS = 1
PER_NAME_WITHOUT_ARGS = 2
#: links that are not pages to crawl: static files, the API's machine endpoints, the admin site
SKIP_PREFIXES = ("/static/", "/media/", "/api/", "/admin/", "/bantuan/")
DEAD_ENDS = {403, 404, 500}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, bool]] = []  # (href, is a download / form target)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append((a["href"], "download" in a))
        elif tag == "form" and a.get("action"):
            self.links.append((a["action"], True))
        elif a.get("hx-get"):
            self.links.append((a["hx-get"], True))


def _same_site(base: str, href: str) -> str | None:
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    url = urldefrag(urljoin(base, href)).url
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return path


def _name(path: str) -> tuple[str, bool] | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name, bool(match.kwargs or match.args)


def crawl(client: Client) -> tuple[list[str], int]:
    """Follow links from ``/``; returns the dead ends (``"status path (from page)"``) and the pages fetched."""
    seen: set[str] = set()
    per_name: Counter[str] = Counter()
    queue: list[tuple[str, str, bool]] = [("/", "", False)]
    problems: list[str] = []
    fetched = 0
    while queue:
        path, source, leaf = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        named = _name(path)
        if named is None:
            problems.append(f"unresolvable {path} (from {source})")
            continue
        name, has_args = named
        cap = PER_NAME_WITH_ARGS if has_args else PER_NAME_WITHOUT_ARGS
        if per_name[name] >= cap:
            continue
        per_name[name] += 1
        response = client.get(path)
        fetched += 1
        if response.status_code in DEAD_ENDS:
            problems.append(f"{response.status_code} {path} [{name}] (from {source})")
            continue
        if response.status_code in (301, 302):
            location = response.headers["Location"]
            target = _same_site(path, location)
            if target and "/akun/masuk/" not in target:
                queue.append((target, path, leaf))
            continue
        content_type = response.headers.get("Content-Type", "")
        if leaf or response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href, is_leaf in parser.links:
            target = _same_site(path, href)
            if target and target not in seen:
                queue.append((target, path, is_leaf))
    return problems, fetched


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def test_every_demo_role_meets_no_dead_end(demo):
    problems: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for username in DEMO_USERS:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        found, counts[username] = crawl(client)
        if found:
            problems[username] = found
    assert not problems, "\n".join(f"{u}: {p}" for u, ps in problems.items() for p in ps)
    # the walk reaches beyond the home page for every role
    assert all(count >= 5 for count in counts.values()), counts
