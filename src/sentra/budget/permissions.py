"""Permissions the budget app grants to roles (STYLE D.1).

The approval chain follows docs/domain.md §3c (KRISNA-DAK): the regency/city proposes, the province verifies and the
ministry (K/L pengampu, Kemenperin) approves the rencana kegiatan.
"""

from sentra.accounts.roles import OFFICERS, Role, grant, require_second_factor

_READ = (
    "budget.view_allocation",
    "budget.view_activityplan",
    "budget.view_budgetline",
    "budget.view_contract",
    "budget.view_payment",
    "budget.view_transfer",
    "budget.view_progressreport",
    "budget.view_progressphoto",
)

# The regency/city plans, contracts, pays, reports progress and requests transfers.
_REGENCY_WRITE = (
    "budget.add_activityplan",
    "budget.change_activityplan",
    "budget.submit_activityplan",
    "budget.add_budgetline",
    "budget.change_budgetline",
    "budget.delete_budgetline",
    "budget.add_contract",
    "budget.change_contract",
    "budget.add_payment",
    "budget.add_transfer",
    "budget.change_transfer",
    "budget.add_progressreport",
    "budget.add_progressphoto",
)


def register() -> None:
    grant(OFFICERS, *_READ)
    # The DAK quarterly report is a periodic report (budget.reports): the officers' periodic.* permissions, granted
    # with the other report forms' in centres/permissions.py, let the regency/city start, fill and submit it.
    grant((Role.REGENCY_OFFICER,), *_REGENCY_WRITE)
    # The province verifies; the ministry approves and keeps the allocations (pagu).
    # Separation of duties: nobody verifies or approves a plan they could also draft.
    grant((Role.PROVINCE_OFFICER,), "budget.verify_activityplan")
    grant(
        (Role.NATIONAL_ADMIN,),
        "budget.approve_activityplan",
        "budget.add_allocation",
        "budget.change_allocation",
        "budget.delete_allocation",
        "budget.import_allocation",
    )
    # Approving a plan commits state money: its holders sign in with a second factor.
    require_second_factor("budget.approve_activityplan")
