"""Journey: log in, submit a business with a wrong NIK, correct it, find it in the list."""

from playwright.sync_api import expect

from tests.e2e.conftest import login


def test_officer_registers_business_after_fixing_nik(page):
    login(page, "kendari")
    page.goto("/usaha/baru/")
    page.fill("#id_name", "Mebel Uji Peramban")
    page.select_option("#id_region", "74.71")
    page.locator("#id_district option[value='74.71.03']").wait_for(state="attached")
    page.select_option("#id_district", "74.71.03")
    page.locator("#id_village option[value='74.71.03.1002']").wait_for(state="attached")
    page.select_option("#id_village", "74.71.03.1002")
    page.fill("#id_kbli_code", "31001")
    page.fill("#id_owner_full_name", "Wa Ode Peramban")
    page.fill("#id_owner_nik", "7471031307850000")  # serial 0000: invalid
    page.fill("#id_workforce_male", "4")
    page.fill("#id_investment_value", "Rp 150.000.000")
    page.click("form[data-testid=business-form] button[type=submit]:not([name])")

    error = page.locator("#field-owner_nik .invalid-feedback")
    expect(error).to_contain_text("4 digit terakhir")
    expect(page.locator("[data-testid=form-errors]")).to_be_visible()

    page.goto("/usaha/?q=Mebel+Uji+Peramban")
    expect(page.locator("[data-testid=business-table]")).to_contain_text("Tidak ada usaha")

    page.go_back()
    page.goto("/usaha/baru/")
    page.fill("#id_name", "Mebel Uji Peramban")
    page.select_option("#id_region", "74.71")
    page.locator("#id_district option[value='74.71.03']").wait_for(state="attached")
    page.select_option("#id_district", "74.71.03")
    page.locator("#id_village option[value='74.71.03.1002']").wait_for(state="attached")
    page.select_option("#id_village", "74.71.03.1002")
    page.fill("#id_kbli_code", "31001")
    page.fill("#id_owner_full_name", "Wa Ode Peramban")
    page.fill("#id_owner_nik", "7471035307850001")
    page.select_option("#id_owner_gender", "P")
    page.fill("#id_workforce_male", "4")
    page.fill("#id_investment_value", "Rp 150.000.000")
    page.click("form[data-testid=business-form] button[type=submit]:not([name])")
    expect(page.locator("h1")).to_contain_text("Mebel Uji Peramban")
    expect(page.locator("[data-testid=size-rule]")).to_contain_text("Industri Kecil")

    page.goto("/usaha/")
    page.fill("#id_q", "Uji Peramban")
    page.press("#id_q", "Enter")
    expect(page.locator("[data-testid=business-table]")).to_contain_text("Mebel Uji Peramban")
