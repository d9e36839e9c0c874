"""Demo steps of reports: the registry history the programme evaluation reads, then the summary tables.

The evaluation compares Kendari's July 2022 quality-management class with comparable untrained businesses through
the registry's audit trail, so the demo gives Kendari's businesses a history that agrees with the training demo:
recorded in 2019 (the edits other demo steps made while loading dated early 2020); one year before the class a
lower turnover (about 4 persen below), corrected in January 2022; in
February 2023 the alumni whose six-month follow-up found growth reach the follow-up's turnover and workforce, the
others and the untrained businesses move with the common trend (about +5 persen), and some alumni without an NIB
obtain one. The 12-month follow-ups of that class and of the 2024 new-entrepreneur class are answered by most
alumni, not all. Every change goes through the registry and training services (audited); only the dates of the
audit events are set to when the changes happened.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from sentra.core.models import AuditEvent
from sentra.demo.context import KENDARI, DemoContext, aware
from sentra.registry.models import Business
from sentra.reports.services import summary_refresh

RECORDED = dt.date(2019, 3, 4)
EARLIER_EDITS = dt.date(2020, 1, 10)
LOWER_UNTIL = dt.date(2020, 6, 15)  # the older, lower turnover was entered then
CORRECTED = dt.date(2022, 1, 20)
UPDATED = dt.date(2023, 2, 10)


def _dated(business: Business, since: int, day: dt.date) -> None:
    """The audit events of ``business`` after event ``since`` happened on ``day``."""
    ct = ContentType.objects.get_for_model(Business)
    AuditEvent.objects.filter(content_type=ct, object_id=str(business.pk), pk__gt=since).update(at=aware(day))


def _last_event() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def load_evaluation_history(ctx: DemoContext) -> None:
    from sentra.registry import services as registry
    from sentra.training import services as training
    from sentra.training.choices import ParticipantResult

    batch = ctx.objects.get("training_batch_2022")
    if batch is None:
        return
    rng = random.Random(2022)  # its own stream: the other demo steps keep theirs
    officer = ctx.users["kendari"]
    passed = {
        p.business_id: p
        for p in batch.participants.filter(result=ParticipantResult.PASSED).select_related("business")
        if p.business_id
    }
    six = {f.participant_id: f for f in (p.followups.filter(months=6).first() for p in passed.values()) if f}
    trained_elsewhere = set(
        type(batch).objects.exclude(pk=batch.pk).values_list("participants__business_id", flat=True)
    )
    businesses = list(
        Business.objects.alive()
        .filter(region_id=KENDARI, turnover__gt=0)
        .exclude(pk__in=trained_elsewhere - set(passed))
    )
    # What the other demo steps changed in these records while loading (the six-month follow-up's registry update,
    # corrections) is dated before the history below, in early 2020, so the record's history reads as one chain.
    ct = ContentType.objects.get_for_model(Business)
    AuditEvent.objects.filter(
        content_type=ct, object_id__in=[str(b.pk) for b in businesses], action="registry.business.updated"
    ).update(at=aware(EARLIER_EDITS))
    nib_new = 0
    for business in businesses:
        p = passed.get(business.pk)
        followup = six.get(p.pk) if p else None
        grew = bool(followup is not None and followup.grew_business and followup.turnover)
        male, total = business.workforce_male or 0, business.workforce_total or 0
        # At the class: what the participant reported at registration (the registry since took the follow-up's
        # figures); for everyone else the record as it stands.
        base = p.baseline_turnover if p is not None and p.baseline_turnover else business.turnover
        base_male = male
        if p is not None and p.baseline_workforce is not None and total > p.baseline_workforce:
            base_male = max(0, male - (total - p.baseline_workforce))
        lower = (base / Decimal("1.04")).quantize(Decimal(1000))
        mark = _last_event()
        business = registry.business_update(actor=officer, business=business, turnover=lower)
        _dated(business, mark, LOWER_UNTIL)
        mark = _last_event()
        business = registry.business_update(
            actor=officer, business=business, turnover=base, workforce_male=base_male or None
        )
        _dated(business, mark, CORRECTED)
        fields: dict = {}
        if grew:
            fields["turnover"] = followup.turnover  # type: ignore[union-attr]
            fields["workforce_male"] = male or None
        else:
            trend = Decimal(str(round(rng.uniform(1.01, 1.09), 3)))
            fields["turnover"] = (base * trend).quantize(Decimal(1000))
        if p is not None and not business.nib and rng.random() < 0.5:
            fields["nib"] = f"9120{rng.randint(10**8, 10**9 - 1)}"
            nib_new += 1
        mark = _last_event()
        business = registry.business_update(actor=officer, business=business, **fields)
        _dated(business, mark, UPDATED)
    # Recorded in 2019 (after the updates above: a save writes every field, the creation time included).
    Business.objects.filter(pk__in=[b.pk for b in businesses]).update(created_at=aware(RECORDED))
    AuditEvent.objects.filter(
        content_type=ct, object_id__in=[str(b.pk) for b in businesses], action="registry.business.created"
    ).update(at=aware(RECORDED))
    # The 12-month follow-ups (July 2023): most alumni answer; four do not.
    answered = 0
    silent = set(rng.sample(sorted(passed), min(4, len(passed))))
    for business_id, p in sorted(passed.items()):
        if business_id in silent:
            continue
        # Fresh from the database: the registry was just updated, and the follow-up updates it again (its version).
        p = type(p).objects.select_related("business", "batch").get(pk=p.pk)
        business = p.business
        first = six.get(p.pk)
        training.followup_record(
            actor=officer,
            participant=p,
            months=12,
            contacted_on=dt.date(2023, 7, 24) + dt.timedelta(days=rng.randint(0, 12)),
            started_business=False,
            grew_business=bool(first and first.turnover and business.turnover and business.turnover > first.turnover)
            or bool(first and first.grew_business),
            nib_registered=bool(business.nib),
            joined_centre=bool(first and first.joined_centre),
            centre_name=first.centre_name if first else "",
            turnover=business.turnover,
            workforce=business.workforce_total,
            notes="Dihubungi melalui telepon.",
        )
        answered += 1
    starters = ctx.objects.get("training_batch_2024")
    started = 0
    if starters is not None:
        people = list(starters.participants.filter(result=ParticipantResult.PASSED).order_by("pk"))
        for p in people[:-2]:  # the last two could not be reached
            first = p.followups.filter(months=6).first()
            if first is None:
                continue
            training.followup_record(
                actor=officer,
                participant=p,
                months=12,
                contacted_on=dt.date(2025, 8, 18) + dt.timedelta(days=rng.randint(0, 10)),
                started_business=first.started_business,
                nib_registered=first.nib_registered,
                turnover=(first.turnover * Decimal("1.25")).quantize(Decimal(1000)) if first.turnover else None,
                workforce=first.workforce,
                notes="Kunjungan ke tempat usaha." if first.started_business else "Masih menyiapkan modal usaha.",
            )
            started += int(first.started_business)
    ctx.log(
        f"  riwayat evaluasi: {len(businesses)} usaha Kendari, {nib_new} NIB baru, "
        f"tindak lanjut 12 bulan {answered} dari {len(passed)} alumni 2022, {started} wirausaha baru 2024"
    )


def load_summaries(ctx: DemoContext) -> None:
    from sentra.reports.evaluation import evaluation_refresh
    from sentra.reports.outcomes import outcome_summaries_refresh
    from sentra.reports.programme import programme_refresh

    load_evaluation_history(ctx)
    regions = set(Business.objects.values_list("region_id", flat=True).distinct())
    rows = summary_refresh(region_ids=regions)
    ctx.log(f"  {rows} baris ringkasan untuk {len(regions)} kabupaten/kota")
    ctx.log(f"  {programme_refresh()} baris ringkasan program")
    ctx.log(f"  {outcome_summaries_refresh()} ringkasan hasil program")
    ctx.log(f"  {evaluation_refresh()} ringkasan evaluasi dampak program")
