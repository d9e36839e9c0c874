"""Computed progress figures of an allocation (docs/domain.md §3c: pagu, nilai RK, kontrak, penyaluran, penyerapan,
realisasi fisik, capaian output) and the conditions of each disbursement stage (PMK 198/PMK.07/2021).

Pure reads, used by services (to refuse a stage whose conditions fail), pages and the quarterly report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from sentra.budget.choices import FundKind, PlanStatus, TransferStatus
from sentra.budget.models import (
    ActivityPlan,
    Allocation,
    BudgetLine,
    Contract,
    DisbursementStage,
    Payment,
    ProgressReport,
    Transfer,
)
from sentra.core.formatting import format_rupiah as _format_rupiah

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def format_rupiah(value: Decimal) -> str:
    """Rupiah without sen, unless the amount has sen (a shortfall of Rp0,01 must not read "Rp0")."""
    value = Decimal(value)
    return _format_rupiah(value, 0 if value == value.to_integral_value() else 2)


def pct(part: Decimal, whole: Decimal) -> Decimal:
    """``part / whole`` in %, two decimals, half up; 0 when ``whole`` is 0."""
    if not whole:
        return ZERO
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def approved_plan(allocation: Allocation) -> ActivityPlan | None:
    return ActivityPlan.objects.filter(allocation=allocation, status=PlanStatus.APPROVED).first()


@dataclass
class LineFigures:
    line: BudgetLine
    contracted: Decimal
    paid: Decimal
    physical_pct: Decimal
    output_achieved: Decimal
    has_progress: bool
    #: The date of the latest progress report (None without one): the evidence behind ``physical_pct``.
    reported_on: dt.date | None = None

    @property
    def output_pct(self) -> Decimal:
        return min(pct(self.output_achieved, self.line.volume), HUNDRED)

    @property
    def absorption_pct(self) -> Decimal:
        return pct(self.paid, self.line.total)


@dataclass
class AllocationFigures:
    allocation: Allocation
    plan: ActivityPlan | None
    lines: list[LineFigures] = field(default_factory=list)
    plan_total: Decimal = ZERO
    contracted: Decimal = ZERO
    paid: Decimal = ZERO
    received: Decimal = ZERO
    requested: Decimal = ZERO

    @property
    def absorption_pct(self) -> Decimal:
        """Realisasi penyerapan as % of the funds received (penyaluran), docs/domain.md §3c."""
        return pct(self.paid, self.received)

    @property
    def absorption_of_pagu_pct(self) -> Decimal:
        return pct(self.paid, self.allocation.amount)

    def _weighted(self, attr: str) -> Decimal:
        # Weighted by each line's amount, so a large construction line counts more than a small purchase.
        if not self.plan_total:
            return ZERO
        total = sum((getattr(lf, attr) * lf.line.total for lf in self.lines), ZERO)
        return (total / self.plan_total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def physical_pct(self) -> Decimal:
        return self._weighted("physical_pct")

    @property
    def output_pct(self) -> Decimal:
        """Capaian output: each line's achieved/target volume (capped at 100 %), weighted by amount."""
        return self._weighted("output_pct")

    def output_reaches(self, minimum: Decimal) -> bool:
        """Exact comparison (no rounding): 69.995 % does not count as 70 %."""
        if not self.plan_total:
            return False
        achieved = sum(
            (
                min(lf.output_achieved / lf.line.volume, Decimal(1)) * lf.line.total
                for lf in self.lines
                if lf.line.volume
            ),
            ZERO,
        )
        return achieved * HUNDRED >= minimum * self.plan_total

    def target_centre_paid_reaches(self, minimum: Decimal) -> bool:
        target = sum((lf.paid for lf in self.lines if lf.line.for_target_centre), ZERO)
        return bool(self.paid) and target * HUNDRED >= minimum * self.paid

    @property
    def lines_without_progress(self) -> list[BudgetLine]:
        return [lf.line for lf in self.lines if not lf.has_progress]

    @property
    def target_centre_planned_pct(self) -> Decimal:
        target = sum((lf.line.total for lf in self.lines if lf.line.for_target_centre), ZERO)
        return pct(target, self.plan_total)

    @property
    def target_centre_paid_pct(self) -> Decimal:
        target = sum((lf.paid for lf in self.lines if lf.line.for_target_centre), ZERO)
        return pct(target, self.paid)


def _sum_of(qs: Any, field: str) -> Coalesce:
    summed = qs.order_by().values("region").annotate(s=Sum(field)).values("s")[:1]
    return Coalesce(Subquery(summed, output_field=MONEY), Value(ZERO, output_field=MONEY))


