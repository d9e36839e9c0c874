"""Writes of periodic reporting: start (pre-filled), save (flagged), submit, accept (locks), return (reason)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.audit import audit_record, record_change
from sentra.core.errors import DomainError
from sentra.core.events import notify_changed
from sentra.core.versioning import claim_version
from sentra.periodic.models import EDITABLE_STATES, Submission, SubmissionState
from sentra.periodic.periods import Period
from sentra.periodic.registry import ReportForm

#: A value more than 3× (or less than a third of) the previous period's is flagged as implausible.
JUMP_FACTOR = Decimal(3)


def _number(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def jump_flags(form: ReportForm, data: dict[str, Any], previous: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Fields whose value changed by more than ``JUMP_FACTOR`` against the previous period."""
    if not previous:
        return []
    flags = []
    for f in form.fields:
        if not f.check_jump:
            continue
        old, new = _number(previous.get(f.name)), _number(data.get(f.name))
        if old is None or new is None or old <= 0:
            continue
        factor = new / old
        if factor > JUMP_FACTOR or (new > 0 and factor < 1 / JUMP_FACTOR) or (new == 0 and old > 0):
            flags.append(
                {
                    "field": f.name,
                    "previous": str(old),
                    "value": str(new),
                    "factor": f"{factor.quantize(Decimal('0.01'))}",
                }
            )
    return flags


def previous_submission(
    form: ReportForm, subject_type: ContentType, subject_id: int, period: Period
) -> Submission | None:
    """The latest non-draft report of the same subject before ``period``."""
    qs = Submission.objects.filter(
        form_code=form.code, subject_type=subject_type, subject_id=subject_id, period_start__lt=period.start
    ).exclude(state=SubmissionState.DRAFT)
    return qs.order_by("-period_start").first()


def _form_changes(form: ReportForm, changes: dict[str, Any]) -> dict[str, Any]:
    """The audit diff with ``data`` narrowed to the form's fields that changed: values derived for display (a DAK
    report's per-line rows, recomputed on every save) stay out of the history, which shows what was reported."""
    if "data" not in changes:
        return changes
    before, after = (value or {} for value in changes["data"])
    names = [f.name for f in form.fields if before.get(f.name) != after.get(f.name)]
    narrowed = {k: v for k, v in changes.items() if k != "data"}
    if names:
        narrowed["data"] = [{n: before.get(n) for n in names}, {n: after.get(n) for n in names}]
    return narrowed


def _is_officer(actor: Any) -> bool:
    return bool(getattr(actor, "is_officer", False) or getattr(actor, "is_superuser", False))


