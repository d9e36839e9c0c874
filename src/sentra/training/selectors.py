"""Read use-cases of training."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.querysets import scoped_get_or_404
from sentra.periodic.periods import add_months
from sentra.training.choices import BatchStatus, ParticipantStatus
from sentra.training.followup_reports import FOLLOWUP_POINTS, alumni
from sentra.training.models import Batch, BatchDay, Certificate, FollowUp, Participant, Programme, Session


def passed_q(prefix: str = "") -> Q:
    """A participation that counts as trained ("lulus"): accepted in a class that was not cancelled, and passed.
    The one definition behind the dashboard's "lulus", the programme results' "Lulus pelatihan" and the class
    pages (``prefix`` reaches the participant from another model, e.g. ``"participants__"``)."""
    from sentra.training.choices import BatchStatus, ParticipantResult

    return Q(
        **{
            f"{prefix}status": ParticipantStatus.ACCEPTED,
            f"{prefix}result": ParticipantResult.PASSED,
        }
    ) & ~Q(**{f"{prefix}batch__status": BatchStatus.CANCELLED})


def batch_list(*, user: Any) -> QuerySet[Batch]:
    return (
        Batch.objects.visible_to(user)
        .select_related("programme", "region")
        .annotate(accepted_count=Count("participants", filter=Q(participants__status=ParticipantStatus.ACCEPTED)))
    )


def batch_years(user: Any) -> list[int]:
    """The years in which classes of the user's scope start (a year source of ``core.years``)."""
    return [d.year for d in Batch.objects.visible_to(user).order_by().dates("start_date", "year")]


def batch_get(*, user: Any, pk: Any, action: str = "view") -> Batch:
    qs = Batch.objects.select_related("programme", "region").prefetch_related(
        "trainers",
        "external_trainers",
        "eligible_regions",
        Prefetch("days", queryset=BatchDay.objects.order_by("date")),
        Prefetch(
            "days__sessions",
            queryset=Session.objects.select_related("module", "trainer", "external_trainer").order_by("start_time"),
        ),
        "programme__modules",
    )
    return scoped_get_or_404(qs, user, pk, action)


def programme_list(*, user: Any) -> QuerySet[Programme]:
    return Programme.objects.visible_to(user).select_related("region").annotate(batch_count=Count("batches"))


def programme_get(*, user: Any, pk: Any, action: str = "view") -> Programme:
    return scoped_get_or_404(
        Programme.objects.select_related("region").prefetch_related("modules", "batches"), user, pk, action
    )


def participants(*, user: Any, batch: Batch) -> QuerySet[Participant]:
    """The batch's participants the user may see (a business owner sees only themself)."""
    return (
        Participant.objects.visible_to(user)
        .filter(batch=batch)
        .select_related("owner", "business", "certificate")
        .order_by(Coalesce("owner__full_name", "applicant_name"), "id")  # unmatched applicants by the typed name
    )


def participant_get(*, user: Any, batch: Batch, pk: Any, action: str = "view") -> Participant:
    qs = Participant.objects.filter(batch=batch).select_related("owner", "business", "batch", "batch__programme")
    return scoped_get_or_404(qs, user, pk, action)


def certificate_get(*, user: Any, pk: Any) -> Certificate:
    """A certificate whose participant the user may see."""
    from django.http import Http404

    cert = (
        Certificate.objects.select_related(
            "participant", "participant__owner", "participant__batch", "participant__batch__region"
        )
        .filter(pk=pk, participant__in=Participant.objects.visible_to(user).values("pk"))
        .first()
    )
    owner = cert.participant.owner if cert is not None else None
    if cert is None or not (
        user.is_superuser
        or user.has_perm("training.view_certificate")
        or (owner is not None and owner.user_id == user.pk)
    ):
        raise Http404
    return cert


