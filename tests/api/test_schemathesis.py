"""Schemathesis against the live OpenAPI document, every operation, with the token of each demo role.

The WSGI app runs in-process on the test database; no response may be a 5xx and every response must match
the documented schema, whichever role calls: the national admin, a province officer, a city officer, a centre
manager, a trainer and a business owner (each with its own scope and permissions, so each takes other paths).
Bounded (two examples per operation, each sent once per role; bulk bodies cut to 10 rows) to keep it short.
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
from tests.centres.factories import CentreFactory
from tests.registry.factories import BusinessFactory, OwnerFactory
from tests.training.factories import make_batch

#: The demo's users by role: (username, role, region).
ROLES = (
    ("admin", Role.NATIONAL_ADMIN, None),
    ("sultra", Role.PROVINCE_OFFICER, "74"),
    ("kendari", Role.REGENCY_OFFICER, "74.71"),
    ("mebel", Role.CENTRE_MANAGER, "74.71"),
    ("pelatih", Role.TRAINER, "74.71"),
    ("pemilik", Role.BUSINESS_OWNER, "74.71"),
)


@pytest.fixture
def tokens(db):
    # The WSGI handler sends request_started/request_finished, which close the database connection around
    # each request; on PostgreSQL that would close the test transaction's connection (Django's own test
    # client unhooks them the same way).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield _role_tokens()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _role_tokens() -> dict[str, str]:
    users = {name: UserFactory(username=name, role=role, region_id=region) for name, role, region in ROLES}
    owner = OwnerFactory(region_id="74.71", user=users["pemilik"])  # the owner's own businesses are in scope
    for _ in range(3):
        BusinessFactory(region_id="74.71", owners=[owner])
    CentreFactory(region_id="74.71").managers.add(users["mebel"])
    make_batch(region_id="74.71", trainers=[users["pelatih"]])
    return {name: make_token(user, "write") for name, user in users.items()}


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
    max_examples=2,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case, tokens):
    # The bar: no 5xx, and every response (status, content type, headers, body) matches the schema.
    # "Positive data acceptance" is left out on purpose: a schema-valid region code such as "zz" is still
    # refused (422) when it is not a real region in the caller's scope, exactly as the pages refuse it.
    if isinstance(case.body, dict) and isinstance(case.body.get("rows"), list):
        # Bulk bodies are cut to 10 rows (still schema-valid): the 1,000-row path has its own tests, and six
        # roles sending hundreds of generated rows would take minutes.
        case.body["rows"] = case.body["rows"][:10]
    for token in tokens.values():
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
