"""The centre manager's dashboard has the officers' year selector (``?tahun=``): the centre's figures of a year
(workshops let on its reference day, reports of its ended periods not sent) equal direct counts for that year, a
bad year gets the officers' dashboard message, and no year shows another centre's rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from sentra.centres.models import Centre, Tenancy
from sentra.core.years import data_years
from sentra.periodic.models import Submission
from sentra.periodic.periods import Period
from tests.centres.factories import CentreFactory, TenancyFactory, UnitFactory, submit_centre_report

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
Y = TODAY.year
DASHBOARD = reverse("reports:dashboard")
LET = "Workshop terisi"


def _missing_label(year: int) -> str:
    return f"Laporan sentra belum dikirim TA {year}"


def _send(centre: Centre, year: int, months: range) -> None:
    for month in months:
        submit_centre_report(centre, dt.date(year, month, 1))


@pytest.fixture
def centres(centre_manager):
    """The manager's centre, whose workshops were let in different years, and a neighbour in the same city."""
    mine = CentreFactory(name="Sentra Mebel Saya", region_id="74.71", report_period="monthly")
    mine.managers.set([centre_manager])
    units = [UnitFactory(centre=mine, code=f"W-{i}") for i in range(5)]
    TenancyFactory(unit=units[0], start_date=dt.date(Y - 3, 1, 1))  # let since Y-3
    TenancyFactory(unit=units[1], start_date=dt.date(Y - 2, 3, 1), end_date=dt.date(Y - 1, 6, 30))
    TenancyFactory(unit=units[2], start_date=dt.date(Y - 1, 2, 1))
    TenancyFactory(unit=units[3], start_date=TODAY)  # this year only (not on 31 December of Y-1)
    _send(mine, Y - 1, range(1, 6))  # Y-1: five months sent, seven missing
    _send(mine, Y - 2, range(1, 13))  # Y-2: every month sent
    # The neighbour (same regency, another manager): every workshop let, no report ever sent.
    other = CentreFactory(name="Sentra Tetangga", region_id="74.71", village_id=None, report_period="monthly")
    for i in range(3):
        TenancyFactory(unit=UnitFactory(centre=other, code=f"X-{i}"), start_date=dt.date(Y - 5, 1, 1))
    return mine, other


