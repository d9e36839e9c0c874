"""The user guide's pictures (docs/panduan/img/), drawn by journeys through the demo, one per role.

Each journey logs in as a demo user, walks the pages its chapter of docs/panduan/ describes, checks that each
step shows what the text says, and saves a picture of it: desktop pictures at 1280 px, phone pictures (named
``*-ponsel``) at 390 px. The pictures are committed (the README shows two of them) and redrawn by every run, so a
changed page changes its picture and a broken step fails here. `mkdocs build --strict` (`make docs`, CI) then
fails on a picture the text names but nobody drew; ``test_guide_names_only_pictures_the_journeys_draw`` checks
the same without a browser, and that no stale picture is left in img/.

The journeys only read: the other browser journeys share the demo server and change it as they go.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import login

ROOT = Path(__file__).resolve().parents[2]
IMG = ROOT / "docs" / "panduan" / "img"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

CLASS_2022 = "Pelatihan Manajemen Mutu dan Pengelolaan Sentra IKM 2022"
CENTRE = "Sentra IKM Meubeler Kota Kendari"

#: Every picture the guide may show, by the journey that draws it.
PICTURES: dict[str, list[str]] = {
    "regency": [
        "kabkota-usaha",
        "kabkota-usaha-detail",
        "kabkota-pelatihan",
        "kabkota-presensi",
        "kabkota-nilai",
        "kabkota-tindak-lanjut",
        "kabkota-dak",
        "kabkota-rencana-dak",
        "kabkota-hasil-program",
        "kabkota-dasbor",
        "tutorial-sertifikat-ponsel",
    ],
    "province": ["provinsi-dasbor", "provinsi-kelengkapan", "provinsi-laporan-berkala"],
    "ministry": ["kementerian-dasbor", "kementerian-anggaran", "kementerian-pengguna"],
    "centre": ["sentra-beranda", "sentra-hunian", "sentra-laporan-ponsel"],
    "trainer": ["pelatih-beranda-ponsel", "pelatih-kelas-ponsel", "pelatih-presensi-ponsel"],
    "owner": ["pemilik-beranda-ponsel", "pemilik-usaha-ponsel", "pemilik-pelatihan-ponsel"],
}


class Camera:
    """Saves compressed screenshots into docs/panduan/img/ and remembers what it drew."""

    def __init__(self) -> None:
        self.drawn: list[str] = []

    def __call__(self, page: Page, name: str, *, height: int | None = None) -> None:
        """The visible screen, or the top ``height`` pixels of the whole page."""
        from PIL import Image

        page.wait_for_load_state("load")
        if height:
            width = page.viewport_size["width"]
            height = min(height, page.evaluate("document.documentElement.scrollHeight"))
            png = page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
        else:
            png = page.screenshot()
        image = Image.open(io.BytesIO(png)).convert("RGB")
        # 256 colours without dithering: screenshots of flat UI stay sharp at a third of the size.
        image = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        IMG.mkdir(parents=True, exist_ok=True)
        image.save(IMG / f"{name}.png", optimize=True)
        self.drawn.append(name)


@pytest.fixture
def desktop(browser, demo_server):
    context = browser.new_context(base_url=demo_server, locale="id-ID", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone(browser, demo_server):
    context = browser.new_context(
        base_url=demo_server, locale="id-ID", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _open(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"


def _first_number(text: str) -> int:
    return int(re.sub(r"\D", "", text) or 0)


def test_regency_officer_guide(desktop, phone):
    """Petugas kabupaten/kota (kendari): the registry, the 2022 class from plan to follow-up, DAK, dashboards."""
    page, shot = desktop, Camera()
    login(page, "kendari")  # the officer's home is the dashboard (drawn last)
    expect(page.locator("h1")).to_contain_text("Kota Kendari")
    # the help link opens the section about the page it is on (here the dashboard)
    expect(page.locator("[data-testid=help-link]")).to_have_attribute("href", "/bantuan/saya/?dari=core")

    # The registry: the businesses of Kota Kendari, then one of them.
    _open(page, "/usaha/?q=Meubel")
    expect(page.locator("[data-testid=business-table] tbody tr")).not_to_have_count(0)
    shot(page, "kabkota-usaha")
    page.locator("[data-testid=business-table] tbody a", has_text="Meubel Rahman Jaya").first.click()
    expect(page.locator("h1")).to_contain_text("Meubel Rahman Jaya")
    shot(page, "kabkota-usaha-detail")

    # The July 2022 class: the batch, its attendance grid, its scores, one alumnus's follow-up. The figures the
    # tutorial tells are checked here, so a demo that tells another story fails until the text follows.
    _open(page, "/pelatihan/")
    page.get_by_role("link", name=CLASS_2022).click()
    expect(page.locator("h1")).to_contain_text(CLASS_2022)
    main = page.locator("main")
    for told in (
        "19 Juli 2022 – 25 Juli 2022",
        "6 hari pelatihan",
        "Libur: 24 Jul (Minggu)",
        "30 diterima",
        "48 JP",
        "Halu Oleo",
    ):
        expect(main).to_contain_text(told)
    batch_path = urlsplit(page.url).path
    shot(page, "kabkota-pelatihan")
    _open(page, f"{batch_path}presensi/")
    expect(page.locator("[data-testid=attendance-grid]")).to_be_visible()
    shot(page, "kabkota-presensi")
    _open(page, f"{batch_path}nilai/")
    expect(page.locator("main")).to_contain_text("Batas lulus post-test: 60")
    shot(page, "kabkota-nilai")
    _open(page, batch_path)
    code = page.locator("[data-testid=certificate-link]").first.inner_text().strip()
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", code)
    # The follow-up form sits in each participant's "Tindakan" menu.
    _open(page, page.locator("a[href*='/tindak-lanjut/']").first.get_attribute("href"))
    expect(page.locator("main")).to_contain_text("Tindak lanjut alumni")
    shot(page, "kabkota-tindak-lanjut")

    # The DAK Nonfisik 2022 money that paid for the class: the allocation and its approved plan.
    _open(page, "/anggaran/?tahun=2022")
    fund = page.locator("section, .card").filter(has_text="DAK Nonfisik Dana Penguatan Kapasitas Kelembagaan")
    fund.get_by_role("link", name="Kota Kendari").first.click()
    expect(page.locator("h1")).to_contain_text("DAK Nonfisik")
    for told in ("Rp850.000.000", "sekaligus", "4 Jul 2022", "Diterima di RKUD 14 Jul 2022", "tepat waktu"):
        expect(page.locator("main")).to_contain_text(told)
    shot(page, "kabkota-dak")
    page.locator("a[href^='/anggaran/rencana/']").first.click()
    expect(page.locator("main")).to_contain_text("Disetujui kementerian")
    line = page.locator("tr", has_text="Pelatihan manajemen mutu dan pengelolaan sentra IKM, 19–25 Juli 2022")
    expect(line).to_contain_text("B.1")
    expect(line).to_contain_text("Rp9.500.000")
    expect(line).to_contain_text("Rp285.000.000")
    shot(page, "kabkota-rencana-dak")

    # What the head of office reads: the programme's outcome for 2022 and the dashboard.
    _open(page, "/laporan/hasil-program/?tahun=2022")
    expect(page.locator("main")).to_contain_text("Corong wirausaha")
    funnel = page.locator("table").first
    expect(funnel.locator("tr", has_text="Mendaftar pelatihan")).to_contain_text("30")
    expect(funnel.locator("tr", has_text="Lulus pelatihan")).to_be_visible()
    shot(page, "kabkota-hasil-program")
    _open(page, "/laporan/dasbor/")
    expect(page.locator("h1")).to_contain_text("Kota Kendari")
    expect(page.locator("#chart-size svg.main-svg").first).to_be_attached()
    assert _first_number(page.locator("[data-testid=total-businesses]").inner_text()) > 0
    shot(page, "kabkota-dasbor", height=1700)

    # Anyone can check a certificate by its code, on a phone, without an account.
    _open(phone, f"/verifikasi/{code}/")
    expect(phone.locator("[data-testid=verify-status]")).to_contain_text("SAH")
    shot(phone, "tutorial-sertifikat-ponsel")

    assert shot.drawn == PICTURES["regency"]


def test_province_officer_guide(desktop):
    """Petugas provinsi (sultra): the province's dashboard and the periodic reports of its regencies."""
    page, shot = desktop, Camera()
    login(page, "sultra")
    _open(page, "/laporan/dasbor/")
    expect(page.locator("h1")).to_contain_text("Sulawesi Tenggara")
    expect(page.locator("[data-testid=dashboard-children]")).to_contain_text("Kota Kendari")
    shot(page, "provinsi-dasbor")
    _open(page, "/laporan-berkala/kelengkapan/")
    expect(page.locator("main")).to_contain_text("Kelengkapan dan ketepatan waktu")
    shot(page, "provinsi-kelengkapan")
    _open(page, "/laporan-berkala/semua/")
    expect(page.locator("main")).to_contain_text(CENTRE)
    shot(page, "provinsi-laporan-berkala")
    assert shot.drawn == PICTURES["province"]


