"""the business list and search pages at 100k and 1M generated businesses, next to their raw SQL.

Each page is requested through Django's test client, logged in as a national admin and as the Kota Kendari
officer (so the scope filter, the filter form and template rendering are all included). The baseline is the
page's main query — captured from the page itself, so it is exactly the same SQL and parameters — executed
directly on the database connection. On PostgreSQL the plans are checked: a name search (common and rare) must
read the table through an index (the list's own or the pg_trgm one), and region / status / KBLI filters their
B-tree indexes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from bench.fixtures import bench_user, signed_in
from bench.registry import benchmark
from sentra.core.pagination import _encode

#: page ≤ RATIO × raw query + OVERHEAD_MS: rendering 25 rows, the filter form (514 regencies for a national
#: user), session, auth and scope cost a roughly constant amount whatever the table size.
RATIO = 3.0
OVERHEAD_MS = 75.0
#: Server time of a list page, whatever the registry's size (national size: 4.4M businesses on PostgreSQL).
LIST_PAGE_MS = 50.0
REGENCY = "74.71"


class QueryCapture:
    """Records (sql, params, ms) of every query run while active (``connection.execute_wrapper``)."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, Any]] = []

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.queries.append((sql, params))
        return execute(sql, params, many, context)


def capture(func) -> list[tuple[str, Any]]:  # type: ignore[no-untyped-def]
    cap = QueryCapture()
    with connection.execute_wrapper(cap):
        func()
    return cap.queries


def main_query(queries: list[tuple[str, Any]]) -> tuple[str, Any]:
    """The page's list query: the SELECT from registry_business with a LIMIT."""
    table = '"registry_business"'
    for sql, params in queries:
        head = sql.lstrip().upper()
        if head.startswith("SELECT") and f"FROM {table}".upper() in sql.upper() and "LIMIT" in sql.upper():
            return sql, params
    raise AssertionError("the page ran no list query on registry_business")


