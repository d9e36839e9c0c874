"""Size classes at every threshold's edge (docs/domain.md §1), shown with their rule and recomputed on change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from sentra.registry import services
from sentra.registry.choices import SizeClass, UmkmClass
from sentra.registry.classification import industry_size, umkm_size
from tests.registry.factories import BusinessFactory

M = Decimal("1000000000")  # Rp1 miliar
CENT = Decimal("0.01")


@pytest.mark.parametrize(
    ("workers", "investment", "expected", "rule_part"),
    [
        # Permenperin 64/2016: ≤ 19 workers and investment < Rp1 M -> kecil.
        (0, Decimal(0), SizeClass.KECIL, "< Rp1 miliar"),
        (19, M - CENT, SizeClass.KECIL, "< Rp1 miliar"),
        (19, M, SizeClass.MENENGAH, "≥ Rp1 miliar"),
        (1, M + CENT, SizeClass.MENENGAH, "≥ Rp1 miliar"),
        # 20 workers: menengah up to and including Rp15 M, besar above.
        (20, Decimal(0), SizeClass.MENENGAH, "≤ Rp15 miliar"),
        (20, M - CENT, SizeClass.MENENGAH, "≤ Rp15 miliar"),
        (20, 15 * M, SizeClass.MENENGAH, "≤ Rp15 miliar"),
        (20, 15 * M + CENT, SizeClass.BESAR, "> Rp15 miliar"),
        (19, 15 * M + 1, SizeClass.MENENGAH, "≥ Rp1 miliar"),  # few workers are never "besar"
        (500, 100 * M, SizeClass.BESAR, "> Rp15 miliar"),
    ],
)
def test_industry_size_edges(workers, investment, expected, rule_part):
    result = industry_size(workers, investment)
    assert result.value == expected
    assert "Permenperin 64/2016" in result.rule
    assert rule_part in result.rule
    assert f"tenaga kerja {workers}" in result.rule


def test_industry_size_unknown_inputs():
    assert industry_size(None, M) is None
    assert industry_size(5, None) is None


@pytest.mark.parametrize(
    ("sales", "expected"),
    [
        (Decimal(0), UmkmClass.MIKRO),
        (2 * M, UmkmClass.MIKRO),
        (2 * M + CENT, UmkmClass.KECIL),
        (15 * M, UmkmClass.KECIL),
        (15 * M + CENT, UmkmClass.MENENGAH),
        (50 * M, UmkmClass.MENENGAH),
        (50 * M + CENT, UmkmClass.BESAR),
    ],
)
def test_umkm_by_sales_edges(sales, expected):
    result = umkm_size(sales, capital=Decimal(0))  # sales decide for an existing business
    assert result.value == expected
    assert "PP 7/2021 Pasal 35 ayat (5)" in result.rule
    assert "hasil penjualan" in result.rule


@pytest.mark.parametrize(
    ("capital", "expected"),
    [
        (Decimal(0), UmkmClass.MIKRO),
        (1 * M, UmkmClass.MIKRO),
        (1 * M + CENT, UmkmClass.KECIL),
        (5 * M, UmkmClass.KECIL),
        (5 * M + CENT, UmkmClass.MENENGAH),
        (10 * M, UmkmClass.MENENGAH),
        (10 * M + CENT, UmkmClass.BESAR),
    ],
)
def test_umkm_by_capital_edges(capital, expected):
    result = umkm_size(None, capital)
    assert result.value == expected
    assert "PP 7/2021 Pasal 35 ayat (3)" in result.rule
    assert "modal usaha" in result.rule


def test_umkm_unknown_inputs():
    assert umkm_size(None, None) is None


def test_the_two_scales_can_disagree():
    # 25 workers with Rp2 M machines is an industri menengah, but Rp1,5 M sales make it a mikro business.
    assert industry_size(25, 2 * M).value == SizeClass.MENENGAH
    assert umkm_size(Decimal("1500000000"), None).value == UmkmClass.MIKRO


def test_business_page_shows_the_rule(client_for, officer_region_a):
    business = BusinessFactory(workforce_male=15, workforce_female=5, investment_value=M, turnover=2 * M)
    assert business.size_class == SizeClass.MENENGAH
    assert business.umkm_class == UmkmClass.MIKRO
    html = client_for(officer_region_a).get(business.get_absolute_url()).content.decode()
    assert "Permenperin 64/2016: tenaga kerja 20 (≥ 20) dan investasi Rp1.000.000.000 (≤ Rp15 miliar)" in html
    assert "PP 7/2021 Pasal 35 ayat (5): hasil penjualan tahunan Rp2.000.000.000 (≤ Rp2.000.000.000)" in html
    assert "Industri Menengah" in html


def test_business_page_says_what_is_missing(client_for, officer_region_a):
    business = BusinessFactory(workforce_male=None, workforce_female=None, turnover=None)
    assert business.size_class == "" and business.umkm_class == ""
    html = client_for(officer_region_a).get(business.get_absolute_url()).content.decode()
    assert "Belum dapat ditentukan" in html
    assert "Isi tenaga kerja dan nilai investasi" in html


def test_classes_recomputed_through_business_update(officer_region_a):
    business = BusinessFactory(workforce_male=10, workforce_female=9, investment_value=M - 1, turnover=2 * M)
    assert (business.size_class, business.umkm_class) == (SizeClass.KECIL, UmkmClass.MIKRO)

    business = services.business_update(actor=officer_region_a, business=business, workforce_female=10)
    business.refresh_from_db()
    assert business.size_class == SizeClass.MENENGAH  # the 20th worker

    business = services.business_update(actor=officer_region_a, business=business, investment_value=15 * M + 1)
    business.refresh_from_db()
    assert business.size_class == SizeClass.BESAR

    business = services.business_update(actor=officer_region_a, business=business, turnover=2 * M + 1)
    business.refresh_from_db()
    assert business.umkm_class == UmkmClass.KECIL

    business = services.business_update(
        actor=officer_region_a, business=business, turnover=None, business_capital=5 * M + 1
    )
    business.refresh_from_db()
    assert business.umkm_class == UmkmClass.MENENGAH

    business = services.business_update(
        actor=officer_region_a, business=business, workforce_male=None, workforce_female=None
    )
    business.refresh_from_db()
    assert business.size_class == ""


def test_classes_recomputed_through_the_edit_page(client_for, officer_region_a):
    business = BusinessFactory(workforce_male=3, workforce_female=2, investment_value=Decimal("150000000"))
    assert business.size_class == SizeClass.KECIL
    client = client_for(officer_region_a)
    data = {
        "name": business.name,
        "legal_form": business.legal_form,
        "status": business.status,
        "region": "74.71",
        "district": "74.71.03",
        "village": "74.71.03.1002",
        "workforce_male": "30",
        "workforce_female": "2",
        "investment_value": "16.000.000.000",
        "turnover": "400.000.000",
        "version": business.version,
    }
    response = client.post(reverse("registry:business_edit", args=[business.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    business.refresh_from_db()
    assert business.size_class == SizeClass.BESAR
    assert business.investment_value == 16 * M