def test_ministry_guide(desktop):
    """Kementerian (admin): the national dashboard, DAK absorption across regions, the users."""
    page, shot = desktop, Camera()
    login(page, "admin")
    _open(page, "/laporan/dasbor/")
    expect(page.locator("h1")).to_contain_text("Nasional")
    shot(page, "kementerian-dasbor")
    _open(page, "/anggaran/alokasi/?year=2022&sort=-absorption")
    expect(page.locator("main")).to_contain_text("Alokasi dan penyerapan per daerah")
    shot(page, "kementerian-anggaran")
    _open(page, "/akun/pengguna/")
    for username in ("admin", "sultra", "kendari", "mebel", "pelatih", "pemilik"):
        expect(page.locator("main")).to_contain_text(username)
    shot(page, "kementerian-pengguna")
    assert shot.drawn == PICTURES["ministry"]


def test_centre_manager_guide(desktop, phone):
    """Pengelola sentra (mebel): the centre's home, its occupancy, the monthly report to send."""
    page, shot = desktop, Camera()
    login(page, "mebel")
    expect(page.locator("main")).to_contain_text("Workshop terisi")
    shot(page, "sentra-beranda")
    _open(page, "/sentra/")
    page.get_by_role("link", name=CENTRE).click()
    expect(page.locator("[data-testid=occupancy-rate]")).to_contain_text("%")
    expect(page.locator("main")).to_contain_text("dari 41 workshop terisi")
    expect(page.locator("[data-testid=unit-grid]")).to_be_visible()
    shot(page, "sentra-hunian")
    centre_url = page.url
    # The centre's monthly reports on a phone (the to-do list may be empty: the centres journey sends one).
    login(phone, "mebel")
    _open(phone, f"{centre_url}laporan/")
    expect(phone.locator("main")).to_contain_text("Laporan bulanan sentra")
    expect(phone.locator("main")).to_contain_text("Diterima")
    shot(phone, "sentra-laporan-ponsel")
    assert shot.drawn == PICTURES["centre"]


