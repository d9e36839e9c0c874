"""Demo step (order 60): certifications, checklist assessments around the July 2022 training, INDI 4.0.

Deterministic (ctx.rng). Dates of certificates are relative to today, so that the demo always shows some
certificates expiring within 90 days and some expired.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sentra.demo.context import DemoContext
from sentra.quality import services
from sentra.quality.choices import ActionStatus, IndiStatus, Severity, VersionStatus
from sentra.quality.models import (
    Assessment,
    AssessmentAnswer,
    Certification,
    ChecklistVersion,
    CorrectiveAction,
    Finding,
    IndiAnswer,
    IndiAssessment,
    IndiQuestion,
)

# The training "Pelatihan manajemen mutu dan pengelolaan sentra IKM", Kendari, 19–25 July 2022 (docs/domain.md §4).
TRAINING_START = dt.date(2022, 7, 19)
TRAINING_END = dt.date(2022, 7, 25)
FROZEN_FISH = "10213"  # P-IRT is not allowed for frozen fish (docs/domain.md §5): BPOM MD instead

#: Who issues each kind of certificate the demo businesses hold.
ISSUERS = {
    "pirt": "Dinas Kesehatan Kota Kendari",
    "halal": "BPJPH",
    "bpom_md": "Badan POM",
    "sni": "LSPro BSPJI Makassar",
    "hki": "DJKI Kemenkumham",
    "iso_9001": "Lembaga Sertifikasi Sistem Mutu",
}


def _pirt_number(rng: Any, serial: int, expiry: dt.date) -> str:
    packaging = rng.choice("12356")
    food = f"{rng.randint(1, 15):02d}"
    return f"{packaging}{food}7471{rng.randint(1, 9):02d}{serial:04d}-{expiry.year % 100:02d}"


def _certifications(ctx: DemoContext, businesses: list[Any], today: dt.date) -> int:
    rng = ctx.rng
    created = 0
    for i, business in enumerate(businesses):
        code = business.kbli.code if business.kbli_id else ""
        specs: list[tuple[str, str, dt.date, dt.date | None, str]] = []
        # Spread expiry dates: some expired, some within 90 days, most later.
        bucket = i % 10
        if bucket == 0:
            expires = today - dt.timedelta(days=rng.randint(1, 200))
        elif bucket in (1, 2):
            expires = today + dt.timedelta(days=rng.randint(0, 89))
        else:
            expires = today + dt.timedelta(days=rng.randint(120, 1400))
        issued = expires - dt.timedelta(days=365 * (5 if bucket != 1 else 3))
        if code.startswith("10") and code != FROZEN_FISH:
            specs.append(("pirt", _pirt_number(rng, 100 + i, expires), issued, expires, business.commodity))
            halal = f"ID74110000{rng.randint(1000000, 9999999)}{i:04d}"
            specs.append(("halal", halal, issued, None, business.commodity))
        elif code == FROZEN_FISH:
            specs.append(("bpom_md", f"MD {rng.randint(10**11, 10**12 - 1)}", issued, expires, "ikan beku"))
        elif code.startswith("31") and i % 3 == 0:
            sni = f"SPPT-SNI-{rng.randint(1000, 9999)}/{i}"
            specs.append(("sni", sni, issued, expires, "SNI 12-6730 mebel kayu"))
        elif i % 4 == 0:
            hki = f"IDM000{rng.randint(100000, 999999)}"
            specs.append(("hki", hki, issued, issued + dt.timedelta(days=3652), business.name))
        if i % 17 == 0:
            specs.append(
                ("iso_9001", f"QMS/{rng.randint(10000, 99999)}/{i}", issued, expires, "produksi dan penjualan")
            )
        for kind, number, issued_on, expires_on, scope in specs:
            Certification.objects.create(
                business=business,
                region_id=business.region_id,
                kind=kind,
                number=number,
                issuer=ISSUERS[kind],
                issued_on=issued_on,
                expires_on=expires_on,
                scope=scope[:300],
            )
            created += 1
    return created


def _score_assessment(ctx: DemoContext, assessment: Any, base: float, previous: dict[str, int] | None) -> None:
    rng = ctx.rng
    rows = list(assessment.answers.select_related("item"))
    for row in rows:
        if previous is not None:
            before = previous.get(row.item.code, 1)
            row.score = min(4, before + rng.choice([0, 1, 1, 2]))
        else:
            row.score = max(0, min(4, round(base + rng.uniform(-1.2, 1.2))))
        if row.score <= 1:
            row.note = rng.choice(["Belum ada catatan tertulis.", "Belum dilakukan.", "Baru sebagian kecil."])
    AssessmentAnswer.objects.bulk_update(rows, ["score", "note"])


def _assess(
    ctx: DemoContext,
    business: Any,
    checklist: ChecklistVersion,
    day: dt.date,
    phase: str,
    link: dict[str, Any],
    assessor: Any,
    base: float,
    previous: dict[str, int] | None,
) -> Assessment:
    """A completed checklist assessment by ``assessor``; ``phase`` (before/after) only for a training's participant."""
    assessment = services.assessment_start(
        actor=None, business=business, checklist=checklist, assessed_on=day, phase=phase if link else "", **link
    )
    assessment.assessor = assessor
    assessment.save(update_fields=["assessor"])
    _score_assessment(ctx, assessment, base=base, previous=previous)
    summary = "Penilaian awal sebelum pelatihan." if previous is None else "Penilaian ulang sesudah pelatihan."
    services.assessment_complete(actor=None, assessment=assessment, summary=summary)
    return assessment


