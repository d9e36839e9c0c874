"""API test helpers: tokens for the personas and a client that sends them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from sentra.api.services import token_create


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def make_token(user: Any, access: str = "write", days: int = 30) -> str:
    return token_create(actor=user, name=f"test {user.username}", access=access, lifetime_days=days).raw


class ApiClient:
    """``api.get("/businesses")`` with ``Authorization: Bearer <token>``; returns the Django response."""

    def __init__(self, token: str | None, language: str = "id") -> None:
        self.client = Client()
        self.headers = {"Accept-Language": language}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def _url(self, path: str) -> str:
        return path if path.startswith("/api/") else f"/api/v1{path}"

    def get(self, path: str, params: dict | None = None, **headers: str):
        return self.client.get(self._url(path), params or {}, headers={**self.headers, **headers})

    def send(self, method: str, path: str, body: Any = None, **headers: str):
        fn = getattr(self.client, method.lower())
        data = json.dumps(body) if body is not None else None
        return fn(self._url(path), data=data, content_type="application/json", headers={**self.headers, **headers})

    def post(self, path: str, body: Any = None, **headers: str):
        return self.send("POST", path, body, **headers)

    def patch(self, path: str, body: Any = None, **headers: str):
        return self.send("PATCH", path, body, **headers)

    def delete(self, path: str, **headers: str):
        return self.send("DELETE", path, None, **headers)


@pytest.fixture
def api_for():
    def build(user: Any, access: str = "write", language: str = "id") -> ApiClient:
        return ApiClient(make_token(user, access), language)

    return build


def assert_error_format(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "errors"}, body
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    for field, messages in body["errors"].items():
        assert isinstance(field, str) and isinstance(messages, list) and all(isinstance(m, str) for m in messages)
    if code:
        assert body["code"] == code, body
    return body