def run_raw(sql: str, params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()


def explain(sql: str, params: Any) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


def middle_cursor(user: Any) -> str:
    """A keyset cursor half-way through the user's list in the default ordering (name, id)."""
    from sentra.registry.models import Business

    qs = Business.objects.visible_to(user).alive().order_by("name", "id")
    count = qs.count()
    name, pk = qs.values_list("name", "id")[count // 2]
    return _encode([name, pk], "next")


def sample_terms(user: Any) -> dict[str, str]:
    """A name fragment and an existing NIB inside the user's scope."""
    from sentra.registry.models import Business

    qs = Business.objects.visible_to(user).alive()
    nib = qs.exclude(nib=None).order_by("id").values_list("nib", flat=True)[qs.count() // 3 or 0]
    # An owner's family name as a business-name fragment: a family name is common (1–2% of businesses), the
    # typical search of an officer who remembers part of a name. And one business's whole name: a few matches
    # per hundred thousand rows, the search the trigram index serves.
    rare = qs.order_by("id").values_list("name", flat=True)[qs.count() // 7 or 0]
    return {"name": "Saputra", "nib": nib, "rare": rare}


@benchmark("registry.pages", sized=True)
def registry_pages(ctx) -> None:  # type: ignore[no-untyped-def]
    """Business list (first and deep keyset page) and search (name, NIB): page vs raw SQL."""
    ctx.ensure_businesses(ctx.size)
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    url = reverse("registry:business_list")
    for kind in ("national", "regency"):
        user = bench_user(kind)
        client = signed_in(Client(), user)
        terms = sample_terms(user)
        cases = {
            "list.first_page": {},
            "list.deep_page": {"cursor": middle_cursor(user)},
            "search.name": {"q": terms["name"]},
            "search.rare_name": {"q": terms["rare"]},
            "search.nib": {"q": terms["nib"]},
        }
        for case, query in cases.items():

            def get(query: dict[str, str] = query, client: Client = client) -> None:
                response = client.get(url, query)
                assert response.status_code == 200, response.status_code
                response.content  # noqa: B018 - the body is rendered lazily only for streaming responses

            queries = capture(get)
            sql, params = main_query(queries)
            page_ms = ctx.time_ms(get)
            raw_ms = ctx.time_ms(lambda sql=sql, params=params: run_raw(sql, params))
            ctx.record(
                f"registry.{case}.{kind}",
                page_ms,
                "ms",
                baseline=raw_ms,
                target=RATIO * raw_ms + OVERHEAD_MS,
                note=f"page vs its main SQL; target {RATIO:g}× raw + {OVERHEAD_MS:g} ms; {len(queries)} queries",
                queries=len(queries),
            )
            if case == "list.first_page":
                ctx.record(
                    f"registry.list.server_ms.{kind}",
                    page_ms,
                    "ms",
                    target=LIST_PAGE_MS,
                    note="first page of the business list through the whole Django stack (test client)",
                )
            if case in ("search.name", "search.rare_name") and connection.vendor == "postgresql":
                # A common name is best served by walking the list's index and stopping at the first page, a rare
                # one by the trigram index; either way no plan may read the whole table.
                plan = explain(sql, params)
                indexed = "Seq Scan on registry_business" not in plan
                ctx.record(
                    f"registry.{case}.indexed.{kind}",
                    1.0 if indexed else 0.0,
                    "bool",
                    target=1.0,
                    higher_is_better=True,
                    note="EXPLAIN of the search reads registry_business through an index (no Seq Scan)",
                    plan=plan.splitlines()[:12],
                )
        detail_page(ctx, client, user)
    check_filter_indexes(ctx)


def detail_page(ctx, client: Client, user: Any) -> None:  # type: ignore[no-untyped-def]
    """A business's page (profile, owner, centre, history panels) vs its own main query."""
    from sentra.registry.models import Business

    qs = Business.objects.visible_to(user).alive().order_by("id")
    pk = qs.values_list("id", flat=True)[qs.count() // 2]
    url = reverse("registry:business_detail", args=[pk])

    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    queries = capture(get)
    sql, params = main_query(queries)
    page_ms = ctx.time_ms(get)
    raw_ms = ctx.time_ms(lambda: run_raw(sql, params))
    kind = "national" if user.region_id is None else "regency"
    ctx.record(
        f"registry.detail.{kind}",
        page_ms,
        "ms",
        baseline=raw_ms,
        note=f"business page vs its main SQL; {len(queries)} queries",
        queries=len(queries),
    )


def check_filter_indexes(ctx) -> None:  # type: ignore[no-untyped-def]
    """EXPLAIN the list query under each filter: no full scan of registry_business."""
    from sentra.registry.models import Business

    user = bench_user("national")
    client = signed_in(Client(), user)
    url = reverse("registry:business_list")
    sample = Business.objects.alive().exclude(kbli=None).exclude(district=None).select_related("kbli").first()
    filters = {
        "region": {"region": REGENCY},
        "province": {"province": "74"},
        "district": {"region": sample.region_id, "district": sample.district_id},
        "status": {"status": "inactive"},
        "size_class": {"size_class": "besar"},
        "kbli_kelompok": {"kbli": sample.kbli.code},
        "kbli_prefix": {"kbli": sample.kbli.code[:3]},
    }
    for name, query in filters.items():
        queries = capture(lambda query=query: client.get(url, query))
        sql, params = main_query(queries)
        plan = explain(sql, params)
        if connection.vendor == "postgresql":
            full_scan = "Seq Scan on registry_business" in plan
        else:
            full_scan = any(
                line.split("SCAN ", 1)[1].startswith("registry_business") and "USING" not in line
                for line in plan.splitlines()
                if "SCAN " in line
            )
        page_ms = ctx.time_ms(lambda query=query: client.get(url, query), repeat=max(3, ctx.repeat // 2))
        raw_ms = ctx.time_ms(lambda sql=sql, params=params: run_raw(sql, params), repeat=max(3, ctx.repeat // 2))
        target = RATIO * raw_ms + OVERHEAD_MS
        ctx.record(
            f"registry.filter.{name}.national",
            page_ms,
            "ms",
            baseline=raw_ms,
            target=target,
            ok=page_ms <= target and not full_scan,
            note=("full scan of registry_business! " if full_scan else "indexed; ") + f"filter {query}",
            full_scan=full_scan,
            plan=plan.splitlines()[:12],
        )
