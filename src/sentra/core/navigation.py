"""The main menu. Apps register their entries at start-up (core imports no domain app)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    permission: str | None = None  # e.g. "registry.view_business"; None = every logged-in user
    order: int = 100


_MENU: list[MenuItem] = []


def register_menu(item: MenuItem) -> None:
    if all(existing.url_name != item.url_name for existing in _MENU):
        _MENU.append(item)
        _MENU.sort(key=lambda i: i.order)


def menu_for(user: Any) -> list[dict[str, str]]:
    items = []
    for item in _MENU:
        if item.permission and not user.has_perm(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": str(item.label), "url": url})
    return items
