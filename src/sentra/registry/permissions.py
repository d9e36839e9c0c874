"""Permissions the registry grants to roles."""

from sentra.accounts.roles import OFFICERS, Role, grant, require_second_factor


def register() -> None:
    grant(
        OFFICERS,
        "registry.view_business",
        "registry.add_business",
        "registry.change_business",
        "registry.delete_business",
        "registry.import_business",
        "registry.export_business",
        "registry.view_owner",
        "registry.add_owner",
        "registry.change_owner",
        "registry.delete_owner",
        "registry.reveal_nik_owner",
    )
    # Centre managers and trainers see the businesses of their centre / classes.
    grant((Role.CENTRE_MANAGER, Role.TRAINER), "registry.view_business", "registry.view_owner")
    # Owners see and update their own business and profile (on a phone).
    grant(
        (Role.BUSINESS_OWNER,),
        "registry.view_business",
        "registry.change_business",
        "registry.view_owner",
        "registry.change_owner",
    )
    # Revealing an owner's NIK is personal data in the clear: its holders sign in with a second factor.
    require_second_factor("registry.reveal_nik_owner")
