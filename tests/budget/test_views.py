"""Budget pages: rendering, forms, the conflict message, exports, scope of lists, and query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sentra.budget import services
from sentra.budget.choices import PlanStatus
from sentra.budget.models import ActivityPlan, Allocation, BudgetLine, Payment
from tests.budget.factories import (
    REGION_A,
    REGION_B,
    make_allocation,
    make_contract,
    make_fund,
    make_line,
    make_plan,
    sub_menu,
)

pytestmark = pytest.mark.django_db
M = Decimal(1_000_000)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


# --- Pages ----------------------------------------------------------------------------------------------------


def test_index_shows_funds_and_own_allocation_only(client_for, officer_region_a):
    fund = make_fund(year=2031)
    make_allocation(fund=fund, region=REGION_A, amount=Decimal(1234567))
    make_allocation(fund=fund, region=REGION_B, amount=Decimal(7654321))
    response = client_for(officer_region_a).get(reverse("budget:index") + "?tahun=2031")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rp1.234.567" in html and "Kota Bau Bau" not in html
    assert "Rp8.888.888" in html  # the national allocated total is public information for officers


def test_allocation_list_is_scoped_and_sortable_by_absorption(client_for, province_officer, officer_region_a):
    fund = make_fund(year=2032)
    low = make_allocation(fund=fund, region=REGION_A, amount=Decimal(1000) * M)
    high = make_allocation(fund=fund, region=REGION_B, amount=Decimal(1000) * M)
    make_allocation(fund=fund, region="73.71", amount=Decimal(1000) * M)  # Makassar: another province
    for allocation, paid in ((low, 10), (high, 90)):
        plan = make_plan(allocation=allocation, status=PlanStatus.APPROVED)
        contract = make_contract(line=make_line(plan=plan), value=Decimal(100) * M, number=f"K{allocation.pk}")
        Payment.objects.create(
            contract=contract, region_id=allocation.region_id, paid_on=dt.date(2032, 5, 1), amount=paid * M
        )
        allocation.transfers.create(
            region_id=allocation.region_id, amount=Decimal(100) * M, status="received", requested_on=dt.date(2032, 3, 1)
        )
    client = client_for(province_officer)
    html = client.get(reverse("budget:allocation_list") + "?year=2032&sort=-absorption").content.decode()
    assert "Makassar" not in html
    html = html[html.index('data-testid="allocation-table"') :]  # the area filter's options name them too
    assert html.index("Bau Bau") < html.index("Kendari")
    assert "90%" in html  # one percentage style: a zero fraction is not shown
    html = client.get(reverse("budget:allocation_list") + "?year=2032&sort=absorption").content.decode()
    html = html[html.index('data-testid="allocation-table"') :]
    assert html.index("Kendari") < html.index("Bau Bau")
    html = client_for(officer_region_a).get(reverse("budget:allocation_list") + "?year=2032").content.decode()
    assert "Bau Bau" not in html


def test_allocation_list_query_count_does_not_grow(client_for, national_admin):
    fund = make_fund(year=2033)
    client = client_for(national_admin)
    url = reverse("budget:allocation_list") + "?year=2033"
    make_allocation(fund=fund, region=REGION_A)
    few = count_queries(client, url)
    for code in ["74.72", "74.01", "74.02", "74.03", "74.04", "74.05", "74.06", "74.07", "74.08"]:
        make_allocation(fund=fund, region=code)
    assert count_queries(client, url) == few


def test_plan_detail_query_count_does_not_grow(client_for, officer_region_a):
    plan = make_plan()
    make_line(plan=plan, volume=Decimal(1), unit_cost=M)
    client = client_for(officer_region_a)
    url = reverse("budget:plan_detail", args=[plan.pk])
    few = count_queries(client, url)
    for _ in range(8):
        make_line(plan=plan, volume=Decimal(1), unit_cost=M)
    assert count_queries(client, url) == few


def test_line_detail_query_count_does_not_grow(client_for, officer_region_a):
    line = make_line(plan=make_plan(status=PlanStatus.APPROVED), volume=Decimal(100), unit_cost=Decimal(100) * M)
    client = client_for(officer_region_a)
    url = reverse("budget:line_detail", args=[line.pk])
    c = make_contract(line=line, value=Decimal(10) * M, number="A1")
    Payment.objects.create(contract=c, region_id=REGION_A, paid_on=dt.date(2024, 4, 1), amount=M)
    few = count_queries(client, url)
    for i in range(5):
        c = make_contract(line=line, value=Decimal(10) * M, number=f"B{i}")
        Payment.objects.create(contract=c, region_id=REGION_A, paid_on=dt.date(2024, 4, 1), amount=M)
        Payment.objects.create(contract=c, region_id=REGION_A, paid_on=dt.date(2024, 4, 2), amount=M)
    assert count_queries(client, url) == few


def test_allocation_detail_and_report_list_query_counts_do_not_grow(client_for, officer_region_a):
    allocation = make_allocation(fund=make_fund(year=2019))  # a past year: its quarters may be reported
    plan = make_plan(allocation=allocation, status=PlanStatus.APPROVED)
    make_line(plan=plan)
    client = client_for(officer_region_a)
    url = reverse("budget:allocation_detail", args=[allocation.pk])
    count_queries(client, url)  # warms the per-process caches (content types) a server keeps warm
    few = count_queries(client, url)
    for _ in range(5):
        make_line(plan=plan)
    assert count_queries(client, url) == few
    services.report_start(actor=officer_region_a, allocation=allocation, quarter=1)
    list_url = reverse("budget:report_list") + "?tahun=2019"
    few = count_queries(client, list_url)
    for q in (2, 3, 4):
        services.report_start(actor=officer_region_a, allocation=allocation, quarter=q)
    assert count_queries(client, list_url) == few


# --- Forms and workflow through the pages ---------------------------------------------------------------------


def test_officer_builds_a_line_with_indonesian_numbers(client_for, officer_region_a):
    plan = make_plan()
    client = client_for(officer_region_a)
    response = client.post(
        reverse("budget:line_add", args=[plan.pk]),
        {
            "sub_menu": sub_menu(plan.allocation.fund).pk,
            "description": "Rumah produksi",
            "volume": "1.200",
            "unit_cost": "Rp 2.250.000",
            "for_target_centre": "on",
        },
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(plan=plan)
    assert line.total == Decimal(2_700_000_000) and line.unit == "m²" and line.output_name == "Rumah produksi"


def test_line_over_the_allocation_shows_the_reason_and_saves_nothing(client_for, officer_region_a):
    plan = make_plan(allocation=make_allocation(amount=Decimal(100) * M))
    response = client_for(officer_region_a).post(
        reverse("budget:line_add", args=[plan.pk]),
        {"sub_menu": sub_menu(plan.allocation.fund).pk, "description": "x", "volume": "1", "unit_cost": "100.000.001"},
    )
    assert response.status_code == 200
    assert "melebihi pagu alokasi" in response.content.decode()
    assert not BudgetLine.objects.filter(plan=plan).exists()


def test_second_officer_sees_what_changed(client_for, officer_region_a):
    line = make_line()
    client = client_for(officer_region_a)
    url = reverse("budget:line_edit", args=[line.pk])
    form = {
        "version": "1",
        "sub_menu": line.sub_menu_id,
        "description": line.description,
        "volume": "10",
        "unit_cost": "100.000.000",
        "for_target_centre": "on",
    }
    assert client.post(url, form | {"description": "Versi pertama"}).status_code == 302
    response = client.post(url, form | {"description": "Versi kedua"})
    html = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="conflict"' in html and "Versi pertama" in html and "Versi kedua" in html
    # The same officer saved the first version (another tab): the page says so instead of naming them.
    assert "telah Anda ubah sendiri" in html and "telah diubah oleh kendari_officer" not in html
    line.refresh_from_db()
    assert line.description == "Versi pertama"


def test_workflow_buttons_through_the_pages(client_for, officer_region_a, province_officer, national_admin):
    plan = make_plan()
    make_line(plan=plan)
    client_for(officer_region_a).post(reverse("budget:plan_submit", args=[plan.pk]), {"comment": "mohon"})
    # The province cannot skip to approval.
    client = client_for(province_officer)
    client.post(reverse("budget:plan_approve", args=[plan.pk]), {})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    client.post(reverse("budget:plan_return", args=[plan.pk]), {"comment": ""})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED  # a return needs a reason
    response = client.post(reverse("budget:plan_verify", args=[plan.pk]), {"comment": "ok"}, follow=True)
    assert "Diverifikasi provinsi" in response.content.decode()
    client_for(national_admin).post(reverse("budget:plan_approve", args=[plan.pk]), {"comment": "setuju"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    response = client_for(officer_region_a).get(reverse("budget:plan_detail", args=[plan.pk]))
    assert "Buat revisi" in response.content.decode() and "Tambah baris" not in response.content.decode()


def test_regency_officer_cannot_open_the_new_allocation_form(client_for, officer_region_a):
    assert client_for(officer_region_a).get(reverse("budget:allocation_add")).status_code == 403


def test_allocation_form_refuses_over_the_ceiling(client_for, national_admin):
    fund = make_fund(ceiling=Decimal(100) * M)
    response = client_for(national_admin).post(
        reverse("budget:allocation_add"), {"fund": fund.pk, "region": REGION_A, "amount": "100.000.001"}
    )
    assert response.status_code == 200 and "melebihi pagu nasional" in response.content.decode()
    assert not Allocation.objects.filter(fund=fund).exists()


def test_transfer_page_lists_the_conditions(client_for, officer_region_a):
    allocation = make_allocation(amount=Decimal(2000) * M)
    html = client_for(officer_region_a).get(reverse("budget:transfer_request", args=[allocation.pk])).content.decode()
    assert "Tahap I" in html and "Rencana kegiatan disetujui kementerian" in html and "syarat belum terpenuhi" in html
    response = client_for(officer_region_a).post(
        reverse("budget:transfer_request", args=[allocation.pk]),
        {"stage": allocation.fund.stages.get(number=1).pk, "requested_on": f"{allocation.fund.fiscal_year.year}-03-01"},
    )
    assert response.status_code == 200 and "belum dapat diajukan" in response.content.decode()
    assert not allocation.transfers.exists()


def test_payment_and_progress_with_photo_through_the_pages(client_for, officer_region_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.budget.scope_objects import PNG

    contract = make_contract(value=Decimal(100) * M)
    client = client_for(officer_region_a)
    response = client.post(
        reverse("budget:payment_add", args=[contract.pk]), {"paid_on": "05-04-2024", "amount": "25.000.000"}
    )
    assert response.status_code == 302
    assert contract.payments.get().amount == Decimal(25) * M
    response = client.post(
        reverse("budget:payment_add", args=[contract.pk]), {"paid_on": "05-04-2024", "amount": "75.000.001"}
    )
    assert "melebihi nilai kontrak" in response.content.decode()
    response = client.post(
        reverse("budget:progress_add", args=[contract.line_id]),
        {
            "reported_on": "06-04-2024",
            "physical_pct": "35,5",
            "output_achieved": "3",
            "photos": [SimpleUploadedFile("a.png", PNG, content_type="image/png")],
        },
    )
    assert response.status_code == 302
    photo = contract.line.progress.get().photos.get()
    got = client.get(reverse("budget:photo", args=[photo.pk]))
    assert got.status_code == 200 and got["Content-Type"] == "image/png" and b"".join(got.streaming_content) == PNG


def test_report_list_flags_missing_reports(client_for, officer_region_a):
    allocation = make_allocation(fund=make_fund(year=2020))  # a past year: every quarter is overdue
    make_plan(allocation=allocation, status=PlanStatus.APPROVED)
    html = client_for(officer_region_a).get(reverse("budget:report_list") + "?tahun=2020").content.decode()
    assert 'data-testid="missing-reports"' in html and "Triwulan 4 2020" in html


def test_approved_plan_is_frozen_in_the_ui_too(client_for, officer_region_a):
    plan = make_plan(status=PlanStatus.APPROVED)
    line = make_line(plan=plan)
    response = client_for(officer_region_a).post(
        reverse("budget:line_edit", args=[line.pk]),
        {"sub_menu": line.sub_menu_id, "description": "diubah", "volume": "1", "unit_cost": "1"},
    )
    assert response.status_code == 200 and "terkunci" in response.content.decode()
    assert ActivityPlan.objects.get(pk=plan.pk).lines.get().description != "diubah"


def test_admin_edits_the_rules_but_not_a_ceiling_below_the_allocations(client):
    from tests.accounts.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True, region_id=None)
    client.force_login(root)
    fund = make_fund(ceiling=Decimal(1000) * M)
    make_allocation(fund=fund, amount=Decimal(600) * M)
    assert client.get(reverse("admin:budget_fund_change", args=[fund.pk])).status_code == 200
    url = reverse("admin:budget_fund_change", args=[fund.pk])
    data = {
        "fiscal_year": fund.fiscal_year_id,
        "kind": fund.kind,
        "name": fund.name,
        "ceiling": "599999999.99",
        "ceiling_source": "",
        "single_transfer_limit": "1000000000",
        "single_transfer_inclusive": "on",
        "menus-TOTAL_FORMS": "0",
        "menus-INITIAL_FORMS": "0",
        "stages-TOTAL_FORMS": "0",
        "stages-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "tidak boleh di bawah jumlah alokasi" in response.content.decode()
    fund.refresh_from_db()
    assert fund.ceiling == Decimal(1000) * M