def test_trainer_guide(phone):
    """Pelatih (pelatih), on a phone: the home page, the classes, the roll call of the 2022 class's first day."""
    page, shot = phone, Camera()
    login(page, "pelatih")
    expect(page.locator("h1")).to_contain_text("Selamat datang")
    shot(page, "pelatih-beranda-ponsel", height=1100)
    _open(page, "/pelatihan/")
    expect(page.get_by_role("link", name=CLASS_2022)).to_be_visible()
    shot(page, "pelatih-kelas-ponsel")
    page.get_by_role("link", name=CLASS_2022).click()
    page.locator("[data-testid=rollcall-day-1]").click()
    expect(page.locator("h1")).to_contain_text("Presensi")
    expect(page.locator("main")).to_contain_text(re.compile(r"Selasa, 19 Juli 2022 · \d+/30 hadir"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(page, "pelatih-presensi-ponsel")
    assert shot.drawn == PICTURES["trainer"]


def test_business_owner_guide(phone):
    """Pemilik usaha (pemilik), on a phone: the home page, the own business, the own trainings."""
    page, shot = phone, Camera()
    login(page, "pemilik")
    expect(page.locator("h1")).to_contain_text("Selamat datang")
    expect(page.locator("main")).to_contain_text("Usaha saya")
    shot(page, "pemilik-beranda-ponsel", height=1500)
    _open(page, "/usaha/")
    page.locator("[data-testid=business-table] tbody a").first.click()
    expect(page.locator("h1")).to_contain_text("Mebel Tamburaka")
    shot(page, "pemilik-usaha-ponsel")
    _open(page, "/pelatihan/saya/")
    expect(page.locator("main")).to_contain_text(CLASS_2022)
    expect(page.get_by_role("link", name="Unduh sertifikat")).to_be_visible()
    shot(page, "pemilik-pelatihan-ponsel")
    assert shot.drawn == PICTURES["owner"]


def _pictures_named_in_docs() -> set[str]:
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "docs" / "panduan").glob("*.md")]
    texts.append((ROOT / "README.md").read_text(encoding="utf-8"))
    return {name for text in texts for name in re.findall(r"img/([a-z0-9-]+)\.png", text)}


def test_guide_names_only_pictures_the_journeys_draw():
    drawn = {name for names in PICTURES.values() for name in names}
    named = _pictures_named_in_docs()
    assert named - drawn == set(), "the guide names pictures no journey draws"
    assert drawn - named == set(), "journeys draw pictures the guide does not show"
    files = {p.stem for p in IMG.glob("*.png")}
    assert files - drawn == set(), "stale pictures in docs/panduan/img/"
    total = sum(p.stat().st_size for p in IMG.glob("*.png"))
    assert total <= 3 * 1024 * 1024, f"guide pictures weigh {total / 1e6:.1f} MB; keep them under 3 MB"