def line_figures(lines: Any, *, as_of: dt.date | None = None) -> list[LineFigures]:
    """Figures per line, as of a date when given, in one query (subqueries for sums and the latest progress)."""
    contracts = Contract.objects.filter(line=OuterRef("pk"))
    payments = Payment.objects.filter(contract__line=OuterRef("pk"))
    latest = ProgressReport.objects.filter(line=OuterRef("pk"))
    if as_of is not None:
        contracts = contracts.filter(signed_on__lte=as_of)
        payments = payments.filter(paid_on__lte=as_of)
        latest = latest.filter(reported_on__lte=as_of)
    latest = latest.order_by("-reported_on", "-id")
    qs = lines.annotate(
        contracted=_sum_of(contracts, "value"),
        paid=_sum_of(payments, "amount"),
        last_physical=Subquery(latest.values("physical_pct")[:1]),
        last_output=Subquery(latest.values("output_achieved")[:1]),
        last_reported=Subquery(latest.values("reported_on")[:1]),
    )
    return [
        LineFigures(
            line=line,
            contracted=line.contracted,
            paid=line.paid,
            physical_pct=line.last_physical if line.last_physical is not None else ZERO,
            output_achieved=line.last_output if line.last_output is not None else ZERO,
            has_progress=line.last_physical is not None,
            reported_on=line.last_reported,
        )
        for line in qs
    ]


def allocation_figures(
    allocation: Allocation, *, plan: ActivityPlan | None = None, as_of: dt.date | None = None
) -> AllocationFigures:
    plan = plan or approved_plan(allocation)
    figures = AllocationFigures(allocation=allocation, plan=plan)
    if plan is not None:
        lines = (
            BudgetLine.objects.filter(plan=plan).select_related("sub_menu", "sub_menu__menu").order_by("order", "id")
        )
        figures.lines = line_figures(lines, as_of=as_of)
        figures.plan_total = sum((lf.line.total for lf in figures.lines), ZERO)
        figures.contracted = sum((lf.contracted for lf in figures.lines), ZERO)
        figures.paid = sum((lf.paid for lf in figures.lines), ZERO)
    transfers = list(
        Transfer.objects.filter(allocation=allocation)
        .exclude(status=TransferStatus.REJECTED)
        .only("amount", "status", "received_on", "requested_on")
    )
    for t in transfers:
        if as_of is not None and t.requested_on > as_of:
            continue
        figures.requested += t.amount
        if t.status == TransferStatus.RECEIVED and (as_of is None or (t.received_on and t.received_on <= as_of)):
            figures.received += t.amount
    return figures


# --- Disbursement conditions (PMK 198/PMK.07/2021, docs/domain.md §3c) -------------------------------------------


@dataclass(frozen=True)
class Condition:
    key: str
    label: str
    met: bool
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "met": self.met, "detail": self.detail}


@dataclass
class StageCheck:
    """Whether a stage (or the single transfer, ``stage=None``) can be requested now, and for how much."""

    stage: DisbursementStage | None
    amount: Decimal
    conditions: list[Condition]
    existing: Transfer | None = None

    @property
    def ok(self) -> bool:
        return self.existing is None and all(c.met for c in self.conditions)

    @property
    def missing(self) -> list[Condition]:
        return [c for c in self.conditions if not c.met]

    @property
    def label(self) -> str:
        return self.stage.name if self.stage else _("Penyaluran sekaligus")


def is_single_transfer(allocation: Allocation) -> bool:
    """docs/domain.md §3c: the pagu is paid at once when it is at most the year's limit (Rp1 M under PMK 198/2021)."""
    fund = allocation.fund
    limit = fund.single_transfer_limit
    if limit is None:
        return False
    return allocation.amount <= limit if fund.single_transfer_inclusive else allocation.amount < limit


def _plan_condition(figures: AllocationFigures) -> Condition:
    return Condition(
        "approved_plan",
        _("Rencana kegiatan disetujui kementerian"),
        figures.plan is not None,
        "" if figures.plan else _("Ajukan rencana kegiatan dan tunggu persetujuan kementerian."),
    )


def _contracts_condition(figures: AllocationFigures) -> Condition:
    count = Contract.objects.filter(line__plan=figures.plan).count() if figures.plan else 0
    return Condition(
        "contracts",
        _("Daftar kontrak tersedia"),
        count > 0,
        _("{n} kontrak tercatat.").format(n=count) if count else _("Catat minimal satu kontrak pada baris anggaran."),
    )


def _deadline_condition(stage: DisbursementStage, on: dt.date) -> list[Condition]:
    out = []
    if stage.opens_on:
        out.append(
            Condition(
                "opens",
                _("Tahap sudah dibuka (mulai {date})").format(date=stage.opens_on.strftime("%d-%m-%Y")),
                on >= stage.opens_on,
                "" if on >= stage.opens_on else _("Tahap ini belum dapat diajukan sebelum tanggal tersebut."),
            )
        )
    if stage.documents_due:
        out.append(
            Condition(
                "deadline",
                _("Dokumen disampaikan paling lambat {date}").format(date=stage.documents_due.strftime("%d-%m-%Y")),
                on <= stage.documents_due,
                "" if on <= stage.documents_due else _("Batas penyampaian dokumen tahap ini sudah lewat."),
            )
        )
    return out


