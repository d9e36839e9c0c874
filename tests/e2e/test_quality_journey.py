"""Journeys: the owner's INDI 4.0 self-assessment on a phone, and an assessment with CAPA."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import login


def _own_business_page(page):
    page.goto("/mutu/")
    page.locator("a[href^='/mutu/usaha/']").first.click()
    expect(page.locator("h1")).to_be_visible()
    return page.url


def test_owner_completes_indi_on_phone_and_sees_radar(phone_page):
    page = phone_page
    login(page, "pemilik")
    _own_business_page(page)
    page.get_by_test_id("indi-start").click()
    expect(page.get_by_test_id("indi-progress")).to_contain_text("Pertanyaan 1 dari 17")
    # Trying to go on without an answer is refused with a clear message.
    page.get_by_test_id("indi-next").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("Pilih salah satu tingkat")
    for step in range(1, 18):
        expect(page.get_by_test_id("indi-progress")).to_contain_text(f"Pertanyaan {step} dari 17")
        level = (step % 4) + 1
        option = page.locator(f"label[for=score-{level}]")
        box = option.bounding_box()
        assert box is not None and box["height"] >= 44, "touch target too small"
        option.tap()
        page.get_by_test_id("indi-next").tap()
    page.get_by_test_id("indi-submit").tap()
    expect(page.get_by_test_id("indi-status")).to_contain_text("Dikirim")
    expect(page.get_by_test_id("indi-overall")).to_have_text(re.compile(r"\d[.,]\d\d"))
    chart = page.locator("[data-testid=radar-chart] svg")
    expect(chart).to_be_visible()
    expect(chart.locator("polygon[data-series]")).to_have_count(2)  # this one and the previous one
    expect(page.get_by_test_id("pillar-table")).to_contain_text("Manajemen dan Organisasi")


def test_officer_assesses_owner_fixes_officer_verifies(browser, demo_server):
    officer = browser.new_context(base_url=demo_server, locale="id-ID").new_page()
    owner = browser.new_context(base_url=demo_server, locale="id-ID").new_page()
    for p in (officer, owner):
        p.set_default_timeout(15000)

    # pemilik's business (the first furniture workshop): find its quality page as the owner.
    login(owner, "pemilik")
    business_url = _own_business_page(owner)

    login(officer, "kendari")
    officer.goto(business_url)
    officer.get_by_role("link", name="Mulai penilaian").click()
    officer.select_option("#id_checklist", label="Sistem manajemen mutu ISO 9001:2015 (v1)")
    officer.get_by_role("button", name="Mulai").click()
    expect(officer.get_by_test_id("assessment-fill")).to_be_visible()
    fieldsets = officer.locator("fieldset[data-item]")
    for i in range(fieldsets.count()):
        fieldsets.nth(i).locator("label.btn", has_text="1" if i == 0 else "3").click()
    officer.locator("fieldset[data-item] input[name^=note-]").first.fill("Belum ada analisis isu")
    officer.get_by_role("button", name="Simpan & selesaikan").click()
    expect(officer.get_by_test_id("assessment-status")).to_contain_text("Selesai")

    form = officer.get_by_test_id("finding-form")
    form.locator("select[name=severity]").select_option("major")
    form.locator("textarea[name=description]").fill("Isu internal dan eksternal belum dianalisis")
    form.get_by_role("button", name="Simpan temuan").click()
    action_form = officer.get_by_test_id("action-form")
    action_form.locator("textarea[name=description]").fill("Buat analisis SWOT sederhana dan tempel di bengkel")
    action_form.locator("select[name=responsible]").select_option(label="La Ode Pemilik Mebel (Pemilik usaha)")
    action_form.get_by_role("button", name="Simpan").click()
    expect(officer.get_by_test_id("finding").last).to_contain_text("Buat analisis SWOT")

    # The owner sees the action among theirs and marks it done.
    owner.goto("/mutu/tindakan/?saya=1")
    owner.get_by_role("link", name=re.compile("Buat analisis SWOT")).first.click()
    expect(owner.get_by_test_id("action-status")).to_contain_text("Terbuka")
    expect(owner.get_by_role("button", name="Terverifikasi")).to_have_count(0)
    owner.get_by_test_id("transition-form").locator("textarea[name=note]").fill("Sudah ditempel")
    owner.get_by_role("button", name="Selesai").click()
    expect(owner.get_by_test_id("action-status")).to_contain_text("Selesai")
    action_url = owner.url

    officer.goto(action_url)
    officer.get_by_role("button", name="Terverifikasi").click()
    expect(officer.get_by_test_id("action-status")).to_contain_text("Terverifikasi")
