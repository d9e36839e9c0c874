from sentra.accounts.roles import Role
from sentra.core.testing import scope_provider
from tests.accounts.factories import UserFactory


@scope_provider(
    "accounts:user_detail", "accounts:user_edit", "accounts:user_reset_password", "accounts:user_reset_two_factor"
)
def user(world):
    return {"pk": UserFactory(username="trainer_in_a", role=Role.TRAINER, region_id="74.71").pk}
