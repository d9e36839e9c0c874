"""Periods in DHIS2's ISO notation: ``202403`` (monthly), ``2024Q1`` (quarterly), ``2024S1`` (semester).

Besides these calendar periods, a report can be due some months after an event of its own subject (an alumnus
reports 3, 6 and 12 months after the class ended): ``PeriodType.EVENT``, coded ``B3``/``B6``/``B12``; its date is
the subject's, so such a period is resolved with the subject (``ReportForm.resolve_period``)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.formatting import MONTH_NAMES


class PeriodType(models.TextChoices):
    MONTHLY = "monthly", gettext_lazy("Bulanan")
    QUARTERLY = "quarterly", gettext_lazy("Triwulanan")
    SEMESTER = "semester", gettext_lazy("Semesteran")
    EVENT = "event", gettext_lazy("Sesudah kegiatan")


MONTHS_PER = {PeriodType.MONTHLY: 1, PeriodType.QUARTERLY: 3, PeriodType.SEMESTER: 6}


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    period_type: str
    #: Event-relative periods only: the months after the event (3, 6, 12); ``start`` is that day.
    offset: int = 0

    @property
    def is_event(self) -> bool:
        return self.period_type == PeriodType.EVENT

    @property
    def months(self) -> int:
        return MONTHS_PER[PeriodType(self.period_type)]

    @property
    def end(self) -> dt.date:
        if self.is_event:
            return self.start  # a point in time: the report is asked for from that day
        return _add_months(self.start, self.months) - dt.timedelta(days=1)

    @property
    def code(self) -> str:
        if self.is_event:
            return f"B{self.offset}"
        if self.period_type == PeriodType.MONTHLY:
            return f"{self.start:%Y%m}"
        if self.period_type == PeriodType.QUARTERLY:
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}S{(self.start.month - 1) // 6 + 1}"

    @property
    def label(self) -> str:
        if self.is_event:
            return _("{n} bulan sesudah kegiatan").format(n=self.offset)
        if self.period_type == PeriodType.MONTHLY:
            return f"{MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        if self.period_type == PeriodType.QUARTERLY:
            return _("Triwulan {n} {year}").format(n=(self.start.month - 1) // 3 + 1, year=self.start.year)
        return _("Semester {n} {year}").format(n=(self.start.month - 1) // 6 + 1, year=self.start.year)

    def previous(self) -> Period:
        return Period(_add_months(self.start, -self.months), self.period_type)

    def next(self) -> Period:
        return Period(_add_months(self.start, self.months), self.period_type)

    def __str__(self) -> str:
        return self.label


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it is shorter (31 August + 6 = 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_after_event(event: dt.date, months: int) -> Period:
    """The event-relative period ``months`` after ``event`` (a class's last day)."""
    return Period(add_months(event, months), PeriodType.EVENT, months)


def stored_period(start: dt.date, period_type: str, code: str) -> Period:
    """The period a stored submission names (its start, type and code)."""
    if period_type == PeriodType.EVENT:
        return Period(start, period_type, int(code[1:]))
    return Period(start, period_type)


def period_containing(day: dt.date, period_type: str) -> Period:
    months = MONTHS_PER[PeriodType(period_type)]
    month = (day.month - 1) // months * months + 1
    return Period(dt.date(day.year, month, 1), period_type)


def last_closed_period(today: dt.date, period_type: str) -> Period:
    """The most recent period that has ended by ``today`` (the one being reported now)."""
    return period_containing(today, period_type).previous()


def parse_period(code: str) -> Period:
    """``202403`` / ``2024Q1`` / ``2024S2`` -> Period; a clear message for anything else."""
    text = (code or "").strip().upper()
    try:
        if len(text) == 6 and text.isdigit():
            year, month = int(text[:4]), int(text[4:])
            if 1 <= month <= 12:
                return Period(dt.date(year, month, 1), PeriodType.MONTHLY)
        if len(text) == 6 and text[4] == "Q" and text[:4].isdigit() and text[5] in "1234":
            return Period(dt.date(int(text[:4]), (int(text[5]) - 1) * 3 + 1, 1), PeriodType.QUARTERLY)
        if len(text) == 6 and text[4] == "S" and text[:4].isdigit() and text[5] in "12":
            return Period(dt.date(int(text[:4]), (int(text[5]) - 1) * 6 + 1, 1), PeriodType.SEMESTER)
    except ValueError:
        pass
    raise ValidationError(
        _("Periode {code} tidak dikenal. Gunakan 202403 (bulan), 2024Q1 (triwulan) atau 2024S1 (semester).").format(
            code=code
        ),
        code="period_invalid",
    )


def recent_periods(today: dt.date, period_type: str, count: int) -> list[Period]:
    """The last ``count`` closed periods, newest first."""
    periods = [last_closed_period(today, period_type)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods
