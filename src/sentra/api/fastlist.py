"""A keyset page compiled once per query shape (``make bench``: the list within 2× of raw SQL).

Compiling a Django query costs more than running it on an index: for the API's hottest request (a client walking
a list page by page) the ORM compiled the same SQL again and again, then converted every value of every row
through its converters. ``keyset_page`` does the same as ``sentra.core.pagination.keyset_paginate`` on a
``values()`` queryset, but:

- the SQL of a page is compiled once per *shape* and kept (LRU): the shape is the queryset's WHERE tree (its
  lookups and their values, so the scope of ``visible_to`` is part of it), its columns, the ordering, the
  direction and the page size. Only the cursor values change between pages; they go into the parameter slots
  found by compiling once with sentinel values;
- rows come straight from the cursor through the same converters Django would apply, except SQLite's
  datetimes (naive UTC), which are written in JSON form directly (``"2026-01-02T03:04:05.678Z"``, exactly what
  the JSON encoder makes of the aware value Django's converter returns).

Anything unusual falls back to ``keyset_paginate``: a WHERE with a subquery or an expression (owner, centre and
trainer scopes), annotations, an ordering field that is not text or an integer, a cursor that is not
well-formed. Tests prove both paths give the same page (tests/api/test_fastlist.py).
"""

from __future__ import annotations

import copy
import decimal
import threading
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models
from django.db.models import QuerySet
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup
from django.db.models.query import ValuesIterable
from django.db.models.sql.where import WhereNode

from sentra.core.pagination import KeysetPage, _after, _decode, _encode, _flip, _nullable, _order_by, keyset_paginate

MAX_SHAPES = 256
_SIMPLE_VALUES = (str, int, float, bool, type(None), Decimal, date)
_ENCODER = DjangoJSONEncoder()


class _Row(dict):
    """A row: a dict that keyset cursors can read by attribute."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class _RowIterable(ValuesIterable):
    """``values()`` rows as :class:`_Row` (for ``keyset_paginate``, which reads the cursor by attribute)."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        query = self.queryset.query
        compiler = query.get_compiler(self.queryset.db)
        names = list(query.selected) if query.selected else [*query.extra_select, *query.values_select]
        for row in compiler.results_iter(chunked_fetch=self.chunked_fetch, chunk_size=self.chunk_size):
            yield _Row(zip(names, row, strict=True))


def rows_queryset(queryset: QuerySet, columns: list[str]) -> QuerySet:
    """``queryset`` reading only ``columns``, as :class:`_Row` dicts."""
    qs = queryset.select_related(None).values(*columns)
    qs._iterable_class = _RowIterable
    return qs


class _Shape:
    __slots__ = ("alias", "columns", "names", "params", "slots", "sql")

    def __init__(self, sql: str, params: list[Any], slots: list[tuple[int, int]], names: list[str], columns, alias):  # type: ignore[no-untyped-def]
        self.sql = sql
        self.params = params
        self.slots = slots
        self.names = names
        self.columns = columns
        self.alias = alias


#: hash of the shape key → (key, shape); oldest first.
_shapes: dict[int, tuple[Any, _Shape]] = {}
_lock = threading.Lock()


def _simple_where(node: Any) -> bool:
    """Only plain column lookups with plain values: their equality is the equality of the SQL they make."""
    for child in node.children:
        if isinstance(child, WhereNode):
            if not _simple_where(child):
                return False
        elif isinstance(child, Lookup) and isinstance(child.lhs, Col):
            rhs = child.rhs
            values = rhs if isinstance(rhs, list | tuple | set | frozenset) else (rhs,)
            if not all(isinstance(v, _SIMPLE_VALUES) for v in values):
                return False
        else:
            return False
    return True


def _kind(model: type[models.Model], name: str) -> type | None:
    """``str`` or ``int`` for an ordering field the fast path can fill in; None otherwise."""
    try:
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    except Exception:
        return None
    if isinstance(field, models.CharField | models.TextField) and not field.null:
        return str
    if isinstance(field, models.IntegerField | models.AutoField | models.BigAutoField) and not field.null:
        return int
    return None


def _sentinel(kind: type, index: int) -> Any:
    return f"\x00keyset-slot-{index}\x00" if kind is str else -(2**62) - index


def sqlite_decimal_text(max_digits: int, places: int) -> Callable[[Any], str]:
    """SQLite's number for a decimal column → the text of the Decimal Django's converter makes of it.

    Django rounds the float to 15 significant digits, then to the field's places. When the number printed
    with the field's places reads back as the very same number and has at most 15 digits, that text is the
    decimal (a double holds 15 decimal digits faithfully); anything else takes Django's own steps.
    """
    create = decimal.Context(prec=15).create_decimal_from_float
    quantum = Decimal(1).scaleb(-places)
    context = decimal.Context(prec=max_digits)
    template = f"%.{places}f"
    longest = 15 + (1 if places else 0)  # digits and the decimal point
    whole_max = max_digits - places
    # SQLite hands most money back as integers: an integer of at most 15 digits that fits the field is its digits
    # and the places' zeros (no float round trip).
    int_limit = 10 ** min(15, whole_max)
    zeros = "." + "0" * places if places else ""

    def text(value: Any) -> str:
        kind = type(value)
        if kind is int and -int_limit < value < int_limit:
            return f"{value}{zeros}"
        if kind is float or kind is int:
            printed = template % value
            length = len(printed) - (printed[0] == "-")
            if (
                length <= longest
                and printed[-1].isdigit()
                and float(printed) == value
                and length - places - (1 if places else 0) <= whole_max
            ):
                return printed
        return str(create(value).quantize(quantum, context=context))

    return text


