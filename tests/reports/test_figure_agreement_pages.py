"""Figures shown on two pages, read from the rendered pages of one user: the pages must print the same number.

Each case builds data where a second computation would drift (a percentage that rounds differently half-even or
in an integer division, a certificate that expires within the notice window, a cancelled class, a deleted
business), then parses the figure out of each page's HTML."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sentra.budget.choices import PlanStatus, TransferStatus
from sentra.budget.models import Fund, Payment, SubMenu, Transfer
from sentra.reports.programme import programme_refresh
from sentra.reports.services import summary_refresh_all
from tests.budget.factories import make_allocation, make_contract, make_line, make_plan

pytestmark = pytest.mark.django_db

YEAR = 2023  # a closed year whose funds the reference data seeds


def _refresh() -> None:
    summary_refresh_all()
    programme_refresh()


def _testid(html: str, testid: str) -> list[str]:
    """The texts of the elements carrying ``data-testid`` (tags inside stripped)."""
    found = re.findall(rf'data-testid="{testid}"[^>]*>(.*?)</(?:td|dd|span|div|a)>', html, re.S)
    return [re.sub(r"<[^>]+>|\s+", "", text) for text in found]


@pytest.fixture
def dak_absorption(db):
    """Kendari's 2023 Fisik allocation: Rp200 jt received, Rp24,69 jt paid on the approved plan: 12,345 persen,
    which is 12,35 half up, 12,34 half-even and 12 when two whole sums are divided as integers."""
    fund = Fund.objects.get(fiscal_year__year=YEAR, kind="fisik")
    allocation = make_allocation(fund=fund, region="74.71", amount=Decimal("1000000000"))
    plan = make_plan(allocation=allocation, status=PlanStatus.APPROVED)
    line = make_line(plan=plan, sub_menu=SubMenu.objects.filter(menu__fund=fund).first())
    contract = make_contract(line=line, value=Decimal("100000000"))
    Transfer.objects.create(
        allocation=allocation,
        region_id="74.71",
        amount=Decimal("200000000"),
        status=TransferStatus.RECEIVED,
        requested_on=dt.date(YEAR, 3, 1),
        received_on=dt.date(YEAR, 3, 10),
    )
    Payment.objects.create(
        contract=contract, region_id="74.71", paid_on=dt.date(YEAR, 4, 1), amount=Decimal("24690000")
    )
    _refresh()
    return allocation


def test_dak_absorption_agrees_on_the_dashboard_the_dak_overview_the_list_and_the_allocation(
    client_for, officer_region_a, dak_absorption
):
    client = client_for(officer_region_a)
    dashboard = client.get(reverse("core:dashboard") + f"?tahun={YEAR}").content.decode()
    index = client.get(reverse("budget:index") + f"?tahun={YEAR}").content.decode()
    listed = client.get(reverse("budget:allocation_list") + f"?year={YEAR}").content.decode()
    detail = client.get(dak_absorption.get_absolute_url()).content.decode()
    on_dashboard = _testid(dashboard, "prog-absorption")
    on_index = re.findall(r'<td class="text-end">([\d.,]+%)</td></tr>', index)
    assert on_dashboard == on_index == _testid(listed, "absorption") == _testid(detail, "absorption") == ["12,35%"]


@pytest.fixture
def kendari_certificates(db):
    """Five certifications of Kendari today: one expiring within the window, one recorded ahead of its issue date
    (not held yet, though it expires within the window), one expired, one valid for long, one without expiry."""
    from django.utils import timezone

    from tests.quality.factories import CertificationFactory

    today = timezone.localdate()
    day = dt.timedelta(days=1)
    CertificationFactory(issued_on=today - 700 * day, expires_on=today + 30 * day)
    CertificationFactory(issued_on=today + 10 * day, expires_on=today + 60 * day)
    CertificationFactory(issued_on=today - 900 * day, expires_on=today - 5 * day)
    CertificationFactory(issued_on=today - 100 * day, expires_on=today + 400 * day)
    CertificationFactory(issued_on=today - 100 * day, expires_on=None, kind="hki")
    _refresh()
    return today


def _row_numbers(html: str, testid: str) -> list[int]:
    table = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    row = table.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    return [int(n.replace(".", "")) for n in re.findall(r'<td class="num"><a [^>]*>([\d.]+)</a></td>', row)]


def test_certificates_expiring_and_held_agree_on_the_dashboard_and_the_quality_pages(
    client_for, officer_region_a, kendari_certificates
):
    client = client_for(officer_region_a)
    dashboard = client.get(reverse("core:dashboard") + f"?tahun={kendari_certificates.year}").content.decode()
    summary = client.get(reverse("quality:certification_expiry")).content.decode()
    expiring, expired, total = _row_numbers(summary, "expiry-summary")
    assert (_testid(dashboard, "prog-expiring"), expiring) == (["1"], 1)
    # Held = all certifications minus the expired and the not yet issued.
    assert (_testid(dashboard, "prog-certs"), total - expired - 1) == (["3"], 3)
    held_list = client.get(reverse("quality:certification_list") + "?status=berlaku").content.decode()
    expiring_list = client.get(reverse("quality:certification_list") + "?status=akan-habis").content.decode()
    rows = re.compile(r'<td><a href="/mutu/sertifikat/\d+/">')
    assert (len(rows.findall(held_list)), len(rows.findall(expiring_list))) == (3, 1)
    # Every certificate's badge says the same: the one recorded ahead of its issue date is not yet valid.
    everything = client.get(reverse("quality:certification_list")).content.decode()
    assert everything.count('data-validity="pending"') == 1 and everything.count('data-validity="expiring"') == 1


def test_an_owners_home_counts_certificates_as_the_quality_pages_do(client_for, owner_user):
    """The owner's certificates card marks a certificate recorded ahead of its issue date as not yet valid, the
    way the lists and the dashboard leave it out of the certificates held."""
    from django.utils import timezone

    from tests.quality.factories import CertificationFactory
    from tests.registry.factories import BusinessFactory, OwnerFactory

    today = timezone.localdate()
    business = BusinessFactory(owners=[OwnerFactory(user=owner_user)])
    CertificationFactory(
        business=business, issued_on=today + dt.timedelta(days=10), expires_on=today + dt.timedelta(days=60)
    )
    CertificationFactory(
        business=business, issued_on=today - dt.timedelta(days=10), expires_on=today + dt.timedelta(days=60)
    )
    home = client_for(owner_user).get("/").content.decode()
    card = home.split('data-testid="home-certifications"', 1)[1].split("</section>", 1)[0]
    assert card.count("Belum berlaku") == 1 and card.count("Segera habis") == 1


@pytest.fixture
def classes_2022(db):
    """Two Kendari classes of 2022: one held (three passed, one failed), one
    cancelled whose two participants had been marked passed."""
    from sentra.training.choices import BatchStatus, ParticipantResult
    from sentra.training.models import Participant
    from tests.training.factories import make_batch, make_participant

    held = make_batch(region_id="74.71", start=dt.date(2022, 7, 19), end=dt.date(2022, 7, 25))
    people = [make_participant(held) for _ in range(4)]
    Participant.objects.filter(pk__in=[p.pk for p in people[:3]]).update(result=ParticipantResult.PASSED)
    Participant.objects.filter(pk=people[3].pk).update(result=ParticipantResult.FAILED)
    cancelled = make_batch(region_id="74.71", start=dt.date(2022, 9, 5), end=dt.date(2022, 9, 9))
    for _ in range(2):
        Participant.objects.filter(pk=make_participant(cancelled).pk).update(result=ParticipantResult.PASSED)
    type(cancelled).objects.filter(pk=cancelled.pk).update(status=BatchStatus.CANCELLED)
    _refresh()


def test_trained_participants_agree_on_the_dashboard_and_the_programme_results(
    client_for, officer_region_a, classes_2022
):
    client = client_for(officer_region_a)
    dashboard = client.get(reverse("core:dashboard") + "?tahun=2022").content.decode()
    outcomes = client.get(reverse("reports:outcomes") + "?tahun=2022").content.decode()
    passed = re.search(r'data-testid="prog-participants">[\d.]+</span> · [^:]+: ([\d.]+)<', dashboard).group(1)
    assert passed == _testid(outcomes, "people-trained")[0] == "3"


@pytest.fixture
def businesses(db):
    """Five small businesses in Kendari and one deleted there, three in Baubau."""
    from django.utils import timezone

    from tests.registry.factories import BusinessFactory

    for _ in range(5):
        BusinessFactory(region_id="74.71", size_class="kecil")
    BusinessFactory(region_id="74.71", size_class="kecil", deleted_at=timezone.now())
    for _ in range(3):
        BusinessFactory(region_id="74.72", district_id=None, village_id=None, size_class="kecil")
    _refresh()


def test_registered_businesses_agree_on_the_dashboard_and_the_public_statistics(
    client, client_for, province_officer, businesses
):
    dashboard = client_for(province_officer).get(reverse("core:dashboard")).content.decode()
    client.logout()
    stats = client.get(reverse("reports:statistics") + "?wilayah=74").content.decode()
    grand = re.search(r'data-testid="stats-grand-total">([\d.]+)<', stats).group(1)
    kendari = re.search(r'<tr data-wilayah="74.71">.*?data-kolom="jumlah">([\d.]+)<', stats, re.S).group(1)
    children = dashboard.split('data-testid="dashboard-children"', 1)[1]
    kendari_on_dashboard = re.search(r"Kota Kendari</a></td>\s*<td class=\"num\"><a [^>]*>([\d.]+)<", children)
    assert _testid(dashboard, "total-businesses") == [grand] == ["8"]
    assert kendari_on_dashboard.group(1) == kendari == "5"


def test_a_centres_dak_funding_agrees_with_the_budget_line_page(client_for, officer_region_a):
    """The centre page lists the DAK lines that fund it with what was paid and the physical progress; the line's
    own page shows the same two figures (two reports on one day: the later one counts on both)."""
    from sentra.budget.models import ProgressReport
    from tests.centres.factories import CentreFactory

    centre = CentreFactory(region_id="74.71")
    fund = Fund.objects.get(fiscal_year__year=YEAR, kind="fisik")
    plan = make_plan(allocation=make_allocation(fund=fund, region="74.71"), status=PlanStatus.APPROVED)
    line = make_line(plan=plan, sub_menu=SubMenu.objects.filter(menu__fund=fund).first(), centre=centre)
    contract = make_contract(line=line, value=Decimal("300000000"))
    for amount in ("100000000", "23456789"):
        Payment.objects.create(
            contract=contract, region_id="74.71", paid_on=dt.date(YEAR, 5, 1), amount=Decimal(amount)
        )
    for physical in ("40", "66.67"):
        ProgressReport.objects.create(
            line=line,
            region_id="74.71",
            reported_on=dt.date(YEAR, 6, 30),
            physical_pct=Decimal(physical),
            output_achieved=Decimal(0),
        )
    client = client_for(officer_region_a)
    centre_page = client.get(centre.get_absolute_url()).content.decode()
    line_page = client.get(line.get_absolute_url()).content.decode()
    assert _testid(centre_page, f"line-{line.pk}-paid") == _testid(line_page, "line-paid") == ["Rp123.456.789"]
    assert _testid(centre_page, f"line-{line.pk}-physical") == _testid(line_page, "line-physical") == ["66,67%"]