@transaction.atomic
def submission_start(*, actor: Any, form: ReportForm, subject: Any, period: Period) -> Submission:
    """The submission of ``subject`` for ``period``: the existing one, or a new draft pre-filled from the last."""
    if period.period_type != form.period_type:
        raise DomainError(_("Periode ini tidak sesuai dengan jenis laporan."), code="period_type")
    today = timezone.localdate()
    if period.start > today:
        raise DomainError(_("Laporan untuk periode yang belum dimulai tidak dapat dibuat."), code="period_future")
    ctype = ContentType.objects.get_for_model(subject)
    existing = Submission.objects.filter(
        form_code=form.code, subject_type=ctype, subject_id=subject.pk, period=period.code
    ).first()
    if existing:
        return existing
    if not (actor.is_superuser or actor.has_perm("periodic.add_submission")):
        raise PermissionDenied(_("Anda tidak memiliki izin membuat laporan."))
    if form.check_start:
        form.check_start(subject, period)
    previous = previous_submission(form, ctype, subject.pk, period)
    data = {}
    if previous:
        data = {f.name: previous.data.get(f.name) for f in form.input_fields if f.prefill}
    if form.compute:
        data.update(form.compute(subject, period))
    submission = Submission(
        region_id=form.subject_region(subject),
        form_code=form.code,
        period_type=period.period_type,
        period=period.code,
        period_start=period.start,
        period_end=period.end,
        due_date=form.due_date(period),
        subject_type=ctype,
        subject_id=subject.pk,
        subject_label=str(subject)[:255],
        data=data,
        prefilled_from=previous,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        # Someone else started the same report a moment ago: one submission per subject and period.
        return Submission.objects.get(
            form_code=form.code, subject_type=ctype, subject_id=subject.pk, period=period.code
        )
    audit_record(
        actor=actor,
        action="periodic.submission.created",
        obj=submission,
        changes=_form_changes(form, submission.audit_changes()),
    )
    notify_changed(Submission, [submission.region_id])
    submission.audit_reset()
    return submission


def _clean_data(form: ReportForm, data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in form.input_fields:
        value = data.get(f.name)
        if value in (None, ""):
            if f.required and not partial:
                errors[f.name] = _("{label} wajib diisi.").format(label=f.label)
            cleaned[f.name] = None if f.kind != "text" else ""
            continue
        if f.kind == "text":
            cleaned[f.name] = str(value)[:2000]
            continue
        number = _number(value)
        if number is None or not number.is_finite():
            errors[f.name] = _("{label} harus berupa angka.").format(label=f.label)
            continue
        if number < 0:
            errors[f.name] = _("{label} tidak boleh negatif.").format(label=f.label)
            continue
        if f.kind == "int":
            if number != number.to_integral_value():
                errors[f.name] = _("{label} harus bilangan bulat.").format(label=f.label)
                continue
            cleaned[f.name] = int(number)
        else:
            cleaned[f.name] = str(number.quantize(Decimal("0.01")))
    if form.validate and not partial and not errors:
        errors.update(form.validate(cleaned))
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def submission_save(
    *, actor: Any, submission: Submission, data: dict[str, Any], expected_version: int | None = None
) -> Submission:
    """Save the reporter's values (a draft may be incomplete) and recompute the jump flags."""
    if submission.state not in EDITABLE_STATES:
        raise DomainError(
            _("Laporan berstatus {state} tidak dapat diubah.").format(state=submission.get_state_display()),
            code="locked",
        )
    form = submission.form
    cleaned = _clean_data(form, data, partial=True)
    claim_version(submission, expected_version)
    new_data = {**submission.data, **cleaned}
    if form.compute:
        subject = submission.subject_type.get_object_for_this_type(pk=submission.subject_id)
        new_data.update(form.compute(subject, submission.period_obj))
    previous = previous_submission(form, submission.subject_type, submission.subject_id, submission.period_obj)
    submission.data = new_data
    submission.flags = jump_flags(form, new_data, previous.data if previous else None)
    if _is_officer(actor) and form.reporter_scopes and "region" not in form.reporter_scopes:
        submission.on_behalf = True
    changes = _form_changes(form, submission.audit_changes())
    submission.save()
    audit_record(actor=actor, action="periodic.submission.updated", obj=submission, changes=changes)
    submission.audit_reset()
    return submission


@transaction.atomic
def submission_submit(*, actor: Any, submission: Submission, expected_version: int | None = None) -> Submission:
    if submission.state not in EDITABLE_STATES:
        raise DomainError(_("Hanya laporan berstatus konsep atau dikembalikan yang dapat dikirim."), code="state")
    form = submission.form
    _clean_data(form, submission.data, partial=False)  # every required field filled, every value valid
    claim_version(submission, expected_version)
    submission.state = SubmissionState.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.submitted_by = actor
    if _is_officer(actor) and form.reporter_scopes and "region" not in form.reporter_scopes:
        submission.on_behalf = True
    changes = submission.audit_changes()
    submission.save()
    if form.on_submit:
        subject = submission.subject_type.get_object_for_this_type(pk=submission.subject_id)
        form.on_submit(actor=actor, submission=submission, subject=subject)
    note = _("Diisi petugas atas nama pelapor") if submission.on_behalf else ""
    record_change(submission, actor=actor, action="periodic.submission.submitted", changes=changes, note=note)
    return submission


def _require_reviewer(actor: Any, submission: Submission) -> None:
    if not (actor.is_superuser or actor.has_perm("periodic.review_submission")):
        raise PermissionDenied(_("Anda tidak berwenang memeriksa laporan."))
    if not Submission.objects.visible_to(actor, "view").filter(pk=submission.pk).exists():
        raise PermissionDenied(_("Laporan ini di luar cakupan Anda."))


@transaction.atomic
def submission_accept(*, actor: Any, submission: Submission, expected_version: int | None = None) -> Submission:
    """Accept and lock. The form's ``on_accept`` hook runs in the same transaction (all or nothing)."""
    _require_reviewer(actor, submission)
    if submission.state != SubmissionState.SUBMITTED:
        raise DomainError(_("Hanya laporan yang sudah dikirim yang dapat diterima."), code="state")
    claim_version(submission, expected_version)
    submission.state = SubmissionState.ACCEPTED
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = actor
    submission.return_reason = ""
    changes = submission.audit_changes()
    submission.save()
    audit_record(actor=actor, action="periodic.submission.accepted", obj=submission, changes=changes)
    notify_changed(Submission, [submission.region_id])
    form = submission.form
    if form and form.on_accept:
        form.on_accept(actor=actor, submission=submission)
    submission.audit_reset()
    return submission


@transaction.atomic
def submission_return(
    *, actor: Any, submission: Submission, reason: str, expected_version: int | None = None
) -> Submission:
    _require_reviewer(actor, submission)
    if submission.state != SubmissionState.SUBMITTED:
        raise DomainError(_("Hanya laporan yang sudah dikirim yang dapat dikembalikan."), code="state")
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError(
            {
                "reason": _(
                    "Tuliskan alasan pengembalian (paling sedikit 5 huruf) agar pelapor tahu yang harus diperbaiki."
                )
            }
        )
    claim_version(submission, expected_version)
    submission.state = SubmissionState.RETURNED
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = actor
    submission.return_reason = reason[:2000]
    changes = submission.audit_changes()
    submission.save()
    record_change(submission, actor=actor, action="periodic.submission.returned", changes=changes, note=reason)
    return submission
