"""Scope providers: the token pages (for the URLconf walk) and the API resources (for tests/api/test_scope.py).

``API_OBJECTS[model]`` creates one object in region A (Kota Kendari) and returns the path parameters of its
endpoints. ``API_CREATE_BODIES[path]`` is a valid body that places the new object in region A. A new API
operation without an entry here fails the schema-driven scope test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sentra.api.services import token_create
from sentra.core.testing import scope_provider
from tests.registry.factories import BusinessFactory, OwnerFactory

REGION_A = "74.71"


@scope_provider("api:token_revoke")
def api_token(world):
    return {"pk": token_create(actor=world.officer_a, name="walk", access="read", lifetime_days=30).token.pk}


def _business(world: Any) -> dict[str, Any]:
    owner = OwnerFactory(region_id=REGION_A)
    business = BusinessFactory(region_id=REGION_A, owners=[owner])
    return {"business_id": business.pk, "_id": business.pk}


def _owner(world: Any) -> dict[str, Any]:
    owner = OwnerFactory(region_id=REGION_A)
    return {"owner_id": owner.pk, "_id": owner.pk}


def _centre(world: Any) -> dict[str, Any]:
    from tests.centres.factories import CentreFactory, UnitFactory

    centre = CentreFactory(region_id=REGION_A)
    UnitFactory(centre=centre)
    return {"centre_id": centre.pk, "_id": centre.pk}


API_OBJECTS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "registry.business": _business,
    "registry.owner": _owner,
    "centres.centre": _centre,
}

API_CREATE_BODIES: dict[str, Callable[[], Any]] = {
    "/api/v1/businesses": lambda: {"name": "Mebel Scope", "region": REGION_A, "district": "74.71.03"},
    "/api/v1/businesses/bulk": lambda: {"rows": [{"name": "Mebel Scope Bulk", "region": REGION_A}]},
}
