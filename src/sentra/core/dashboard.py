"""Dashboard figures. Apps register figure providers at start-up (core imports no domain app)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    label: str
    value: Any
    url: str = ""
    hint: str = ""


_PROVIDERS: list[Callable[[Any], list[Figure]]] = []


def register_figures(provider: Callable[[Any], list[Figure]]) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def dashboard_figures(user: Any) -> list[Figure]:
    figures: list[Figure] = []
    for provider in _PROVIDERS:
        figures.extend(provider(user))
    return figures


_HOME: list[Callable[..., Any]] = []


def register_home(view: Callable[..., Any]) -> None:
    """The reports app renders the home page (``/``) as its drill-down dashboard."""
    _HOME[:] = [view]


def home_view() -> Callable[..., Any] | None:
    return _HOME[0] if _HOME else None
