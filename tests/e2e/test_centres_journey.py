"""Journey: the centre manager `mebel` files the monthly report on a phone; `kendari` accepts it."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import login


def test_manager_files_monthly_report_on_phone_and_officer_accepts(phone_page, browser, demo_server):
    page = phone_page
    login(page, "mebel")
    page.goto("/laporan-berkala/")
    item = page.locator("[data-testid=todo-list] li", has_text="Sentra IKM Meubeler")
    expect(item).to_have_count(1)
    item.locator("[data-testid=todo-open]").click()
    page.locator("[data-testid=start-report]").click()
    expect(page.locator("[data-testid=report-form]")).to_be_visible()

    # Pre-filled from last month's accepted report; the problems field starts empty.
    expect(page.locator("#id_production_unit")).to_have_value("unit")
    expect(page.locator("#id_workforce_male")).not_to_have_value("")
    expect(page.locator("#id_problems")).to_have_value("")

    # A mistake first: a negative sales value is refused with a message, nothing is sent.
    page.fill("#id_production_volume", "210")
    page.fill("#id_production_value", "Rp 540.000.000")
    page.fill("#id_sales_value", "-1")
    page.fill("#id_workforce_male", "98")
    page.fill("#id_workforce_female", "22")
    page.fill("#id_problems", "Pasokan kayu dari Konawe terlambat dua minggu.")
    submit = page.locator("[data-testid=submit-report]")
    box = submit.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360, "the submit button must fit a phone screen"
    submit.click()
    expect(page.locator("#field-sales_value .invalid-feedback")).to_contain_text("tidak boleh negatif")

    page.fill("#id_sales_value", "Rp 500.000.000")
    page.locator("[data-testid=submit-report]").click()
    expect(page.locator("[data-testid=submission-state]").first).to_have_text("Dikirim")
    detail_url = page.url
    assert re.search(r"/laporan-berkala/\d+/$", detail_url)
    expect(page.locator("[data-testid=submission-values]")).to_contain_text("Rp540.000.000")

    # The officer reviews it on a desktop screen.
    context = browser.new_context(base_url=demo_server, locale="id-ID")
    officer = context.new_page()
    officer.set_default_timeout(15000)
    login(officer, "kendari")
    officer.goto("/laporan-berkala/kelengkapan/")
    officer.locator("[data-testid=waiting-link]").click()
    officer.locator("[data-testid=submission-table] a", has_text="Sentra IKM Meubeler").first.click()
    expect(officer.locator("[data-testid=submission-state]").first).to_have_text("Dikirim")
    officer.locator("[data-testid=accept-report]").click()
    expect(officer.locator("[data-testid=locked]")).to_be_visible()
    expect(officer.locator("[data-testid=submission-state]").first).to_have_text("Diterima")
    context.close()

    # Back on the phone: the report is locked for the manager.
    page.goto(detail_url)
    expect(page.locator("[data-testid=submission-state]").first).to_have_text("Diterima")
    expect(page.get_by_role("link", name="Isi / ubah")).to_have_count(0)


def test_centre_map_and_profile_work_offline(page):
    login(page, "kendari")
    page.route(re.compile(r"https?://(?!127\.0\.0\.1).*"), lambda route: route.abort())  # no tile server
    page.goto("/sentra/", wait_until="domcontentloaded")
    expect(page.locator("#centre-map")).to_have_attribute("data-ready", "3")
    expect(page.locator("#centre-map .leaflet-interactive").first).to_be_visible()
    expect(page.locator("[data-testid=centre-table]")).to_contain_text("Sentra IKM Otomotif")
    page.get_by_role("link", name="Sentra IKM Meubeler Kota Kendari").click()
    expect(page.locator("[data-testid=occupancy-rate]")).to_contain_text("%")
    expect(page.locator("[data-testid=unit-grid] [data-state=free]").first).to_be_visible()
    expect(page.locator("[data-testid=trend-chart]")).to_be_visible()
    page.goto("/sentra/?q=Otomotif", wait_until="domcontentloaded")
    page.get_by_role("link", name="Sentra IKM Otomotif Wua-Wua").click()
    expect(page.locator("[data-code=non_manufacturing]")).to_contain_text("45201")
