import pytest

from sentra.core.navigation import _MENU, MenuItem, may_start_jobs, menu_for, register_menu, user_menu_for

pytestmark = pytest.mark.django_db


def _labels(menu):
    return [(m["label"], [c.get("label") or f"#{c['header']}" for c in m.get("children", [])]) for m in menu]


def _flat(menu):
    return [c["url"] for m in menu for c in m.get("children", [m]) if "url" in c]


def test_officer_bar_has_the_dashboard_then_one_dropdown_per_area(officer_region_a):
    menu = menu_for(officer_region_a)
    labels = dict(_labels(menu))
    assert menu[0] == {"label": "Dasbor", "url": "/laporan/dasbor/"}
    assert [m["label"] for m in menu] == ["Dasbor", "Registri", "Program", "Anggaran", "Laporan"]
    assert labels["Registri"] == ["Usaha (IKM)", "Pelaku usaha", "Produk IKM"]
    # Programme work under one dropdown, each app under its heading, headings in a fixed order
    programme = labels["Program"]
    assert [h for h in programme if h.startswith("#")] == ["#Pelatihan", "#Sentra IKM", "#Mutu"]
    assert programme.index("Laporan berkala") < programme.index("#Mutu")  # periodic reports sit with the centres
    # the user's own pages are not on the bar
    assert "/tugas/" not in " ".join(_flat(menu))


def test_owner_sees_only_what_the_role_allows(owner_user):
    menu = menu_for(owner_user)
    flat = _flat(menu)
    assert "/anggaran/" not in flat
    assert "/akun/pengguna/" not in flat
    assert "Anggaran" not in [m["label"] for m in menu]
    assert [e["label"] for e in user_menu_for(owner_user)] == []


def test_background_jobs_only_for_roles_that_start_them(officer_region_a, owner_user, trainer, centre_manager):
    assert may_start_jobs(officer_region_a)
    assert [e["label"] for e in user_menu_for(officer_region_a)] == ["Tugas latar", "Kelola pengguna"]
    assert may_start_jobs(centre_manager)  # a centre's tenancies can be imported by its manager
    assert "Tugas latar" in [e["label"] for e in user_menu_for(centre_manager)]
    for user in (owner_user, trainer):
        assert not may_start_jobs(user), user.role
        assert "Tugas latar" not in [e["label"] for e in user_menu_for(user)]


def test_a_lone_entry_is_a_link_and_a_visible_test_hides_an_entry(officer_region_a, monkeypatch):
    monkeypatch.setattr("sentra.core.navigation._MENU", [])
    register_menu(MenuItem("Satu", "registry:business_list", "registry.view_business"))
    register_menu(MenuItem("Tersembunyi", "registry:owner_list", None, visible=lambda user: False))
    register_menu(MenuItem("Tak ada", "registry:no_such_page"))
    assert menu_for(officer_region_a) == [{"label": "Satu", "url": "/usaha/"}]
    assert len(_MENU) > 3  # the real registry is untouched


def test_menu_is_rendered_with_a_user_menu_and_post_logout(client, officer_region_a):
    client.force_login(officer_region_a)
    html = client.get("/akun/").content.decode()
    assert 'data-testid="menu-programme"' in html
    assert 'data-testid="user-menu"' in html
    assert 'action="/akun/keluar/"' in html
    assert 'href="/tugas/"' in html


def test_owner_page_shows_no_background_jobs_link(client, owner_user):
    client.force_login(owner_user)
    html = client.get("/akun/").content.decode()
    assert 'href="/tugas/"' not in html
    assert 'href="/akun/pengguna/"' not in html
