"""Dashboard figures. Apps register figure providers at start-up (core imports no domain app)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class Figure:
    label: str
    value: Any
    url: str = ""
    hint: str = ""
    #: the year the figure counts (it follows the dashboard's year selector); None: the present state
    year: int | None = None


_PROVIDERS: list[Callable[..., list[Figure]]] = []
_PER_YEAR: set[Callable[..., list[Figure]]] = set()


def register_figures(provider: Callable[..., list[Figure]], *, per_year: bool = False) -> None:
    """``provider(user)``, or with ``per_year`` ``provider(user, year=...)`` (``None``: this year)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    if per_year:
        _PER_YEAR.add(provider)


def dashboard_figures(user: Any, year: int | None = None) -> list[Figure]:
    figures: list[Figure] = []
    for provider in _PROVIDERS:
        figures.extend(provider(user, year=year) if provider in _PER_YEAR else provider(user))
    return figures


def reference_day(year: int, today: dt.date | None = None) -> dt.date:
    """The day stock figures of a year (certifications held, workshops let) are counted on: year end, or today."""
    today = today or timezone.localdate()
    return min(dt.date(year, 12, 31), today)


_HOME: list[Callable[..., Any]] = []


def register_home(view: Callable[..., Any]) -> None:
    """The reports app renders the home page (``/``) as its drill-down dashboard."""
    _HOME[:] = [view]


@dataclass(frozen=True)
class HomeSection:
    """One card of a role's home page: what the user has, and the next step.

    ``context(user)`` reads through the app's selectors (``visible_to``) and returns the card's template context,
    or ``None`` to leave the card out. The context's optional ``next`` (``{"label", "url"}``) is the card's
    button and ``hint`` a sentence saying what to do when there is nothing to click.
    """

    key: str
    title: Any
    template: str
    context: Callable[[Any], dict[str, Any] | None]
    order: int = 50


_ROLE_HOMES: dict[str, list[HomeSection]] = {}


def register_home_section(roles: tuple[str, ...] | list[str], section: HomeSection) -> None:
    """Give the roles (owners, trainers…) a home page of their own, made of the cards apps register here,
    instead of the officers' dashboard whose counters are not theirs."""
    for role in roles:
        sections = _ROLE_HOMES.setdefault(str(role), [])
        sections[:] = [s for s in sections if s.key != section.key] + [section]
        sections.sort(key=lambda s: s.order)


def home_sections(user: Any) -> list[tuple[HomeSection, dict[str, Any]]]:
    cards = []
    for section in _ROLE_HOMES.get(str(getattr(user, "role", "")), []):
        context = section.context(user)
        if context is not None:
            cards.append((section, context))
    return cards


def has_role_home(user: Any) -> bool:
    return not user.is_superuser and str(getattr(user, "role", "")) in _ROLE_HOMES


def role_home(request: Any) -> Any:
    from django.shortcuts import render

    return render(request, "core/home.html", {"sections": home_sections(request.user)})


def _home(request: Any) -> Any:
    if has_role_home(request.user) or not _HOME:
        return role_home(request)
    return _HOME[0](request)


def home_view() -> Callable[..., Any] | None:
    """The home page (``/``): a role's own page where apps registered one, else the reports dashboard."""
    if _ROLE_HOMES:
        return _home
    return _HOME[0] if _HOME else None
