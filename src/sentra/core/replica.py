"""Reports read from a PostgreSQL read replica when one is configured (``DATABASE_REPLICA_URL``).

Dashboards, statistics and reports are read-heavy and tolerate a replica's second of lag; everything else (forms,
lists a user just edited, logins, sessions) stays on the primary so a user always sees their own writes. Reads are
sent to the replica only while a request is serving a report page (``ReportReadsMiddleware``) or code runs inside
``reports_on_replica()`` (report jobs), and only for domain tables: auth, sessions and the audit trail never leave
the primary. Writes always go to the primary. Without a replica nothing changes.

A replica that is down or behind never takes a report page with it: each process asks it every
``SENTRA_REPLICA_CHECK_SECONDS`` whether it answers and how far behind it is (more than
``SENTRA_REPLICA_MAX_LAG_SECONDS`` counts as down), and a page whose replica read fails mid-way (the replica
stopped while it was read) is served again from the primary.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
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
logger = logging.getLogger(__name__)


class _Health:
    """What this process last learnt of the replica, and when (shared by its threads)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked = float("-inf")
        self.usable = False

    def mark_down(self) -> None:
        with self.lock:
            self.usable, self.checked = False, time.monotonic()


_health = _Health()

#: Caught up (nothing received is left to replay) or the seconds since the last replayed transaction.
LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def _close_replica() -> None:
    if replica_configured() and REPLICA_ALIAS in settings.DATABASES:
        connections[REPLICA_ALIAS].close()


def replica_lag_seconds() -> float:
    """Seconds the replica is behind the primary (0 when it has replayed all it received); raises when down."""
    with connections[REPLICA_ALIAS].cursor() as cursor:
        cursor.execute(LAG_SQL if connections[REPLICA_ALIAS].vendor == "postgresql" else "SELECT 0")
        return float(cursor.fetchone()[0] or 0)


def replica_usable() -> bool:
    """Whether report reads may go to the replica now: it answers and is not too far behind (checked at most every
    ``SENTRA_REPLICA_CHECK_SECONDS`` per process; the answer in between is remembered)."""
    now = time.monotonic()
    if now - _health.checked < settings.SENTRA_REPLICA_CHECK_SECONDS:
        return _health.usable
    with _health.lock:
        if now - _health.checked < settings.SENTRA_REPLICA_CHECK_SECONDS:
            return _health.usable
        try:
            lag = replica_lag_seconds()
            usable = lag <= settings.SENTRA_REPLICA_MAX_LAG_SECONDS
            if not usable:
                logger.warning("the read replica is %.0f s behind: report pages read from the primary", lag)
        except DatabaseError:
            logger.warning("the read replica does not answer: report pages read from the primary", exc_info=True)
            _close_replica()
            usable = False
        _health.usable, _health.checked = usable, time.monotonic()
        return usable


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
        if not replica_configured() or not is_report_request(request) or not replica_usable():
            return self.get_response(request)
        with reports_on_replica():
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A replica read failed mid-page (the replica stopped): serve the page again from the primary."""
        if not reading_reports() or not isinstance(exception, DatabaseError):
            return None
        logger.warning("a report page's replica read failed: served from the primary", exc_info=exception)
        _health.mark_down()
        _close_replica()
        match = resolve(request.path_info)
        token = _on_replica.set(False)
        try:
            response = match.func(request, *match.args, **match.kwargs)
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                response = render()
            return response
        finally:
            _on_replica.reset(token)
