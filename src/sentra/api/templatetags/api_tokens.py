"""The "Token API" section of the account page."""

from __future__ import annotations

from typing import Any

from django import template

from sentra.api.forms import TokenForm
from sentra.api.models import ApiToken

register = template.Library()


@register.inclusion_tag("api/partials/token_section.html", takes_context=True)
def api_token_section(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    tokens = ApiToken.objects.visible_to(request.user).order_by("-created_at", "-id")[:50]
    return {"tokens": list(tokens), "form": TokenForm(), "request": request, "csrf_token": context.get("csrf_token")}
