"""Journey: `kendari` drafts and submits a plan, `sultra` verifies, `admin` approves, `kendari` records a
payment and generates the quarterly report (the demo's TA 2023 allocation has no plan yet)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login


@pytest.fixture
def as_user(browser, demo_server):
    contexts = []

    def open_as(username: str, **options):
        context = browser.new_context(base_url=demo_server, locale="id-ID", **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        login(page, username)
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_plan_approval_payment_and_quarterly_report(as_user):
    kendari = as_user("kendari")
    kendari.goto("/anggaran/?tahun=2023")
    kendari.get_by_role("table").get_by_role("link", name="Kota Kendari").first.click()
    expect(kendari.locator("h1")).to_contain_text("TA 2023")
    kendari.get_by_role("link", name="Susun rencana kegiatan").click()
    kendari.click("form[data-testid=plan-form] button[type=submit]")
    expect(kendari.locator("[data-testid=plan-status]")).to_have_text("Draf")

    # A line over the pagu is refused with the reason; the corrected one is saved.
    kendari.get_by_role("link", name="Tambah baris").click()
    kendari.select_option("#id_sub_menu", index=1)
    kendari.fill("#id_description", "Mesin pengolahan rotan untuk sentra")
    kendari.fill("#id_volume", "20")
    kendari.fill("#id_unit_cost", "Rp 150.000.000")
    kendari.click("form[data-testid=line-form] button[type=submit]:not([name])")
    expect(kendari.locator("[data-testid=form-errors]")).to_contain_text("melebihi pagu alokasi")
    kendari.fill("#id_unit_cost", "Rp 100.000.000")
    kendari.click("form[data-testid=line-form] button[type=submit]:not([name])")
    expect(kendari.locator("[data-testid=plan-total]")).to_have_text("Rp2.000.000.000")
    plan_url = kendari.url

    kendari.fill("#id_comment", "Mohon verifikasi rencana TA 2023.")
    kendari.get_by_role("button", name="Ajukan ke provinsi").click()
    expect(kendari.locator("[data-testid=plan-status]")).to_have_text("Diajukan kabupaten/kota")
    expect(kendari.get_by_role("link", name="Tambah baris")).to_have_count(0)

    sultra = as_user("sultra")
    sultra.goto(plan_url)
    expect(sultra.get_by_role("button", name="Setujui")).to_have_count(0)  # the province only verifies
    sultra.fill("#id_comment", "Sesuai menu DAK dan pagu.")
    sultra.get_by_role("button", name="Verifikasi").click()
    expect(sultra.locator("[data-testid=plan-status]")).to_have_text("Diverifikasi provinsi")

    admin = as_user("admin")
    admin.goto(plan_url)
    admin.fill("#id_comment", "Disetujui.")
    admin.get_by_role("button", name="Setujui").click()
    expect(admin.locator("[data-testid=plan-status]")).to_have_text("Disetujui kementerian")
    expect(admin.locator("[data-testid=plan-steps]")).to_contain_text("Sesuai menu DAK dan pagu.")

    # Back to the regency: contract, payment, quarterly report.
    kendari.goto(plan_url)
    kendari.get_by_role("link", name="Mesin pengolahan rotan untuk sentra").click()
    kendari.get_by_role("link", name="Tambah kontrak").click()
    kendari.fill("#id_vendor", "CV Rotan Sultra")
    kendari.fill("#id_number", "012/PPK-DAK/II/2023")
    kendari.fill("#id_signed_on", "2023-02-20")
    kendari.fill("#id_value", "1.950.000.000")
    kendari.fill("#id_starts_on", "2023-02-21")
    kendari.fill("#id_ends_on", "2023-08-31")
    kendari.click("form[data-testid=contract-form] button[type=submit]")
    expect(kendari.locator("[data-testid=contract]")).to_contain_text("CV Rotan Sultra")

    kendari.get_by_role("link", name="Catat pembayaran").click()
    kendari.fill("#id_paid_on", "2023-03-20")
    kendari.fill("#id_amount", "390.000.000")
    kendari.fill("#id_reference", "SP2D 0301/2023")
    kendari.click("form[data-testid=payment-form] button[type=submit]")
    expect(kendari.locator("[data-testid=line-paid]")).to_have_text("Rp390.000.000")

    kendari.locator(".breadcrumb").get_by_role("link", name="Kota Kendari").click()
    kendari.select_option("#id_quarter", "1")
    kendari.get_by_role("button", name="Buat laporan dari data").click()
    expect(kendari.locator("[data-testid=report-status]")).to_have_text("Konsep")
    expect(kendari.locator("[data-testid=report-rows]")).to_contain_text("Rp390.000.000")
    report_url = kendari.url
    # The report is a periodic report: its problems are written and it is sent on the periodic form.
    kendari.locator("[data-testid=report-fill]").click()
    kendari.fill("#id_problems", "Tidak ada kendala; uang muka 20% dibayar.")
    kendari.locator("[data-testid=submit-report]").click()
    expect(kendari.locator(".alert-success")).to_be_visible()
    kendari.goto(report_url)
    expect(kendari.locator("[data-testid=report-status]")).to_have_text("Dikirim")

    with kendari.expect_download() as download:
        kendari.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename.endswith("-2023-tw1.xlsx")
