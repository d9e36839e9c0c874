"""The public product catalogue at 100k products, next to the business list page in the same run.

The bench database's generated businesses each get one product (``ensure_products``); half of the businesses
opt in to the catalogue, so about 50k products are listed. The catalogue pages are requested anonymously
through Django's test client (the middleware, the cached filter choices, the cards and their cover photos all
included); the baseline is the business list page (``/usaha/``) of the same run as the Kota Kendari officer and
as a national admin, and each page's own main query run directly on the connection. On PostgreSQL the plans are
checked: the catalogue's list, region and KBLI filters must not scan ``products_product`` sequentially, and the
name search must use ``product_name_trgm``.
"""

from __future__ import annotations

import time
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from bench.bench_registry import capture, explain, run_raw
from bench.fixtures import bench_user, signed_in
from bench.registry import benchmark
from sentra.core.pagination import _encode

#: catalogue page ≤ RATIO × the business list page of the same run (same machine, same database) + OVERHEAD_MS
RATIO = 1.5
OVERHEAD_MS = 25.0
BATCH = 5_000


def ensure_products(count: int) -> None:
    """One generated product per business (``count`` in all), every second business opted in, one photo row each."""
    from sentra.products.models import CatalogueListing, Product, ProductPhoto
    from sentra.regions.models import Kbli
    from sentra.registry.models import Business

    if Product.objects.count() == count:
        print(f"  (bench database already holds {count:,} products)", flush=True)
        return
    start = time.perf_counter()
    default_kbli = Kbli.objects.get(version="2020", level=5, code="31001")
    with transaction.atomic():
        ProductPhoto.objects.all().delete()
        Product.objects.all().delete()
        CatalogueListing.objects.all().delete()
        rows = Business.objects.order_by("id").values_list("id", "region_id", "kbli_id", "commodity")[:count]
        products, listings = [], []
        for i, (pk, region_id, kbli_id, commodity) in enumerate(rows.iterator(chunk_size=BATCH)):
            opted = i % 2 == 0
            if opted:
                listings.append(
                    CatalogueListing(business_id=pk, region_id=region_id, opted_in=True, consent_via="owner")
                )
            products.append(
                Product(
                    business_id=pk,
                    region_id=region_id,
                    kbli_id=kbli_id or default_kbli.pk,
                    name=f"{(commodity or 'Produk').split(',')[0].strip().capitalize()} {pk}",
                    price_min=Decimal(100_000 + (pk % 50) * 10_000),
                    price_max=Decimal(500_000 + (pk % 50) * 20_000),
                    capacity_unit="unit",
                    published=True,
                    listed=opted,
                )
            )
            if len(products) >= BATCH:
                _flush(products, listings)
        _flush(products, listings)
    print(f"  (seeded {count:,} products in {time.perf_counter() - start:.1f} s)", flush=True)


def _flush(products: list, listings: list) -> None:  # type: ignore[type-arg]
    from sentra.products.models import CatalogueListing, Product, ProductPhoto

    made = Product.objects.bulk_create(products, batch_size=BATCH)
    ProductPhoto.objects.bulk_create(
        [
            ProductPhoto(product=p, region_id=p.region_id, image=f"produk/bench/{p.pk}.png", content_type="image/png")
            for p in made
        ],
        batch_size=BATCH,
    )
    CatalogueListing.objects.bulk_create(listings, batch_size=BATCH)
    products.clear()
    listings.clear()


def product_query(queries) -> tuple[str, object]:  # type: ignore[no-untyped-def]
    for sql, params in queries:
        upper = sql.upper()
        if upper.lstrip().startswith("SELECT") and 'FROM "PRODUCTS_PRODUCT"' in upper and "LIMIT" in upper:
            return sql, params
    raise AssertionError("the page ran no list query on products_product")


def business_query(queries) -> tuple[str, object]:  # type: ignore[no-untyped-def]
    for sql, params in queries:
        upper = sql.upper()
        if upper.lstrip().startswith("SELECT") and 'FROM "REGISTRY_BUSINESS"' in upper and "LIMIT" in upper:
            return sql, params
    raise AssertionError("the page ran no list query on registry_business")


def _get(client: Client, url: str, query: dict[str, str]) -> None:
    response = client.get(url, query)
    assert response.status_code == 200, (url, response.status_code)
    response.content  # noqa: B018


@benchmark("products.catalogue", sized=True)
def catalogue_pages(ctx) -> None:  # type: ignore[no-untyped-def]
    """Catalogue pages (first, deep, region, KBLI, search, centre-less product page) vs the business list page."""
    from sentra.products.models import Product

    ctx.ensure_businesses(ctx.size)
    ensure_products(ctx.size)
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    baselines = {}
    for kind in ("regency", "national"):
        officer = signed_in(Client(), bench_user(kind))
        url = reverse("registry:business_list")
        queries = capture(lambda officer=officer, url=url: _get(officer, url, {}))
        page_ms = ctx.time_ms(lambda officer=officer, url=url: _get(officer, url, {}))
        baselines[kind] = page_ms
        sql, params = business_query(queries)
        ctx.record(
            f"products.baseline.business_list.{kind}",
            page_ms,
            "ms",
            baseline=ctx.time_ms(lambda sql=sql, params=params: run_raw(sql, params)),
            note=f"the business list page of this run, as the {kind} officer (the catalogue's yardstick)",
            queries=len(queries),
        )
    baseline = min(baselines.values())

    public = Product.objects.public().order_by("name", "id")
    listed = public.count()
    middle = public.values_list("name", "id")[listed // 2]
    sample = public.select_related("kbli").first()
    anonymous = Client()
    catalogue = reverse("products:catalogue")
    cases = {
        "first_page": (catalogue, {}),
        "deep_page": (catalogue, {"cursor": _encode(list(middle), "next")}),
        "region": (reverse("products:catalogue_region", args=["74.71"]), {}),
        "kbli": (catalogue, {"kbli": sample.kbli.code}),
        "search": (catalogue, {"q": "mebel"}),
        "product_page": (reverse("products:catalogue_product", args=[sample.pk]), {}),
    }
    for case, (url, query) in cases.items():
        queries = capture(lambda url=url, query=query: _get(anonymous, url, query))
        page_ms = ctx.time_ms(lambda url=url, query=query: _get(anonymous, url, query))
        extra: dict[str, object] = {"queries": len(queries), "listed": listed}
        full_scan = False
        if case != "product_page":
            sql, params = product_query(queries)
            extra["raw_ms"] = ctx.time_ms(lambda sql=sql, params=params: run_raw(sql, params))
            plan = explain(sql, params)
            extra["plan"] = plan.splitlines()[:12]
            if connection.vendor == "postgresql":
                full_scan = case != "search" and "Seq Scan on products_product" in plan
                if case == "search":
                    extra["uses_trgm"] = "product_name_trgm" in plan
        target = RATIO * baseline + OVERHEAD_MS
        ctx.record(
            f"products.catalogue.{case}",
            page_ms,
            "ms",
            baseline=baseline,
            target=target,
            ok=page_ms <= target and not full_scan,
            note=(
                ("full scan of products_product! " if full_scan else "")
                + f"anonymous catalogue page vs the business list page of this run; target {RATIO:g}× + "
                f"{OVERHEAD_MS:g} ms; {len(queries)} queries; {listed:,} listed products"
            ),
            **extra,
        )