def _column_encoder(field: Any, convs: list[Any], expression: Any, connection: Any) -> Callable[[Any], Any] | None:
    """raw database value → the JSON value the schema's answer has for it (None: the value as it comes).

    Django's own converters run first (so the value is what the ORM would give); decimals then become their
    text and datetimes the encoder's ISO text. SQLite's naive UTC datetimes skip the make-aware converter.
    """
    if connection.vendor == "sqlite" and isinstance(field, models.DateTimeField):

        def sqlite_datetime(value: Any) -> Any:
            # SQLite hands over naive datetimes in UTC; Django's converter would make them aware (UTC) and the
            # encoder would then write "...+00:00" as "Z", with milliseconds only when there are microseconds.
            if type(value) is datetime and value.tzinfo is None:
                text = value.isoformat()
                return (text[:23] if value.microsecond else text) + "Z"
            for converter in convs:
                value = converter(value, expression, connection)
            return encode_datetime(value)

        return sqlite_datetime
    if connection.vendor == "sqlite" and isinstance(field, models.DecimalField) and isinstance(expression, Col):
        return sqlite_decimal_text(field.max_digits, field.decimal_places)
    final = None
    if isinstance(field, models.DecimalField):
        final = str
    elif isinstance(field, models.DateTimeField):
        final = encode_datetime
    elif isinstance(field, models.DateField):
        final = _ENCODER.default
    if not convs and final is None:
        return None

    def encode(value: Any) -> Any:
        for converter in convs:
            value = converter(value, expression, connection)
        return value if final is None or value is None else final(value)

    return encode


def _prepare(base: QuerySet, ordering: list[str], direction: str | None, page_size: int, kinds: list[type]) -> _Shape:
    nullable = [False] * len(ordering)
    reverse = direction == "prev"
    qs = base
    sentinels = [_sentinel(k, i) for i, k in enumerate(kinds)]
    if direction is not None:
        active = ordering if direction == "next" else _flip(ordering)
        qs = qs.filter(_after(active, sentinels, nullable))
    qs = qs.order_by(*_order_by(ordering, reverse=reverse, nullable=nullable))[: page_size + 1]
    compiler = qs.query.get_compiler(using=qs.db)
    sql, params = compiler.as_sql()
    params = list(params)
    slots = [(pos, i) for pos, p in enumerate(params) for i, s in enumerate(sentinels) if type(p) is type(s) and p == s]
    if direction is not None and {i for _pos, i in slots} != set(range(len(sentinels))):
        raise LookupError("cursor values not found among the parameters")
    query = qs.query
    names = list(query.selected) if query.selected else [*query.extra_select, *query.values_select]
    converters = compiler.get_converters([col for col, _alias, _label in compiler.select])
    connection = connections[qs.db]
    columns = []
    for index, (col, _alias, _label) in enumerate(compiler.select):
        field = getattr(col, "output_field", None)
        convs, expression = converters.get(index, ([], col))
        columns_encoder = _column_encoder(field, convs, expression, connection)
        if columns_encoder is not None:
            columns.append((index, columns_encoder))
    return _Shape(sql, params, slots, names, columns, qs.db)


def _rows(shape: _Shape, values: list[Any] | None) -> list[tuple[Any, ...]]:
    params = list(shape.params)
    if values is not None:
        for pos, i in shape.slots:
            params[pos] = values[i]
    connection = connections[shape.alias]
    with connection.cursor() as cursor:
        cursor.execute(shape.sql, params)
        raw = cursor.fetchall()
    if not raw:
        return []
    columns = list(zip(*raw, strict=True))  # column-wise: one comprehension per converted column
    for index, encode in shape.columns:
        columns[index] = [None if v is None else encode(v) for v in columns[index]]
    return list(zip(*columns, strict=True))


def _key(base: QuerySet, columns: list[str], ordering: list[str], direction: str | None, page_size: int) -> Any:
    query = base.query
    if (
        query.annotations
        or query.extra
        or query.combinator
        or query.group_by is not None
        or query.distinct
        or query.values_select
        or query.is_sliced
        or not _simple_where(query.where)
    ):
        return None
    try:
        hash(query.where)
    except TypeError:
        return None
    return (
        base.model._meta.label,
        base.db,
        query.where,
        tuple(query.values_select),
        tuple(ordering),
        direction,
        page_size,
    )


