"""Permissions the reports app grants to roles."""

from sentra.accounts.roles import OFFICERS, grant


def register() -> None:
    grant(
        OFFICERS,
        "reports.view_businesscube",
        "reports.view_businessyearcube",
        "reports.view_provincebusinessfigures",
        "reports.view_programmecube",
        # The evaluation's anonymised analysis table (its CSV download), read within the officer's scope.
        "reports.view_evaluationrow",
    )
