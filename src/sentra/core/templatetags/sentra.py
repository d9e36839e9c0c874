"""Template filters available in every template (registered as builtins)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html

from sentra.core.formatting import (
    format_compact,
    format_number,
    format_percent,
    format_rupiah,
    format_rupiah_compact,
    terbilang,
)
from sentra.core.validators import mask_nik, mask_phone

register = template.Library()


# One set of formats for every page (a test fails on a template that formats money, percentages or dates by hand).


@register.filter
def rupiah(value: Any, decimals: int = 0) -> str:
    """The full amount, never broken across lines (``Rp6.750.000.000``)."""
    return format_html('<span class="text-nowrap">{}</span>', format_rupiah(value, decimals))


@register.filter
def rupiah_ringkas(value: Any) -> str:
    """A compact amount for tiles and chart labels (``Rp6,8 M``), the full amount as its title."""
    if value is None or value == "":
        return "–"
    return format_html(
        '<span class="text-nowrap" title="{}">{}</span>', format_rupiah(value), format_rupiah_compact(value)
    )


@register.filter
def angka(value: Any, decimals: int = 0) -> str:
    return format_number(value, decimals)


@register.filter
def angka_ringkas(value: Any) -> str:
    return format_compact(value)


@register.filter
def persen(value: Any, decimals: int = 1) -> str:
    """``82,9%``: the one percentage style."""
    return format_percent(value, decimals)


def _local(value: Any) -> Any:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _date(value: Any, pattern: str) -> str:
    if value in (None, ""):
        return "–"
    if not isinstance(value, dt.date):
        return str(value)
    return dateformat.format(_local(value), pattern)


@register.filter
def tanggal(value: Any) -> str:
    """A date in running text and detail pages: ``3 Januari 2022``."""
    return _date(value, "j F Y")


@register.filter
def tanggal_pendek(value: Any) -> str:
    """A date in tables and lists: ``3 Jan 2022``."""
    return _date(value, "j M Y")


@register.filter
def hari(value: Any) -> str:
    """A day of a schedule: ``Selasa, 19 Juli 2022``."""
    return _date(value, "l, j F Y")


@register.filter
def waktu(value: Any) -> str:
    """A moment: ``3 Jan 2022 10.15`` (the Indonesian time separator)."""
    return _date(value, "j M Y H.i")


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
