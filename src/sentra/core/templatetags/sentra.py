"""Template filters available in every template (registered as builtins)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from sentra.core.formatting import format_number, format_rupiah, terbilang
from sentra.core.validators import mask_nik, mask_phone

register = template.Library()


@register.filter
def rupiah(value: Any, decimals: int = 0) -> str:
    return format_rupiah(value, decimals)


@register.filter
def angka(value: Any, decimals: int = 0) -> str:
    return format_number(value, decimals)


@register.filter(name="terbilang")
def terbilang_filter(value: Any) -> str:
    return terbilang(value) if value not in (None, "") else ""


@register.filter
def masked_nik(value: str | None) -> str:
    return mask_nik(value)


@register.filter
def masked_phone(value: str | None) -> str:
    return mask_phone(value)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ mapping|get_item:key }}`` for dicts, and ``{{ list|get_item:index }}`` for lists."""
    if isinstance(mapping, list | tuple):
        try:
            return mapping[int(key)]
        except (IndexError, ValueError, TypeError):
            return None
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def status_badge(label: str, tone: str = "secondary") -> str:
    return format_html('<span class="badge text-bg-{}">{}</span>', tone, label)
