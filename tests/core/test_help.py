"""The user guide at /bantuan/: each page's help link leads to the role's chapter of the built site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from sentra.accounts.roles import Role
from sentra.core.help import GUIDE_CSP, ROLE_PAGES

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_role_has_a_chapter_that_exists():
    assert set(ROLE_PAGES) == {role.value for role in Role}
    for page in ROLE_PAGES.values():
        assert (DOCS / f"{page.rstrip('/')}.md").is_file(), page


@pytest.fixture
def built_site(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    site = tmp_path / "site"
    for page in [*ROLE_PAGES.values(), ""]:
        (site / page).mkdir(parents=True, exist_ok=True)
        (site / page / "index.html").write_text(f"<h1>halaman {page or 'depan'}</h1>", encoding="utf-8")
    (tmp_path / "secret_key").write_text("rahasia", encoding="utf-8")
    return site


@pytest.mark.parametrize(
    "persona",
    ["national_admin", "province_officer", "officer_region_a", "centre_manager", "trainer", "owner_user"],
)
def test_help_link_on_every_page_sends_the_user_to_their_role_chapter(request, client, built_site, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    page = client.get(reverse("core:dashboard"))
    assert reverse("help_for_role").encode() in page.content
    response = client.get(reverse("help_for_role"))
    assert response.status_code == 302
    assert response.url == f"/bantuan/{ROLE_PAGES[user.role]}"
    chapter = client.get(response.url)
    assert chapter.status_code == 200
    assert f"halaman {ROLE_PAGES[user.role]}" in b"".join(chapter.streaming_content).decode()


def test_help_link_needs_a_login(client, built_site):
    response = client.get(reverse("help_for_role"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_guide_is_served_without_login_with_its_own_policy(client, built_site):
    response = client.get("/bantuan/")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == GUIDE_CSP
    assert b"halaman depan" in b"".join(response.streaming_content)
    # A chapter without its trailing slash is redirected to it (MkDocs links with directory URLs).
    response = client.get("/bantuan/panduan/pelatih")
    assert response.status_code == 302
    assert response.url == "/bantuan/panduan/pelatih/"


@pytest.mark.parametrize("path", ["/bantuan/../secret_key", "/bantuan/%2e%2e/secret_key", "/bantuan/tidak-ada.html"])
def test_guide_serves_nothing_outside_the_site(client, built_site, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"rahasia" not in (b"".join(response.streaming_content) if response.streaming else response.content)


def test_guide_not_built_says_how_to_build_it(db, client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    response = client.get("/bantuan/")
    assert response.status_code == 404
    assert b"make docs" in response.content


def test_every_section_a_help_link_can_open_exists_in_its_chapter():
    import re

    from sentra.core.help import ROLE_SECTIONS

    for role, sections in ROLE_SECTIONS.items():
        text = (DOCS / f"{ROLE_PAGES[role].rstrip('/')}.md").read_text(encoding="utf-8")
        ids = set(re.findall(r"^##+ .*\{#([a-z0-9-]+)\}\s*$", text, re.M))
        assert sections <= ids, (role, sections - ids)


@pytest.mark.parametrize(
    ("persona", "page", "anchor"),
    [
        ("officer_region_a", "registry:business_list", "#registri"),
        ("officer_region_a", "training:batch_list", "#pelatihan"),
        ("officer_region_a", "core:dashboard", "#dasbor"),
        ("owner_user", "core:dashboard", "#beranda"),
        ("province_officer", "registry:business_list", ""),  # the province chapter has no registry section
    ],
)
def test_the_help_link_opens_the_section_about_the_page(request, client, built_site, persona, page, anchor):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    html = client.get(reverse(page)).content.decode()
    link = re.search(r'href="([^"]*)" data-testid="help-link"', html).group(1).replace("&amp;", "&")
    response = client.get(link)
    assert response.status_code == 302
    assert response.url == f"/bantuan/{ROLE_PAGES[user.role]}{anchor}"
