"""Bulk writes for import kinds: the fastest way each database offers, inside the caller's transaction.

INSERTs of 1,000 rows each on SQLite, ``COPY`` on PostgreSQL: per-row model objects and ``bulk_create`` reach a
fraction of this (measured at 11–13k rows/s for ``bulk_create`` against 79k/105k rows/s raw). Primary keys are
reserved up front so that child rows (ownerships, audit events) can refer to the new rows without reading
them back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain, repeat
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models
from django.utils import timezone

from sentra.core.audit import BULK_OBJECT_ID
from sentra.core.importing import pipeline
from sentra.core.models import AuditEvent


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model``. Call inside the import's transaction (on SQLite the
    IMMEDIATE transaction holds the write lock, so ``max(id)`` cannot move under us)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')  # noqa: S608 -- table from model meta
        start = cursor.fetchone()[0] + 1
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            if row and row[0] is not None:
                start = max(start, row[0] + 1)
    return list(range(start, start + count))


def referenced_keys(target: type[models.Model], field_name: str, values: Iterable[Any]) -> set[Any]:
    """Which of ``values`` exist in ``target.field_name`` (a key foreign keys point at), in one query. On
    PostgreSQL the rows found are locked ``FOR KEY SHARE`` until the transaction ends, exactly as the per-row
    foreign-key check does: nobody can delete or re-key them before the rows that refer to them are committed."""
    wanted = {v for v in values if v is not None}
    if not wanted:
        return set()
    key_field = target._meta.get_field(field_name)
    if not isinstance(key_field, models.Field):
        raise TypeError(f"{target.__name__}.{field_name} is not a column")
    column = connection.ops.quote_name(_column_of(key_field))
    table = connection.ops.quote_name(target._meta.db_table)
    found: set[Any] = set()
    ordered = sorted(wanted, key=str)
    with connection.cursor() as cursor:
        for offset in range(0, len(ordered), 900):  # within SQLite's parameter limit
            chunk = ordered[offset : offset + 900]
            if connection.vendor == "postgresql":
                sql = f"SELECT {column} FROM {table} WHERE {column} = ANY(%s) FOR KEY SHARE"  # noqa: S608 -- quoted
                cursor.execute(sql, [chunk])
            else:
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"SELECT {column} FROM {table} WHERE {column} IN ({marks})", chunk)  # noqa: S608
            found.update(row[0] for row in cursor.fetchall())
    return found


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and getattr(f, "db_constraint", True) and f.remote_field is not None
    ]


def check_references(model: type[models.Model], columns: dict[str, Any]) -> None:
    """Check, set-based, that every foreign key of rows about to be inserted into ``model`` points at a row that
    exists (and lock those rows, see :func:`referenced_keys`): one query per referenced table instead of one
    trigger per row and key. ``columns``: ``{attname: list of values, or one value for all}``; a key not given
    is checked with its default. Raises ``IntegrityError`` naming the column and the missing values."""
    by_target: dict[tuple[type[models.Model], str], dict[str, set[Any]]] = {}
    for field in _foreign_keys(model):
        values = columns.get(field.attname, field.get_default() if field.has_default() else None)
        distinct = set(values) if isinstance(values, list) else {values}
        distinct.discard(None)
        if distinct:
            target = field.remote_field.model
            key = (target, field.target_field.name)
            by_target.setdefault(key, {})[field.attname] = distinct
    for (target, field_name), wanted in by_target.items():
        found = referenced_keys(target, field_name, set().union(*wanted.values()))
        for attname, values in wanted.items():
            missing = values - found
            if missing:
                shown = ", ".join(map(str, sorted(missing, key=str)[:5]))
                raise IntegrityError(
                    f"{model._meta.db_table}.{attname}: {shown} not in {target._meta.db_table} (deleted meanwhile?)"
                )


def can_skip_row_triggers(model: type[models.Model]) -> bool:
    """True on PostgreSQL when this session may insert into ``model``'s table without its per-row triggers:
    the role may set ``session_replication_role`` and the table has no triggers but the foreign-key checks
    (which :func:`check_references` does for the whole batch instead). Anything else keeps its triggers."""
    if connection.vendor != "postgresql":
        return False
    may_set = "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
    if getattr(connection, "pg_version", 0) >= 150000:  # GRANT SET ON PARAMETER exists since PostgreSQL 15
        may_set += " OR has_parameter_privilege('session_replication_role', 'SET')"
    table = model._meta.db_table
    with connection.cursor() as cursor:
        # No trigger of our own, no deferrable unique constraint (its recheck is a trigger too), and exactly the
        # foreign keys the model declares (a key added in SQL alone would go unchecked).
        cursor.execute(
            f"SELECT ({may_set})"  # noqa: S608 -- fixed SQL, no input
            " AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal)"
            " AND NOT EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_constraint c ON c.oid = t.tgconstraint"
            "   WHERE t.tgrelid = %s::regclass AND c.contype <> 'f')"
            " AND (SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f') = %s",
            [table, table, table, len(_foreign_keys(model))],
        )
        return bool(cursor.fetchone()[0])


def insert_rows(
    table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, skip_row_triggers: bool = False
) -> int:
    """Insert plain value tuples (already adapted for the database) into ``table``. Inside
    :func:`~sentra.core.importing.pipeline.background_writes` the statements run on the writer thread.

    ``skip_row_triggers`` (PostgreSQL; only after :func:`check_references` and :func:`can_skip_row_triggers`):
    the COPY runs with ``session_replication_role = replica`` for this statement of this transaction only, so the
    foreign-key triggers do not queue one check per row and key for the COMMIT. Unique, check and not-null
    constraints are not triggers and still hold; every other session and statement keeps its triggers.

    The statements go to the driver's connection directly: Django's SQLite cursor rewrites every ``%s`` of a
    statement with a regular expression, which for 25,000 parameters a statement cost a tenth of an import. They
    are still listed in ``connection.queries`` when Django records queries (debug, tests)."""
    rows = list(rows)
    if not rows:
        return 0
    quoted_table = connection.ops.quote_name(table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        sql = f"COPY {quoted_table} ({quoted}) FROM STDIN"

        def work(raw: Any) -> None:
            with raw.cursor() as cursor:
                if skip_row_triggers:
                    cursor.execute("SET LOCAL session_replication_role = replica")
                with cursor.copy(sql) as out:
                    for row in rows:
                        out.write_row(row)
                # Only after a COPY that went in: a failed one (a NIB taken meanwhile) aborted the transaction, whose
                # rollback undoes the SET LOCAL too, and a statement here would hide the database's own error.
                if skip_row_triggers:
                    cursor.execute("SET LOCAL session_replication_role = DEFAULT")

        shown = [f"{sql} -- {len(rows)} rows"]
    else:
        connection.ensure_connection()
        statements = _multirow_inserts(quoted_table, quoted, len(columns), rows, _max_params(connection.connection))

        def work(raw: Any) -> None:
            cursor = raw.cursor()
            try:
                for sql, params in statements:
                    cursor.execute(sql, params)
            finally:
                cursor.close()

        label = f"INSERT INTO {quoted_table} ({quoted}) VALUES ..."  # noqa: S608 -- a label, never executed
        shown = [f"{label} -- {len(params) // len(columns)} rows" for _sql, params in statements]
    writes = pipeline.current(connection.alias)
    if writes is not None:
        writes.submit(work)
    else:
        connection.ensure_connection()
        with connection.wrap_database_errors:
            work(connection.connection)
    if connection.queries_logged:
        connection.queries_log.extend({"sql": text, "time": "0.000"} for text in shown)
    return len(rows)


#: Rows per INSERT statement on SQLite: one statement of many rows is 20% faster than ``executemany`` of one-row
#: statements (fewer calls, one step per statement), within the parameters a statement may have (32,766 since
#: SQLite 3.32; 999 before).
MULTIROW_ROWS = 1000


def _max_params(raw: Any) -> int:
    try:
        return raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except (AttributeError, sqlite3.Error):
        return 999


def _multirow_inserts(
    table: str, columns: str, width: int, rows: list[Sequence[Any]], max_params: int
) -> list[tuple[str, list[Any]]]:
    per = max(1, min(MULTIROW_ROWS, max_params // max(width, 1)))
    one = "(" + ", ".join(["?"] * width) + ")"
    statements = []
    for offset in range(0, len(rows), per):
        chunk = rows[offset : offset + per]
        sql = _insert_sql(table, columns, one, len(chunk))
        statements.append((sql, list(chain.from_iterable(chunk))))
    return statements


@lru_cache(maxsize=64)
def _insert_sql(table: str, columns: str, one: str, count: int) -> str:
    return f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one] * count)  # noqa: S608 -- names quoted


def adapter(field: models.Field) -> Any:
    """A function turning a Python value into what the database driver takes for ``field``."""
    if isinstance(field, models.DecimalField):
        if connection.vendor == "postgresql":
            return None
        return lambda v: (
            None if v is None else connection.ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
        )
    if isinstance(field, models.DateTimeField):
        memo: dict[Any, Any] = {}

        def adapt_datetime(v: Any) -> Any:
            # One import stamps every row with the same time: adapt it once.
            if v is None:
                return None
            if v not in memo:
                if len(memo) > 1000:
                    memo.clear()
                memo[v] = connection.ops.adapt_datetimefield_value(v)
            return memo[v]

        return adapt_datetime
    if isinstance(field, models.DateField):
        return lambda v: None if v is None else connection.ops.adapt_datefield_value(v)
    if isinstance(field, models.JSONField):
        return lambda v: json.dumps(v, cls=DjangoJSONEncoder)
    return None


def _column_of(field: models.Field[Any, Any]) -> str:
    """A concrete field's database column (django-stubs types ``column`` as optional: non-concrete fields lack one)."""
    if field.column is None:
        raise TypeError(f"{field!r} has no database column")
    return field.column


