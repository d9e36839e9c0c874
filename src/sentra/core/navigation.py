"""The main menu. Apps register their entries at start-up (core imports no domain app).

Entries are grouped by the URL namespace of their page, so the bar stays short on any screen: a group with one
visible entry is a plain link, a group with several is a dropdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    permission: str | None = None  # e.g. "registry.view_business"; None = every logged-in user
    order: int = 100


#: Menu group of each URL namespace (several namespaces may share a group).
GROUPS: dict[str, Any] = {
    "reports": _("Laporan"),
    "registry": _("Registri IKM"),
    "centres": _("Sentra IKM"),
    "periodic": _("Sentra IKM"),
    "training": _("Pelatihan"),
    "budget": _("Anggaran DAK"),
    "quality": _("Mutu"),
    "core": _("Lainnya"),
}

_MENU: list[MenuItem] = []


def register_menu(item: MenuItem) -> None:
    if all(existing.url_name != item.url_name for existing in _MENU):
        _MENU.append(item)
        _MENU.sort(key=lambda i: i.order)


def menu_for(user: Any) -> list[dict[str, Any]]:
    """``[{"label", "url"} | {"label", "children": [{"label", "url"}, ...]}]`` in order, for what ``user`` may open."""
    groups: dict[str, dict[str, Any]] = {}
    ordered: list[dict[str, Any]] = []
    for item in _MENU:
        if item.permission and not user.has_perm(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        entry = {"label": str(item.label), "url": url}
        # The dashboard is the home page: always its own link.
        key = "dashboard" if item.url_name == "reports:dashboard" else item.url_name.split(":", 1)[0]
        group_label = str(GROUPS.get(key, item.label))
        if group_label not in groups:
            groups[group_label] = {"label": group_label, "children": []}
            ordered.append(groups[group_label])
        groups[group_label]["children"].append(entry)
    menu: list[dict[str, Any]] = []
    for group in ordered:
        if len(group["children"]) == 1:
            menu.append(group["children"][0])
        else:
            menu.append(group)
    return menu
