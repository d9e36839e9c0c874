"""Permissions the accounts app grants to roles."""

from sentra.accounts.roles import OFFICERS, grant, require_second_factor


def register() -> None:
    # Officers manage the users of their own scope.
    grant(OFFICERS, "accounts.view_user", "accounts.add_user", "accounts.change_user")
    # Officers export the lists they see (through the export engine, within their scope); the other roles keep
    # their own few records on screen and start no background work.
    grant(OFFICERS, "core.export_list")
    # Whoever manages other people's accounts signs in with a second factor.
    require_second_factor("accounts.change_user")