def keyset_page(
    queryset: QuerySet,
    *,
    columns: list[str],
    render: Callable[[tuple[Any, ...], bool], Any],
    ordering: list[str],
    cursor: str | None,
    page_size: int,
) -> KeysetPage:
    """``keyset_paginate`` of ``queryset`` reading ``columns``, with the page's SQL compiled once per shape.

    Each row is handed to ``render(values, encoded)`` as a tuple in the order of ``columns``; ``encoded`` is
    True on the compiled path, where decimals and datetimes are already the text the JSON encoder writes, and
    False on the fallback, where they are Python values. The page's ``object_list`` holds what ``render``
    returns.
    """
    get = itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))

    def slow() -> KeysetPage:
        page = keyset_paginate(rows_queryset(queryset, columns), ordering=ordering, cursor=cursor, page_size=page_size)
        page.object_list = [render(get(row), False) for row in page.object_list]
        return page

    kinds = [_kind(queryset.model, f.lstrip("-")) for f in ordering]
    names = [f.lstrip("-") for f in ordering]
    if (
        any(k is None for k in kinds)
        or any(n not in columns for n in names)
        or any(_nullable(queryset.model, n) for n in names)
    ):
        return slow()
    decoded = _decode(cursor) if cursor else None
    values: list[Any] | None = None
    direction: str | None = None
    if decoded is not None:
        values, direction = decoded
        if len(values) != len(ordering) or any(type(v) is not k for v, k in zip(values, kinds, strict=True)):
            return slow()
    elif cursor:
        return slow()
    key = _key(queryset, columns, ordering, direction, page_size)
    try:
        digest = hash(key)  # once: the WHERE tree is hashed recursively
    except TypeError:
        key = None
    if key is None:
        return slow()
    entry = _shapes.get(digest)
    shape = entry[1] if entry is not None and entry[0] == key else None
    if shape is None:
        try:
            shape = _prepare(rows_queryset(queryset, columns), ordering, direction, page_size, kinds)  # type: ignore[arg-type]
        except (EmptyResultSet, FullResultSet, LookupError):
            return slow()
        if shape.names != columns:
            return slow()
        with _lock:
            _shapes[digest] = (key, shape)
            while len(_shapes) > MAX_SHAPES:
                _shapes.pop(next(iter(_shapes)))
    rows = _rows(shape, values)
    more = len(rows) > page_size
    rows = rows[:page_size]
    if direction == "prev":
        rows.reverse()
    positions = [columns.index(n) for n in names]

    def key_of(row: tuple[Any, ...]) -> list[Any]:
        return [row[i] for i in positions]

    next_cursor = prev_cursor = None
    if rows:
        if direction != "prev":
            if more:
                next_cursor = _encode(key_of(rows[-1]), "next")
            if direction == "next":
                prev_cursor = _encode(key_of(rows[0]), "prev")
        else:
            next_cursor = _encode(key_of(rows[-1]), "next")
            if more:
                prev_cursor = _encode(key_of(rows[0]), "prev")
    return KeysetPage([render(row, True) for row in rows], next_cursor, prev_cursor, page_size)


def encode_datetime(value: Any) -> Any:
    """A datetime as the JSON encoder writes it; text from the fast path is already in that form."""
    return value if isinstance(value, str) else _ENCODER.default(value)


class Prepared:
    """A model query of fixed shape, compiled once and run again with other values (e.g. the token lookup).

    ``build(*sentinels)`` returns the queryset; ``first(*values)`` runs its SQL with ``values`` in the sentinels'
    parameter slots and returns the first model instance (``select_related`` included), or None. Values are
    text or integers, given exactly as the lookup would receive them.
    """

    def __init__(self, build: Callable[..., QuerySet], kinds: list[type]) -> None:
        self._build = build
        self._kinds = kinds
        self._state: tuple[Any, ...] | None = None

    def _prepare(self) -> tuple[Any, ...]:
        sentinels = [_sentinel(k, i) for i, k in enumerate(self._kinds)]
        qs = self._build(*sentinels)
        compiler = qs.query.get_compiler(using=qs.db)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = [
            (pos, i) for pos, p in enumerate(params) for i, s in enumerate(sentinels) if type(p) is type(s) and p == s
        ]
        if {i for _pos, i in slots} != set(range(len(sentinels))):
            raise LookupError("values not found among the parameters")
        fields = [col for col, _alias, _label in compiler.select[0 : compiler.col_count]]
        converters = compiler.get_converters(fields)
        self._state = (qs, compiler, sql, params, slots, converters)
        return self._state

    def first(self, *values: Any) -> Any:
        for value, kind in zip(values, self._kinds, strict=True):
            if type(value) is not kind:
                raise TypeError(value)
        qs, compiler, sql, params, slots, converters = self._state or self._prepare()
        run = list(params)
        for pos, i in slots:
            run[pos] = values[i]
        prepared = copy.copy(compiler)
        prepared.connection = connections[qs.db]  # this thread's connection (Django's are per thread)
        prepared.as_sql = lambda *args, **kwargs: (sql, run)  # type: ignore[method-assign]
        prepared.get_converters = lambda expressions: converters  # type: ignore[method-assign]
        clone = qs._chain()
        clone.query.get_compiler = lambda *args, **kwargs: prepared  # type: ignore[method-assign]
        return next(iter(clone), None)
