"""The reports page and the annual regional IKM profile (PDF via reportlab, XLSX via xlsxwriter), scoped."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from sentra.budget.models import Payment
from sentra.centres.models import Centre, WorkshopUnit
from sentra.regions.models import Region
from sentra.registry.models import Business
from sentra.reports.profile import profile_get
from sentra.reports.services import summary_refresh_all
from sentra.training.models import Participant
from tests.budget.factories import make_contract
from tests.reports.outcome_data import YEAR, build

pytestmark = pytest.mark.django_db

SCOPES = {
    "national_admin": (None, None),
    "province_officer": ("74", {"74.71", "74.72"}),
    "officer_region_a": ("74.71", {"74.71"}),
}


@pytest.fixture
def data():
    d = build()
    summary_refresh_all()
    return d


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("persona", SCOPES)
def test_profile_figures_match_direct_counts(data, persona, request):
    user = request.getfixturevalue(persona)
    code, regions = SCOPES[persona]
    p = profile_get(user=user, code=code, year=YEAR)

    def inside(qs, field):
        return qs if regions is None else qs.filter(**{f"{field}__in": regions})

    assert p.dash.totals["businesses"] == inside(Business.objects.filter(deleted_at__isnull=True), "region_id").count()
    assert p.centres_total == inside(Centre.objects.all(), "region_id").count() > 0
    assert p.units == inside(WorkshopUnit.objects.all(), "centre__region_id").count()
    assert p.units_rented == p.units  # every unit of the world is rented (open tenancies)
    parts = inside(Participant.objects.filter(batch__start_date__year=YEAR), "batch__region_id")
    assert p.participants == parts.count()
    assert p.passed == parts.filter(result="passed").count()
    assert p.dak_pagu == 0  # no DAK fund in 2022
    fund_year = data.line.plan.allocation.fund.fiscal_year.year
    dak = profile_get(user=user, code=code, year=fund_year)
    assert dak.dak_pagu == Decimal("5000000000.00")  # the Kendari allocation, inside every level's scope


def test_dak_absorption_from_payments(data, officer_region_a):
    contract = make_contract(line=data.line, value=Decimal(800_000_000))
    Payment.objects.create(contract=contract, region_id="74.71", paid_on="2022-06-01", amount=Decimal(500_000_000))
    p = profile_get(user=officer_region_a, code=None, year=data.line.plan.allocation.fund.fiscal_year.year)
    assert p.dak_paid == Decimal(500_000_000)
    assert p.dak_financial_pct == Decimal("10.0")


@pytest.mark.parametrize("persona", SCOPES)
def test_profile_pdf_names_the_region(data, client_for, persona, request):
    user = request.getfixturevalue(persona)
    code, _regions = SCOPES[persona]
    params = {"tahun": YEAR, **({"wilayah": code} if code else {})}
    response = client_for(user).get(reverse("reports:profile_pdf"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    name = Region.objects.get(code=code).name if code else "Indonesia"
    assert f"Profil IKM {name} Tahun {YEAR}" in text
    assert "Menurut klasifikasi industri" in text and "Sentra IKM" in text


def test_profile_xlsx(data, client_for, officer_region_a):
    response = client_for(officer_region_a).get(reverse("reports:profile_xlsx"), {"tahun": YEAR})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == f"Profil IKM {Region.objects.get(code='74.71').name} Tahun {YEAR}"
    figures = {r[0]: r[1] for r in values if r[0]}
    assert figures["Usaha IKM terdaftar"] == Business.objects.filter(region_id="74.71", deleted_at__isnull=True).count()


def test_profile_out_of_scope_is_404(data, client_for, officer_region_a, province_officer):
    for name in ("reports:profile_pdf", "reports:profile_xlsx"):
        assert client_for(officer_region_a).get(reverse(name), {"wilayah": "74.72"}).status_code == 404
        assert client_for(province_officer).get(reverse(name), {"wilayah": "73"}).status_code == 404


def test_index_lists_official_reports(client_for, officer_region_a, owner_user):
    html = client_for(officer_region_a).get(reverse("reports:index")).content.decode()
    for name in (
        "training:batch_list",
        "budget:report_list",
        "periodic:overview",
        "centres:centre_list",
        "reports:outcomes",
    ):
        assert reverse(name) in html, name
    assert reverse("reports:profile_pdf") in html and reverse("reports:profile_xlsx") in html
    assert client_for(owner_user).get(reverse("reports:index")).status_code == 403
