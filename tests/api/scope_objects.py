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


def _programme(world: Any) -> dict[str, Any]:
    from tests.training.factories import make_programme

    programme = make_programme(region_id=REGION_A)
    return {"programme_id": programme.pk, "_id": programme.pk}


def _batch(world: Any) -> dict[str, Any]:
    """A batch with one accepted participant; ``_bodies`` are valid writes for the region-A officer."""
    from tests.training.factories import make_batch, make_participant

    batch = make_batch(region_id=REGION_A)
    participant = make_participant(batch)
    body = {"participant": participant.pk, "day": 1, "present": True}
    return {"batch_id": batch.pk, "_id": batch.pk, "_bodies": {("post", "/api/v1/batches/{batch_id}/attendance"): body}}


def _certificate(world: Any) -> dict[str, Any]:
    from sentra.training import services
    from tests.training.factories import complete_participant, make_batch, make_participant

    batch = make_batch(region_id=REGION_A)
    participant = make_participant(batch)
    complete_participant(participant, present_days=6, post="80")
    services.batch_assess(actor=None, batch=batch)
    cert = services.certificates_issue(actor=None, batch=batch)[0]
    return {"certificate_id": cert.pk, "code": cert.code, "_id": cert.pk}


def _allocation(world: Any) -> dict[str, Any]:
    from tests.budget.factories import make_allocation

    allocation = make_allocation(region=REGION_A)
    return {"allocation_id": allocation.pk, "_id": allocation.pk}


def _budget_line(world: Any) -> dict[str, Any]:
    from sentra.budget.choices import PlanStatus
    from tests.budget.factories import make_contract, make_line, make_plan

    line = make_line(plan=make_plan(status=PlanStatus.APPROVED, region=REGION_A))
    make_contract(line=line)
    return {"line_id": line.pk, "_id": line.pk}


def _certification(world: Any) -> dict[str, Any]:
    from tests.quality.factories import CertificationFactory

    cert = CertificationFactory(business=BusinessFactory(region_id=REGION_A))
    return {"certification_id": cert.pk, "_id": cert.pk}


def _assessment(world: Any) -> dict[str, Any]:
    from tests.quality.factories import make_assessment

    assessment = make_assessment(business=BusinessFactory(region_id=REGION_A))
    return {"assessment_id": assessment.pk, "_id": assessment.pk}


def _indi(world: Any) -> dict[str, Any]:
    from tests.quality.factories import make_indi

    indi = make_indi(business=BusinessFactory(region_id=REGION_A))
    return {"indi_id": indi.pk, "_id": indi.pk}


def _product(world: Any) -> dict[str, Any]:
    from tests.products.factories import ProductFactory

    product = ProductFactory(business=BusinessFactory(region_id=REGION_A))
    return {"product_id": product.pk, "_id": product.pk}


def _product_body() -> dict[str, Any]:
    return {"business": BusinessFactory(region_id=REGION_A).pk, "name": "Lemari Scope", "kbli": "31001"}


API_OBJECTS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "registry.business": _business,
    "registry.owner": _owner,
    "centres.centre": _centre,
    "training.programme": _programme,
    "training.batch": _batch,
    "training.certificate": _certificate,
    "budget.allocation": _allocation,
    "budget.budgetline": _budget_line,
    "quality.certification": _certification,
    "quality.assessment": _assessment,
    "quality.indiassessment": _indi,
    "products.product": _product,
}

API_CREATE_BODIES: dict[str, Callable[[], Any]] = {
    "/api/v1/businesses": lambda: {"name": "Mebel Scope", "region": REGION_A, "district": "74.71.03"},
    "/api/v1/businesses/bulk": lambda: {"rows": [{"name": "Mebel Scope Bulk", "region": REGION_A}]},
    "/api/v1/products": _product_body,
}
