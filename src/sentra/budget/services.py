"""Write use-cases of the DAK budget (STYLE C): every change goes through here, inside a transaction, audited.

The sum rules are checked with the parent row locked (``select_for_update``), so two officers saving at the
same moment cannot together exceed a ceiling:

- allocations of a fund ≤ the fund's national ceiling (lock: the fund);
- lines of a plan ≤ the region's allocation (lock: the allocation);
- contracts of a line ≤ the line's amount (lock: the line);
- payments of a contract ≤ the contract value (lock: the contract).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.budget import figures as fig
from sentra.budget.choices import AllocationSource, PlanStatus, TransferStatus
from sentra.budget.models import (
    ActivityPlan,
    Allocation,
    BudgetLine,
    Contract,
    DisbursementStage,
    Fund,
    Payment,
    PlanStep,
    ProgressPhoto,
    ProgressReport,
    SubMenu,
    Transfer,
)
from sentra.core.audit import audit_record, audited_create, audited_save, record_change
from sentra.core.errors import DomainError
from sentra.core.events import notify_changed
from sentra.core.scope import ensure_in_scope
from sentra.core.uploads import PHOTOS, save_file, storing, validate_upload
from sentra.core.versioning import save_versioned

ZERO = Decimal(0)

LINE_FIELDS = (
    "sub_menu",
    "description",
    "output_name",
    "unit",
    "volume",
    "unit_cost",
    "location",
    "district",
    "centre",
    "for_target_centre",
    "order",
)
CONTRACT_FIELDS = ("vendor", "number", "signed_on", "value", "starts_on", "ends_on")


def _rp(value: Decimal) -> str:
    return fig.format_rupiah(value)


# --- Allocations --------------------------------------------------------------------------------------------


@transaction.atomic
def allocation_set(
    *,
    actor: Any,
    fund: Fund,
    region: Any,
    amount: Decimal,
    note: str = "",
    source: str = AllocationSource.ENTERED,
    expected_version: int | None = None,
) -> Allocation:
    """Enter or change the pagu of one region. The fund's allocations never exceed its ceiling."""
    region_id = getattr(region, "pk", region)
    existing = Allocation.objects.filter(fund=fund, region_id=region_id).first()
    ensure_in_scope(actor, region_id, perm="budget.change_allocation" if existing else "budget.add_allocation")
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Pagu harus lebih dari nol.")}, code="amount")
    locked = Fund.objects.select_for_update().get(pk=fund.pk)
    others = Allocation.objects.filter(fund=locked).exclude(region_id=region_id).aggregate(s=Sum("amount"))["s"] or ZERO
    if others + amount > locked.ceiling:
        raise DomainError(
            _(
                "Jumlah alokasi akan menjadi {total}, melebihi pagu nasional {ceiling}. Sisa yang dapat dialokasikan "
                "{room}."
            ).format(
                total=_rp(others + amount), ceiling=_rp(locked.ceiling), room=_rp(max(locked.ceiling - others, ZERO))
            ),
            code="over_ceiling",
        )
    if existing is not None:
        planned = (
            BudgetLine.objects.filter(plan__allocation=existing)
            .exclude(plan__status=PlanStatus.SUPERSEDED)
            .values("plan")
            .annotate(s=Sum("total"))
            .order_by("-s")
            .values_list("s", flat=True)
            .first()
        )
        if planned and amount < planned:
            raise DomainError(
                _("Pagu tidak boleh lebih kecil dari rencana kegiatan yang sudah disusun ({planned}).").format(
                    planned=_rp(planned)
                ),
                code="below_plan",
            )
        existing.amount = amount
        existing.note = note
        existing.source = source
        audited_save(existing, actor=actor, action="budget.allocation.updated", expected_version=expected_version)
        return existing
    allocation = Allocation(fund=locked, region_id=region_id, amount=amount, note=note, source=source)
    audited_create(allocation, actor=actor, action="budget.allocation.created")
    return allocation


