"""The address matcher against a corpus generated from the Kemendagri tables (``address_corpus``): every regency in
every style, and 5,000 random villages. Runs on whatever database the suite runs on (the names come from it)."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from sentra.regions.addresses import RegionMatcher, split_phone_tail
from tests.regions.address_corpus import regency_cases, tables, village_cases


@pytest.fixture(scope="module")
def corpus():
    return regency_cases() + village_cases()


def test_the_corpus_names_every_regency_in_at_least_eight_styles(corpus):
    styles = Counter(c.regency for c in corpus if not c.style.startswith("random-village-"))
    assert len(styles) == len(tables().regencies) == 514
    assert min(styles.values()) >= 8
    assert sum(c.style.startswith("random-village-") for c in corpus) == 5000
    # The corpus holds the hard cases it is meant to hold.
    assert sum(not c.names_regency for c in corpus) > 50
    assert any("Kota Administrasi Jakarta Timur" in c.address for c in corpus)
    assert any("Kabupaten Lima Puluh Kota" in c.address for c in corpus)


@pytest.mark.django_db
def test_addresses_from_every_province_are_matched_to_the_right_region(corpus):
    matcher = RegionMatcher()
    started = time.perf_counter()
    results = [matcher.match_cached(case.address) for case in corpus]
    rows_per_second = len(corpus) / (time.perf_counter() - started)  # printed only: speed is for make bench

    named = [(c, loc) for c, (loc, _conf) in zip(corpus, results, strict=True) if c.names_regency]
    right = [c for c, loc in named if loc["region"] == c.expected]
    wrong = [
        (c.address, c.candidates, loc["region"])
        for c, (loc, _conf) in zip(corpus, results, strict=True)
        if loc["region"] and loc["region"] not in c.candidates
    ]
    with_village = [
        (c, loc)
        for c, (loc, _conf) in zip(corpus, results, strict=True)
        if c.village and c.extra.get("village_unique") and c.names_regency
    ]
    right_village = [c for c, loc in with_village if loc["village"] == c.village]
    print(
        f"\n{len(corpus)} addresses, {rows_per_second:,.0f} rows/s; regency right {len(right)}/{len(named)} "
        f"({len(right) / len(named):.2%}), wrong {len(wrong)}; village right {len(right_village)}/{len(with_village)} "
        f"({len(right_village) / len(with_village):.2%})"
    )
    assert wrong == [], wrong[:20]
    assert len(right) / len(named) >= 0.995, Counter(c.style for c, loc in named if loc["region"] != c.expected)
    assert len(right_village) / len(with_village) >= 0.97


@pytest.mark.django_db
def test_a_name_shared_by_a_kabupaten_and_a_kota_is_never_guessed(corpus):
    matcher = RegionMatcher()
    t = tables()
    shared = [
        c
        for c in corpus
        if c.style in ("bare", "bare+province")
        and len(c.candidates) == 2
        and {t.regencies[code][1] for code in c.candidates if code in t.regencies} == {"kabupaten", "kota"}
    ]
    assert len(shared) >= 40  # Bekasi, Bogor, Malang, ... with and without the province
    for case in shared:
        location, confidence = matcher.match(case.address)
        assert confidence is None and set(location["candidates"]) == case.candidates, case.address


@pytest.mark.django_db
def test_a_phone_tail_changes_nothing_in_the_match(corpus):
    matcher = RegionMatcher()
    cases = [c for c in corpus if c.style == "phone-tail"]
    assert len(cases) == 514
    for case in cases:
        rest, phone, masked = split_phone_tail(case.address)
        assert rest == case.address[: -len(case.extra["phone"]) - 1]
        assert masked == ("*" in case.extra["phone"]) and (phone is None) == masked
        assert matcher.match(rest) == matcher.match(case.address)
