"""The read replica: report pages' domain reads go there, everything else (and every write) stays on the primary."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from sentra.accounts.models import User
from sentra.core import replica
from sentra.registry.models import Business

ROUTER = replica.ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch, settings):
    """As if DATABASE_REPLICA_URL were set (the alias itself is proven by the settings test below), caught up."""
    settings.SENTRA_REPLICA_CHECK_SECONDS = 0  # ask every time: each test says what the replica answers
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    monkeypatch.setattr(replica, "_health", replica._Health())
    monkeypatch.setattr(replica, "replica_lag_seconds", lambda: 0.0)


def test_without_a_replica_every_read_stays_on_the_primary():
    with replica.reports_on_replica():
        assert ROUTER.db_for_read(Business) is None


def test_report_reads_of_domain_tables_go_to_the_replica(with_replica):
    assert ROUTER.db_for_read(Business) is None  # outside a report: primary
    with replica.reports_on_replica():
        assert ROUTER.db_for_read(Business) == "replica"
        # Users, sessions and the audit trail never leave the primary (a fresh login must be seen at once).
        assert ROUTER.db_for_read(User) is None
        assert ROUTER.db_for_write(Business) == "default"
    assert not replica.reading_reports()


def test_the_replica_is_never_migrated():
    assert ROUTER.allow_migrate("replica", "registry") is False
    assert ROUTER.allow_migrate("default", "registry") is True


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/", True),  # the dashboard home page
        ("GET", "/laporan/", True),
        ("GET", "/statistik/", True),
        ("POST", "/laporan/", False),  # a write is never served from the replica
        ("GET", "/usaha/", False),  # lists a user edits stay on the primary (read your own writes)
        ("GET", "/tidak-ada/", False),
    ],
)
def test_middleware_marks_only_report_pages(with_replica, method, path, expected):
    seen = []

    def view(request):
        seen.append(replica.reading_reports())
        return None

    middleware = replica.ReportReadsMiddleware(view)
    middleware(RequestFactory().generic(method, path))
    assert seen == [expected]
    assert not replica.reading_reports()


def test_database_replica_url_adds_a_mirrored_replica_and_the_router():
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "r = settings.DATABASES['replica'];"
        "print(json.dumps([r['NAME'], r['HOST'], r['TEST'], settings.DATABASE_ROUTERS]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sentra.settings.base",
        "DATABASE_URL": "postgres://sentra@db-primary:5432/sentra",
        "DATABASE_REPLICA_URL": "postgres://sentra@db-replica:5432/sentra",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    name, host, test, routers = json.loads(out.stdout.strip().splitlines()[-1])
    assert (name, host) == ("sentra", "db-replica")
    assert test["MIRROR"] == "default"
    assert routers == ["sentra.core.replica.ReplicaRouter"]


def _down():
    raise OperationalError("connection to server at 127.0.0.1, port 55433 failed: Connection refused")


def test_a_replica_that_is_down_or_behind_is_skipped_and_asked_again_later(with_replica, monkeypatch, settings):
    settings.SENTRA_REPLICA_MAX_LAG_SECONDS = 30
    assert replica.replica_usable()
    monkeypatch.setattr(replica, "replica_lag_seconds", lambda: 31.0)
    assert not replica.replica_usable()
    monkeypatch.setattr(replica, "replica_lag_seconds", _down)
    assert not replica.replica_usable()
    settings.SENTRA_REPLICA_CHECK_SECONDS = 60  # the last answer is kept between checks
    monkeypatch.setattr(replica, "replica_lag_seconds", lambda: 0.0)
    assert not replica.replica_usable()
    settings.SENTRA_REPLICA_CHECK_SECONDS = 0
    assert replica.replica_usable()


def test_a_report_page_is_served_by_the_primary_while_the_replica_is_down(with_replica, monkeypatch):
    monkeypatch.setattr(replica, "replica_lag_seconds", _down)
    seen = []
    middleware = replica.ReportReadsMiddleware(lambda request: seen.append(replica.reading_reports()))
    middleware(RequestFactory().get("/statistik/"))
    assert seen == [False]


def test_a_replica_read_that_fails_mid_page_is_served_again_from_the_primary(with_replica, monkeypatch):
    from django.urls import ResolverMatch

    def view(request):
        if replica.reading_reports():
            raise OperationalError("terminating connection due to administrator command")
        return HttpResponse("dari primer")

    monkeypatch.setattr(replica, "resolve", lambda path: ResolverMatch(view, (), {}))
    middleware = replica.ReportReadsMiddleware(lambda request: None)
    request = RequestFactory().get("/statistik/")
    with replica.reports_on_replica():
        response = middleware.process_exception(request, OperationalError("replica stopped"))
    assert response.content == b"dari primer"
    assert replica._health.usable is False  # marked down at once; asked again at the next check
    assert middleware.process_exception(request, OperationalError("outside a report")) is None
