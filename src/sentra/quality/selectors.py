"""Read use-cases of the quality app: everything reads through ``visible_to``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict

from django.apps import apps
from django.db.models import Avg, Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from sentra.core.querysets import scoped_get_or_404
from sentra.quality.choices import AssessmentStatus
from sentra.quality.models import (
    Assessment,
    AssessmentAnswer,
    Certification,
    CorrectiveAction,
    Finding,
    IndiAdvice,
    IndiAnswer,
    IndiAssessment,
)
from sentra.quality.querysets import expiring_q
from sentra.quality.scoring import change, indi_level, indi_level_name


def certification_list(*, user: Any) -> QuerySet[Certification]:
    return Certification.objects.visible_to(user).select_related("business", "region")


def certification_get(*, user: Any, pk: Any, action: str = "view") -> Certification:
    return scoped_get_or_404(Certification.objects.select_related("business", "region"), user, pk, action)


class ExpiryRow(TypedDict):
    region_id: str
    region__name: str
    expiring: int
    expired: int
    total: int


def expiry_summary(*, user: Any, today: dt.date) -> list[ExpiryRow]:
    """Per region: certificates expiring within the window and those already expired (one grouped query)."""
    return list(
        Certification.objects.visible_to(user)
        .values("region_id", "region__name")
        .annotate(
            expiring=Count("id", filter=expiring_q(today)),
            expired=Count("id", filter=Q(expires_on__lt=today)),
            total=Count("id"),
        )
        .order_by("region_id")
    )


def assessment_list(*, user: Any) -> QuerySet[Assessment]:
    return Assessment.objects.visible_to(user).select_related("business", "region", "checklist__template", "assessor")


def assessment_get(*, user: Any, pk: Any, action: str = "view") -> Assessment:
    qs = Assessment.objects.select_related("business", "region", "checklist__template", "assessor")
    return scoped_get_or_404(qs, user, pk, action)


def assessment_answers(assessment: Assessment) -> list[AssessmentAnswer]:
    return list(
        assessment.answers.select_related("item__section").order_by("item__section__order", "item__order", "item_id")
    )


def _item_key(item: Any) -> str:
    """Items of different versions are matched by section and item code (else by their text)."""
    return f"{item.section.code}|{item.code}" if item.code else f"{item.section.title}|{item.text}"


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The latest completed assessment of the same business with the same checklist family, before this one."""
    return (
        Assessment.objects.filter(
            business_id=assessment.business_id,
            checklist__template_id=assessment.checklist.template_id,
            status=AssessmentStatus.COMPLETED,
        )
        .filter(Q(assessed_on__lt=assessment.assessed_on) | Q(assessed_on=assessment.assessed_on, pk__lt=assessment.pk))
        .exclude(pk=assessment.pk)
        .select_related("checklist__template")
        .order_by("-assessed_on", "-id")
        .first()
    )


@dataclass
class ItemComparison:
    answer: AssessmentAnswer
    previous_score: int | None
    change: int | None


def compare_items(answers: list[AssessmentAnswer], previous: Assessment | None) -> list[ItemComparison]:
    if previous is None:
        return [ItemComparison(a, None, None) for a in answers]
    before = {_item_key(a.item): a.score for a in assessment_answers(previous)}
    out = []
    for a in answers:
        prev = before.get(_item_key(a.item))
        delta = a.score - prev if a.score is not None and prev is not None else None
        out.append(ItemComparison(a, prev, delta))
    return out


def assessment_findings(assessment: Assessment) -> list[Finding]:
    return list(
        assessment.findings.select_related("item").prefetch_related(
            Prefetch("actions", queryset=CorrectiveAction.objects.select_related("responsible", "verified_by"))
        )
    )


def action_list(*, user: Any) -> QuerySet[CorrectiveAction]:
    return CorrectiveAction.objects.visible_to(user).select_related(
        "finding__assessment__business", "responsible", "region"
    )


def action_get(*, user: Any, pk: Any, action: str = "view") -> CorrectiveAction:
    qs = CorrectiveAction.objects.select_related(
        "finding__assessment__business",
        "finding__assessment__checklist__template",
        "finding__item",
        "responsible",
        "verified_by",
        "region",
    )
    return scoped_get_or_404(qs, user, pk, action)


