"""The read replica: report pages' domain reads go there, everything else (and every write) stays on the primary."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.test import RequestFactory

from sentra.accounts.models import User
from sentra.core import replica
from sentra.registry.models import Business

ROUTER = replica.ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    """As if DATABASE_REPLICA_URL were set (the alias itself is proven by the settings test below)."""
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


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
