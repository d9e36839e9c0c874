"""the national dashboard reads summary tables, so its cost does not grow with the registry.

Target: at any registry size (the issue asks for 4.4M generated businesses: ``--sizes 4400000``), the national
dashboard page answers within 2× the time of the single largest raw aggregate it replaces, run on 100,000 rows
in the same database and the same run (a temporary table holding the first 100,000 businesses).
The time to rebuild all summary tables from scratch is recorded as well (it runs as a job, not per page view).
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from bench.fixtures import bench_user, signed_in
from bench.registry import benchmark

TARGET_RATIO = 2.0
BASE_ROWS = 100_000

# The aggregate the business cube replaces: every live business grouped by regency, KBLI division, both size
# classes and status, with the sums the dashboard shows.
RAW_AGGREGATE = """
SELECT b.region_id, SUBSTR(k.code, 1, 2), b.size_class, b.umkm_class, b.status, COUNT(*),
       SUM(b.workforce_male), SUM(b.workforce_female), SUM(b.investment_value), SUM(b.production_value),
       SUM(b.turnover)
FROM {table} b LEFT JOIN regions_kbli k ON k.id = b.kbli_id
WHERE b.deleted_at IS NULL
GROUP BY b.region_id, SUBSTR(k.code, 1, 2), b.size_class, b.umkm_class, b.status
"""


@benchmark("dashboard.national", sized=True)
def national_dashboard(ctx) -> None:  # type: ignore[no-untyped-def]
    """National dashboard page vs the raw aggregate it replaces at 100k rows."""
    from sentra.reports.services import summary_refresh_all

    ctx.ensure_businesses(ctx.size)
    rebuild_s = ctx.once_s(summary_refresh_all)
    ctx.record("dashboard.summary_rebuild", rebuild_s, "s", note="all 514 regencies/cities, one province at a time")

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_business_100k")
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_business_100k AS "
            f"SELECT * FROM registry_business ORDER BY id LIMIT {BASE_ROWS}"
        )

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(RAW_AGGREGATE.format(table="bench_business_100k"))
            cursor.fetchall()

    raw_ms = ctx.time_ms(raw)
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = signed_in(Client(), bench_user("national"))
    url = reverse("reports:dashboard")

    def page() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    page_ms = ctx.time_ms(page)
    ctx.record(
        "dashboard.national.page",
        page_ms,
        baseline=raw_ms,
        target=TARGET_RATIO * raw_ms,
        note=f"raw aggregate on {BASE_ROWS:,} rows as baseline; dashboard over {ctx.size:,} businesses",
    )
    map_url = reverse("reports:map_data")
    map_ms = ctx.time_ms(lambda: client.get(map_url))
    ctx.record("dashboard.national.map", map_ms, baseline=raw_ms, note="choropleth data of 38 provinces")
    xlsx_url = reverse("reports:chart_xlsx", args=["id", "size"])
    xlsx_ms = ctx.time_ms(lambda: client.get(xlsx_url))
    ctx.record("dashboard.national.chart_xlsx", xlsx_ms, baseline=raw_ms, note="one chart's data as XLSX")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_business_100k")