# --- INDI 4.0 -----------------------------------------------------------------------------------------------


def indi_get(*, user: Any, pk: Any, action: str = "view") -> IndiAssessment:
    qs = IndiAssessment.objects.select_related("business", "region", "questionnaire", "filled_by", "verified_by")
    return scoped_get_or_404(qs, user, pk, action)


def indi_list(*, user: Any) -> QuerySet[IndiAssessment]:
    return IndiAssessment.objects.visible_to(user).select_related("business", "region", "questionnaire")


def indi_previous(assessment: IndiAssessment) -> IndiAssessment | None:
    return (
        IndiAssessment.objects.scored()
        .filter(business_id=assessment.business_id, created_at__lt=assessment.created_at)
        .exclude(pk=assessment.pk)
        .order_by("-created_at", "-id")
        .first()
    )


@dataclass
class PillarRow:
    code: str
    name: str
    short_name: str
    weight: Decimal
    score: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    level_name: str


def indi_pillar_rows(assessment: IndiAssessment, previous: IndiAssessment | None) -> list[PillarRow]:
    rows = []
    prev_scores = previous.pillar_scores if previous else {}
    for p in assessment.questionnaire.pillars.all():
        raw = assessment.pillar_scores.get(p.code)
        score = Decimal(raw) if raw is not None else None
        prev_raw = prev_scores.get(p.code)
        prev = Decimal(prev_raw) if prev_raw is not None else None
        rows.append(
            PillarRow(p.code, p.name, p.short_name, p.weight, score, prev, change(score, prev), indi_level_name(score))
        )
    return rows


#: Advice is shown for at most this many of the weakest pillars, and at most this many classes per advice.
ADVICE_PILLARS = 2
ADVICE_CLASSES = 3


@dataclass
class AdviceItem:
    pillar: str
    score: Decimal
    advice: IndiAdvice
    classes: list[Any]


def indi_advice(assessment: IndiAssessment, rows: list[PillarRow]) -> list[AdviceItem]:
    """Advice for the weakest pillars (lowest score first, below 4) from the questionnaire's advice list, each with
    the open classes of the kinds it names (open classes are public: no scope). Two queries whatever the rows."""
    scored = sorted(
        ((r, r.score) for r in rows if r.score is not None and r.score < 4), key=lambda pair: (pair[1], pair[0].code)
    )
    weakest = scored[:ADVICE_PILLARS]
    if not weakest:
        return []
    advice = list(
        IndiAdvice.objects.filter(
            pillar__version_id=assessment.questionnaire_id, pillar__code__in=[r.code for r, _score in weakest]
        ).select_related("pillar")
    )
    kinds = {k for a in advice for k in a.kinds}
    batches: list[Any] = []
    if kinds:
        Batch = apps.get_model("training", "Batch")
        batches = list(
            Batch.objects.filter(status="open", programme__kind__in=kinds, end_date__gte=timezone.localdate())
            .select_related("programme", "region")
            .order_by("start_date", "id")[:100]
        )
        # The business's own regency first.
        batches.sort(key=lambda b: b.region_id != assessment.region_id)
    items = []
    for row, score in weakest:
        for a in advice:
            if a.pillar.code != row.code or not a.applies_to(score):
                continue
            words = a.keywords
            matching = [
                b
                for b in batches
                if b.programme.kind in a.kinds
                and (
                    not words
                    or any(w in f"{b.programme.title} {b.programme.competencies} {b.name}".lower() for w in words)
                )
            ]
            items.append(AdviceItem(row.name, score, a, matching[:ADVICE_CLASSES]))
    return items


def indi_answers(assessment: IndiAssessment) -> list[IndiAnswer]:
    return list(
        assessment.answers.select_related("question__pillar").order_by("question__pillar__order", "question__order")
    )


