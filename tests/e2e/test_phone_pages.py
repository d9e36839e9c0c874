"""The pages an official shows from a phone, one role after another, at 390 px.

Each page is checked for what makes it unfit to show: a page wider than the screen (sideways scrolling), developer
text on the screen (notes, demo remarks, issue numbers, English field names, raw decimals), and amounts that
break over two lines. The pictures go to the test's temporary directory (``phone-pages/``), for a person to look
at after a run; they are not kept in the repository (the user guide's pictures are drawn by
``test_guide_screenshots``).

The journey only reads, except that the owner starts an INDI 4.0 self-assessment to show its question screen.
"""

from __future__ import annotations

import io
import re
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import login

WIDTH = 390
PHONE = {"width": WIDTH, "height": 844}

#: Text no official should see on a page: notes for developers, raw field names, unformatted numbers.
DEVELOPER_TEXT = [
    re.compile(r"DOMAIN\.md", re.I),
    re.compile(r"\bDEMO:"),
    re.compile(r"\bissue #\d*", re.I),
    re.compile(r"(?<![/\w.-])[a-z]+(?:_[a-z]+)+\b"),  # a field name such as for_target_centre (not a path)
    re.compile(r"\b\d{5,}\.\d{2}\b"),  # a raw decimal such as 1150000000.00
    re.compile(r"\bNone\b"),
]

