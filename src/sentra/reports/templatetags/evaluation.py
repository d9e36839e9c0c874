"""``{% evaluation_section region %}``: the evaluation's estimates on the outcomes page, read from the stored rows."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("reports/partials/evaluation_section.html")
def evaluation_section(region: Any) -> dict[str, Any]:
    from sentra.reports.views_evaluation import evaluation_get

    return {"ev": evaluation_get(region=region), "region": region}
