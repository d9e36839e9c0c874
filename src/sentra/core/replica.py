"""Reports read from a PostgreSQL read replica when one is configured (``DATABASE_REPLICA_URL``).

Dashboards, statistics and reports are read-heavy and tolerate a replica's second of lag; everything else (forms,
lists a user just edited, logins, sessions) stays on the primary so a user always sees their own writes. Reads are
sent to the replica only while a request is serving a report page (``ReportReadsMiddleware``) or code runs inside
``reports_on_replica()`` (report jobs), and only for domain tables: auth, sessions and the audit trail never leave
the primary. Writes always go to the primary. Without a replica nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

REPLICA_ALIAS = "replica"
#: Apps whose tables reports read; a replica may serve them with a little lag.
REPLICA_APPS = frozenset({"regions", "registry", "centres", "training", "budget", "quality", "reports", "periodic"})
#: URL namespaces (and names) of the pages that read only: served from the replica on GET.
REPORT_NAMESPACES = frozenset({"reports"})
REPORT_URL_NAMES = frozenset({"core:dashboard"})

_on_replica: ContextVar[bool] = ContextVar("sentra_reports_on_replica", default=False)


def replica_configured() -> bool:
    return REPLICA_ALIAS in settings.DATABASES


def reading_reports() -> bool:
    """Whether reads in this context may go to the replica."""
    return _on_replica.get()


@contextmanager
def reports_on_replica() -> Iterator[None]:
    """Send this block's domain reads to the replica (a no-op without one)."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


class ReplicaRouter:
    """Domain reads of report pages go to the replica; writes and migrations only ever touch the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _on_replica.get() and model._meta.app_label in REPLICA_APPS and replica_configured():
            return REPLICA_ALIAS
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        # The replica holds the same rows as the primary: objects from either may be related.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA_ALIAS


def is_report_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.namespace in REPORT_NAMESPACES or match.view_name in REPORT_URL_NAMES


class ReportReadsMiddleware:
    """Serve read-only report pages from the replica (when configured)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured() or not is_report_request(request):
            return self.get_response(request)
        with reports_on_replica():
            return self.get_response(request)