#: An amount wider than its box: an ``Rp`` amount whose rendered box is taller than one line.
WRAPPED_AMOUNTS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  const rx = /Rp\\s?[\\d.]+(,\\d+)?(\\s?(M|T|rb|jt|miliar|juta|triliun))?/g;
  let node;
  while ((node = walker.nextNode())) {
    const text = node.textContent;
    let m;
    while ((m = rx.exec(text))) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = [...range.getClientRects()].filter(r => r.width > 0);
      if (rects.length > 1 && new Set(rects.map(r => Math.round(r.top))).size > 1) out.push(m[0]);
    }
  }
  return out;
}"""


@pytest.fixture
def phone(browser, demo_server):
    context = browser.new_context(
        base_url=demo_server, locale="id-ID", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def pictures(tmp_path_factory):
    return tmp_path_factory.mktemp("phone-pages")


class Check:
    """Opens a page, checks it, and saves its picture (the whole page, cut at 4 screens)."""

    def __init__(self, page: Page, directory) -> None:
        self.page, self.directory, self.problems = page, directory, []

    def __call__(self, name: str, path: str | None = None) -> None:
        page = self.page
        if path is not None:
            response = page.goto(path)
            assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            wide = page.evaluate(
                """(w) => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > w
                    && !e.closest('.table-responsive, .overflow-auto, pre')).slice(0, 3)
                    .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))""",
                WIDTH,
            )
            self.problems.append(f"{name}: page is {width}px wide ({wide})")
        text = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
        for pattern in DEVELOPER_TEXT:
            for found in {m.group(0) for m in pattern.finditer(text)}:
                self.problems.append(f"{name}: developer text {found!r}")
        for amount in page.evaluate(WRAPPED_AMOUNTS):
            self.problems.append(f"{name}: amount wraps: {amount!r}")
        self.save(name)

    def save(self, name: str) -> None:
        from PIL import Image

        height = min(page_height := self.page.evaluate("document.documentElement.scrollHeight"), 4 * PHONE["height"])
        png = self.page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": WIDTH, "height": height})
        Image.open(io.BytesIO(png)).convert("RGB").save(self.directory / f"{name}.png")
        assert page_height > 0


def _href(page: Page, selector: str) -> str:
    link = page.locator(selector).first
    expect(link).to_be_attached()
    return link.get_attribute("href")


def test_officer_pages_fit_a_phone(phone, pictures):
    """Petugas Kota Kendari: dashboard, DAK plan and line, both centres, a let workshop, a business, a class with
    its pass rule and report, the statistics."""
    page, check = phone, Check(phone, pictures)
    login(page, "kendari")
    check("kendari-dasbor", "/laporan/dasbor/")
    page.goto("/anggaran/alokasi/?tahun=2022")
    page.goto(_href(page, "main a[href^='/anggaran/alokasi/']:not([href*='?'])"))
    check("kendari-dak-alokasi")
    page.goto(_href(page, "main a[href^='/anggaran/rencana/']"))
    check("kendari-dak-rencana")
    page.goto(_href(page, "main a[href^='/anggaran/baris/']"))
    check("kendari-dak-baris")
    page.goto("/sentra/")
    page.get_by_role("link", name="Sentra IKM Pengolahan Pangan Kota Kendari").first.click()
    check("kendari-sentra-pangan")
    page.goto("/sentra/")
    page.get_by_role("link", name="Sentra IKM Meubeler Kota Kendari").first.click()
    check("kendari-sentra-mebel")
    page.get_by_role("link", name=re.compile(r"^W-01")).first.click()  # a let workshop: its tenancy and history
    expect(page).to_have_url(re.compile(r"/sentra/\d+/unit/\d+/$"))
    check("kendari-sentra-unit")
    page.goto("/usaha/?q=Mebel+Tamburaka")
    page.goto(_href(page, "[data-testid=business-table] a[href^='/usaha/']"))
    expect(page.locator("main")).to_contain_text("Riwayat")
    check("kendari-usaha")
    page.goto("/pelatihan/?q=Manajemen+Mutu")
    page.get_by_role("link", name=re.compile("Pelatihan Manajemen Mutu dan Pengelolaan Sentra IKM")).first.click()
    expect(page.locator("main")).to_contain_text("Syarat lulus")
    check("kendari-kelas")
    report = urljoin(page.url, "laporan.pdf")
    _pdf_text_fits(page, report)
    check("kendari-statistik", "/statistik/")
    assert not check.problems, "\n".join(check.problems)


def _pdf_text_fits(page: Page, url: str) -> None:
    """The training report PDF: every line of text starts and ends inside the page (a line that runs past the
    edge is cut off on paper)."""
    from pypdf import PdfReader

    response = page.request.get(url)
    assert response.status == 200 and response.headers["content-type"].startswith("application/pdf")
    reader = PdfReader(io.BytesIO(response.body()))
    outside = []
    for number, pdf_page in enumerate(reader.pages, start=1):
        width = float(pdf_page.mediabox.width)
        height = float(pdf_page.mediabox.height)

        def visit(text, cm, tm, font, size, number=number, width=width, height=height):  # type: ignore[no-untyped-def]
            if not text.strip():
                return
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            scale = abs(tm[0] * cm[0]) or 1
            end = x + 0.45 * len(text.rstrip()) * (size or 10) * scale  # a generous average glyph width
            if x < 0 or y < 0 or y > height or end > width + 2:
                outside.append(f"page {number}: {text.strip()[:40]!r} at x={x:.0f}..{end:.0f} of {width:.0f}")

        pdf_page.extract_text(visitor_text=visit)
    assert not outside, "\n".join(outside[:10])


def test_other_roles_pages_fit_a_phone(phone, pictures):
    """The province and the ministry (dashboard, statistics), the centre manager, the trainer and the owner."""
    page, check = phone, Check(phone, pictures)
    for user in ("sultra", "admin"):
        login(page, user)
        check(f"{user}-dasbor", "/laporan/dasbor/")
        check(f"{user}-dak", "/anggaran/")
        page.context.clear_cookies()

    login(page, "mebel")
    check("mebel-beranda", "/")
    page.goto("/sentra/")
    page.get_by_role("link", name="Sentra IKM Meubeler Kota Kendari").first.click()
    check("mebel-sentra")
    page.context.clear_cookies()

    login(page, "pelatih")
    check("pelatih-beranda", "/")
    classes = page.locator("main .list-group a[href^='/pelatihan/']")
    assert classes.count() >= 3, "the trainer's home lists their classes, not only one"
    classes.first.click()
    check("pelatih-kelas")
    check("pelatih-daftar-kelas", "/pelatihan/")
    expect(page.locator("#id_region")).to_have_count(0)  # no region filter a trainer cannot use
    page.context.clear_cookies()

    login(page, "pemilik")
    check("pemilik-beranda", "/")
    check("pemilik-daftar-usaha", "/usaha/")
    expect(page.locator("#id_region, #id_province, #id_district")).to_have_count(0)
    page.goto(_href(page, "[data-testid=business-table] a[href^='/usaha/']"))
    expect(page.locator("main")).to_contain_text("Riwayat")
    check("pemilik-usaha")
    business = re.search(r"/usaha/(\d+)/", page.url).group(1)
    page.goto(f"/mutu/usaha/{business}/")
    result = page.locator("main a[href^='/mutu/indi/']:not([href*='/isi/'])")
    if result.count():
        page.goto(result.first.get_attribute("href"))
        # The advice for the weakest pillars offers a class open for applications.
        expect(page.locator("[data-testid^=advice-class-]").first).to_be_visible()
        check("pemilik-indi-hasil")
    page.goto(f"/mutu/usaha/{business}/")
    start = page.locator(f"form[action='/mutu/usaha/{business}/indi/mulai/'] button")
    if start.count():
        start.first.click()
    else:
        page.goto(_href(page, "main a[href*='/isi/']"))
    expect(page).to_have_url(re.compile(r"/mutu/indi/\d+/isi/\d+/"))
    check("pemilik-indi-pertanyaan")
    assert not check.problems, "\n".join(check.problems)
