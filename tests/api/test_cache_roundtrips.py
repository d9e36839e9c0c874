"""One cache read per API request (sentra.api.requestcache): token row, permissions and rate-limit counter.

The local-memory cache of the tests is instrumented by counting the calls on the backend; with Redis
(127.0.0.1:6379, or ``TEST_REDIS_URL``; skipped when it does not answer) every command and every pipeline sent
by the client is counted as one round trip.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections import Counter
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from sentra.api import requestcache
from sentra.api.auth import RateWindow
from sentra.api.requestcache import RequestCache
from sentra.api.services import token_create, token_revoke
from tests.api.conftest import ApiClient, assert_error_format

READS = ("get", "get_many", "has_key", "get_or_set")
WRITES = ("set", "set_many", "add", "incr", "decr", "delete", "delete_many", "touch")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


class CacheCalls:
    """Counts the calls on the default cache backend (reads and writes), passing them through."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: Counter[str] = Counter()
        self.depth = 0
        backend = caches["default"]
        for name in (*READS, *WRITES):
            original = getattr(backend, name)

            def counted(*args: Any, _name: str = name, _original: Any = original, **kwargs: Any) -> Any:
                if not self.depth:  # the base get_many calls get for each key: one call of the cache's API
                    self.calls[_name] += 1
                self.depth += 1
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.depth -= 1

            monkeypatch.setattr(backend, name, counted)

    def reads(self) -> int:
        return sum(self.calls[n] for n in READS)

    def writes(self) -> int:
        return sum(self.calls[n] for n in WRITES)

    def reset(self) -> None:
        self.calls.clear()


def test_a_warm_token_get_reads_the_local_cache_once(officer_region_a, settings, monkeypatch):
    # The local-memory cache even when the run has REDIS_URL (Redis writes go through a pipeline; see below).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rt"}}
    settings.SENTRA_API_TOKEN_CACHE_SECONDS = 10  # token rows cached too, as with Redis
    raw = token_create(actor=officer_region_a, name="t", access="read", lifetime_days=30).raw
    client = ApiClient(raw)
    calls = CacheCalls(monkeypatch)
    assert client.get("/businesses").status_code == 200  # cold: the token and the permissions are loaded
    assert calls.calls["get_many"] == 1
    calls.reset()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/businesses").status_code == 200
    assert calls.reads() == 1 and calls.calls["get_many"] == 1, calls.calls
    assert calls.writes() == 1 and calls.calls["incr"] == 1, calls.calls  # only the rate-limit counter
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "api_apitoken" not in sql and "auth_permission" not in sql  # both came from that one read


def test_without_the_token_cache_the_permissions_and_the_counter_are_still_one_read(world, api_for, monkeypatch):
    client = api_for(world.owner_a)
    assert client.get("/allocations").status_code == 403
    calls = CacheCalls(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/allocations").status_code == 403  # same answer, permissions from the cache
    assert calls.reads() == 1, calls.calls
    assert "auth_permission" not in " ".join(q["sql"] for q in queries.captured_queries)


@pytest.fixture
def one_window(monkeypatch):
    """The rate limit's clock held in the middle of one window: a run that crosses a minute boundary between two
    requests would otherwise start a fresh count and let the third request through."""
    from types import SimpleNamespace

    from sentra.api import auth

    monkeypatch.setattr(auth, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))


@override_settings(SENTRA_API_RATE_LIMIT="2/min")
def test_once_the_limit_is_reached_a_request_only_reads(officer_region_a, api_for, monkeypatch, one_window):
    client = api_for(officer_region_a)
    assert [client.get("/regions", {"level": 1}).status_code for _ in range(2)] == [200, 200]
    calls = CacheCalls(monkeypatch)
    for _ in range(3):
        assert_error_format(client.get("/regions", {"level": 1}), 429, "rate_limited")
    assert calls.writes() == 0 and calls.reads() == 3, calls.calls


@override_settings(SENTRA_API_RATE_LIMIT="2/min")
def test_a_refused_token_is_not_counted(officer_region_a, api_for, one_window):
    created = token_create(actor=officer_region_a, name="t", access="read", lifetime_days=30)
    forged = created.raw[:-4] + ("AAAA" if not created.raw.endswith("AAAA") else "BBBB")
    for _ in range(3):  # a wrong secret with the real prefix spends nothing of the token's budget
        assert_error_format(ApiClient(forged).get("/regions", {"level": 1}), 401, "token_invalid")
    assert_error_format(ApiClient(created.raw).post("/businesses", {}), 403, "token_read_only")
    client = ApiClient(created.raw)
    assert [client.get("/regions", {"level": 1}).status_code for _ in range(3)] == [200, 200, 429]


def test_a_session_request_is_counted_per_user(client, officer_region_a, settings, one_window):
    settings.SENTRA_API_RATE_LIMIT = "2/min"
    client.force_login(officer_region_a)
    assert [client.get("/api/v1/regions", {"level": 1}).status_code for _ in range(3)] == [200, 200, 429]


def test_an_entry_of_an_older_generation_is_not_used(officer_region_a, settings):
    from sentra.api import tokencache

    settings.SENTRA_API_TOKEN_CACHE_SECONDS = 10
    created = token_create(actor=officer_region_a, name="t", access="read", lifetime_days=30)
    prefix = created.token.prefix
    reads = RequestCache(tokencache.keys(prefix))
    assert tokencache.get(prefix, reads) is None
    tokencache.put(created.token, reads)
    tokencache.invalidate()  # e.g. a revocation between the database read and the write
    reads.flush()
    assert tokencache.get(prefix) is None  # written under the generation read before: never used
    tokencache.put(created.token)
    assert tokencache.get(prefix).pk == created.token.pk