#: What the public verification shows (UU PDP): the name, the programme and the dates, never NIK or contact.
VERIFY_FIELDS = (
    "code",
    "holder_name",
    "programme_title",
    "organiser",
    "start_date",
    "end_date",
    "hours_jp",
    "issued_at",
    "revoked_at",
    "revoked_reason",
)


def certificate_for_verification(code: str) -> Certificate | None:
    """A certificate by its public code, for anyone holding the code (the page /verifikasi/<code>/ and the API).

    Not scoped on purpose: only the public fields are loaded.
    """
    code = code.replace("\x00", "").strip()
    return Certificate.objects.filter(code__iexact=code).only(*VERIFY_FIELDS).first()


def my_participations(*, user: Any) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(owner__user=user)
        .select_related("batch", "batch__programme", "certificate")
        .prefetch_related("notices")
        .order_by("-batch__start_date", "-id")
    )


def batch_report(batch: Batch) -> dict[str, Any]:
    """The facts of the batch report (laporan pelaksanaan): participants, attendance, score gain, evaluation, cost."""
    from decimal import Decimal

    from django.conf import settings

    from sentra.training.services import evaluation_summary, programme_hours

    days = batch.days.count()
    rows = list(
        batch.participants.filter(status=ParticipantStatus.ACCEPTED)
        .select_related("owner", "business", "certificate")
        .annotate(present_days=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("owner__full_name", "id")
    )
    participants: list[dict[str, Any]] = []
    rule = batch.programme.pass_rule(days)
    for p in rows:
        pct = (Decimal(p.present_days * 100) / days).quantize(Decimal("0.01")) if days else None
        cert = getattr(p, "certificate", None)
        check = rule.check(present_days=p.present_days, post_test=p.post_test) if p.result == "failed" else None
        participants.append(
            {
                "name": p.owner.full_name if p.owner else p.applicant_name,
                "business": p.business.name if p.business else (p.planned_business or "–"),
                "attendance_pct": pct,
                "pre_test": p.pre_test,
                "post_test": p.post_test,
                "gain": p.gain,
                "result": p.get_result_display() if p.result else "–",
                "reason": check.reason_text if check else "",
                "certificate": (cert.code + (" (dicabut)" if cert.is_revoked else "")) if cert else "–",
            }
        )

    def avg(key: str) -> Decimal | None:
        values = [p[key] for p in participants if p[key] is not None]
        return (sum(values) / len(values)).quantize(Decimal("0.01")) if values else None

    trainers = [t.full_name or t.username for t in batch.trainers.all()]
    trainers += [str(t) for t in batch.external_trainers.all()]
    return {
        "batch": batch,
        "agency": batch.organiser or settings.SENTRA_AGENCY_NAME,
        "days": days,
        "pass_rule": rule.text,
        "hours": programme_hours(batch.programme),
        "trainers": ", ".join(trainers) or "–",
        "applied": batch.participants.count(),
        "accepted": len(participants),
        "passed": sum(1 for p in rows if p.result == "passed"),
        "participants": participants,
        "attendance_avg": avg("attendance_pct"),
        "pre_avg": avg("pre_test"),
        "post_avg": avg("post_test"),
        "gain_avg": avg("gain"),
        "evaluation": evaluation_summary(batch),
        "cost": batch_costs(batch),
    }


def batch_costs(batch: Batch) -> list[tuple[str, Any]]:
    """(label, amount) from the linked DAK budget line: the line's amount, contracts and payments (realisasi)."""
    from django.db.models import Sum

    line = batch.budget_line
    if line is None:
        return []
    # Two aggregates: summing contract values across the payments join would count a contract once per payment.
    contracts = line.contracts.aggregate(value=Sum("value"))
    contracts.update(line.contracts.aggregate(paid=Sum("payments__amount")))
    return [
        (str(_("Mata anggaran")), str(line)),
        (str(_("Anggaran baris (Rp)")), line.total),
        (str(_("Nilai kontrak (Rp)")), contracts["value"] or 0),
        (str(_("Realisasi pembayaran (Rp)")), contracts["paid"] or 0),
    ]


def batch_open_list(*, limit: int = 50) -> list[Batch]:
    """Public: the classes open for applications (no personal data), soonest first."""
    from sentra.training.choices import ParticipantStatus

    return list(
        Batch.objects.open_for_applications()
        .select_related("programme", "region")
        .annotate(accepted_count=Count("participants", filter=Q(participants__status=ParticipantStatus.ACCEPTED)))
        .order_by("start_date", "id")[:limit]
    )


# --- Follow-up answer rates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRate:
    """One follow-up point (3, 6 or 12 months) of a set of alumni: answered / due."""

    months: int
    due: int
    answered: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.answered / self.due, 1) if self.due else None

    @property
    def missing(self) -> int:
        return self.due - self.answered


