"""Permissions the reports app grants to roles."""

from sentra.accounts.roles import Role, grant

grant(
    (Role.NATIONAL_ADMIN, Role.PROVINCE_OFFICER, Role.REGENCY_OFFICER),
    "reports.view_businesscube",
    "reports.view_businessyearcube",
    "reports.view_programmecube",
    # The evaluation's anonymised analysis table (its CSV download), read within the officer's scope.
    "reports.view_evaluationrow",
)