def _assessments(ctx: DemoContext, furniture: list[Any], today: dt.date) -> tuple[int, int]:
    """Before/after the July 2022 training for the furniture centre's tenants, with findings and CAPA."""
    rng = ctx.rng
    iso = ChecklistVersion.objects.get(template__code="iso-9001", status=VersionStatus.PUBLISHED)
    officer = ctx.users["kendari"]
    trainer = ctx.users["pelatih"]
    owner_user = ctx.users.get("pemilik")
    batch = ctx.objects.get("training_batch_2022")
    enrolled = set(batch.participants.values_list("business_id", flat=True)) if batch else set()
    n_find = 0
    for idx, business in enumerate(furniture):
        link = {"batch": batch} if business.pk in enrolled else {}
        before = _assess(ctx, business, iso, TRAINING_START - dt.timedelta(days=1), "before", link, trainer, 1.3, None)
        low = list(before.answers.select_related("item").filter(score__lte=1)[:2])
        for row in low:
            finding = Finding.objects.create(
                assessment=before,
                region_id=before.region_id,
                item=row.item,
                severity=rng.choice([Severity.MINOR, Severity.MAJOR]),
                description=f"{row.item.text} – belum terpenuhi.",
                created_by=trainer,
            )
            n_find += 1
            responsible = owner_user if idx == 0 and owner_user else officer
            action = CorrectiveAction.objects.create(
                finding=finding,
                region_id=finding.region_id,
                responsible=responsible,
                description=f"Susun dan terapkan prosedur untuk butir {row.item.code}.",
                due_on=TRAINING_END + dt.timedelta(days=60),
            )
            # Most were done and verified after the training; a few remain open (overdue).
            if rng.random() < 0.75:
                now = timezone.now()
                CorrectiveAction.objects.filter(pk=action.pk).update(
                    status=ActionStatus.VERIFIED, done_at=now, verified_at=now, verified_by=officer
                )
        previous = {a.item.code: a.score or 0 for a in before.answers.select_related("item")}
        after_on = TRAINING_END + dt.timedelta(days=rng.randint(80, 100))
        _assess(ctx, business, iso, after_on, "after", link, officer, 0, previous)
    return 2 * len(furniture), n_find


def _indi(ctx: DemoContext, businesses: list[Any]) -> int:
    rng = ctx.rng
    version = services.indi_current_version()
    if version is None:
        raise LookupError("No INDI 4.0 questionnaire is published; the quality migrations publish one.")
    questions = list(IndiQuestion.objects.filter(pillar__version=version).select_related("pillar"))
    officer = ctx.users.get("kendari")
    made = 0
    for idx, business in enumerate(businesses):
        rounds = 2 if idx % 3 == 0 else 1
        level = rng.uniform(0.6, 2.4)
        for r in range(rounds):
            assessment = IndiAssessment.objects.create(
                business=business, region_id=business.region_id, questionnaire=version, filled_by=officer
            )
            IndiAnswer.objects.bulk_create(
                [
                    IndiAnswer(
                        assessment=assessment,
                        question=q,
                        score=max(0, min(4, round(level + r * 0.6 + rng.uniform(-1, 1)))),
                    )
                    for q in questions
                ]
            )
            services._indi_rescore(assessment)
            status = (
                IndiStatus.VERIFIED
                if r == 0 and rounds == 2
                else rng.choice([IndiStatus.SUBMITTED, IndiStatus.VERIFIED])
            )
            when = timezone.now() - dt.timedelta(days=(rounds - r) * 200 + rng.randint(0, 30))
            IndiAssessment.objects.filter(pk=assessment.pk).update(
                overall=assessment.overall,
                pillar_scores=assessment.pillar_scores,
                status=status,
                submitted_at=when,
                created_at=when,
                verified_at=when if status == IndiStatus.VERIFIED else None,
                verified_by=officer if status == IndiStatus.VERIFIED else None,
            )
            made += 1
    return made


def load_quality(ctx: DemoContext) -> None:
    today = timezone.localdate()
    businesses = ctx.objects.get("kendari_businesses") or []
    if not businesses:
        ctx.log("  (tidak ada usaha Kendari: langkah mutu dilewati)")
        return
    certs = _certifications(ctx, businesses, today)
    furniture = [b for b in businesses[:45] if b.kbli_id and b.kbli.code.startswith(("31", "16"))][:12]
    n_assess, n_find = _assessments(ctx, furniture, today)
    # INDI 4.0 for 20 businesses, including the `pemilik` login's own (kendari_businesses[0]).
    indi = _indi(ctx, businesses[:20])
    ctx.log(f"  {certs} sertifikat, {n_assess} penilaian mutu ({n_find} temuan), {indi} penilaian INDI 4.0")
