import pytest

from tests.registry.factories import BusinessFactory, OwnerFactory


@pytest.fixture
def owned_business(owner_user):
    """A region-A business owned by the ``owner_user`` persona (linked through an Owner record)."""
    owner = OwnerFactory(user=owner_user, email="pemilik.pribadi@example.com", phone="+6281299990001")
    return BusinessFactory(owners=[owner], phone="+624013125555", email="usaha@example.com")
