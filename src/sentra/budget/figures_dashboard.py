"""DAK figures on the dashboard: pagu and absorption of the current fiscal year, from visible allocations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from sentra.core.dashboard import Figure, register_figures
from sentra.core.formatting import format_percent, format_rupiah, format_rupiah_compact


def budget_figures(user: Any) -> list[Figure]:
    from sentra.budget import selectors
    from sentra.budget.figures import pct

    if not (user.is_superuser or user.has_perm("budget.view_allocation")):
        return []
    if user.is_superuser or user.has_perm("reports.view_businesscube"):
        return []  # officers read DAK per region and year on the drill-down dashboard (reports.ProgrammeCube)
    year = selectors.current_year()
    qs = selectors.allocation_list(user=user).filter(fund__fiscal_year__year=year)
    totals = qs.aggregate(pagu=Sum("amount"), received=Sum("received_total"), paid=Sum("paid_total"))
    pagu = totals["pagu"] or Decimal(0)
    if not pagu:
        return []
    url = reverse("budget:allocation_list") + f"?year={year}"
    return [
        Figure(_("Pagu DAK TA {year}").format(year=year), format_rupiah_compact(pagu), url, hint=format_rupiah(pagu)),
        Figure(
            _("Penyerapan DAK TA {year}").format(year=year),
            format_percent(pct(totals["paid"] or Decimal(0), totals["received"] or Decimal(0))),
            url + "&sort=-absorption",
            hint=_("dari dana yang diterima"),
        ),
    ]


def register() -> None:
    register_figures(budget_figures)
