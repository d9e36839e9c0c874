"""Permissions the accounts app grants to roles."""

from sentra.accounts.roles import OFFICERS, grant

# Officers manage the users of their own scope.
grant(OFFICERS, "accounts.view_user", "accounts.add_user", "accounts.change_user")
