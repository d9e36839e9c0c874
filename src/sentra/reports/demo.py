"""Demo step: compute the summary tables once the demo's data is loaded (the worker keeps them current)."""

from __future__ import annotations

from sentra.core.demo import DemoContext
from sentra.registry.models import Business
from sentra.reports.services import summary_refresh


def load_summaries(ctx: DemoContext) -> None:
    from sentra.reports.outcomes import outcome_summaries_refresh
    from sentra.reports.programme import programme_refresh

    regions = set(Business.objects.values_list("region_id", flat=True).distinct())
    rows = summary_refresh(region_ids=regions)
    ctx.log(f"  {rows} baris ringkasan untuk {len(regions)} kabupaten/kota")
    ctx.log(f"  {programme_refresh()} baris ringkasan program")
    ctx.log(f"  {outcome_summaries_refresh()} ringkasan hasil program")
