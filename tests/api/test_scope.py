"""Scope for EVERY API operation, generated from the OpenAPI document.

Each operation carries ``x-sentra-scope`` (``sentra.api.common.scope``). For region-owned data a region-B
token (Kota Baubau) gets 404 on region-A objects (Kota Kendari) on every method, lists leave them out, and a
create that targets region A is refused; region A's own officer succeeds, so no check passes vacuously.
A new operation without the marker, or without a provider in tests/api/scope_objects.py, fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps

from sentra.api.main import api
from tests.api.conftest import ApiClient, make_token
from tests.api.scope_objects import API_CREATE_BODIES, API_OBJECTS

SCHEMA = api.get_openapi_schema()
OPERATIONS = [
    (path, method, op)
    for path, item in SCHEMA["paths"].items()
    for method, op in item.items()
    if method in {"get", "post", "put", "patch", "delete"}
]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        return SCHEMA["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return schema


def minimal_body(op: dict[str, Any]) -> Any:
    """The smallest body the schema accepts (required properties with simple values), or None."""
    content = op.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return None
    schema = _resolve(content["schema"])
    simple = {"integer": 1, "number": 1, "string": "x", "boolean": False, "array": [], "object": {}}
    body = {}
    for name in schema.get("required", []):
        prop = _resolve(schema["properties"][name])
        body[name] = simple.get(prop.get("type", "string"), "x")
    return body


def test_every_operation_declares_its_scope():
    assert len(OPERATIONS) >= 10
    for path, method, op in OPERATIONS:
        marker = op.get("x-sentra-scope")
        assert marker, f"{method.upper()} {path} has no x-sentra-scope (use sentra.api.common.scope)"
        assert marker["kind"] in {"reference", "list", "object", "create"}
        model = apps.get_model(marker["model"])
        if marker["kind"] == "reference":
            assert not hasattr(model.objects, "visible_to"), f"{path}: region-owned data cannot be 'reference'"
        else:
            # A model without visible_to of its own (a certificate) names the model that scopes it.
            scoped = apps.get_model(marker.get("via", marker["model"]))
            assert hasattr(scoped.objects, "visible_to"), f"{path}: {scoped._meta.label_lower} has no visible_to"
            assert marker["model"] in API_OBJECTS, f"{path}: add a provider to tests/api/scope_objects.py"
        if marker["kind"] == "create":
            assert path in API_CREATE_BODIES, f"{path}: add a body to API_CREATE_BODIES"


def _ids(op_id: tuple[str, str, dict]) -> str:
    return f"{op_id[1].upper()} {op_id[0]}"


@pytest.mark.parametrize("operation", OPERATIONS, ids=_ids)
def test_operation_keeps_to_scope(world, operation):
    path, method, op = operation
    marker = op["x-sentra-scope"]
    kind = marker["kind"]
    outsider = ApiClient(make_token(world.officer_b, "write"))
    owner = ApiClient(make_token(world.owner_a, "write"))
    insider = ApiClient(make_token(world.officer_a, "write"))
    anonymous = ApiClient(None)

    if kind == "reference":
        assert anonymous.get(path.replace("{code}", "74.71")).status_code == 401 or method != "get"
        return

    model = apps.get_model(marker["model"])
    params = API_OBJECTS[marker["model"]](world)
    object_id = params.pop("_id")
    bodies = params.pop("_bodies", {})

    if kind == "list":
        assert method == "get"
        for client in (outsider, owner):
            response = client.get(path, {"page_size": 200})
            assert response.status_code in (200, 403), response.content[:300]
            if response.status_code == 200:
                assert object_id not in [row["id"] for row in response.json()["results"]], f"{path} leaks"
        ids = [row["id"] for row in insider.get(path, {"page_size": 200}).json()["results"]]
        assert object_id in ids, f"{path}: region A's officer does not see region A's object"
        assert anonymous.get(path).status_code == 401
        return

    if kind == "create":
        body = API_CREATE_BODIES[path]()
        before = model.objects.count()
        for client in (outsider, owner):
            response = client.send(method, path, body)
            assert response.status_code in (403, 404, 422), (path, response.status_code, response.content[:300])
            assert model.objects.count() == before, f"{path}: an out-of-scope create wrote a row"
        response = insider.send(method, path, body)
        assert response.status_code in (200, 201), (path, response.content[:500])
        return

    assert kind == "object"
    url = path.format(**params)
    body = minimal_body(op)
    for client in (outsider, owner):
        response = client.send(method, url, body)
        assert response.status_code == 404, (method, url, response.status_code, response.content[:300])
        assert response.json()["code"] == "not_found"
    assert anonymous.send(method, url, body).status_code == 401
    if method == "patch":
        body = {"version": model.objects.get(pk=object_id).version}
    body = bodies.get((method, path), body)
    response = insider.send(method, url, body)
    assert response.status_code < 300, (method, url, response.status_code, response.content[:500])
