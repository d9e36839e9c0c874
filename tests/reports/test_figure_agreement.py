"""A figure shown on two pages comes from one computation: the pages must agree.

Each test builds data where a second, drifting computation would disagree (quarters with no report at all, a
report sent late, one sent on time), then reads both pages as an officer would."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sentra.budget.choices import PlanStatus
from sentra.budget.models import Fund
from sentra.budget.reports import DAK_QUARTERLY, quarter_period
from sentra.periodic.models import Submission
from sentra.reports.programme import programme_refresh
from sentra.reports.services import summary_refresh_all
from tests.budget.factories import make_allocation, make_plan

pytestmark = pytest.mark.django_db

YEAR = 2023  # a closed year whose funds the reference data seeds


def _sent(allocation, quarter: int, days_after_due: int) -> None:
    """A DAK quarterly report (a periodic submission) sent ``days_after_due`` days after its deadline."""
    from django.contrib.contenttypes.models import ContentType

    period = quarter_period(YEAR, quarter)
    due = period.end + dt.timedelta(days=10)
    Submission.objects.create(
        region_id=allocation.region_id,
        form_code=DAK_QUARTERLY,
        period_type=period.period_type,
        period=period.code,
        period_start=period.start,
        period_end=period.end,
        due_date=due,
        subject_type=ContentType.objects.get_for_model(allocation),
        subject_id=allocation.pk,
        subject_label=str(allocation),
        state="submitted",
        submitted_at=timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=days_after_due), dt.time(9))),
    )


@pytest.fixture
def dak_reports(db):
    fisik = Fund.objects.get(fiscal_year__year=YEAR, kind="fisik")
    nonfisik = Fund.objects.get(fiscal_year__year=YEAR, kind="nonfisik")
    a = make_allocation(fund=fisik, region="74.71")
    make_plan(allocation=a, status=PlanStatus.APPROVED)
    _sent(a, 1, days_after_due=-2)  # on time
    _sent(a, 2, days_after_due=6)  # late
    b = make_allocation(fund=nonfisik, region="74.71")
    make_plan(allocation=b, status=PlanStatus.APPROVED)  # no report at all: four quarters missing
    c = make_allocation(fund=fisik, region="74.72")  # another city: outside the officer's scope
    make_plan(allocation=c, status=PlanStatus.APPROVED)
    make_allocation(fund=fisik, region="74.03")  # no approved plan: no report due
    summary_refresh_all()
    programme_refresh()


def _dashboard_late(html: str) -> int:
    return int(re.search(r'data-testid="prog-late">([\d.]+)<', html).group(1).replace(".", ""))


@pytest.mark.parametrize("who", ["officer_region_a", "province_officer", "national_admin"])
def test_late_quarterly_reports_agree_between_dashboard_dak_and_periodic_pages(request, client_for, dak_reports, who):
    client = client_for(request.getfixturevalue(who))
    dashboard = client.get(reverse("core:dashboard") + f"?tahun={YEAR}").content.decode()
    index = client.get(reverse("budget:index") + f"?tahun={YEAR}").content.decode()
    reports = client.get(reverse("budget:report_list") + f"?tahun={YEAR}").content.decode()
    periodic = client.get(reverse("periodic:overview") + f"?form={DAK_QUARTERLY}&tahun={YEAR}").content.decode()
    listed_index = index.count("<li data-state=")
    listed_reports = reports.count("<li data-state=")
    periodic_late = int(re.search(r'data-testid="late-total">(\d+)<', periodic).group(1))
    # Kendari: fisik Q2 sent late, Q3–Q4 unsent (3) + nonfisik Q1–Q4 unsent (4); Baubau: 4 unsent.
    expected = {"officer_region_a": 7, "province_officer": 11, "national_admin": 11}[who]
    assert _dashboard_late(dashboard) == listed_index == listed_reports == periodic_late == expected


@pytest.fixture
def kendari_centre(db, centre_manager):
    """One operating centre with let, given-back and not-yet-started tenancies: today 2 of 4 workshops let."""
    from tests.centres.factories import CentreFactory, TenancyFactory, UnitFactory
    from tests.registry.factories import BusinessFactory

    today = timezone.localdate()
    centre = CentreFactory(region_id="74.71")
    centre.managers.add(centre_manager)
    units = [UnitFactory(centre=centre, code=f"W-{i}") for i in range(4)]
    UnitFactory(centre=centre, code="K-1", kind="support")  # not rentable: counted nowhere
    TenancyFactory(unit=units[0], business=BusinessFactory(), start_date=today - dt.timedelta(days=300))
    TenancyFactory(unit=units[1], business=BusinessFactory(), start_date=today - dt.timedelta(days=10))
    TenancyFactory(  # given back
        unit=units[2],
        business=BusinessFactory(),
        start_date=today - dt.timedelta(days=400),
        end_date=today - dt.timedelta(days=30),
    )
    TenancyFactory(unit=units[3], business=BusinessFactory(), start_date=today + dt.timedelta(days=20))  # not yet
    summary_refresh_all()
    programme_refresh()
    return centre


def test_occupancy_agrees_on_the_centre_page_the_managers_and_the_officers_dashboards(
    client_for, kendari_centre, centre_manager, officer_region_a
):
    year = timezone.localdate().year
    page = client_for(centre_manager).get(kendari_centre.get_absolute_url())
    assert (page.context["p"].occupancy.occupied, page.context["p"].occupancy.total) == (2, 4)
    manager = client_for(centre_manager).get(reverse("core:dashboard") + f"?tahun={year}")
    let = next(f for f in manager.context["figures"] if f.label == "Workshop terisi")
    assert let.value == 2 and "dari 4 workshop" in let.hint
    officer = client_for(officer_region_a).get(reverse("core:dashboard") + f"?tahun={year}")
    totals = officer.context["dash"].programme.totals
    assert (totals["units_let"], totals["units"]) == (2, 4)
    rate = re.search(r'data-testid="prog-occupancy">([^<]+)<', officer.content.decode()).group(1)
    assert rate == re.search(r'data-testid="occupancy-rate">([^<]+)<', page.content.decode()).group(1) == "50%"
