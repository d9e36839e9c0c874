from types import SimpleNamespace

from sentra.centres.criteria import centre_warnings
from sentra.regions.models import Kbli
from tests.centres.factories import CentreFactory, MembershipFactory
from tests.registry.factories import BusinessFactory


def _kbli(code):
    return Kbli.objects.get(version="2020", code=code)


def _codes(centre, members, kbli=(), dak=False):
    return {w.code for w in centre_warnings(centre, members, list(kbli), dak)}


def test_a_proper_furniture_centre_has_no_warnings(db):
    centre = CentreFactory()
    members = [BusinessFactory(kbli=_kbli("31001")) for _ in range(5)]
    assert _codes(centre, members, [_kbli("31001")]) == set()


def test_too_few_members(db):
    centre = CentreFactory()
    members = [BusinessFactory(kbli=_kbli("31001")) for _ in range(4)]
    assert "too_few_members" in _codes(centre, members)
    planned = CentreFactory(status="planned")
    assert "too_few_members" not in _codes(planned, members)


def test_mixed_products_and_non_manufacturing_bengkel(db):
    centre = CentreFactory()
    members = [BusinessFactory(kbli=_kbli(c)) for c in ("31001", "10750", "45201", "45407", "29200")]
    codes = _codes(centre, members)
    assert {"mixed_products", "non_manufacturing"} <= codes
    text = " ".join(w.message for w in centre_warnings(centre, members, [], False))
    assert "45201" in text and "45407" in text


def test_dak_funded_centre_is_reminded_of_the_stricter_minimum_where_it_applies(db):
    members = [BusinessFactory(kbli=_kbli("31001")) for _ in range(6)]
    padang = CentreFactory(region_id="13.71")  # Sumatera
    assert _codes(padang, members, dak=True) == {"dak_members"}
    (warning,) = centre_warnings(padang, members, [], True)
    assert "Sumatera" in warning.message and "10" in warning.message
    samarinda = CentreFactory(region_id="64.72")  # Kalimantan
    assert _codes(samarinda, members, dak=True) == {"dak_members"}


def test_no_dak_rule_is_shown_where_none_is_known(db):
    """Kendari is on Sulawesi: the Kalimantan/Sumatera minimum does not apply and is not shown."""
    members = [BusinessFactory(kbli=_kbli("31001")) for _ in range(6)]
    assert _codes(CentreFactory(region_id="74.71"), members, dak=True) == set()


def test_new_centre_outside_kpi(db):
    centre = SimpleNamespace(status="construction", inside_kpi=False)
    assert "outside_kpi" in _codes(centre, [])


def test_profile_page_shows_warnings(client_for, officer_region_a):
    centre = CentreFactory()
    MembershipFactory(centre=centre, business=BusinessFactory(kbli=_kbli("45201")))
    body = client_for(officer_region_a).get(f"/sentra/{centre.pk}/").content.decode()
    assert 'data-code="too_few_members"' in body and 'data-code="non_manufacturing"' in body