# --- Activity plans -----------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor: Any, allocation: Allocation, title: str, notes: str = "") -> ActivityPlan:
    ensure_in_scope(actor, allocation.region_id, perm="budget.add_activityplan")
    if not allocation.fund.fiscal_year.is_open:
        raise DomainError(
            _("TA {year} sudah ditutup untuk perencanaan.").format(year=allocation.fund.fiscal_year.year), code="closed"
        )
    if ActivityPlan.objects.filter(allocation=allocation).exists():
        raise DomainError(
            _("Alokasi ini sudah memiliki rencana kegiatan. Ubah rencana itu, atau buat revisi bila sudah disetujui."),
            code="plan_exists",
        )
    plan = ActivityPlan(
        allocation=allocation,
        region_id=allocation.region_id,
        title=title,
        notes=notes,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    plan.full_clean()
    plan.save()
    PlanStep.objects.create(plan=plan, to_status=PlanStatus.DRAFT, **_actor(actor), comment=_("Draf dibuat"))
    audit_record(actor=actor, action="budget.activityplan.created", obj=plan, changes=plan.audit_changes())
    notify_changed(ActivityPlan, [plan.region_id])
    plan.audit_reset()
    return plan


def _editable(plan: ActivityPlan) -> None:
    if not plan.is_editable:
        raise DomainError(
            _("Rencana berstatus {status} dan terkunci. Perubahan hanya melalui revisi.").format(
                status=plan.get_status_display()
            ),
            code="frozen",
        )


@transaction.atomic
def plan_update(
    *, actor: Any, plan: ActivityPlan, expected_version: int | None = None, title: str, notes: str = ""
) -> ActivityPlan:
    ensure_in_scope(actor, plan.region_id, perm="budget.change_activityplan")
    _editable(plan)
    plan.title = title
    plan.notes = notes
    plan.full_clean()
    audited_save(
        plan, actor=actor, action="budget.activityplan.updated", expected_version=expected_version, only_if_changed=True
    )
    return plan


def _lines_total(plan: ActivityPlan, exclude: BudgetLine | None = None) -> Decimal:
    qs = BudgetLine.objects.filter(plan=plan)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs.aggregate(s=Sum("total"))["s"] or ZERO


def _check_line(line: BudgetLine, plan: ActivityPlan) -> None:
    """Domain rules of one line: menu of the plan's fund, total = volume × unit cost ≤ allocation."""
    allocation = Allocation.objects.select_for_update().get(pk=plan.allocation_id)
    if line.sub_menu_id and line.sub_menu.menu.fund_id != allocation.fund_id:
        raise ValidationError({"sub_menu": _("Sub-menu bukan bagian dari dana alokasi ini.")}, code="menu_fund")
    if line.volume is None or line.unit_cost is None:
        raise ValidationError(_("Isi volume dan harga satuan."), code="required")
    if line.centre is not None and line.centre.region_id != plan.region_id:
        raise ValidationError(
            {"centre": _("Pilih sentra IKM di {region}, wilayah rencana ini.").format(region=plan.region)},
            code="centre_region",
        )
    line.total = line.compute_total()
    line.full_clean()
    total = _lines_total(plan, exclude=line) + line.total
    if total > allocation.amount:
        raise DomainError(
            _("Jumlah rencana kegiatan akan menjadi {total}, melebihi pagu alokasi {pagu}. Sisa pagu {room}.").format(
                total=_rp(total),
                pagu=_rp(allocation.amount),
                room=_rp(max(allocation.amount - (total - line.total), ZERO)),
            ),
            code="over_allocation",
        )
    if line.origin_id:
        # A revision's copy may not fall below what was already contracted on the approved line.
        contracted = (
            Contract.objects.filter(Q(line_id=line.origin_id) | Q(line__origin_id=line.origin_id))
            .exclude(line__plan=plan)
            .aggregate(s=Sum("value"))["s"]
            or ZERO
        )
        if line.total < contracted:
            raise DomainError(
                _("Jumlah baris tidak boleh di bawah nilai kontrak yang sudah ditandatangani ({value}).").format(
                    value=_rp(contracted)
                ),
                code="below_contracts",
            )


@transaction.atomic
def line_add(*, actor: Any, plan: ActivityPlan, **fields: Any) -> BudgetLine:
    ensure_in_scope(actor, plan.region_id, perm="budget.add_budgetline")
    plan = ActivityPlan.objects.select_for_update().get(pk=plan.pk)
    _editable(plan)
    line = BudgetLine(plan=plan, region_id=plan.region_id, **{k: v for k, v in fields.items() if k in LINE_FIELDS})
    if not line.order:
        line.order = BudgetLine.objects.filter(plan=plan).count() + 1
    _check_line(line, plan)
    audited_create(line, actor=actor, action="budget.budgetline.created", clean=False)
    return line


@transaction.atomic
def line_update(*, actor: Any, line: BudgetLine, expected_version: int | None = None, **fields: Any) -> BudgetLine:
    ensure_in_scope(actor, line.region_id, perm="budget.change_budgetline")
    plan = ActivityPlan.objects.select_for_update().get(pk=line.plan_id)
    _editable(plan)
    for name, value in fields.items():
        if name in LINE_FIELDS:
            setattr(line, name, value)
    _check_line(line, plan)
    audited_save(
        line, actor=actor, action="budget.budgetline.updated", expected_version=expected_version, only_if_changed=True
    )
    return line


@transaction.atomic
def line_delete(*, actor: Any, line: BudgetLine) -> None:
    ensure_in_scope(actor, line.region_id, perm="budget.delete_budgetline")
    plan = ActivityPlan.objects.select_for_update().get(pk=line.plan_id)
    _editable(plan)
    if (
        line.origin_id
        and Contract.objects.filter(Q(line_id=line.origin_id) | Q(line__origin_id=line.origin_id)).exists()
    ):
        raise DomainError(
            _("Baris ini sudah memiliki kontrak pada versi yang disetujui dan tidak dapat dihapus."),
            code="has_contracts",
        )
    audit_record(actor=actor, action="budget.budgetline.deleted", obj=line, changes={"total": [str(line.total), None]})
    notify_changed(BudgetLine, [line.region_id])
    line.delete()


# --- Workflow: draft → submitted (regency) → verified (province) → approved (ministry) ------------------------

#: (action, allowed from-statuses, to-status, permission). Anything else is refused.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "submit": ((PlanStatus.DRAFT, PlanStatus.RETURNED), PlanStatus.SUBMITTED, "budget.submit_activityplan"),
    "verify": ((PlanStatus.SUBMITTED,), PlanStatus.VERIFIED, "budget.verify_activityplan"),
    "approve": ((PlanStatus.VERIFIED,), PlanStatus.APPROVED, "budget.approve_activityplan"),
}
#: Returning goes back one level: the province returns a submitted plan, the ministry a verified one.
RETURN_PERMS: dict[str, str] = {  # plan status → the permission to send it back
    PlanStatus.SUBMITTED: "budget.verify_activityplan",
    PlanStatus.VERIFIED: "budget.approve_activityplan",
}


