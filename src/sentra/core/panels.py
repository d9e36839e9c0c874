"""Detail panels: sections that higher apps add to a lower app's detail page (core imports no domain app).

A page of a lower app (e.g. the registry's business and owner pages) renders ``{% detail_panels obj %}``; an app
higher up registers a provider at ``ready()``::

    register_detail_panel("registry.business", "reports/partials/assistance_panel.html", provider, order=50)

The provider receives ``(user, obj)`` and returns the template context, or ``None`` to render nothing (no
permission, nothing to show). Providers read through ``visible_to`` like any selector and must keep their query
count bounded (not growing with the number of rows behind them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class DetailPanel:
    model: str  # "app_label.model_name", lower case
    template: str
    provider: Callable[[Any, models.Model], dict[str, Any] | None]
    order: int = 100


_PANELS: dict[str, list[DetailPanel]] = {}


def register_detail_panel(
    model: str, template: str, provider: Callable[[Any, models.Model], dict[str, Any] | None], *, order: int = 100
) -> None:
    panels = _PANELS.setdefault(model.lower(), [])
    panels[:] = [p for p in panels if p.template != template]
    panels.append(DetailPanel(model.lower(), template, provider, order))
    panels.sort(key=lambda p: p.order)


def detail_panels_for(obj: models.Model) -> list[DetailPanel]:
    return list(_PANELS.get(obj._meta.label_lower, []))


def render_detail_panels(*, user: Any, obj: models.Model, request: Any = None) -> SafeString:
    parts = []
    for panel in detail_panels_for(obj):
        context = panel.provider(user, obj)
        if context is None:
            continue
        parts.append(render_to_string(panel.template, {"object": obj, **context}, request=request))
    return mark_safe("".join(parts))
