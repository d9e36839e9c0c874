"""The years a user's pages offer and open on: one list for every year selector, one default for every page.

A page about a year (the dashboard, the programme results, DAK, the regional profile) used to open on the calendar
year — all zeros in January, or for an office whose last class ran two years ago — and each page listed its own
years. Now every page asks here: the years that have data in the user's scope (each app registers where its years
come from, so ``core`` imports no domain app), newest first, and the latest of them that is not in the future.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

_SOURCES: list[Callable[[Any], Iterable[int]]] = []

#: Years a page accepts in ``?tahun=`` (a selector offers only years with data; a link may name another).
FIRST, LAST = 2000, 2100


def register_year_source(source: Callable[[Any], Iterable[int]]) -> None:
    """``source(user)`` → the years that have data of one app in the user's scope (read through ``visible_to``)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def years_with_data(user: Any) -> set[int]:
    """The years that have data in the user's scope (one query per registered source)."""
    years: set[int] = set()
    for source in _SOURCES:
        years.update(y for y in source(user) if y and FIRST <= y <= LAST)
    return years


def data_years(user: Any, with_data: set[int] | None = None) -> list[int]:
    """The years every selector offers: those with data, and this year, newest first."""
    with_data = years_with_data(user) if with_data is None else with_data
    return sorted({*with_data, timezone.localdate().year}, reverse=True)


def default_year(user: Any, with_data: set[int] | None = None) -> int:
    """The latest year with data that is not in the future (this year when there is none)."""
    this_year = timezone.localdate().year
    with_data = years_with_data(user) if with_data is None else with_data
    past = [y for y in with_data if y <= this_year]
    return max(past) if past else this_year


def year_from_request(request: HttpRequest) -> tuple[int, list[int]]:
    """``?tahun=`` (a year 2000–2100) or the user's default year, and the years to offer.

    A value that is not a year gets a message saying so and the default, never an error page."""
    with_data = years_with_data(request.user)
    years = data_years(request.user, with_data)
    raw = (request.GET.get("tahun") or "").strip()
    if raw.isdigit() and FIRST <= int(raw) <= LAST:
        year = int(raw)
        return year, years if year in years else sorted({*years, year}, reverse=True)
    if raw:
        messages.warning(
            request, _("Tahun “%(raw)s” tidak dikenal; isi tahun empat angka, mis. 2024.") % {"raw": raw[:20]}
        )
    return default_year(request.user, with_data), years