def _actor(actor: Any) -> dict[str, Any]:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return {"actor": user, "actor_name": user.get_username() if user else "sistem"}


def _illegal(plan: ActivityPlan, action: str) -> DomainError:
    labels = {
        "submit": _("diajukan"),
        "verify": _("diverifikasi"),
        "approve": _("disetujui"),
        "return": _("dikembalikan"),
    }
    return DomainError(
        _("Rencana berstatus {status} tidak dapat {action}.").format(
            status=plan.get_status_display(), action=labels.get(action, action)
        ),
        code="illegal_transition",
    )


def _transition(*, actor: Any, plan: ActivityPlan, to: str, comment: str, expected_version: int | None) -> ActivityPlan:
    before = plan.status
    plan.status = to
    now = timezone.now()
    if to == PlanStatus.SUBMITTED:
        plan.submitted_at = now
    elif to == PlanStatus.VERIFIED:
        plan.verified_at = now
    elif to == PlanStatus.APPROVED:
        plan.approved_at = now
    changes = plan.audit_changes()
    save_versioned(plan, expected_version)
    PlanStep.objects.create(plan=plan, from_status=before, to_status=to, comment=comment, **_actor(actor))
    record_change(plan, actor=actor, action=f"budget.activityplan.{to}", changes=changes, note=comment[:500])
    return plan


