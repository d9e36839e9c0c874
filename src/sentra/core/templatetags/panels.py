"""``{% load panels %}{% detail_panels obj %}``: the sections other apps register for ``obj`` (core/panels.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from sentra.core.panels import render_detail_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def detail_panels(context: Any, obj: Any) -> SafeString:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or obj is None:
        return SafeString("")
    return render_detail_panels(user=user, obj=obj, request=request)
