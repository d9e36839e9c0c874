"""An officer enrols a class of 30 from a spreadsheet, and another class of 30 from lines pasted on the class page:
each time the preview says who is accepted and who waits, the result page counts them, and the class page shows
the quota full and the rest on the waiting list (the served demo's real worker runs the import)."""

from __future__ import annotations

import re

import xlsxwriter
from playwright.sync_api import expect

from tests.e2e.conftest import login

QUOTA = 25


def _new_class(page, name: str) -> str:
    """A class of quota 25 made on the class form; returns its page's path."""
    page.goto("/pelatihan/baru/")
    page.select_option("#id_programme", index=1)
    page.fill("#id_name", name)
    page.select_option("#id_region", "74.71")
    page.fill("#id_start_date", "2027-03-01")
    page.fill("#id_end_date", "2027-03-05")
    page.fill("#id_venue", "Aula Dinas Perindustrian Kota Kendari")
    page.fill("#id_quota", str(QUOTA))
    page.select_option("#id_status", "open")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator("h1")).to_contain_text(name)
    return re.search(r"/pelatihan/\d+/", page.url).group(0)


def _spreadsheet(path) -> bytes:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Peserta")
    sheet.write_string(0, 0, "DAFTAR CALON PESERTA BIMTEK 2027")
    sheet.write_row(2, 0, ["No", "Nama Lengkap", "NIK", "No. HP", "L/P"])
    for n in range(1, 31):
        sheet.write_number(2 + n, 0, n)
        sheet.write_string(2 + n, 1, f"Peserta Berkas {n:02d}")
        sheet.write_string(2 + n, 2, f"74710315079{n + 100:05d}")
        sheet.write_string(2 + n, 3, f"0821-4000-{n:04d}")
        sheet.write_string(2 + n, 4, "P" if n % 2 else "L")
    workbook.close()
    return path.read_bytes()


def _confirm_and_wait(page) -> None:
    page.click("form[data-testid=commit-form] button[type=submit]")
    expect(page.locator("[data-testid=job-state]")).to_have_attribute("data-state", "succeeded", timeout=90_000)


def _expect_full_class(page, class_path: str) -> None:
    page.goto(class_path)
    counts = page.locator("#peserta h2")
    expect(counts).to_contain_text(f"{QUOTA} diterima")
    expect(counts).to_contain_text("5 daftar tunggu")
    expect(page.locator("[data-testid=participant-table] tbody tr")).to_have_count(30)


def test_officer_enrols_a_class_from_a_spreadsheet_and_another_from_a_paste(page, tmp_path):
    login(page, "kendari")

    # 1. A spreadsheet: the class page links to the import with the class already chosen.
    first = _new_class(page, "Bimtek Kemasan Produk 2027 (berkas)")
    page.click("[data-testid=enrolment-import-link]")
    expect(page.locator("#id_batch option:checked")).to_have_text("Bimtek Kemasan Produk 2027 (berkas)")
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "calon-peserta.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": _spreadsheet(tmp_path / "p.xlsx"),
            }
        ],
    )
    page.click("form[data-testid=import-upload] button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Cocokkan kolom")
    page.click("form[data-testid=mapping-form] button[type=submit]")
    expect(page.locator("[data-testid=preview-summary]")).to_contain_text("30 baris pertama benar")
    rows = page.locator("[data-testid=preview-table] tbody tr")
    expect(rows.nth(0)).to_contain_text("diterima")
    expect(rows.nth(QUOTA)).to_contain_text("kuota penuh: masuk daftar tunggu")
    expect(rows.nth(0).locator("td").first).to_have_text("4")  # the sheet's row number
    _confirm_and_wait(page)
    expect(page.locator("[data-testid=job-result]")).to_contain_text("30 baru")
    expect(page.locator("[data-testid=job-note]")).to_contain_text("25 dari kuota 25 diterima, 5 di daftar tunggu")
    _expect_full_class(page, first)

    # The same file again changes nothing.
    page.goto("/pelatihan/impor-peserta/?batch=" + first.strip("/").split("/")[-1])
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "calon-peserta.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": _spreadsheet(tmp_path / "p.xlsx"),
            }
        ],
    )
    page.click("form[data-testid=import-upload] button[type=submit]")
    page.click("form[data-testid=mapping-form] button[type=submit]")
    expect(page.locator("[data-testid=preview-table]")).to_contain_text("sudah peserta kelas ini")
    _confirm_and_wait(page)
    expect(page.locator("[data-testid=job-result]")).to_contain_text("0 baru")
    expect(page.locator("[data-testid=job-result]")).to_contain_text("30 tidak berubah")
    _expect_full_class(page, first)

    # 2. Lines pasted from a chat into the class page's box: the same preview and result.
    second = _new_class(page, "Bimtek Kemasan Produk 2027 (tempel)")
    lines = "\n".join(f"{n}. Peserta Tempel {n:02d} - 0821 5000 {n:04d}" for n in range(1, 31))
    page.fill("#paste-list", lines)
    page.click("form[data-testid=paste-form] button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Pratinjau impor")
    expect(page.locator("[data-testid=preview-summary]")).to_contain_text("30 baris pertama benar")
    expect(page.locator("[data-testid=preview-table] tbody tr").first.locator("td").first).to_have_text("1")
    expect(page.locator("[data-testid=preview-table] tbody tr").nth(QUOTA)).to_contain_text("daftar tunggu")
    _confirm_and_wait(page)
    expect(page.locator("[data-testid=job-result]")).to_contain_text("30 baru")
    page.click("[data-testid=job-result] a")
    expect(page).to_have_url(re.compile(re.escape(second) + "$"))
    _expect_full_class(page, second)
