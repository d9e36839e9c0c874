"""Journey: the trainer takes attendance on a phone, the officer enters post-test scores and issues
certificates, and an anonymous visitor verifies a certificate by its code."""

import datetime as dt
import re

from playwright.sync_api import expect

from sentra.demo.training import open_class_name
from tests.e2e.conftest import login

BATCH = open_class_name(dt.date.today())  # the demo's class open for applications, a few weeks ahead
PARTICIPANT = "Nur Aisyah Tamburaka"  # the accepted applicant of the demo's open class


def test_attendance_scores_certificate_and_public_verification(phone_page, page, browser, demo_server):
    # 1. The trainer, on a phone, opens the class and calls the roll for day 1.
    login(phone_page, "pelatih")
    phone_page.goto("/pelatihan/")
    phone_page.get_by_role("link", name=BATCH).click()
    batch_url = phone_page.url
    batch_id = re.search(r"/pelatihan/(\d+)/", batch_url).group(1)
    phone_page.locator("[data-testid=rollcall-day-1]").click()
    expect(phone_page.locator("h1")).to_contain_text("Presensi")
    button = phone_page.locator("[data-testid=rollcall] button").filter(has_text=PARTICIPANT)
    expect(button).to_have_attribute("aria-pressed", "false")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= 360  # a big target that fits the screen
    button.click()
    expect(phone_page.locator("[data-testid=rollcall] button").filter(has_text=PARTICIPANT)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(phone_page.locator("[data-testid=present-count]")).to_have_text("1")
    # The trainer may not enter scores.
    assert phone_page.goto(f"/pelatihan/{batch_id}/nilai/").status == 404

    # 2. The officer completes the attendance on the desktop grid, enters the scores and issues certificates.
    login(page, "kendari")
    page.goto(f"/pelatihan/{batch_id}/presensi/")
    grid = page.locator("[data-testid=attendance-grid]")
    expect(grid.locator("button[aria-pressed=true]")).to_have_count(1)
    open_cells = grid.locator("button[aria-pressed=false]")
    remaining = open_cells.count()
    assert remaining == 4  # five training days: 17 August is a national holiday
    for left in range(remaining, 0, -1):
        open_cells.first.click()
        expect(open_cells).to_have_count(left - 1)
    page.goto(f"/pelatihan/{batch_id}/nilai/")
    page.locator("input[name^=pre_]").first.fill("55")
    page.locator("[data-testid^=post-]").first.fill("82,5")
    page.locator("[data-testid=save-scores]").click()
    expect(page.locator(".alert-success")).to_contain_text("Nilai 1 peserta tersimpan")
    page.goto(f"/pelatihan/{batch_id}/")
    page.locator("[data-testid=assess]").click()
    expect(page.locator(".alert-success")).to_contain_text("1 lulus")
    page.locator("[data-testid=issue-certificates]").click()
    expect(page.locator(".alert-success")).to_contain_text("1 sertifikat diterbitkan")
    code = page.locator("[data-testid=certificate-link]").first.inner_text().strip()
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", code)

    # 3. A visitor without an account checks the certificate by its code.
    visitor = browser.new_context(base_url=demo_server, locale="id-ID")
    try:
        public = visitor.new_page()
        response = public.goto(f"/verifikasi/{code}/")
        assert response.status == 200
        expect(public.locator("[data-testid=verify-status]")).to_contain_text("SAH")
        expect(public.locator("[data-testid=verify-name]")).to_have_text(PARTICIPANT)
        expect(public.locator("[data-testid=verify]")).not_to_contain_text("7471035504980001")  # no NIK
        missing = public.goto("/verifikasi/0000-0000-0000/")
        assert missing.status == 404
        expect(public.locator("[data-testid=verify-status]")).to_contain_text("Tidak ada sertifikat")
    finally:
        visitor.close()