class ModelWriter:
    """Inserts dicts of attribute values into a model's table, filling every other column with its default."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [_column_of(f) for f in self.fields]
        self.defaults: list[Any] = []
        self.adapters = [adapter(f) for f in self.fields]
        now = timezone.now()
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults.append(now)
            elif f.has_default():
                self.defaults.append(f.get_default())
            elif f.null:
                self.defaults.append(None)
            elif f.empty_strings_allowed:
                self.defaults.append("")
            else:
                self.defaults.append(None)

    def rows(self, records: Iterable[dict[str, Any]]) -> Iterable[tuple[Any, ...]]:
        spec = list(zip((f.attname for f in self.fields), self.defaults, strict=True))
        adapted = [(i, adapt) for i, adapt in enumerate(self.adapters) if adapt is not None]
        for record in records:
            values = [record.get(attname, default) for attname, default in spec]
            for i, adapt in adapted:
                values[i] = adapt(values[i])
            yield tuple(values)

    def insert_columns(self, columns: dict[str, Any], count: int, *, checked_references: bool = False) -> int:
        """Insert ``count`` rows given column by column: ``{attname: list of values, or one value for all}``.
        Fields not named get their default. Each distinct value is adapted once.

        ``checked_references``: the foreign keys are checked here for the whole batch (:func:`check_references`)
        and, where the session may, the rows go in without the per-row foreign-key triggers (on PostgreSQL a
        million-row import otherwise spends most of its COMMIT in them)."""
        if not count:
            return 0
        skip = False
        if checked_references:
            check_references(self.model, columns)
            skip = can_skip_row_triggers(self.model)
        lists: list[Iterable[Any]] = []
        for field, default, adapt in zip(self.fields, self.defaults, self.adapters, strict=True):
            values = columns.get(field.attname, default)
            if isinstance(values, list):
                if adapt is not None:
                    memo: dict[Any, Any] = {}
                    values = [memo[v] if v in memo else memo.setdefault(v, adapt(v)) for v in values]
                lists.append(values)
            else:
                lists.append(repeat(adapt(values) if adapt is not None else values, count))
        return insert_rows(self.table, self.columns, list(zip(*lists, strict=False)), skip_row_triggers=skip)

    def insert(self, records: list[dict[str, Any]]) -> int:
        if not records:
            return 0
        pk = self.model._meta.pk
        if pk.attname not in records[0]:
            # Let the database number the rows (audit events: nothing refers to them).
            keep = [i for i, f in enumerate(self.fields) if f is not pk]
            rows = (tuple(row[i] for i in keep) for row in self.rows(records))
            return insert_rows(self.table, [self.columns[i] for i in keep], rows)
        return insert_rows(self.table, self.columns, self.rows(records))


def audit_bulk(*, actor: Any, action: str, model: type[models.Model], events: list[tuple[Any, ...]]) -> int:
    """One audit event per record, written in bulk: ``events`` = ``[(pk, repr, region_id, changes), ...]``, or
    ``(pk, repr, region_id, changes, version)`` for an update that took the record to ``version`` (so a stale edit
    of the record names this change: ``core.versioning.changes_since``)."""
    if not events:
        return 0
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    ct = ContentType.objects.get_for_model(model, for_concrete_model=True)
    writer = ModelWriter(AuditEvent)
    name = actor_obj.get_username() if actor_obj else "sistem"
    note = "impor"
    return writer.insert(
        [
            {
                "actor_id": actor_obj.pk if actor_obj else None,
                "actor_name": name,
                "action": action,
                "content_type_id": ct.pk,
                "object_id": str(pk),
                "object_repr": str(text)[:255],
                "region_id": region or "",
                "changes": event[3],
                "note": note,
                "version": event[4] if len(event) > 4 else None,
            }
            for event in events
            for pk, text, region in [event[:3]]
        ]
    )


def audit_bulk_created(
    *,
    actor: Any,
    action: str,
    model: type[models.Model],
    ids: list[int],
    columns: dict[str, list[Any]],
    summary: str,
    note: str = "impor",
) -> int:
    """ONE audit event for a batch of records created together (an import): who, when, and every record's id
    and values (``changes = {"bulk": {"first": id, "last": id, "ranges": [[first, last], ...], "same": {field:
    value shared by all}, "columns": {field: [one value per record], "id": [...] unless first..last in order}}}``).
    ``sentra.core.audit.audit_history`` finds it for each of the records; values must be JSON-ready."""
    if not ids:
        return 0
    ranges: list[list[int]] = []
    for pk in sorted(ids):
        if ranges and pk == ranges[-1][1] + 1:
            ranges[-1][1] = pk
        else:
            ranges.append([pk, pk])
    # Compact but complete: a value shared by every record once ("same"), the others one per record in the order
    # of ``id`` ("columns"); ``id`` itself is left out when the records are numbered first, first + 1, ...
    compact: dict[str, Any] = {"same": {}, "columns": {}}
    if list(ids) != list(range(ranges[0][0], ranges[0][0] + len(ids))):
        compact["columns"]["id"] = list(ids)
    for name in sorted(columns):
        values = list(columns[name])
        if values.count(values[0]) == len(values):
            compact["same"][name] = values[0]
        else:
            compact["columns"][name] = values
    regions = set(columns.get("region_id") or ())
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return ModelWriter(AuditEvent).insert(
        [
            {
                "actor_id": actor_obj.pk if actor_obj else None,
                "actor_name": actor_obj.get_username() if actor_obj else "sistem",
                "action": action,
                "content_type_id": ContentType.objects.get_for_model(model, for_concrete_model=True).pk,
                "object_id": BULK_OBJECT_ID,
                "object_repr": summary[:255],
                "region_id": next(iter(regions)) if len(regions) == 1 else "",
                "changes": {"bulk": {"first": ranges[0][0], "last": ranges[-1][1], "ranges": ranges, **compact}},
                "note": note,
            }
        ]
    )