@transaction.atomic
def plan_advance(
    *, actor: Any, plan: ActivityPlan, action: str, comment: str = "", expected_version: int | None = None
) -> ActivityPlan:
    """Move a plan one step forward (``submit``, ``verify``, ``approve``), or refuse an illegal step."""
    if action not in TRANSITIONS:
        raise _illegal(plan, action)
    sources, to, perm = TRANSITIONS[action]
    ensure_in_scope(actor, plan.region_id, perm=perm)
    plan = ActivityPlan.objects.select_for_update().select_related("allocation__fund").get(pk=plan.pk)
    if plan.status not in sources:
        raise _illegal(plan, action)
    if action == "submit":
        _check_submittable(plan)
    if action == "approve":
        _carry_realisation(actor=actor, plan=plan)
    return _transition(actor=actor, plan=plan, to=to, comment=comment, expected_version=expected_version)


def _check_submittable(plan: ActivityPlan) -> None:
    allocation = Allocation.objects.select_for_update().select_related("fund").get(pk=plan.allocation_id)
    lines = list(BudgetLine.objects.filter(plan=plan))
    if not lines:
        raise DomainError(_("Rencana belum memiliki baris kegiatan."), code="empty")
    total = sum((line.total for line in lines), ZERO)
    if total > allocation.amount:
        raise DomainError(
            _("Jumlah rencana {total} melebihi pagu {pagu}.").format(total=_rp(total), pagu=_rp(allocation.amount)),
            code="over_allocation",
        )
    minimum = allocation.fund.target_centre_min_pct
    if minimum is not None:
        # docs/domain.md §3b: DAK Nonfisik, at least 70 % to the target sentra.
        target = sum((line.total for line in lines if line.for_target_centre), ZERO)
        share = fig.pct(target, total)
        if target * 100 < minimum * total:  # exact: 69.999 % is not 70 %
            raise DomainError(
                _(
                    "Porsi untuk sentra sasaran baru {share}% dari rencana; minimal {minimum}% (DAK Nonfisik). "
                    "Tandai baris yang untuk sentra sasaran atau kurangi baris lain."
                ).format(share=fig._num(share), minimum=fig._num(minimum)),
                code="target_centre_share",
            )


def _carry_realisation(*, actor: Any, plan: ActivityPlan) -> None:
    """On approval of a revision: contracts and progress move to the new copy of their line; the old approved
    version becomes superseded (kept, read-only)."""
    old = (
        ActivityPlan.objects.select_for_update().filter(allocation=plan.allocation, status=PlanStatus.APPROVED).first()
    )
    if old is None:
        return
    new_lines = {line.origin_id: line for line in BudgetLine.objects.filter(plan=plan) if line.origin_id}
    for old_line in BudgetLine.objects.filter(plan=old):
        key = old_line.origin_id or old_line.pk
        target = new_lines.get(key)
        has_data = old_line.contracts.exists() or old_line.progress.exists()
        if target is None:
            if has_data:
                raise DomainError(
                    _('Baris "{line}" memiliki kontrak atau laporan kemajuan tetapi tidak ada di revisi.').format(
                        line=old_line
                    ),
                    code="line_dropped",
                )
            continue
        contracted = old_line.contracts.aggregate(s=Sum("value"))["s"] or ZERO
        if target.total < contracted:
            raise DomainError(
                _('Baris "{line}" pada revisi lebih kecil dari nilai kontraknya ({value}).').format(
                    line=target, value=_rp(contracted)
                ),
                code="below_contracts",
            )
        Contract.objects.filter(line=old_line).update(line=target)
        ProgressReport.objects.filter(line=old_line).update(line=target)
    notify_changed(ProgressReport, [old.region_id])  # realisation moved by QuerySet.update()
    before = old.status
    old.status = PlanStatus.SUPERSEDED
    old.save(update_fields=["status", "updated_at"])
    PlanStep.objects.create(
        plan=old,
        from_status=before,
        to_status=PlanStatus.SUPERSEDED,
        comment=_("Digantikan revisi ke-{n}").format(n=plan.revision),
        **_actor(actor),
    )
    audit_record(
        actor=actor,
        action="budget.activityplan.superseded",
        obj=old,
        changes={"status": [before, PlanStatus.SUPERSEDED]},
    )


