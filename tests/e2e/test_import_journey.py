"""Journey: kendari uploads a spreadsheet, maps the columns, sees the errors in the preview, saves the
valid rows as a background job (run by the served demo's real `sentra worker`), watches the progress and
downloads the rejected rows."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import expect

from tests.e2e.conftest import login


def _file() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["DAFTAR IKM BINAAN 2024", "", "", "", ""])
    writer.writerow(["Nama Perusahaan", "Alamat Usaha", "Kode Produk", "Omzet (Rp)", "Catatan"])
    for i in range(12):
        turnover = "banyak" if i == 4 else f"{(i + 1) * 10}.000.000"
        writer.writerow(
            [f"CV Peramban Impor {i}", f"Jl. Uji {i}, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari", "31001", turnover, ""]
        )
    return buffer.getvalue().encode("utf-8")


def test_officer_imports_a_spreadsheet_and_downloads_the_rejected_rows(page):
    login(page, "kendari")
    page.goto("/usaha/")
    page.click("[data-testid=import-link]")
    page.set_input_files(
        "input[type=file]", files=[{"name": "ikm-binaan.csv", "mimeType": "text/csv", "buffer": _file()}]
    )
    page.click("form[data-testid=import-upload] button[type=submit]")

    # Mapping: "Kode Produk" is not a known header; the officer maps it to KBLI by hand.
    expect(page.locator("h1")).to_contain_text("Cocokkan kolom")
    expect(page.locator("[data-testid=map-0]")).to_have_value("name")
    expect(page.locator("[data-testid=map-3]")).to_have_value("turnover")
    page.select_option("[data-testid=map-2]", "kbli")
    page.click("form[data-testid=mapping-form] button[type=submit]")

    # Preview: the bad turnover is shown on its row, in plain Indonesian.
    expect(page.locator("[data-testid=preview-summary]")).to_contain_text("1 dari 12 baris pertama bermasalah")
    expect(page.locator("[data-testid=cell-error]")).to_contain_text("bukan angka")
    page.check("#mode-partial")
    page.click("form[data-testid=commit-form] button[type=submit]")

    # The job page polls until the worker has finished.
    expect(page.locator("[data-testid=job-progress]")).to_be_visible()
    expect(page.locator("[data-testid=job-state]")).to_have_attribute("data-state", "succeeded", timeout=60_000)
    expect(page.locator("[data-testid=job-result]")).to_contain_text("11 baru")
    with page.expect_download() as download_info:
        page.click("[data-testid=download-errors]")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")

    page.goto("/usaha/?q=Peramban+Impor")
    expect(page.locator("[data-testid=business-table]")).to_contain_text("Peramban Impor 0")
    page.goto("/tugas/")
    expect(page.locator("[data-testid=job-table]")).to_contain_text("ikm-binaan.csv")
