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


def home_view() -> Callable[..., Any] | None:
    return _HOME[0] if _HOME else None
