"""Scores: checklist assessments (per section and total) and INDI 4.0 (per pillar, weighted overall, level).

Pure functions over plain values, so that they are tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

MAX_SCORE = 4
TWO = Decimal("0.01")

# docs/domain.md §6 (H): the 0–4 scale and its level names.
INDI_LEVELS = [
    (0, _("Belum siap")),
    (1, _("Kesiapan awal")),
    (2, _("Kesiapan sedang")),
    (3, _("Kesiapan matang")),
    (4, _("Sudah menerapkan")),
]


@dataclass(frozen=True)
class ItemScore:
    section: str
    score: int | None  # None: not answered or not applicable
    weight: Decimal = Decimal(1)


@dataclass(frozen=True)
class SectionScore:
    section: str
    percent: Decimal | None
    answered: int
    items: int


def _percent(points: Decimal, maximum: Decimal) -> Decimal | None:
    if maximum == 0:
        return None
    return (points * 100 / maximum).quantize(TWO, ROUND_HALF_UP)


def checklist_scores(items: Iterable[ItemScore]) -> tuple[list[SectionScore], Decimal | None]:
    """Per-section and total score as % of the maximum weighted score of the *applicable* items.

    Items without a score (not applicable or unanswered) count neither for nor against.
    """
    order: list[str] = []
    points: dict[str, Decimal] = {}
    maximum: dict[str, Decimal] = {}
    counts: dict[str, list[int]] = {}
    for it in items:
        if it.section not in points:
            order.append(it.section)
            points[it.section] = maximum[it.section] = Decimal(0)
            counts[it.section] = [0, 0]
        counts[it.section][1] += 1
        if it.score is None:
            continue
        counts[it.section][0] += 1
        points[it.section] += Decimal(it.score) * it.weight
        maximum[it.section] += MAX_SCORE * it.weight
    sections = [SectionScore(s, _percent(points[s], maximum[s]), counts[s][0], counts[s][1]) for s in order]
    total = _percent(sum(points.values(), Decimal(0)), sum(maximum.values(), Decimal(0)))
    return sections, total


def pillar_scores(answers: Mapping[str, list[int]]) -> dict[str, Decimal | None]:
    """The mean of the question scores (0–4) of each pillar; None for a pillar without answers."""
    out: dict[str, Decimal | None] = {}
    for pillar, scores in answers.items():
        out[pillar] = (Decimal(sum(scores)) / len(scores)).quantize(TWO, ROUND_HALF_UP) if scores else None
    return out


def indi_overall(pillars: Mapping[str, Decimal | None], weights: Mapping[str, Decimal]) -> Decimal | None:
    """Weighted mean of the pillar scores (weights normalised over the pillars that have a score).

    The weights are versioned data, because the official ones are unconfirmed (docs/domain.md §6, L).
    """
    total_weight = Decimal(0)
    total = Decimal(0)
    for pillar, score in pillars.items():
        if score is None:
            continue
        weight = Decimal(weights.get(pillar, 0))
        total += score * weight
        total_weight += weight
    if total_weight == 0:
        return None
    return (total / total_weight).quantize(TWO, ROUND_HALF_UP)


def indi_level(score: Decimal | float | None) -> int | None:
    """Level n for n ≤ score < n + 1 (4 for a score of 4): docs/domain.md §6."""
    if score is None:
        return None
    value = Decimal(str(score))
    if value < 0 or value > MAX_SCORE:
        raise ValueError(f"INDI score out of range: {score}")
    return min(int(value), MAX_SCORE)


def indi_level_name(score: Decimal | float | None) -> str:
    level = indi_level(score)
    if level is None:
        return ""
    return str(INDI_LEVELS[level][1])


def change(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    if current is None or previous is None:
        return None
    return (Decimal(current) - Decimal(previous)).quantize(TWO)
