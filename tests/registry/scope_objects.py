from sentra.core.testing import scope_provider
from tests.registry.factories import BusinessFactory, OwnerFactory


@scope_provider(
    "registry:business_detail",
    "registry:business_edit",
    "registry:business_delete",
    "registry:business_restore",
    "registry:business_history",
    "registry:business_reveal_contacts",
)
def business(world):
    return {"pk": BusinessFactory(region_id="74.71").pk}


@scope_provider("registry:owner_detail", "registry:owner_edit", "registry:owner_reveal", "registry:owner_history")
def owner(world):
    return {"pk": OwnerFactory(region_id="74.71").pk}


@scope_provider("registry:owner_personal_data", "registry:owner_anonymise")
def owner_personal(world):
    return {"pk": OwnerFactory(region_id="74.71").pk}
