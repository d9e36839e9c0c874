import pytest

from sentra.core.navigation import menu_for

pytestmark = pytest.mark.django_db


def _labels(menu):
    return [(m["label"], [c["label"] for c in m.get("children", [])]) for m in menu]


def test_officer_menu_groups_entries_by_area(officer_region_a):
    menu = menu_for(officer_region_a)
    labels = dict(_labels(menu))
    assert menu[0]["url"] == "/laporan/dasbor/"
    assert labels["Registri IKM"] == ["Usaha (IKM)", "Pelaku usaha"]
    assert all("url" in m or m["children"] for m in menu)
    assert len(menu) <= 9


def test_owner_sees_only_what_the_role_allows(owner_user):
    flat = [c["url"] for m in menu_for(owner_user) for c in m.get("children", [m])]
    assert "/anggaran/" not in flat
    assert "/akun/pengguna/" not in flat