def indi_aggregates(*, user: Any) -> dict[str, Any]:
    """Average INDI 4.0 index of the latest scored assessment of each business, per region and per centre."""
    latest = (
        IndiAssessment.objects.scored()
        .filter(business_id=OuterRef("business_id"))
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    base = IndiAssessment.objects.visible_to(user).scored().filter(pk=Subquery(latest))
    by_region: list[dict[str, Any]] = [
        {**row, "level": indi_level_name(row["avg"]) if row["avg"] is not None else ""}
        for row in base.values("region_id", "region__name")
        .annotate(n=Count("id"), avg=Avg("overall"), best=Max("overall"))
        .order_by("region_id")
    ]
    by_centre: list[dict[str, Any]] = []
    centre_lookup = _centre_lookup()
    if centre_lookup:
        by_centre = list(
            base.filter(**{f"business__{centre_lookup}__isnull": False})
            .values(f"business__{centre_lookup}", f"business__{centre_lookup}__name")
            .annotate(n=Count("id"), avg=Avg("overall"))
            .order_by(f"business__{centre_lookup}__name")
        )
        for centre in by_centre:
            centre["centre_id"] = centre.pop(f"business__{centre_lookup}")
            centre["name"] = centre.pop(f"business__{centre_lookup}__name")
            centre["level"] = indi_level_name(centre["avg"]) if centre["avg"] is not None else ""
    levels = base.values_list("overall", flat=True)
    distribution = [0, 0, 0, 0, 0]
    for value in levels:
        distribution[indi_level(value) or 0] += 1
    return {"by_region": by_region, "by_centre": by_centre, "distribution": distribution}


def _centre_lookup() -> str | None:
    """How a business reaches its centre: ``centre_memberships__centre`` when the centres app provides it."""
    if not apps.is_installed("sentra.centres"):
        return None
    try:
        apps.get_model("centres", "CentreMembership")
    except LookupError:
        return None
    return "centre_memberships__centre"


# --- Training batches (before/after) -------------------------------------------------------------------------


@dataclass
class BatchPair:
    business: Any
    template: str
    before: Any
    after: Any
    change: Decimal | None


def batch_comparison(*, user: Any, batch: Any) -> dict[str, Any]:
    """Before/after assessments of a training batch's businesses: total per business and per section averages."""
    from sentra.quality.services import assessment_score

    rows = list(
        Assessment.objects.visible_to(user)
        .filter(batch=batch, status=AssessmentStatus.COMPLETED)
        .select_related("business", "checklist__template")
        .prefetch_related(Prefetch("answers", queryset=AssessmentAnswer.objects.select_related("item__section")))
        .order_by("business__name", "assessed_on", "id")
    )
    pairs: dict[tuple[int, int], dict[str, Any]] = {}
    for a in rows:
        key = (a.business_id, a.checklist.template_id)
        slot = pairs.setdefault(key, {"business": a.business, "template": a.checklist.template.name})
        slot[a.phase] = a  # the latest of each phase wins (ordered by date)
    out: list[BatchPair] = []
    section_before: dict[str, list[Decimal]] = {}
    section_after: dict[str, list[Decimal]] = {}
    for slot in pairs.values():
        before, after = slot.get("before"), slot.get("after")
        out.append(
            BatchPair(
                slot["business"],
                slot["template"],
                before,
                after,
                change(after.total_score if after else None, before.total_score if before else None),
            )
        )
        if before and after:
            for target, assessment in ((section_before, before), (section_after, after)):
                sections, _total = assessment_score(assessment, list(assessment.answers.all()))
                for s in sections:
                    if s.percent is not None:
                        target.setdefault(s.section, []).append(s.percent)

    def mean(values: list[Decimal]) -> Decimal | None:
        return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01")) if values else None

    complete = [p for p in out if p.change is not None]
    changes = [p.change for p in out if p.change is not None]
    sections = [
        (
            name,
            mean(section_before.get(name, [])),
            mean(section_after[name]),
            change(mean(section_after[name]), mean(section_before.get(name, []))),
        )
        for name in section_after
    ]
    return {
        "pairs": out,
        "sections": sections,
        "complete": len(complete),
        "mean_before": mean([p.before.total_score for p in complete]),
        "mean_after": mean([p.after.total_score for p in complete]),
        "mean_change": mean(changes),
        "improved": sum(1 for c in changes if c > 0),
    }