def stage_check(allocation: Allocation, stage: DisbursementStage | None, *, on: dt.date) -> StageCheck:
    """Evaluate every condition of ``stage`` for ``allocation`` as of ``on`` (PMK 198/2021, docs/domain.md §3c)."""
    figures = allocation_figures(allocation)
    transfers = list(Transfer.objects.filter(allocation=allocation).exclude(status=TransferStatus.REJECTED))
    conditions: list[Condition] = []
    single = is_single_transfer(allocation)
    limit_text = format_rupiah(allocation.fund.single_transfer_limit or ZERO)
    if stage is None:
        existing = next((t for t in transfers if t.stage_id is None), None)
        conditions.append(
            Condition(
                "single",
                _("Pagu paling banyak {limit}: disalurkan sekaligus").format(limit=limit_text),
                single,
                "" if single else _("Pagu daerah ini melebihi batas; salurkan per tahap."),
            )
        )
        conditions += [_plan_condition(figures), _contracts_condition(figures)]
        return StageCheck(None, existing.amount if existing else allocation.amount, conditions, existing)

    existing = next((t for t in transfers if t.stage_id == stage.pk), None)
    conditions.append(
        Condition(
            "staged",
            _("Pagu melebihi {limit}: disalurkan bertahap").format(limit=limit_text),
            not single,
            ""
            if not single
            else _("Pagu paling banyak {limit} disalurkan sekaligus, bukan per tahap.").format(limit=limit_text),
        )
    )
    earlier = list(DisbursementStage.objects.filter(fund=allocation.fund, number__lt=stage.number))
    received_ids = {t.stage_id for t in transfers if t.status == TransferStatus.RECEIVED}
    not_received = [s.name for s in earlier if s.pk not in received_ids]
    if earlier:
        conditions.append(
            Condition(
                "previous",
                _("Tahap sebelumnya sudah diterima di RKUD"),
                not not_received,
                _("Belum diterima: {stages}.").format(stages=", ".join(not_received)) if not_received else "",
            )
        )
    if stage.requires_approved_plan:
        conditions.append(_plan_condition(figures))
    if stage.requires_contracts:
        conditions.append(_contracts_condition(figures))
    if stage.min_absorption_pct is not None:
        needed = (figures.received * stage.min_absorption_pct / HUNDRED).quantize(Decimal("0.01"))
        met = figures.received > 0 and figures.paid >= needed
        conditions.append(
            Condition(
                "absorption",
                _("Penyerapan minimal {pct}% dari dana yang diterima").format(pct=_num(stage.min_absorption_pct)),
                met,
                _("Penyerapan {now}% ({paid} dari {received}).").format(
                    now=_num(figures.absorption_pct),
                    paid=format_rupiah(figures.paid),
                    received=format_rupiah(figures.received),
                )
                + (
                    ""
                    if met
                    else " " + _("Kurang {short} lagi.").format(short=format_rupiah(max(needed - figures.paid, ZERO)))
                ),
            )
        )
    if stage.requires_output_report:
        missing = figures.lines_without_progress
        conditions.append(
            Condition(
                "output_report",
                _("Laporan capaian output untuk setiap baris"),
                figures.plan is not None and not missing,
                _("Belum dilaporkan: {lines}.").format(lines="; ".join(str(line) for line in missing[:5]))
                if missing
                else "",
            )
        )
    if stage.min_output_pct is not None:
        met = figures.output_reaches(stage.min_output_pct)
        conditions.append(
            Condition(
                "output",
                _("Capaian output minimal {pct}%").format(pct=_num(stage.min_output_pct)),
                met,
                _("Capaian output saat ini {now}%.").format(now=_num(figures.output_pct)),
            )
        )
    conditions += _deadline_condition(stage, on)
    if stage.is_remainder:
        # "Sisa kebutuhan" is contract-based: the contracts (up to the pagu) minus what was already transferred.
        need = min(figures.contracted, allocation.amount) - figures.requested
        amount = max(need, ZERO)
        conditions.append(
            Condition(
                "remainder",
                _("Masih ada sisa kebutuhan berdasarkan kontrak"),
                amount > 0,
                _("Sisa kebutuhan {amount}.").format(amount=format_rupiah(amount)),
            )
        )
    else:
        amount = (allocation.amount * (stage.percent or ZERO) / HUNDRED).quantize(Decimal("0.01"))
        room = allocation.amount - figures.requested
        conditions.append(
            Condition(
                "room",
                _("Jumlah tahap tidak melebihi sisa pagu"),
                amount <= room,
                _("Sisa pagu yang belum disalurkan {room}.").format(room=format_rupiah(room)),
            )
        )
    return StageCheck(stage, existing.amount if existing else amount, conditions, existing)


def stage_checks(allocation: Allocation, *, on: dt.date) -> list[StageCheck]:
    if is_single_transfer(allocation):
        return [stage_check(allocation, None, on=on)]
    return [stage_check(allocation, s, on=on) for s in allocation.fund.stages.all()]


def _num(value: Decimal) -> str:
    from sentra.core.formatting import format_number

    return format_number(value, 0 if value == value.to_integral_value() else 2)


def payments_total(contract: Contract) -> Decimal:
    return Payment.objects.filter(contract=contract).aggregate(s=Sum("amount"))["s"] or ZERO


def is_nonfisik(allocation: Allocation) -> bool:
    return allocation.fund.kind == FundKind.NONFISIK
