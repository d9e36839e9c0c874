"""The compiled-once keyset page (sentra.api.fastlist) gives exactly the pages of keyset_paginate, keeps each
caller's scope, and falls back for anything it does not handle."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sentra.api import fastlist
from sentra.api.routers.registry import LIST_COLUMNS, list_json
from sentra.core.pagination import keyset_paginate
from sentra.registry import selectors
from sentra.registry.models import Business
from tests.registry.factories import BusinessFactory


@pytest.fixture(autouse=True)
def _fresh_shapes():
    fastlist._shapes.clear()
    yield
    fastlist._shapes.clear()


def _fast(qs, **kwargs):
    return fastlist.keyset_page(qs, columns=LIST_COLUMNS, render=list_json, **kwargs)


def _slow(qs, **kwargs):
    """The reference: keyset_paginate over model values, rendered from Python values."""
    page = keyset_paginate(fastlist.rows_queryset(qs, LIST_COLUMNS), **kwargs)
    page.object_list = [list_json(tuple(row[c] for c in LIST_COLUMNS), False) for row in page.object_list]
    return page


def _pages(paginate, qs_factory, ordering, page_size, cursor=None, key="next_cursor"):
    pages = []
    while True:
        page = paginate(qs_factory(), ordering=ordering, cursor=cursor, page_size=page_size)
        pages.append((page.object_list, page.next_cursor, page.prev_cursor))
        cursor = getattr(page, key)
        if not cursor:
            return pages


@pytest.mark.parametrize("ordering", [["name", "id"], ["-name", "-id"]])
def test_fast_pages_equal_keyset_paginate_both_ways(world, ordering):
    for i in range(23):
        BusinessFactory(region_id="74.71", name=f"Usaha {i % 7}")  # equal names: the id breaks ties
    BusinessFactory(region_id="74.72", name="Usaha Baubau")
    for user in (world.officer_a, world.national):

        def qs(user=user):
            return selectors.business_list(user=user).alive()

        slow = _pages(_slow, qs, ordering, 5)
        fast = _pages(_fast, qs, ordering, 5)
        assert fast == slow
        assert sum(len(rows) for rows, _n, _p in fast) == (23 if user is world.officer_a else 24)
        # Walk back from the last page with prev cursors.
        last_prev = fast[-1][2]
        assert _pages(_fast, qs, ordering, 5, last_prev, "prev_cursor") == _pages(
            _slow, qs, ordering, 5, last_prev, "prev_cursor"
        )
    assert fastlist._shapes, "the fast path was not used"


def test_a_cached_shape_never_crosses_scopes(world, api_for):
    mine = BusinessFactory(region_id="74.71", name="Kendari")
    theirs = BusinessFactory(region_id="74.72", name="Baubau")
    a, b = api_for(world.officer_a), api_for(world.officer_b)
    for _ in range(2):  # the second round runs from the cached shapes
        assert [r["id"] for r in a.get("/businesses").json()["results"]] == [mine.pk]
        assert [r["id"] for r in b.get("/businesses").json()["results"]] == [theirs.pk]
    Business.objects.filter(pk=mine.pk).update(deleted_at="2026-01-01T00:00:00Z")
    assert a.get("/businesses").json()["results"] == []
    assert [r["id"] for r in a.get("/businesses", {"trash": "true"}).json()["results"]] == [mine.pk]


def test_owner_scope_and_odd_cursors_fall_back(world, api_for):
    from tests.registry.factories import OwnerFactory

    owner = OwnerFactory(region_id="74.71", user=world.owner_a)
    own = BusinessFactory(region_id="74.71", owners=[owner], name="Milik Sendiri")
    BusinessFactory(region_id="74.71", name="Bukan Milik")
    client = api_for(world.owner_a)
    assert [r["id"] for r in client.get("/businesses").json()["results"]] == [own.pk]

    def forged(values):
        return base64.urlsafe_b64encode(json.dumps({"v": values, "d": "next"}).encode()).decode()

    def qs():
        return selectors.business_list(user=world.officer_a).alive()

    for cursor in (forged(["A", "1"]), forged([None, 1]), forged(["A"]), forged([1, 2]), "???"):
        fast = _fast(qs(), ordering=["name", "id"], cursor=cursor, page_size=10)
        slow = _slow(qs(), ordering=["name", "id"], cursor=cursor, page_size=10)
        assert fast.object_list == slow.object_list
        assert (fast.next_cursor, fast.prev_cursor) == (slow.next_cursor, slow.prev_cursor)


def test_prepared_query_runs_with_new_values(world):
    from sentra.api.models import ApiToken
    from sentra.api.services import token_create

    prepared = fastlist.Prepared(
        lambda prefix: ApiToken.objects.select_related("user").filter(prefix=prefix)[:1], [str]
    )
    first = token_create(actor=world.officer_a, name="a", access="read", lifetime_days=30).token
    second = token_create(actor=world.officer_b, name="b", access="read", lifetime_days=30).token
    assert prepared.first(first.prefix).user == world.officer_a
    assert prepared.first(second.prefix).user == world.officer_b
    assert prepared.first("tidak-ada") is None
    with pytest.raises(TypeError):
        prepared.first(123)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True, width=64),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.decimals(min_value=-(10**15), max_value=10**15, places=2, allow_nan=False).map(float),
    ),
    st.sampled_from([(18, 2), (9, 6), (5, 2), (12, 2), (10, 0)]),
)
@example(10**15 - 1, (18, 2))
@example(10**15, (18, 2))
@example(-(10**15) + 1, (18, 2))
@example(999, (5, 2))
@example(1000, (5, 2))
@example(-999, (5, 2))
@example(0, (10, 0))
@example(9_999_999_999, (10, 0))
@example(10_000_000_000, (10, 0))
def test_sqlite_decimal_text_is_djangos_converter_as_text(value, field):
    """The shortcut for SQLite's numbers gives exactly the text of the Decimal Django's converter returns."""
    import decimal

    max_digits, places = field
    create = decimal.Context(prec=15).create_decimal_from_float
    try:
        expected = str(
            create(value).quantize(decimal.Decimal(1).scaleb(-places), context=decimal.Context(prec=max_digits))
        )
    except decimal.InvalidOperation:
        expected = "refused"
    try:
        got = fastlist.sqlite_decimal_text(max_digits, places)(value)
    except decimal.InvalidOperation:
        got = "refused"
    assert got == expected


@pytest.mark.django_db(transaction=True)
def test_compiled_queries_run_on_the_calling_threads_connection():
    """Django's connections are per thread: a query compiled in one thread must run on another's own."""
    import threading

    from django.db import connections

    from sentra.accounts.roles import Role
    from sentra.api.services import token_authenticate, token_create
    from tests.accounts.factories import UserFactory

    user = UserFactory(username="utas", role=Role.REGENCY_OFFICER, region_id="74.71")
    BusinessFactory(region_id="74.71", name="Di Utas")
    raw = token_create(actor=user, name="utas", access="read", lifetime_days=30).raw
    assert token_authenticate(raw).user == user  # compiled here

    def page():
        return fastlist.keyset_page(
            selectors.business_list(user=user).alive(),
            columns=LIST_COLUMNS,
            render=list_json,
            ordering=["name", "id"],
            cursor=None,
            page_size=5,
        )

    assert [r["name"] for r in page().object_list] == ["Di Utas"]
    seen = []

    def other_thread():
        try:
            seen.append(token_authenticate(raw).user.pk)
            seen.append([r["name"] for r in page().object_list])
        except Exception as exc:  # recorded, so that the assertion shows it
            seen.append(repr(exc))
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert seen == [user.pk, ["Di Utas"]]
