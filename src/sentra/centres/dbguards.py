"""Database-level guard: a workshop unit has at most one tenant at any date.

PostgreSQL: an exclusion constraint over ``daterange(start_date, end_date, '[]')`` with btree_gist, so that two
tenancies of one unit whose date ranges overlap cannot both exist, whatever code writes them.
SQLite: ``BEFORE INSERT/UPDATE`` triggers doing the same check (SQLite has no exclusion constraints). SQLite
drops triggers when a later migration rebuilds the table, so they are re-created after every ``migrate`` too
(``CentresConfig.ready`` connects ``install_tenancy_guards`` to ``post_migrate``). Both raise IntegrityError.
"""

from __future__ import annotations

from typing import Any

CONSTRAINT = "tenancy_no_overlap"

PG_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'tenancy_no_overlap') THEN
            ALTER TABLE centres_tenancy ADD CONSTRAINT tenancy_no_overlap
                EXCLUDE USING gist (unit_id WITH =, daterange(start_date, end_date, '[]') WITH &&);
        END IF;
    END $$""",
]
PG_REMOVE = [f"ALTER TABLE centres_tenancy DROP CONSTRAINT IF EXISTS {CONSTRAINT}"]

_OVERLAP = """EXISTS (SELECT 1 FROM centres_tenancy t WHERE t.unit_id = NEW.unit_id {extra}
    AND (t.end_date IS NULL OR t.end_date >= NEW.start_date)
    AND (NEW.end_date IS NULL OR t.start_date <= NEW.end_date))"""
SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS {CONSTRAINT}_insert BEFORE INSERT ON centres_tenancy
    WHEN {_OVERLAP.format(extra="")}
    BEGIN SELECT RAISE(ABORT, '{CONSTRAINT}: unit already let in this period'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {CONSTRAINT}_update BEFORE UPDATE OF unit_id, start_date, end_date ON centres_tenancy
    WHEN {_OVERLAP.format(extra="AND t.id <> NEW.id")}
    BEGIN SELECT RAISE(ABORT, '{CONSTRAINT}: unit already let in this period'); END""",
]
SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS {CONSTRAINT}_insert", f"DROP TRIGGER IF EXISTS {CONSTRAINT}_update"]


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection: Any) -> None:
    if connection.vendor == "postgresql":
        _run(connection, PG_INSTALL)
    elif connection.vendor == "sqlite":
        _run(connection, SQLITE_INSTALL)


def remove(connection: Any) -> None:
    if connection.vendor == "postgresql":
        _run(connection, PG_REMOVE)
    elif connection.vendor == "sqlite":
        _run(connection, SQLITE_REMOVE)


def installed(connection: Any) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", [CONSTRAINT])
        else:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [f"{CONSTRAINT}_insert"])
        return cursor.fetchone() is not None


def install_tenancy_guards(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    """post_migrate handler: re-create the SQLite triggers if a table rebuild dropped them."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor != "sqlite" or getattr(sender, "label", None) != "centres":
        return
    applied = MigrationRecorder(connection).applied_migrations()
    if ("centres", "0002_tenancy_no_overlap") in applied:
        install(connection)
