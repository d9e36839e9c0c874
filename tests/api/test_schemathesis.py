"""Schemathesis against the live OpenAPI document, every operation, with a `kendari` token.

The WSGI app runs in-process on the test database; no response may be a 5xx and every response must match
the documented schema. Bounded (few examples per operation) so it stays well under a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sentra.accounts.roles import Role
from sentra.wsgi import application
from tests.accounts.factories import UserFactory
from tests.api.conftest import make_token
from tests.registry.factories import BusinessFactory, OwnerFactory


@pytest.fixture
def kendari(db):
    # The WSGI handler sends request_started/request_finished, which close the database connection around
    # each request; on PostgreSQL that would close the test transaction's connection (Django's own test
    # client unhooks them the same way).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield _kendari_token()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _kendari_token() -> str:
    user = UserFactory(username="kendari", role=Role.REGENCY_OFFICER, region_id="74.71")
    owner = OwnerFactory(region_id="74.71")
    for _ in range(3):
        BusinessFactory(region_id="74.71", owners=[owner])
    return make_token(user, "write")


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# The document is served by the app itself (no database needed to serve it).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case, kendari):
    # The bar: no 5xx, and every response (status, content type, headers, body) matches the schema.
    # "Positive data acceptance" is left out on purpose: a schema-valid region code such as "zz" is still
    # refused (422) when it is not a real region in the caller's scope, exactly as the pages refuse it.
    case.call_and_validate(headers={"Authorization": f"Bearer {kendari}"}, checks=CHECKS)
