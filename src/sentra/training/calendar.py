"""The training calendar: working days between two dates.

Sundays and Indonesian national holidays are skipped; Saturdays are working days for training (the Kendari
class of 19–25 July 2022 ran six days with only Sunday 24 July off, docs/domain.md §4). The holidays come from the
maintained ``holidays`` package (``holidays.country_holidays("ID")``: the national holidays set by the
SKB 3 Menteri each year).
"""

from __future__ import annotations

import datetime as dt

import holidays

SUNDAY = 6


def national_holidays(years: range | list[int]) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=list(years), language="id")


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """The training days from ``start`` to ``end`` inclusive (no Sundays, no national holidays)."""
    if end < start:
        return []
    off = national_holidays(range(start.year, end.year + 1))
    days = []
    day = start
    while day <= end:
        if day.weekday() != SUNDAY and day not in off:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def skipped_days(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """The days between ``start`` and ``end`` that are not training days, with the reason."""
    if end < start:
        return []
    off = national_holidays(range(start.year, end.year + 1))
    out = []
    day = start
    while day <= end:
        if day in off:
            out.append((day, str(off.get(day))))
        elif day.weekday() == SUNDAY:
            out.append((day, "Minggu"))
        day += dt.timedelta(days=1)
    return out
