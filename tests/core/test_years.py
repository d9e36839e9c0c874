"""Every page with a year opens on the latest year that has data in the user's scope, and every year selector
offers the same years (``core.years``)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from sentra.budget.models import Fund
from sentra.core.years import data_years, default_year
from tests.budget.factories import make_allocation
from tests.training.factories import make_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(db):
    make_batch(region_id="74.71", start=dt.date(2022, 7, 19), end=dt.date(2022, 7, 25))
    make_allocation(fund=Fund.objects.get(fiscal_year__year=2023, kind="fisik"), region="74.71")
    make_batch(region_id="74.72", start=dt.date(2024, 3, 4), end=dt.date(2024, 3, 8))  # another city


def _selected(html: str) -> int:
    return int(re.search(r'<option value="(\d{4})" selected', html).group(1))


def _offered(html: str, select_name: str = "tahun") -> list[int]:
    block = html.split(f'name="{select_name}"', 1)[1].split("</select>", 1)[0]
    return [int(y) for y in re.findall(r'<option value="(\d{4})"', block)]


def test_the_default_is_the_latest_year_with_data_in_scope(history, officer_region_a, national_admin):
    this_year = dt.date.today().year
    assert default_year(officer_region_a) == 2023  # Baubau's 2024 class is not in Kendari's scope
    assert default_year(national_admin) == 2024
    assert data_years(officer_region_a)[0] == this_year and {2022, 2023} <= set(data_years(officer_region_a))
    assert 2024 not in data_years(officer_region_a)


@pytest.mark.parametrize("url_name", ["core:dashboard", "reports:outcomes", "budget:index"])
def test_pages_open_on_it_and_offer_the_same_years(client_for, history, officer_region_a, url_name):
    html = client_for(officer_region_a).get(reverse(url_name)).content.decode()
    assert _selected(html) == 2023
    assert _offered(html) == data_years(officer_region_a)


def test_a_named_year_outside_the_list_is_shown_and_offered(client_for, history, officer_region_a):
    html = client_for(officer_region_a).get(reverse("core:dashboard") + "?tahun=2015").content.decode()
    assert _selected(html) == 2015 and 2015 in _offered(html)


def test_a_bad_year_says_so_and_opens_on_the_default(client_for, history, officer_region_a):
    response = client_for(officer_region_a).get(reverse("reports:outcomes") + "?tahun=abc", follow=True)
    html = response.content.decode()
    assert "tidak dikenal" in html and _selected(html) == 2023


def test_without_any_data_the_pages_open_on_this_year(client_for, officer_region_b):
    html = client_for(officer_region_b).get(reverse("core:dashboard")).content.decode()
    assert _selected(html) == dt.date.today().year
