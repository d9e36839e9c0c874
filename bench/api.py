"""the API's business list, in requests/s, next to a bare django-ninja endpoint in the same run.

Both endpoints are requested through Django's test client and the whole middleware stack. The bare endpoint
(no auth, no scope, no filters, no schema validation) runs the *same* SQL with the same parameters, captured
from the real API request, on the database connection, and returns the rows as JSON. The target is the
issue's: the real endpoint within 2× the bare one (``api_ms <= 2 × bare_ms``), first page and a deep page.

Run with the bench runner (``python -m bench.run --only api``), or on its own: ``python -m bench.api``
(the same thing with ``--only api`` filled in; other options are passed on).
"""

from __future__ import annotations

import sys
from typing import Any

if __name__ == "__main__":
    # Standalone: hand over to the runner (which imports this module again, as bench.api, via bench_api.py).
    from bench import run

    sys.exit(run.main(["--only", "api", *sys.argv[1:]]))

from bench.registry import benchmark

TARGET_RATIO = 2.0
_BARE_QUERY: dict[str, Any] = {}


def _bare_api() -> Any:
    """The bare endpoint: the same SQL, no auth, no scope, no schema; what django-ninja itself costs.

    Built on first use: Django is only set up in the runner's child process.
    """
    from django.db import connection
    from ninja import NinjaAPI

    bare = NinjaAPI(urls_namespace="bench-bare", docs_url=None, openapi_url=None)

    @bare.get("/businesses")
    def bare_list(request):  # type: ignore[no-untyped-def]
        with connection.cursor() as cursor:
            cursor.execute(_BARE_QUERY["sql"], _BARE_QUERY["params"])
            columns = [c[0] for c in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        return {"results": rows}

    return bare


def _urlpatterns() -> list[Any]:
    from django.contrib.auth.decorators import login_not_required
    from django.urls import path

    from sentra.urls import urlpatterns as site

    patterns, app_name, namespace = _bare_api().urls
    for p in patterns:
        p.callback = login_not_required(p.callback)
    return [path("bench-bare/", (patterns, app_name, namespace)), *site]


urlpatterns: list[Any] = []


class _Capture:
    def __init__(self) -> None:
        self.queries: list[tuple[str, Any]] = []

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.queries.append((sql, params))
        return execute(sql, params, many, context)


def _list_query(func) -> tuple[str, Any]:  # type: ignore[no-untyped-def]
    from django.db import connection

    cap = _Capture()
    with connection.execute_wrapper(cap):
        func()
    for sql, params in cap.queries:
        if sql.lstrip().upper().startswith("SELECT") and '"registry_business"' in sql and "LIMIT" in sql.upper():
            return sql, params
    raise AssertionError("the API ran no list query on registry_business")


def _interleaved_ms(first, second, repeat: int, warmup: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median ms of each, timed alternately so that a busy machine slows both alike."""
    import statistics
    import time

    for _ in range(max(1, warmup)):
        first()
        second()
    a: list[float] = []
    b: list[float] = []
    for _ in range(max(5, repeat)):
        for func, out in ((first, a), (second, b)):
            start = time.perf_counter()
            func()
            out.append((time.perf_counter() - start) * 1000)
    return statistics.median(a), statistics.median(b)


@benchmark("api.business_list", sized=True)
def api_business_list(ctx) -> None:  # type: ignore[no-untyped-def]
    """GET /api/v1/businesses (token, scope, filters, cursor) vs a bare ninja endpoint running the same SQL."""
    from django.conf import settings
    from django.test import Client, override_settings
    from django.urls import clear_url_caches

    from bench.fixtures import bench_user
    from sentra.api.services import token_create
    from sentra.core.pagination import _encode
    from sentra.registry.models import Business

    ctx.ensure_businesses(ctx.size)
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    global urlpatterns
    urlpatterns = _urlpatterns()
    # The default set-up (a per-process cache: no token cache, permissions cached; sentra.api.tokencache).
    with override_settings(ROOT_URLCONF=__name__, SENTRA_API_RATE_LIMIT="100000000/min"):
        clear_url_caches()
        try:
            for kind in ("national", "regency"):
                user = bench_user(kind)
                token = token_create(actor=user, name="bench", access="read", lifetime_days=1).raw
                client = Client(headers={"Authorization": f"Bearer {token}"})
                qs = Business.objects.visible_to(user).alive().order_by("name", "id")
                middle = qs.values_list("name", "id")[qs.count() // 2]
                cases = {"first_page": {}, "deep_page": {"cursor": _encode(list(middle), "next")}}
                for case, query in cases.items():

                    def api_get(query: dict[str, str] = query, client: Any = client) -> None:
                        response = client.get("/api/v1/businesses", query)
                        assert response.status_code == 200, response.content[:300]

                    sql, params = _list_query(api_get)
                    _BARE_QUERY.update(sql=sql, params=params)

                    def bare_get(client: Any = client) -> None:
                        response = client.get("/bench-bare/businesses")
                        assert response.status_code == 200, response.content[:300]

                    api_ms, bare_ms = _interleaved_ms(api_get, bare_get, ctx.repeat, ctx.warmup)
                    ctx.record(
                        f"api.business_list.{case}.{kind}",
                        api_ms,
                        "ms",
                        baseline=bare_ms,
                        target=TARGET_RATIO * bare_ms,
                        note=(
                            f"API {1000 / api_ms:.0f} req/s vs bare ninja + same SQL {1000 / bare_ms:.0f} req/s; "
                            f"target ≤ {TARGET_RATIO:g}× bare"
                        ),
                        api_rps=round(1000 / api_ms, 1),
                        bare_rps=round(1000 / bare_ms, 1),
                    )
        finally:
            clear_url_caches()


class _RoundTrips:
    """Counts the requests sent to Redis: each command of the client is one, a whole pipeline is one."""

    def __init__(self) -> None:
        self.count = 0

    def __enter__(self) -> _RoundTrips:
        import redis
        from redis.client import Pipeline

        self._saved = (redis.Redis.execute_command, Pipeline.execute)
        plain, execute = self._saved

        def command(client, *args, **kwargs):  # type: ignore[no-untyped-def]
            if not isinstance(client, Pipeline):  # a command queued on a pipeline is sent with the pipeline
                self.count += 1
            return plain(client, *args, **kwargs)

        def pipeline(pipe, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.count += 1
            return execute(pipe, *args, **kwargs)

        redis.Redis.execute_command = command
        Pipeline.execute = pipeline
        return self

    def __exit__(self, *exc: object) -> None:
        import redis
        from redis.client import Pipeline

        redis.Redis.execute_command, Pipeline.execute = self._saved


def _previous_cache_traffic(prefix: str, user_pk: int) -> None:
    """What a warm token request sent to the cache before ``sentra.api.requestcache``, one call after another:
    the token generation, then the token under it; the permission generation, then the set under it; the
    counter's ``add`` and ``incr`` (Django's Redis ``incr`` asks ``EXISTS`` first): 7 round trips."""
    from django.core.cache import cache

    token_gen = cache.get("sentra:api:token-generation")
    cache.get(f"sentra:api:token:{prefix}:{token_gen}")
    perm_gen = cache.get("sentra:api:perm-generation")
    cache.get(f"sentra:api:perms:{user_pk}:national_admin:{perm_gen}")
    key = "sentra:api:rate:bench-previous:0"
    if not cache.add(key, 1, 61):
        cache.incr(key)


def _current_cache_traffic(prefix: str) -> None:
    """The same through ``sentra.api.requestcache``: one ``get_many`` and one write pipeline."""
    from sentra.api import permcache, tokencache
    from sentra.api.requestcache import RequestCache

    key = "sentra:api:rate:bench-current:0"
    reads = RequestCache([*tokencache.keys(prefix), *permcache.keys(prefix), key])
    reads.flush(counter=(key, 61))


@benchmark("api.redis_cache", sized=False, databases=("sqlite", "postgresql"))
def api_redis_cache(ctx) -> None:  # type: ignore[no-untyped-def]
    """A warm token GET with Redis as the cache (token, permissions, rate limit): ms and Redis round trips."""
    import os

    import redis
    from django.test import Client, override_settings

    from bench.fixtures import bench_user
    from sentra.api.services import token_create

    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        print(f"  (skipped: Redis at {url} does not answer: {exc})", flush=True)
        return
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"sentra-bench-{ctx.database}",
        }
    }
    with override_settings(CACHES=caches, SENTRA_API_RATE_LIMIT="100000000/min", ALLOWED_HOSTS=["testserver"]):
        user = bench_user("national")
        token = token_create(actor=user, name="bench redis", access="read", lifetime_days=1).raw
        client = Client(headers={"Authorization": f"Bearer {token}"})

        def api_get() -> None:
            response = client.get("/api/v1/businesses", {"page_size": 1})
            assert response.status_code == 200, response.content[:300]

        api_get()  # warm: the token, the permissions and the generations are in Redis
        with _RoundTrips() as trips:
            api_get()
        _previous_cache_traffic(token.split("_")[1], user.pk)  # its counter exists from now on, as when warm
        with _RoundTrips() as previous_trips:
            _previous_cache_traffic(token.split("_")[1], user.pk)
        request_ms = ctx.time_ms(api_get, repeat=max(ctx.repeat, 51), warmup=max(ctx.warmup, 5))
        prefix = token.split("_")[1]
        current_ms, previous_ms = _interleaved_ms(
            lambda: _current_cache_traffic(prefix),
            lambda: _previous_cache_traffic(prefix, user.pk),
            max(ctx.repeat, 201),
            max(ctx.warmup, 20),
        )
        ctx.record(
            "api.redis_cache.round_trips",
            trips.count,
            "round trips",
            baseline=previous_trips.count,
            target=2,
            note=(
                "Redis requests of one warm token GET: one read (MGET) and one write (the rate-limit counter); "
                "baseline: the previous sequence of cache calls"
            ),
        )
        ctx.record(
            "api.redis_cache.cache_ms",
            current_ms,
            "ms",
            baseline=previous_ms,
            target=0.6 * previous_ms,
            note=(
                "the cache traffic of one warm token request (token, permissions, rate limit), median, timed "
                "alternately with the previous call sequence (baseline) on the same Redis; target ≤ 0.6× previous"
            ),
        )
        ctx.record(
            "api.redis_cache.warm_get_ms",
            request_ms,
            "ms",
            note="GET /api/v1/businesses?page_size=1 with a token, Redis as the cache (median)",
        )
