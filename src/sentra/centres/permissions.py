"""Permissions the centres app grants to roles (and those of periodic reporting, which has no roles of its own)."""

from sentra.accounts.roles import OFFICERS, Role, grant

CHILD_MODELS = ("workshopunit", "tenancy", "centremembership", "facility", "attachment", "centrefunding")


def register() -> None:
    grant(
        OFFICERS,
        "centres.view_centre",
        "centres.add_centre",
        "centres.change_centre",
        "centres.delete_centre",
        "centres.change_status_centre",
        *(f"centres.{action}_{model}" for model in CHILD_MODELS for action in ("view", "add", "change", "delete")),
        "centres.view_equipmentgrant",
        "centres.add_equipmentgrant",
        "centres.change_equipmentgrant",
        # Periodic reporting: officers fill on behalf of reporters, review, and watch completeness.
        "periodic.view_submission",
        "periodic.add_submission",
        "periodic.change_submission",
        "periodic.review_submission",
    )
    # A centre manager runs their own centre day to day: units, tenants, members, facilities, reports. The scope
    # (their centre only) comes from the scope paths registered in apps.py.
    grant(
        (Role.CENTRE_MANAGER,),
        "centres.view_centre",
        "centres.change_centre",
        *(
            f"centres.{action}_{model}"
            for model in CHILD_MODELS
            if model != "centrefunding"
            for action in ("view", "add", "change", "delete")
        ),
        "centres.view_centrefunding",
        "centres.view_equipmentgrant",
        "periodic.view_submission",
        "periodic.add_submission",
        "periodic.change_submission",
    )
    # Owners file their business's semester self-report (SIINas small-industry fields) on their phone.
    grant((Role.BUSINESS_OWNER,), "periodic.view_submission", "periodic.add_submission", "periodic.change_submission")