def _direct(mine: Centre, year: int) -> tuple[int, int, int]:
    """(workshops let, reports expected, reports missing) of ``year``, counted on the raw tables."""
    day = min(dt.date(year, 12, 31), TODAY)
    let = (
        Tenancy.objects.filter(centre=mine, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .values("unit")
        .distinct()
        .count()
    )
    closed = [m for m in range(1, 13) if Period(dt.date(year, m, 1), "monthly").end < TODAY]
    sent = (
        Submission.objects.filter(subject_id=mine.pk, period_start__year=year, period_start__month__in=closed)
        .values("period")
        .distinct()
        .count()
    )
    return let, len(closed), len(closed) - sent


def _figures(response) -> dict:
    assert response.status_code == 200
    return {f.label: f for f in response.context["figures"]}


def test_figures_follow_the_year_and_equal_direct_counts(client, centre_manager, centres):
    mine, _other = centres
    client.force_login(centre_manager)
    seen = {}
    for year in range(Y - 4, Y + 1):
        response = client.get(DASHBOARD, {"tahun": year})
        figures = _figures(response)
        let, expected, missing = _direct(mine, year)
        assert figures[LET].value == let, year
        assert figures[LET].year == year
        assert figures[_missing_label(year)].value == missing, year
        assert figures[_missing_label(year)].hint == f"dari {expected} laporan periode yang sudah berakhir"
        assert figures["Sentra IKM"].value == 1  # the present state, the same in every year
        assert figures["Sentra IKM"].year is None
        html = response.content.decode()
        assert f'<option value="{year}" selected>' in html
        seen[year] = (figures[LET].value, figures[_missing_label(year)].value)
    # The fixture's years differ, so a page that ignored the year would fail here.
    assert seen[Y - 3][0] == 1 and seen[Y - 2] == (2, 0) and seen[Y - 1] == (2, 7) and seen[Y][0] == 3
    assert seen[Y - 4][0] == 0 and seen[Y - 3][1] == 12
    # Without ?tahun= the page is this year's, as on the officers' dashboard.
    default = _figures(client.get(DASHBOARD))
    assert default[LET].value == seen[Y][0]
    assert _missing_label(Y) in default
    # A past year's occupancy says on which day it was counted.
    assert _figures(client.get(DASHBOARD, {"tahun": Y - 1}))[LET].hint.endswith(f"pada 31 Desember {Y - 1}")


def test_the_page_shows_the_selector_and_the_years_figures_apart(client, centre_manager, centres):
    client.force_login(centre_manager)
    html = client.get(DASHBOARD, {"tahun": Y - 1}).content.decode()
    assert 'data-testid="dashboard-year"' in html and 'name="tahun"' in html
    offered = data_years(centre_manager)
    assert Y - 3 in offered and Y in offered  # the years the centre has data for
    assert all(f'<option value="{y}"' in html for y in offered)
    year_part = html.split('data-testid="year-figures"')[1].split('data-testid="present-figures"')[0]
    assert LET in year_part and _missing_label(Y - 1) in year_part
    assert "Usaha IKM terdaftar" not in year_part
    assert "Usaha IKM terdaftar" in html.split('data-testid="present-figures"')[1]


@pytest.mark.parametrize("raw", ["abc", "1999", "3000", "-1", "20245"])
def test_bad_year_gets_the_officers_message_and_this_years_figures(
    client, centre_manager, officer_region_a, centres, raw
):
    message = f"Tahun “{raw}” tidak dikenal; isi tahun empat angka, mis. 2024."
    client.force_login(officer_region_a)
    assert message in client.get(DASHBOARD, {"tahun": raw}).content.decode()  # the other dashboard's message
    client.force_login(centre_manager)
    response = client.get(DASHBOARD, {"tahun": raw})
    assert message in response.content.decode()
    figures = _figures(response)
    let, _expected, missing = _direct(centres[0], Y)
    assert (figures[LET].value, figures[_missing_label(Y)].value) == (let, missing)
    assert f'<option value="{Y}" selected>' in response.content.decode()


def test_no_year_shows_another_centre(client, centre_manager, centres):
    mine, other = centres
    client.force_login(centre_manager)
    for year in (Y - 4, Y - 1, Y):
        plain = client.get(DASHBOARD, {"tahun": year})
        figures = _figures(plain)
        assert figures["Sentra IKM"].value == 1
        assert figures[LET].value == _direct(mine, year)[0]
        assert figures[LET].hint.startswith("dari 5 workshop")  # the neighbour's three are not counted
        assert "Sentra Tetangga" not in plain.content.decode()
        # Asking for the city's dashboard changes nothing: a centre manager has no regional one.
        drilled = client.get(DASHBOARD, {"tahun": year, "wilayah": "74.71"})
        assert next(t.name for t in drilled.templates) == "core/dashboard.html"
        assert [(f.label, f.value) for f in drilled.context["figures"]] == [
            (f.label, f.value) for f in figures.values()
        ]
    assert client.get(reverse("reports:chart_xlsx", args=["74.71", "size"]), {"tahun": Y - 1}).status_code in (403, 404)
    # The neighbour's tenancies exist (a leak would show them): three let workshops, no reports sent.
    assert Tenancy.objects.filter(centre=other).count() == 3


def test_users_without_figures_of_a_year_get_no_selector(client, owner_user):
    client.force_login(owner_user)
    response = client.get(DASHBOARD, {"tahun": Y - 1})
    assert response.status_code == 200
    assert all(f.year is None for f in response.context["figures"])
    assert 'data-testid="dashboard-year"' not in response.content.decode()
