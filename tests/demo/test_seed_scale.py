"""``sentra seed_scale``: the synthetic national registry used by the benchmarks."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from sentra.core.validators import nik_parse, validate_nib
from sentra.demo import synthetic
from sentra.regions.models import Region, RegionLevel
from sentra.registry.choices import SizeClass, UmkmClass
from sentra.registry.classification import industry_size, umkm_size
from sentra.registry.models import Business, Owner, Ownership

pytestmark = pytest.mark.django_db

N = 2_000


@pytest.fixture
def seeded(db):
    call_command("seed_scale", businesses=N, seed=7, batch_size=700, verbosity=0)


def test_counts_and_relations(seeded):
    assert Business.objects.count() == N
    assert Owner.objects.count() == round(700 * 0.9) * 2 + round(600 * 0.9)  # per batch of 700, 700, 600
    # Every business has exactly one owner of role "owner"; owners' other businesses stay within the batch.
    owners_per_business = Counter(Ownership.objects.filter(role="owner").values_list("business_id", flat=True))
    assert len(owners_per_business) == N
    assert set(owners_per_business.values()) == {1}
    assert not Owner.objects.annotate(n=Count("ownerships")).filter(n=0).exists()


def test_search_text_is_what_the_tables_give(seeded):
    from sentra.registry import search_text

    stored = dict(Business.objects.values_list("pk", "search_text"))
    search_text.refresh()
    assert dict(Business.objects.values_list("pk", "search_text")) == stored
    assert all(" | " in text for text in list(stored.values())[:50])  # every synthetic business has an owner


def test_unique_and_valid_identifiers(seeded):
    niks = list(Owner.objects.exclude(nik=None).values_list("nik", "gender", "birth_date", "village_id"))
    assert len(niks) > 0.85 * Owner.objects.count()
    assert len({n for n, *_ in niks}) == len(niks)
    for nik, gender, birth, village in niks:
        info = nik_parse(nik)  # raises on a broken structure
        assert info.gender == gender
        assert (info.birth_day, info.birth_month, info.birth_year_2) == (birth.day, birth.month, birth.year % 100)
        assert info.region_code == village[:8]  # province.regency.district of the owner's village
    nibs = list(Business.objects.exclude(nib=None).values_list("nib", flat=True))
    assert len(nibs) > 0.6 * N
    assert len(set(nibs)) == len(nibs)
    for nib in nibs:
        validate_nib(nib)


def test_locations_are_real_and_cover_every_regency(seeded):
    regencies = Region.objects.filter(level=RegionLevel.REGENCY).count()
    assert regencies >= 514
    assert Business.objects.values("region_id").distinct().count() == regencies
    rows = Business.objects.values_list("region_id", "district_id", "village_id", "village__parent_id")
    for region, district, _village, village_parent in rows:
        assert village_parent == district
        assert district.startswith(region + ".")


def test_classes_follow_the_classification_rules(seeded):
    fields = ("workforce_male", "workforce_female", "investment_value", "turnover", "business_capital")
    for b in Business.objects.only(*fields, "size_class", "umkm_class"):
        industry = industry_size(b.workforce_total, b.investment_value)
        umkm = umkm_size(b.turnover, b.business_capital)
        assert b.size_class == (industry.value if industry else "")
        assert b.umkm_class == (umkm.value if umkm else "")
    sizes = Counter(Business.objects.values_list("size_class", flat=True))
    assert sizes[SizeClass.KECIL] > sizes[SizeClass.MENENGAH] > 0
    assert sizes[""] > 0  # a few businesses without figures, as in real data


def test_kbli_is_weighted_to_manufacturing(seeded):
    with_kbli = Business.objects.exclude(kbli=None)
    manufacturing = with_kbli.filter(kbli__is_manufacturing=True).count()
    assert with_kbli.count() == N
    assert 0.9 * N < manufacturing < N  # mostly Kategori C 10–33, some car/motorcycle repair (flagged)
    food = with_kbli.filter(kbli__code__startswith="10").count()
    assert food > 0.15 * N


@pytest.mark.parametrize(
    ("workers", "investment", "expected"),
    [
        (19, Decimal("999999999"), SizeClass.KECIL),
        (19, Decimal("1000000000"), SizeClass.MENENGAH),
        (20, Decimal("15000000000"), SizeClass.MENENGAH),
        (20, Decimal("15000000001"), SizeClass.BESAR),
        (None, Decimal("1"), ""),
        (3, None, ""),
    ],
)
def test_column_classification_edges(workers, investment, expected):
    assert synthetic.industry_classes([workers], [investment]) == [expected]


@pytest.mark.parametrize(
    ("turnover", "capital", "expected"),
    [
        (Decimal("2000000000"), None, UmkmClass.MIKRO),
        (Decimal("2000000001"), Decimal("1"), UmkmClass.KECIL),
        (Decimal("50000000001"), None, UmkmClass.BESAR),
        (None, Decimal("1000000000"), UmkmClass.MIKRO),
        (None, Decimal("10000000001"), UmkmClass.BESAR),
        (None, None, ""),
    ],
)
def test_column_umkm_edges(turnover, capital, expected):
    assert synthetic.umkm_classes([turnover], [capital]) == [expected]
    one = umkm_size(turnover, capital)
    assert expected == (one.value if one else "")


def test_second_run_adds_without_collisions(seeded):
    call_command("seed_scale", businesses=500, seed=7, verbosity=0)  # same seed: the same names and birth dates
    assert Business.objects.count() == N + 500
    niks = list(Owner.objects.exclude(nik=None).values_list("nik", flat=True))
    nibs = list(Business.objects.exclude(nib=None).values_list("nib", flat=True))
    assert len(set(niks)) == len(niks)
    assert len(set(nibs)) == len(nibs)


def test_replace_starts_over(seeded):
    call_command("seed_scale", businesses=300, replace=True, verbosity=0)
    assert Business.objects.count() == 300
    assert Ownership.objects.filter(role="owner").count() == 300


def test_refuses_production_settings(settings):
    settings.SENTRA_PRODUCTION = True
    with pytest.raises(CommandError, match="produksi"):
        call_command("seed_scale", businesses=10, verbosity=0)
    assert not Business.objects.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"businesses": 0}, "positif"),
        ({"businesses": 10, "owners_ratio": 0}, "owners-ratio"),
        ({"businesses": 10, "batch_size": 5}, "batch-size"),
    ],
)
def test_rejects_bad_options(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_scale", verbosity=0, **options)
    assert not Business.objects.exists()


def test_progress_and_rate_are_printed(capsys):
    call_command("seed_scale", businesses=200, batch_size=100)
    out = capsys.readouterr().out
    assert "100 / 200 usaha" in out
    assert "baris/detik" in out


def test_owners_ratio_above_one_adds_managers(db):
    call_command("seed_scale", businesses=400, owners_ratio=1.5, verbosity=0)
    assert Owner.objects.count() == 600
    assert Ownership.objects.filter(role="manager").exists()
