import pytest

from tests.registry.factories import BusinessFactory, OwnerFactory


@pytest.fixture
def owned_business(owner_user):
    """A region-A business owned by the ``owner_user`` persona (linked through an Owner record)."""
    owner = OwnerFactory(user=owner_user)
    return BusinessFactory(owners=[owner])