def followup_answers(
    participants: QuerySet[Participant], today: dt.date
) -> list[tuple[Participant, int, dt.date, bool]]:
    """Each alumnus's follow-up points that are due (the point has come, or it was answered early), with the
    point's day and whether it is answered. The one definition behind every answer rate. Two queries."""
    people = list(alumni(participants).select_related("batch", "owner").order_by("batch_id", "pk"))
    answered = set(
        FollowUp.objects.filter(participant__in=[p.pk for p in people]).values_list("participant_id", "months")
    )
    out = []
    for p in people:
        for months in FOLLOWUP_POINTS:
            point = add_months(p.batch.end_date, months)
            done = (p.pk, months) in answered
            if done or point <= today:
                out.append((p, months, point, done))
    return out


def followup_answer_rates(
    participants: QuerySet[Participant], today: dt.date | None = None
) -> dict[int, list[AnswerRate]]:
    """Answer rates per class and per point (3/6/12): the class page, the follow-up overview and the
    evaluation all count from here."""
    today = today or timezone.localdate()
    counts: dict[tuple[int, int], list[int]] = {}
    for p, months, _point, done in followup_answers(participants, today):
        c = counts.setdefault((p.batch_id, months), [0, 0])
        c[0] += 1
        c[1] += int(done)
    batch_ids = sorted({b for b, _m in counts})
    return {b: [AnswerRate(m, *counts.get((b, m), [0, 0])) for m in FOLLOWUP_POINTS] for b in batch_ids}


def batch_answer_rates(*, user: Any, batch: Batch, today: dt.date | None = None) -> list[AnswerRate]:
    rates = followup_answer_rates(Participant.objects.visible_to(user).filter(batch=batch), today)
    return rates.get(batch.pk) or [AnswerRate(m, 0, 0) for m in FOLLOWUP_POINTS]


def followup_missing(*, user: Any, batch: Batch, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The alumni of a class who have not answered a due follow-up point, oldest point first."""
    today = today or timezone.localdate()
    rows = followup_answers(Participant.objects.visible_to(user).filter(batch=batch), today)
    return sorted(
        ({"participant": p, "months": m, "point": point} for p, m, point, done in rows if not done),
        key=lambda r: (r["point"], r["participant"].owner.full_name),
    )


#: Classes on the follow-up overview (the latest ended first).
OVERVIEW_LIMIT = 50


def followup_overview(*, user: Any, today: dt.date | None = None) -> list[tuple[Batch, list[AnswerRate]]]:
    """The ended classes of the user's scope (latest first) with their answer rates per point: three queries
    at any number of classes."""
    today = today or timezone.localdate()
    batches = list(
        Batch.objects.visible_to(user)
        .filter(end_date__lt=today)
        .exclude(status=BatchStatus.CANCELLED)
        .select_related("region")
        .order_by("-end_date", "-id")[:OVERVIEW_LIMIT]
    )
    rates = followup_answer_rates(Participant.objects.visible_to(user).filter(batch__in=[b.pk for b in batches]), today)
    empty = [AnswerRate(m, 0, 0) for m in FOLLOWUP_POINTS]
    return [(b, rates.get(b.pk, empty)) for b in batches]
