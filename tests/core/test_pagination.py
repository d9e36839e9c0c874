"""Keyset pagination (sentra.core.pagination): every row once, in order, both ways, NULLs and broken cursors."""

from __future__ import annotations

import base64
import json

import pytest

from sentra.core.pagination import _decode, _encode, keyset_paginate
from sentra.registry.models import Business
from tests.registry.factories import BusinessFactory

YEARS = [2001, None, 1999, 2001, None, 2010, 1999, None, 2005]


@pytest.fixture
def rows(db):
    return [BusinessFactory(name=f"U{i}", year_started=year) for i, year in enumerate(YEARS)]


def expected(rows, ordering):
    """The order the paginator promises: NULLs last ascending and first descending, then by id."""
    field, _ = ordering
    desc = field.startswith("-")
    name = field.lstrip("-")

    def key(b):
        value = getattr(b, name)
        return (value is None, value or 0, b.pk)

    ordered = sorted(rows, key=key)
    return [b.pk for b in (ordered[::-1] if desc else ordered)]


def walk_forward(ordering, size):
    pages, cursor = [], None
    while True:
        page = keyset_paginate(Business.objects.all(), ordering=ordering, cursor=cursor, page_size=size)
        pages.append(page)
        if not page.has_next:
            return pages
        cursor = page.next_cursor


@pytest.mark.parametrize("ordering", [["year_started", "id"], ["-year_started", "-id"], ["name", "id"]])
@pytest.mark.parametrize("size", [1, 2, 4, 9, 20])
def test_every_row_once_in_order_and_back(rows, ordering, size):
    pages = walk_forward(ordering, size)
    forward = [b.pk for page in pages for b in page]
    if ordering[0] == "name":
        assert forward == [b.pk for b in sorted(rows, key=lambda b: (b.name, b.pk))]
    else:
        assert forward == expected(rows, ordering)
    assert all(len(p) == size for p in pages[:-1])
    assert not pages[0].has_previous
    # Walk back from the last page with prev cursors: the same pages, in reverse.
    back, page = [], pages[-1]
    while page.has_previous:
        page = keyset_paginate(Business.objects.all(), ordering=ordering, cursor=page.prev_cursor, page_size=size)
        back.append([b.pk for b in page])
    assert back == [[b.pk for b in p] for p in pages[:-1]][::-1]


def test_empty_queryset():
    page = keyset_paginate(Business.objects.none(), ordering=["name", "id"], cursor=None, page_size=5)
    assert list(page) == [] and not page.has_next and not page.has_previous


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "!!!",
        "bm90IGpzb24",  # "not json"
        base64.urlsafe_b64encode(b'{"v": [1], "d": "next"}').decode(),  # wrong length
        base64.urlsafe_b64encode(b'{"v": ["a", 1], "d": "sideways"}').decode(),
        base64.urlsafe_b64encode(b'{"x": 1}').decode(),
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        base64.urlsafe_b64encode(b'{"v": [{"k": "d", "t": "not a date"}, 1]}').decode(),
        base64.urlsafe_b64encode(b'{"v": [{"k": "dec", "t": "abc"}, 1]}').decode(),
        base64.urlsafe_b64encode(b'{"v": [{"k": "dt"}, 1]}').decode(),
        base64.urlsafe_b64encode(b'{"v": ["U1", "abc"], "d": "next"}').decode(),  # id is not a number
        base64.urlsafe_b64encode(b'{"v": ["U5", {"k": "x", "t": "1"}], "d": "prev"}').decode(),
        base64.urlsafe_b64encode(b'{"v": "ab", "d": "next"}').decode(),
        base64.urlsafe_b64encode("\u00ff".encode("latin-1")).decode(),
        "a" * 5000,
    ],
)
def test_broken_cursor_is_the_first_page(rows, cursor):
    page = keyset_paginate(Business.objects.all(), ordering=["name", "id"], cursor=cursor, page_size=3)
    assert [b.name for b in page] == ["U0", "U1", "U2"]


def test_cursor_round_trips_dates_and_decimals():
    import datetime as dt
    from decimal import Decimal

    values = [dt.date(2022, 7, 19), dt.datetime(2022, 7, 19, 10, 30, tzinfo=dt.UTC), Decimal("1.50"), None, "x", 3]
    assert _decode(_encode(values, "prev")) == (values, "prev")
    assert json.loads(base64.urlsafe_b64decode(_encode([1], "next") + "=="))["d"] == "next"


def test_sort_by_datetime_with_ties(db):
    import datetime as dt

    rows = [BusinessFactory(name=f"T{i}") for i in range(5)]
    same = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    Business.objects.filter(pk__in=[r.pk for r in rows[:3]]).update(updated_at=same)
    pages = walk_forward(["-updated_at", "-id"], 2)
    order = [b.pk for p in pages for b in p]
    assert sorted(order) == sorted(r.pk for r in rows) and len(order) == 5
    assert order[-3:] == [rows[2].pk, rows[1].pk, rows[0].pk]
