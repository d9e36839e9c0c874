"""Scores: per section and total for checklists; per pillar, weighted overall and level for INDI 4.0."""

from decimal import Decimal

import pytest

from sentra.quality.scoring import (
    ItemScore,
    change,
    checklist_scores,
    indi_level,
    indi_level_name,
    indi_overall,
    pillar_scores,
)


def test_checklist_sections_and_total():
    sections, total = checklist_scores(
        [
            ItemScore("A", 4),
            ItemScore("A", 2),
            ItemScore("B", 0),
            ItemScore("B", None),  # not applicable: counts neither way
            ItemScore("B", 3, Decimal(3)),
        ]
    )
    assert [(s.section, s.percent, s.answered, s.items) for s in sections] == [
        ("A", Decimal("75.00"), 2, 2),
        ("B", Decimal("56.25"), 2, 3),  # (0 + 9) / (4 + 12)
    ]
    assert total == Decimal("62.50")  # (6 + 9) / (8 + 16)


def test_checklist_all_not_applicable_has_no_score():
    sections, total = checklist_scores([ItemScore("A", None)])
    assert sections[0].percent is None
    assert total is None


def test_pillar_means():
    assert pillar_scores({"mo": [1, 2, 2], "tk": [], "op": [4]}) == {
        "mo": Decimal("1.67"),
        "tk": None,
        "op": Decimal("4.00"),
    }


def test_equal_weights_give_the_mean():
    pillars = {"a": Decimal(1), "b": Decimal(2), "c": Decimal(3), "d": Decimal(4), "e": Decimal(0)}
    weights = dict.fromkeys(pillars, Decimal("0.2"))
    assert indi_overall(pillars, weights) == Decimal("2.00")


def test_unequal_weights_and_missing_pillar_renormalise():
    pillars = {"mo": Decimal(4), "ob": Decimal(0), "pl": None}
    weights = {"mo": Decimal("0.25"), "ob": Decimal("0.30"), "pl": Decimal("0.45")}
    # (4 × 0.25 + 0 × 0.30) / 0.55 = 1.8181…
    assert indi_overall(pillars, weights) == Decimal("1.82")
    assert indi_overall({"x": None}, {"x": Decimal(1)}) is None


@pytest.mark.parametrize(
    ("score", "level", "name"),
    [
        ("0", 0, "Belum siap"),
        ("0.99", 0, "Belum siap"),
        ("1", 1, "Kesiapan awal"),
        ("1.99", 1, "Kesiapan awal"),
        ("2.00", 2, "Kesiapan sedang"),
        ("2.99", 2, "Kesiapan sedang"),
        ("3.00", 3, "Kesiapan matang"),
        ("3.99", 3, "Kesiapan matang"),
        ("4", 4, "Sudah menerapkan"),
    ],
)
def test_levels_at_boundaries(score, level, name):
    assert indi_level(Decimal(score)) == level
    assert indi_level_name(Decimal(score)) == name


def test_level_out_of_range_is_an_error():
    with pytest.raises(ValueError):
        indi_level(Decimal("4.01"))
    with pytest.raises(ValueError):
        indi_level(Decimal("-0.01"))
    assert indi_level(None) is None


def test_change():
    assert change(Decimal("2.5"), Decimal("1.75")) == Decimal("0.75")
    assert change(None, Decimal(1)) is None
