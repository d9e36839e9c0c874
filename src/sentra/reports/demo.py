"""Demo step: compute the summary tables once the demo's registry is loaded (the worker keeps them current)."""

from __future__ import annotations

from sentra.core.demo import DemoContext
from sentra.registry.models import Business
from sentra.reports.services import summary_refresh


def load_summaries(ctx: DemoContext) -> None:
    regions = set(Business.objects.values_list("region_id", flat=True).distinct())
    rows = summary_refresh(region_ids=regions)
    ctx.log(f"  {rows} baris ringkasan untuk {len(regions)} kabupaten/kota")