def _count_concurrently(window: RateWindow, threads: int, each: int) -> list[int]:
    seen: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(each):
            count = window.hit(RequestCache([window.key]))
            with lock:
                seen.append(count)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return seen


def test_concurrent_hits_on_the_local_cache_are_all_counted():
    window = RateWindow(f"sentra:test:rate:{uuid.uuid4().hex}", 10_000, 60)
    assert sorted(_count_concurrently(window, 6, 25)) == list(range(1, 151))


# --- Redis -------------------------------------------------------------------------------------------------------


class RoundTrips:
    """Counts what the Redis client sends: each command is one round trip, a pipeline (all its commands) is one."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import redis
        from redis.client import Pipeline

        self.commands: list[str] = []
        self.pipelines: list[list[str]] = []
        plain = redis.Redis.execute_command
        execute = Pipeline.execute

        def command(client: Any, *args: Any, **kwargs: Any) -> Any:
            if not isinstance(client, Pipeline):
                self.commands.append(str(args[0]))
            return plain(client, *args, **kwargs)

        def pipeline(pipe: Any, *args: Any, **kwargs: Any) -> Any:
            self.pipelines.append([str(c[0][0]) for c in pipe.command_stack])
            return execute(pipe, *args, **kwargs)

        monkeypatch.setattr(redis.Redis, "execute_command", command)
        monkeypatch.setattr(Pipeline, "execute", pipeline)

    @property
    def count(self) -> int:
        return len(self.commands) + len(self.pipelines)

    def reset(self) -> None:
        self.commands.clear()
        self.pipelines.clear()


@pytest.fixture
def redis_cache():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"Redis at {REDIS_URL} does not answer")
    caches_setting = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"sentra-test-{uuid.uuid4().hex}",  # no clash with another run on the same server
        }
    }
    with override_settings(CACHES=caches_setting):
        assert requestcache._redis_client() is not None
        yield


def test_a_warm_token_get_is_one_redis_read_and_one_write(redis_cache, officer_region_a, monkeypatch):
    raw = token_create(actor=officer_region_a, name="t", access="read", lifetime_days=30).raw
    client = ApiClient(raw)
    trips = RoundTrips(monkeypatch)
    assert client.get("/businesses").status_code == 200  # cold: generations started, token and permissions loaded
    trips.reset()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/businesses").status_code == 200
    assert trips.commands == ["MGET"], trips.commands  # the one read
    assert trips.pipelines == [["INCRBY", "EXPIRE"]], trips.pipelines  # the one write (MULTI/EXEC around it)
    assert trips.count == 2
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "api_apitoken" not in sql and "auth_permission" not in sql


def test_with_redis_the_answers_stay_the_same(redis_cache, world, monkeypatch, one_window):
    from django.contrib.auth.models import Permission

    created = token_create(actor=world.owner_a, name="t", access="read", lifetime_days=30)
    client = ApiClient(created.raw)
    assert client.get("/allocations").status_code == 403
    assert client.get("/allocations").status_code == 403  # permissions from Redis
    view = Permission.objects.get(codename="view_allocation", content_type__app_label="budget")
    world.owner_a.user_permissions.add(view)  # a new permission generation
    assert client.get("/allocations").status_code == 200
    assert_error_format(client.post("/businesses", {}), 403, "token_read_only")
    token_revoke(actor=world.owner_a, token=created.token)  # a new token generation
    assert_error_format(client.get("/allocations"), 401, "token_revoked")
    other = ApiClient(token_create(actor=world.officer_a, name="t", access="read", lifetime_days=30).raw)
    with override_settings(SENTRA_API_RATE_LIMIT="2/min"):
        assert [other.get("/regions", {"level": 1}).status_code for _ in range(2)] == [200, 200]
        trips = RoundTrips(monkeypatch)
        limited = other.get("/regions", {"level": 1})
        assert_error_format(limited, 429, "rate_limited")
        assert 1 <= int(limited["Retry-After"]) <= 60
        assert trips.count == 1  # past the limit: the read alone


def test_concurrent_hits_on_redis_are_all_counted(redis_cache):
    window = RateWindow(f"sentra:test:rate:{uuid.uuid4().hex}", 10_000, 60)
    assert sorted(_count_concurrently(window, 6, 25)) == list(range(1, 151))
    import redis

    key = caches["default"].make_and_validate_key(window.key)
    assert 0 < redis.Redis.from_url(REDIS_URL).ttl(key) <= 61
    assert requestcache.hit(window.key, 61) == 151


def test_a_cached_token_never_carries_its_users_permissions(world, api_for, settings):
    """The token row is written after the permissions were loaded onto its user: the cached copy has none."""
    from django.contrib.auth.models import Permission

    settings.SENTRA_API_TOKEN_CACHE_SECONDS = 10
    client = api_for(world.owner_a)
    assert client.get("/allocations").status_code == 403
    assert client.get("/allocations").status_code == 403  # token and permissions from the cache
    view = Permission.objects.get(codename="view_allocation", content_type__app_label="budget")
    world.owner_a.user_permissions.add(view)
    assert client.get("/allocations").status_code == 200
