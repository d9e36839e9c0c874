"""Every demo role in a real browser: the menu bar fits a 1280 px screen, and no page a role reaches from its menu
is wider than a 390 px phone. (The link-by-link walk for 403/404/500 is tests/core/test_role_crawl.py.)"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login

DEMO_USERS = ("admin", "sultra", "kendari", "mebel", "pelatih", "pemilik")
#: pages per role at phone width: the home page and the first menu entries
PAGES_PER_ROLE = 6
PHONE = 390
DESKTOP = 1280


def _menu_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "#mainnav a.nav-link[href^='/'], #mainnav a.dropdown-item[href^='/']",
        "els => els.map(e => e.getAttribute('href'))",
    )
    return list(dict.fromkeys(h.split("#", 1)[0] for h in hrefs if not h.startswith("/bantuan/")))


@pytest.mark.parametrize("username", DEMO_USERS)
def test_menu_fits_the_desktop_and_pages_fit_the_phone(browser, demo_server, username):
    context = browser.new_context(base_url=demo_server, locale="id-ID", viewport={"width": DESKTOP, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        login(page, username)
        page.goto("/")
        bar = page.locator("nav.navbar .container-fluid")
        assert bar.evaluate("e => e.scrollWidth <= e.clientWidth"), f"{username}: the menu bar overflows at {DESKTOP}"
        user_menu = page.locator("[data-testid=user-menu]").bounding_box()
        assert user_menu is not None and user_menu["x"] + user_menu["width"] <= DESKTOP, username
        # the logout sits in the user menu and is reachable
        page.click("[data-testid=user-menu]")
        assert page.locator("[data-testid=logout]").is_visible()
        links = _menu_links(page)

        page.set_viewport_size({"width": PHONE, "height": 800})
        too_wide = []
        for path in ["/", *links][:PAGES_PER_ROLE]:
            response = page.goto(path)
            assert response is not None and response.status < 400, f"{username}: {path} answered {response.status}"
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE:
                too_wide.append(f"{path} ({width} px)")
        assert not too_wide, f"{username}: wider than the phone: {too_wide}"
        # the phone menu opens and shows the user menu
        page.goto("/")
        page.click(".navbar-toggler")
        assert page.locator("[data-testid=user-menu]").is_visible()
    finally:
        context.close()
