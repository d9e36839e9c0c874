"""Centre figures on the dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sentra.centres.choices import RENTABLE_KINDS, CentreStatus
from sentra.centres.models import Centre, Tenancy, WorkshopUnit
from sentra.core.dashboard import Figure, reference_day, register_figures


def centre_figures(user: Any, year: int | None = None) -> list[Figure]:
    """The centre manager's figures. Of ``year`` (default: this year), as the officers' ProgrammeCube counts them:
    workshops let on the year's reference day (31 December, or today) and the reports of the year's ended periods
    not sent. The centres and their rentable workshops are the present state."""
    if not (user.is_superuser or user.has_perm("centres.view_centre")):
        return []
    if user.is_superuser or user.has_perm("reports.view_businesscube"):
        return []  # officers read centres and occupancy per region and year on the dashboard (ProgrammeCube)
    centres = Centre.objects.visible_to(user)
    counts = centres.aggregate(total=Count("id"), operating=Count("id", filter=Q(status=CentreStatus.OPERATING)))
    today = timezone.localdate()
    year = year or today.year
    day = reference_day(year, today)
    units = WorkshopUnit.objects.filter(centre__in=centres, kind__in=RENTABLE_KINDS).count()
    let = (
        Tenancy.objects.filter(centre__in=centres, unit__kind__in=RENTABLE_KINDS, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .values("unit")
        .distinct()
        .count()
    )
    url = reverse("centres:centre_list")
    expected, missing = missing_reports(centres, year, today)
    if day == today:
        let_hint = _("dari {n} workshop").format(n=units)
    else:
        let_hint = _("dari {n} workshop, pada {day}").format(n=units, day=date_format(day, "j F Y"))
    return [
        Figure(_("Sentra IKM"), counts["total"], url, _("{n} beroperasi").format(n=counts["operating"])),
        Figure(_("Workshop terisi"), let, url, let_hint, year=year),
        Figure(
            _("Laporan sentra belum dikirim TA {year}").format(year=year),
            missing,
            reverse("periodic:todo"),
            _("dari {n} laporan periode yang sudah berakhir").format(n=expected),
            year=year,
        ),
    ]


def missing_reports(centres: Any, year: int, today: Any) -> tuple[int, int]:
    """Reports of the year's closed periods expected from these centres (operating or in revitalisation, by their
    reporting period) and how many of them were not sent: ``(expected, missing)``. Two queries per period type."""
    from django.contrib.contenttypes.models import ContentType

    from sentra.centres.choices import ReportPeriod
    from sentra.centres.reports import CENTRE_MONTHLY, CENTRE_QUARTERLY
    from sentra.periodic.models import Submission, SubmissionState
    from sentra.periodic.periods import Period, PeriodType

    reporting = centres.filter(status__in=[CentreStatus.OPERATING, CentreStatus.REVITALISATION])
    expected = missing = 0
    for period, form_code, period_type in (
        (ReportPeriod.MONTHLY, CENTRE_MONTHLY, PeriodType.MONTHLY),
        (ReportPeriod.QUARTERLY, CENTRE_QUARTERLY, PeriodType.QUARTERLY),
    ):
        closed = []
        p = Period(dt.date(year, 1, 1), period_type)
        while p.start.year == year and p.end < today:
            closed.append(p.code)
            p = p.next()
        subjects = reporting.filter(report_period=period)
        n = subjects.count() if closed else 0
        if not n:
            continue
        sent = (
            Submission.objects.filter(
                form_code=form_code,
                period__in=closed,
                subject_type=ContentType.objects.get_for_model(Centre),
                subject_id__in=subjects.values("pk"),
                state__in=[SubmissionState.SUBMITTED, SubmissionState.ACCEPTED],
            )
            .values("subject_id", "period")
            .distinct()
            .count()
        )
        expected += n * len(closed)
        missing += max(n * len(closed) - sent, 0)
    return expected, missing


def register() -> None:
    register_figures(centre_figures, per_year=True)
