"""Journey: from the national dashboard down to one business, with the charts drawn under our CSP."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import login


def _watch_console(page) -> list[str]:
    """Console errors and uncaught exceptions (a CSP refusal shows up as a console error)."""
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(f"{msg.text} ({msg.location.get('url', '')})")
            if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def test_admin_drills_from_the_nation_to_a_business(page):
    problems = _watch_console(page)
    login(page, "admin")
    page.goto("/laporan/dasbor/")
    expect(page.locator("h1")).to_contain_text("Nasional")

    # A chart is drawn (plotly.js renders SVG) and its table view opens.
    expect(page.locator("#chart-size svg.main-svg").first).to_be_attached()
    expect(page.locator("#chart-size .bars path").first).to_be_attached()
    table = page.locator("[data-testid=chart-table-size]")
    expect(table.locator("table")).to_be_hidden()
    table.locator("summary").click()
    expect(table.locator("table caption")).to_contain_text("Indonesia")
    expect(table.locator("table")).to_be_visible()

    # PNG (client-side export) and XLSX (server) downloads of a chart.
    png = page.locator("[data-chart-png=chart-size]")
    expect(png).to_be_visible()
    with page.expect_download() as got:
        png.click()
    assert got.value.suggested_filename.endswith(".png")
    with page.expect_download() as got:
        page.locator("[data-testid=chart-xlsx-size]").click()
    assert got.value.suggested_filename.endswith(".xlsx")

    # Drill down: the province, then the city.
    page.locator("[data-testid=dashboard-children] a", has_text="Sulawesi Tenggara").first.click()
    expect(page.locator("h1")).to_contain_text("Sulawesi Tenggara")
    expect(page.locator("[data-testid=dashboard-breadcrumbs]")).to_contain_text("Indonesia")
    page.locator("[data-testid=dashboard-children] a", has_text="Kota Kendari").first.click()
    expect(page.locator("h1")).to_contain_text("Kota Kendari")
    expect(page.locator("#chart-division svg.main-svg").first).to_be_attached()

    # A figure: the registered businesses of Kendari → the filtered list → one business.
    total = page.locator("[data-testid=total-businesses]")
    shown = int(re.sub(r"\D", "", total.inner_text()))
    assert shown > 0
    total.click()
    expect(page).to_have_url(re.compile(r"/usaha/\?region=74\.71"))
    first = page.locator("[data-testid=business-table] tbody a").first
    name = first.inner_text().strip()
    first.click()
    expect(page.locator("h1")).to_contain_text(name)

    csp = [p for p in problems if "Content Security Policy" in p or "Refused" in p]
    assert not csp, csp
    assert not problems, problems


def test_charts_fit_a_phone(phone_page):
    page = phone_page
    problems = _watch_console(page)
    login(page, "kendari")
    page.goto("/laporan/dasbor/")
    expect(page.locator("h1")).to_contain_text("Kota Kendari")
    chart = page.locator("#chart-new svg.main-svg").first
    expect(chart).to_be_attached()
    box = chart.bounding_box()
    assert box is not None and box["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    assert not problems, problems