@transaction.atomic
def plan_return(*, actor: Any, plan: ActivityPlan, reason: str, expected_version: int | None = None) -> ActivityPlan:
    """Send a plan back to the regency/city with a reason (by the province or the ministry)."""
    plan = ActivityPlan.objects.select_for_update().get(pk=plan.pk)
    perm = RETURN_PERMS.get(plan.status)
    if perm is None:
        raise _illegal(plan, "return")
    ensure_in_scope(actor, plan.region_id, perm=perm)
    if not (reason or "").strip():
        raise ValidationError({"comment": _("Tuliskan alasan pengembalian agar kabupaten/kota dapat memperbaikinya.")})
    return _transition(
        actor=actor, plan=plan, to=PlanStatus.RETURNED, comment=reason.strip(), expected_version=expected_version
    )


@transaction.atomic
def plan_revise(*, actor: Any, plan: ActivityPlan, reason: str) -> ActivityPlan:
    """Open a revision of an approved plan: a new draft version with copies of its lines; the old stays."""
    ensure_in_scope(actor, plan.region_id, perm="budget.add_activityplan")
    plan = ActivityPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.APPROVED:
        raise _illegal(plan, "revise")
    if (
        ActivityPlan.objects.filter(allocation=plan.allocation, status__in=PlanStatus.values)
        .exclude(status__in=[PlanStatus.APPROVED, PlanStatus.SUPERSEDED])
        .exists()
    ):
        raise DomainError(_("Sudah ada revisi yang sedang disusun untuk rencana ini."), code="revision_open")
    if not (reason or "").strip():
        raise ValidationError({"comment": _("Tuliskan alasan revisi.")})
    last = ActivityPlan.objects.filter(allocation=plan.allocation).order_by("-revision").first()
    new = ActivityPlan.objects.create(
        allocation=plan.allocation,
        region_id=plan.region_id,
        revision=(last.revision if last else plan.revision) + 1,
        previous=plan,
        title=plan.title,
        notes=plan.notes,
        revision_reason=reason.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for line in BudgetLine.objects.filter(plan=plan):
        origin = line.origin_id or line.pk
        line.pk = None
        line.id = None
        line._state.adding = True
        line.plan = new
        line.origin_id = origin
        line.version = 1
        line.save()
    PlanStep.objects.create(plan=new, to_status=PlanStatus.DRAFT, comment=reason.strip(), **_actor(actor))
    audit_record(
        actor=actor,
        action="budget.activityplan.revised",
        obj=new,
        changes={"revision": [plan.revision, new.revision]},
        note=reason.strip()[:500],
    )
    notify_changed(ActivityPlan, [new.region_id])
    return new


# --- Contracts and payments ---------------------------------------------------------------------------------


def _realisable_line(line: BudgetLine) -> None:
    if line.plan.status != PlanStatus.APPROVED:
        raise DomainError(
            _("Kontrak, pembayaran dan kemajuan hanya dicatat pada baris rencana yang sudah disetujui."),
            code="plan_not_approved",
        )


def _check_contract(contract: Contract, line: BudgetLine) -> None:
    contract.full_clean()
    if contract.ends_on and contract.starts_on and contract.ends_on < contract.starts_on:
        raise ValidationError({"ends_on": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
    others = Contract.objects.filter(line=line).exclude(pk=contract.pk).aggregate(s=Sum("value"))["s"] or ZERO
    if others + contract.value > line.total:
        raise DomainError(
            _("Nilai kontrak baris ini akan menjadi {total}, melebihi jumlah baris {amount}. Sisa {room}.").format(
                total=_rp(others + contract.value), amount=_rp(line.total), room=_rp(max(line.total - others, ZERO))
            ),
            code="over_line",
        )
    if contract.pk:
        paid = Payment.objects.filter(contract=contract).aggregate(s=Sum("amount"))["s"] or ZERO
        if contract.value < paid:
            raise DomainError(
                _("Nilai kontrak tidak boleh di bawah pembayaran yang sudah dicatat ({paid}).").format(paid=_rp(paid)),
                code="below_payments",
            )


@transaction.atomic
def contract_add(*, actor: Any, line: BudgetLine, **fields: Any) -> Contract:
    ensure_in_scope(actor, line.region_id, perm="budget.add_contract")
    line = BudgetLine.objects.select_for_update().select_related("plan").get(pk=line.pk)
    _realisable_line(line)
    contract = Contract(
        line=line, region_id=line.region_id, **{k: v for k, v in fields.items() if k in CONTRACT_FIELDS}
    )
    _check_contract(contract, line)
    audited_create(contract, actor=actor, action="budget.contract.created", clean=False, notify=False)
    return contract


@transaction.atomic
def contract_update(*, actor: Any, contract: Contract, expected_version: int | None = None, **fields: Any) -> Contract:
    ensure_in_scope(actor, contract.region_id, perm="budget.change_contract")
    line = BudgetLine.objects.select_for_update().select_related("plan").get(pk=contract.line_id)
    _realisable_line(line)
    for name, value in fields.items():
        if name in CONTRACT_FIELDS:
            setattr(contract, name, value)
    _check_contract(contract, line)
    audited_save(
        contract,
        actor=actor,
        action="budget.contract.updated",
        expected_version=expected_version,
        only_if_changed=True,
        notify=False,
    )
    return contract


@transaction.atomic
def payment_record(
    *, actor: Any, contract: Contract, paid_on: dt.date, amount: Decimal, reference: str = "", note: str = ""
) -> Payment:
    """A payment against a contract; the payments never exceed the contract value."""
    ensure_in_scope(actor, contract.region_id, perm="budget.add_payment")
    contract = Contract.objects.select_for_update().select_related("line__plan").get(pk=contract.pk)
    _realisable_line(contract.line)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Jumlah pembayaran harus lebih dari nol.")})
    if paid_on < contract.signed_on:
        raise ValidationError({"paid_on": _("Tanggal bayar tidak boleh sebelum tanggal kontrak.")})
    paid = fig.payments_total(contract)
    if paid + amount > contract.value:
        raise DomainError(
            _(
                "Pembayaran akan menjadi {total}, melebihi nilai kontrak {value}. Sisa yang dapat dibayar {room}."
            ).format(total=_rp(paid + amount), value=_rp(contract.value), room=_rp(contract.value - paid)),
            code="over_contract",
        )
    payment = Payment(
        contract=contract, region_id=contract.region_id, paid_on=paid_on, amount=amount, reference=reference, note=note
    )
    audited_create(payment, actor=actor, action="budget.payment.created")
    return payment


# --- Transfers (penyaluran), PMK 198/PMK.07/2021, docs/domain.md §3c ---------------------------------------------


@transaction.atomic
def transfer_request(
    *, actor: Any, allocation: Allocation, stage: DisbursementStage | None, requested_on: dt.date, note: str = ""
) -> Transfer:
    """Request a stage (or the single transfer); refused with the list of unmet conditions."""
    ensure_in_scope(actor, allocation.region_id, perm="budget.add_transfer")
    allocation = Allocation.objects.select_for_update().select_related("fund").get(pk=allocation.pk)
    if stage is not None and stage.fund_id != allocation.fund_id:
        raise ValidationError({"stage": _("Tahap bukan bagian dari dana alokasi ini.")})
    check = fig.stage_check(allocation, stage, on=requested_on)
    if check.existing is not None:
        raise DomainError(_("{stage} sudah diajukan.").format(stage=check.label), code="already_requested")
    if not check.ok:
        missing = "; ".join(f"{c.label} ({c.detail})" if c.detail else c.label for c in check.missing)
        raise DomainError(
            _("{stage} belum dapat diajukan. Syarat yang belum terpenuhi: {missing}").format(
                stage=check.label, missing=missing
            ),
            code="conditions_unmet",
        )
    transfer = Transfer(
        allocation=allocation,
        region_id=allocation.region_id,
        stage=stage,
        amount=check.amount,
        requested_on=requested_on,
        conditions=[c.as_dict() for c in check.conditions],
        note=note,
    )
    audited_create(transfer, actor=actor, action="budget.transfer.requested")
    return transfer


@transaction.atomic
def transfer_receive(*, actor: Any, transfer: Transfer, received_on: dt.date) -> Transfer:
    """Record that the stage arrived in the RKUD."""
    ensure_in_scope(actor, transfer.region_id, perm="budget.change_transfer")
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != TransferStatus.REQUESTED:
        raise DomainError(
            _("Penyaluran ini sudah {status}.").format(status=transfer.get_status_display()), code="state"
        )
    if received_on < transfer.requested_on:
        raise ValidationError({"received_on": _("Tanggal diterima tidak boleh sebelum tanggal pengajuan.")})
    transfer.status = TransferStatus.RECEIVED
    transfer.received_on = received_on
    audited_save(transfer, actor=actor, action="budget.transfer.received", expected_version=None)
    return transfer


# --- Physical progress with evidence ------------------------------------------------------------------------

PHOTO_MAX_BYTES = 5 * 1024 * 1024


def sniff_photo(upload: Any) -> str:
    """The image type of ``upload`` by content and size (``sentra.core.uploads``), or a ValidationError."""
    try:
        return validate_upload(upload, PHOTOS, max_bytes=PHOTO_MAX_BYTES).content_type
    except ValidationError as exc:
        raise ValidationError(
            {"photos": _("Foto {name}: {error}").format(name=getattr(upload, "name", ""), error=exc.messages[0])},
            code=exc.code,
        ) from None


@transaction.atomic
def progress_record(
    *,
    actor: Any,
    line: BudgetLine,
    reported_on: dt.date,
    physical_pct: Decimal,
    output_achieved: Decimal,
    note: str = "",
    photos: list[Any] | None = None,
    photo_taken_on: dt.date | None = None,
) -> ProgressReport:
    ensure_in_scope(actor, line.region_id, perm="budget.add_progressreport")
    line = BudgetLine.objects.select_for_update().select_related("plan").get(pk=line.pk)
    _realisable_line(line)
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("Tanggal laporan tidak boleh di masa depan.")})
    previous = ProgressReport.objects.filter(line__origin_id=line.origin_id or line.pk).order_by("-reported_on").first()
    if previous is None:
        previous = ProgressReport.objects.filter(line=line).order_by("-reported_on").first()
    if previous and reported_on >= previous.reported_on and physical_pct < previous.physical_pct:
        raise ValidationError(
            {
                "physical_pct": _("Realisasi fisik tidak boleh turun dari laporan sebelumnya ({pct}%).").format(
                    pct=previous.physical_pct
                )
            }
        )
    progress = ProgressReport(
        line=line,
        region_id=line.region_id,
        reported_on=reported_on,
        physical_pct=physical_pct,
        output_achieved=output_achieved,
        note=note,
    )
    progress.full_clean()
    progress.save()
    kinds = [sniff_photo(photo) for photo in photos or []]
    with storing() as keep:
        for photo, kind in zip(photos or [], kinds, strict=True):
            stored = ProgressPhoto(
                progress=progress,
                region_id=line.region_id,
                taken_on=photo_taken_on or reported_on,
                caption=str(line)[:200],
                content_type=kind,
                size=photo.size,
            )
            save_file(stored.image, photo.name, photo)
            keep(stored.image)
            stored.save()
    changes = progress.audit_changes()
    if photos:
        changes["photos"] = [None, len(photos)]
    record_change(progress, actor=actor, action="budget.progressreport.created", changes=changes)
    return progress


# --- Quarterly reports --------------------------------------------------------------------------------------


def _m(value: Any) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def report_data(allocation: Allocation, as_of: dt.date) -> dict[str, Any]:
    """The report's rows, generated from the data: per line financial and physical progress, output vs target."""
    f = fig.allocation_figures(allocation, as_of=as_of)
    rows = []
    for lf in f.lines:
        line = lf.line
        rows.append(
            {
                "line_id": line.pk,
                "menu": f"{line.sub_menu.menu.code}.{line.sub_menu.code}",
                "description": line.description,
                "location": line.location,
                "output": line.output_name,
                "unit": line.unit,
                "target": str(line.volume),
                "achieved": _m(lf.output_achieved),
                "output_pct": _m(lf.output_pct),
                "amount": str(line.total),
                "contracted": _m(lf.contracted),
                "paid": _m(lf.paid),
                "financial_pct": _m(lf.absorption_pct),
                "physical_pct": _m(lf.physical_pct),
                "for_target_centre": line.for_target_centre,
            }
        )
    return {
        "as_of": as_of.isoformat(),
        "plan_revision": f.plan.revision if f.plan else None,
        "pagu": _m(allocation.amount),
        "plan_total": _m(f.plan_total),
        "contracted": _m(f.contracted),
        "received": _m(f.received),
        "paid": _m(f.paid),
        "absorption_pct": _m(f.absorption_pct),
        "absorption_of_pagu_pct": _m(f.absorption_of_pagu_pct),
        "physical_pct": _m(f.physical_pct),
        "output_pct": _m(f.output_pct),
        "target_centre_paid_pct": _m(f.target_centre_paid_pct) if fig.is_nonfisik(allocation) else None,
        "target_centre_min_pct": _m(allocation.fund.target_centre_min_pct)
        if allocation.fund.target_centre_min_pct is not None
        else None,
        "rows": rows,
    }


@transaction.atomic
def report_start(*, actor: Any, allocation: Allocation, quarter: int) -> Any:
    """Open the DAK quarterly report of one quarter (a periodic submission of ``reports.DAK_QUARTERLY``): the
    existing one, or a new draft. A draft's figures are regenerated from the budget lines as of the quarter's end;
    a submitted report is frozen. The officer writes the problems and submits it through periodic."""
    from django.contrib.contenttypes.models import ContentType

    from sentra.budget.reports import dak_form, quarter_period
    from sentra.periodic import services as periodic_services
    from sentra.periodic.models import Submission

    ensure_in_scope(actor, allocation.region_id, perm="periodic.add_submission")
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("Triwulan harus 1 sampai 4.")})
    allocation = Allocation.objects.select_related("fund__fiscal_year", "region").get(pk=allocation.pk)
    period = quarter_period(allocation.fund.fiscal_year.year, quarter)
    form = dak_form()
    existed = Submission.objects.filter(
        form_code=form.code,
        subject_type=ContentType.objects.get_for_model(Allocation),
        subject_id=allocation.pk,
        period=period.code,
    ).exists()
    submission = periodic_services.submission_start(actor=actor, form=form, subject=allocation, period=period)
    if existed and submission.is_editable:
        # An existing draft: its figures follow the data until it is sent (the save recomputes them).
        submission = periodic_services.submission_save(
            actor=actor, submission=submission, data={"problems": submission.data.get("problems")}
        )
    return submission


def sub_menus_for(allocation: Allocation) -> Any:
    return (
        SubMenu.objects.filter(menu__fund_id=allocation.fund_id)
        .select_related("menu")
        .order_by("menu__order", "menu__code", "order", "code")
    )
