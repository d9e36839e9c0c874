"""The main menu. Apps register their entries at start-up (core imports no domain app).

Entries are grouped by area, so the bar fits a 1280 px screen whatever the role: the dashboard, then Registri,
Program (training, centres, quality, each under its own heading), Anggaran and Laporan. A group with one visible
entry is a plain link, a group with several is a dropdown. The user's own pages (account, password, API tokens,
background jobs, user management) live in the user menu at the right (``user_menu_for``).

An entry is shown only to a user who can open it: ``permission`` (one model permission) and, where one
permission does not say it, ``visible(user)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class MenuItem:
    label: StrOrPromise
    url_name: str
    permission: str | None = None  # e.g. "registry.view_business"; None = every logged-in user
    order: int = 100
    #: a further test for entries one permission does not describe (e.g. "starts imports or exports")
    visible: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class Area:
    key: str
    label: Any
    #: place on the bar (areas first by this, then by their first entry's order)
    order: int = 50
    #: the heading of the namespace's entries inside a shared dropdown ("Pelatihan" inside "Program")
    section: Any = None
    #: order of that heading inside the dropdown
    section_order: int = 0


USER_AREA = "user"
#: Menu area of each URL namespace. Namespaces not listed form an area of their own, named by their first entry.
AREAS: dict[str, Area] = {
    "registry": Area("registry", _("Registri"), 10),
    # Products belong to businesses: with them, so the bar keeps five areas and fits 1280 px.
    "products": Area("registry", _("Registri"), 10),
    "training": Area("programme", _("Program"), 20, _("Pelatihan"), 1),
    "centres": Area("programme", _("Program"), 20, _("Sentra IKM"), 2),
    "periodic": Area("programme", _("Program"), 20, _("Sentra IKM"), 2),
    "quality": Area("programme", _("Program"), 20, _("Mutu"), 3),
    "budget": Area("budget", _("Anggaran"), 30),
    "reports": Area("reports", _("Laporan"), 40),
    "accounts": Area(USER_AREA, ""),
    "core": Area(USER_AREA, ""),
}
#: url names that are a link of their own on the bar (the home dashboard)
OWN_LINK = {"reports:dashboard"}

_MENU: list[MenuItem] = []


def register_menu(item: MenuItem) -> None:
    if all(existing.url_name != item.url_name for existing in _MENU):
        _MENU.append(item)
        _MENU.sort(key=lambda i: i.order)


def _allowed(item: MenuItem, user: Any) -> bool:
    if item.permission and not user.has_perm(item.permission):
        return False
    return item.visible is None or bool(item.visible(user))


def _visible_entries(user: Any) -> list[tuple[MenuItem, str]]:
    entries = []
    for item in _MENU:
        if not _allowed(item, user):
            continue
        try:
            entries.append((item, reverse(item.url_name)))
        except NoReverseMatch:
            continue
    return entries


def _area(item: MenuItem) -> Area:
    namespace = item.url_name.split(":", 1)[0]
    return AREAS.get(namespace) or Area(namespace, item.label)


def menu_for(user: Any) -> list[dict[str, Any]]:
    """The bar, in order, for what ``user`` may open: ``{"label", "url"}`` for a link, ``{"label", "key",
    "children": [{"label", "url"} | {"header"}, ...]}`` for a dropdown (``header``: a section heading)."""
    own: list[dict[str, Any]] = []
    groups: dict[str, tuple[Area, dict[Any, list[dict[str, Any]]]]] = {}
    for item, url in _visible_entries(user):
        entry = {"label": str(item.label), "url": url}
        if item.url_name in OWN_LINK:
            own.append(entry)
            continue
        area = _area(item)
        if area.key == USER_AREA:
            continue
        sections = groups.setdefault(area.key, (area, {}))[1]
        sections.setdefault((area.section_order, str(area.section or "")), []).append(entry)
    menu: list[dict[str, Any]] = list(own)
    for area, sections in sorted(groups.values(), key=lambda group: group[0].order):
        links = [entry for _key, entries in sorted(sections.items()) for entry in entries]
        if len(links) == 1:
            menu.append(links[0])
            continue
        children: list[dict[str, Any]] = []
        for (_order, heading), entries in sorted(sections.items()):
            if heading and len(sections) > 1:  # one heading inside its own dropdown says nothing
                children.append({"header": heading})
            children.extend(entries)
        menu.append({"label": str(area.label), "key": area.key, "children": children})
    return menu


def user_menu_for(user: Any) -> list[dict[str, str]]:
    """The user menu's entries registered by apps (background jobs, user management), for what ``user`` may open."""
    return [
        {"label": str(item.label), "url": url} for item, url in _visible_entries(user) if _area(item).key == USER_AREA
    ]


def may_start_jobs(user: Any) -> bool:
    """Whether ``user`` may start a background job: an import or an export of some kind."""
    from sentra.core.exporting import all_exports
    from sentra.core.importing import all_kinds

    if user.is_superuser:
        return True
    wanted = {kind.permission for kind in all_kinds() if kind.permission}
    wanted |= {spec.permission for spec in all_exports() if spec.permission}
    return any(user.has_perm(permission) for permission in wanted)
