"""Keyset (cursor) pagination: constant cost at any depth, no COUNT per page view.

OFFSET 500,000 takes seconds on a 1M-row table; a keyset page is an index range scan whatever the depth.
The ordering must end with a unique field (the pk) so that the cursor identifies one position.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, Q, QuerySet


def _encode(values: list[Any], direction: str) -> str:
    def conv(v: Any) -> Any:
        if isinstance(v, datetime | date):
            return {"t": v.isoformat(), "k": "dt" if isinstance(v, datetime) else "d"}
        if isinstance(v, Decimal):
            return {"t": str(v), "k": "dec"}
        return v

    payload = json.dumps({"v": [conv(v) for v in values], "d": direction}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[list[Any], str] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        values = []
        for v in payload["v"]:
            if isinstance(v, dict):
                kind, text = v["k"], v["t"]
                if kind not in ("dt", "d", "dec"):
                    return None
                v = (
                    datetime.fromisoformat(text)
                    if kind == "dt"
                    else date.fromisoformat(text)
                    if kind == "d"
                    else Decimal(text)
                )
            values.append(v)
        direction = payload.get("d", "next")
        if direction not in ("next", "prev"):
            return None
        return values, direction
    except (ValueError, KeyError, TypeError, AttributeError, InvalidOperation):  # JSONDecodeError is a ValueError
        return None


@dataclass
class KeysetPage:
    object_list: list[Any]
    next_cursor: str | None
    prev_cursor: str | None
    page_size: int

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.prev_cursor is not None

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def _nullable(model: Any, path: str) -> bool:
    """Whether ``path`` (``name``, ``pk``, ``region__name``) can be NULL; unknown paths count as nullable."""
    if model is None:
        return True
    opts = model._meta
    parts = path.split("__")
    try:
        for i, part in enumerate(parts):
            field = opts.pk if part == "pk" else opts.get_field(part)
            if getattr(field, "null", True):
                return True
            if i < len(parts) - 1:
                if field.related_model is None:
                    return True
                opts = field.related_model._meta
    except FieldDoesNotExist:
        return True
    return False


def _after(ordering: list[str], values: list[Any], nullable: list[bool] | None = None) -> Q:
    """Rows strictly after ``values`` in ``ordering`` (a lexicographic comparison expanded into ORs).

    For NOT NULL fields the NULL branches are left out, and the first field also gets a plain bound
    (``name >= x``): the OR alone makes SQLite scan the index from its start (a deep page at 1M rows cost
    hundreds of ms), while the bound lets SQLite and PostgreSQL seek straight to the cursor.
    """
    nullable = nullable or [True] * len(ordering)
    condition = Q()
    for i, field in enumerate(ordering):
        desc = field.startswith("-")
        name = field.lstrip("-")
        value = values[i]
        equal_prefix = Q(**{ordering[j].lstrip("-"): values[j] for j in range(i)})
        if value is None:
            # NULLs sort last ascending (first descending) in our orderings; only non-null rows follow them
            # when descending.
            step = Q(**{f"{name}__isnull": False}) if desc and nullable[i] else Q(pk__in=[])
        else:
            step = Q(**{f"{name}__lt" if desc else f"{name}__gt": value})
            if not desc and nullable[i]:
                step |= Q(**{f"{name}__isnull": True})
        condition |= equal_prefix & step
    first = ordering[0]
    if not nullable[0] and values[0] is not None:
        name = first.lstrip("-")
        condition = Q(**{f"{name}__lte" if first.startswith("-") else f"{name}__gte": values[0]}) & condition
    return condition


def _order_by(ordering: list[str], reverse: bool = False, nullable: list[bool] | None = None) -> list[Any]:
    nullable = nullable or [True] * len(ordering)
    exprs = []
    for i, field in enumerate(ordering):
        desc = field.startswith("-")
        if reverse:
            desc = not desc
        name = field.lstrip("-")
        if not nullable[i]:
            # No NULLS FIRST/LAST on NOT NULL columns: SQLite can then read the order straight from the index
            # instead of sorting ("USE TEMP B-TREE FOR ORDER BY").
            exprs.append(F(name).desc() if desc else F(name).asc())
        else:
            exprs.append(F(name).desc(nulls_first=True) if desc else F(name).asc(nulls_last=True))
    return exprs


def _flip(ordering: list[str]) -> list[str]:
    return [f[1:] if f.startswith("-") else "-" + f for f in ordering]


def keyset_paginate(queryset: QuerySet, *, ordering: list[str], cursor: str | None, page_size: int) -> KeysetPage:
    """One page of ``queryset`` after (or before) ``cursor``.

    Args:
        ordering: field names, ``-`` for descending; the last one must be unique (``id``).
        cursor: an opaque string from a previous page's ``next_cursor``/``prev_cursor``; a broken cursor is
            treated as the first page.
    """
    decoded = _decode(cursor) if cursor else None
    direction = "next"
    qs = queryset
    nullable = [_nullable(queryset.model, f.lstrip("-")) for f in ordering]
    if decoded and len(decoded[0]) == len(ordering):
        values, direction = decoded
        active = ordering if direction == "next" else _flip(ordering)
        try:
            qs = qs.filter(_after(active, values, nullable))
        except (ValueError, TypeError, ValidationError):  # a tampered cursor: values of the wrong type
            qs, decoded, direction = queryset, None, "next"
    else:
        decoded = None
    reverse = direction == "prev"
    rows = list(qs.order_by(*_order_by(ordering, reverse=reverse, nullable=nullable))[: page_size + 1])
    more = len(rows) > page_size
    rows = rows[:page_size]
    if reverse:
        rows.reverse()

    def key(row: Any) -> list[Any]:
        out = []
        for f in ordering:
            obj = row
            for part in f.lstrip("-").split("__"):
                obj = getattr(obj, part)
            out.append(obj)
        return out

    next_cursor = prev_cursor = None
    if rows:
        if direction == "next":
            if more:
                next_cursor = _encode(key(rows[-1]), "next")
            if decoded:
                prev_cursor = _encode(key(rows[0]), "prev")
        else:
            next_cursor = _encode(key(rows[-1]), "next")
            if more:
                prev_cursor = _encode(key(rows[0]), "prev")
    return KeysetPage(rows, next_cursor, prev_cursor, page_size)
