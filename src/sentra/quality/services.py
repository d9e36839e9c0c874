"""Write use-cases of the quality app: every change goes through here and is audited (STYLE C)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.roles import Role
from sentra.core.audit import audit_record, audited_create, audited_save
from sentra.core.events import notify_changed
from sentra.core.mail import queue_mail
from sentra.core.querysets import has_model_perm
from sentra.core.scope import OutOfScope, ensure_in_scope
from sentra.core.uploads import save_file
from sentra.core.versioning import claim_version, conflict_error, save_versioned
from sentra.quality.choices import ActionStatus, AssessmentStatus, IndiStatus, VersionStatus
from sentra.quality.models import (
    Assessment,
    AssessmentAnswer,
    Certification,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
    CorrectiveAction,
    ExpiryNotice,
    Finding,
    IndiAnswer,
    IndiAssessment,
    IndiQuestion,
    IndiVersion,
    Notice,
)
from sentra.quality.numbers import PIRT_MAX_YEARS, check_number
from sentra.quality.scoring import ItemScore, checklist_scores, indi_overall, pillar_scores
from sentra.quality.uploads import DOCUMENT_TYPES, PHOTO_TYPES, check_upload
from sentra.registry.models import Business

log = logging.getLogger(__name__)

#: Days before expiry at which a reminder is sent, largest first ("before expiry", 90-day window).
NOTICE_WINDOWS = (90, 30, 7)
#: The window code of the "has expired" notice.
EXPIRED_WINDOW = 0
#: An expired certificate is reported once if it expired within this many days (not years-old ones).
EXPIRED_LOOKBACK_DAYS = 30


def _today() -> dt.date:
    return timezone.localdate()


def _allowed(actor: Any, model: type, action: str) -> None:
    if actor is None:
        return
    if not (actor.is_superuser or has_model_perm(actor, model, action)):
        raise PermissionDenied(_("Anda tidak memiliki izin untuk tindakan ini."))


def assessable_businesses(user: Any) -> Any:
    """Businesses ``user`` may assess: their visible ones; a trainer also those of their regency/city."""
    qs = Business.objects.visible_to(user).alive()
    if getattr(user, "role", None) == Role.TRAINER and user.region_id and not user.is_superuser:
        qs = (qs | Business.objects.alive().filter(region_id=user.region_id)).distinct()
    return qs


def _require_business(actor: Any, business: Business, model: type, action: str) -> None:
    """``actor`` may record ``model`` about ``business``: officers within their regions (``ensure_in_scope``); a
    trainer an assessment, an owner an INDI self-assessment, of a business they may assess."""
    _allowed(actor, model, action)
    if actor is None or actor.is_superuser:
        return
    kind = actor.scope.kind
    if (model is Assessment and kind == "trainer") or (model is IndiAssessment and kind == "owner"):
        if assessable_businesses(actor).filter(pk=business.pk).exists():
            return
        raise OutOfScope(_("Usaha ini berada di luar cakupan Anda."))
    if kind not in ("national", "region"):
        raise PermissionDenied(_("Anda tidak memiliki izin untuk tindakan ini."))
    ensure_in_scope(actor, business.region_id, action, model=model)


def _store_upload(field: Any, upload: Any, allowed: tuple[str, ...], *, name: str = "berkas") -> str:
    content_type, ext = check_upload(upload, allowed)
    upload.name = f"{name}.{ext}"  # the stored name comes from the content, never from the client
    save_file(field, upload.name, upload)
    return content_type


# --- Certifications -------------------------------------------------------------------------------------------

CERT_FIELDS = ("kind", "number", "issuer", "issued_on", "expires_on", "scope")


@dataclass(frozen=True)
class CertificationResult:
    certification: Certification
    warnings: tuple[str, ...]


def _check_certification(cert: Certification) -> tuple[str, ...]:
    """Normalise and check the number by kind (docs/domain.md §5); return the warnings to show."""
    checked = check_number(cert.kind, cert.number, region_id=cert.region_id, expires_on=cert.expires_on)
    cert.number = checked.number
    if cert.kind == "pirt" and cert.expires_on and cert.issued_on:
        # SPP-IRT is valid for at most 5 years (Peraturan BPOM 22/2018, docs/domain.md §5).
        try:
            limit = cert.issued_on.replace(year=cert.issued_on.year + PIRT_MAX_YEARS)
        except ValueError:  # 29 February
            limit = cert.issued_on.replace(year=cert.issued_on.year + PIRT_MAX_YEARS, day=28)
        if cert.expires_on > limit:
            raise ValidationError(
                {
                    "expires_on": _("SPP-IRT berlaku paling lama 5 tahun sejak terbit (sampai {date}).").format(
                        date=limit.strftime("%d-%m-%Y")
                    )
                }
            )
    if cert.expires_on and cert.issued_on and cert.expires_on < cert.issued_on:
        raise ValidationError({"expires_on": _("Tanggal berlaku sampai tidak boleh sebelum tanggal terbit.")})
    duplicate = Certification.objects.filter(kind=cert.kind, number=cert.number).exclude(pk=cert.pk)
    if duplicate.exists():
        raise ValidationError({"number": _("Nomor ini sudah tercatat untuk jenis sertifikat yang sama.")})
    return checked.warnings


def certification_warnings(cert: Certification) -> tuple[str, ...]:
    try:
        return check_number(cert.kind, cert.number, region_id=cert.region_id, expires_on=cert.expires_on).warnings
    except ValidationError as exc:
        return tuple(exc.messages)


@transaction.atomic
def certification_create(*, actor: Any, business: Business, document: Any = None, **fields: Any) -> CertificationResult:
    _require_business(actor, business, Certification, "add")
    cert = Certification(business=business, region_id=business.region_id, **{k: fields.get(k) for k in CERT_FIELDS})
    cert.issuer = cert.issuer or ""
    cert.scope = cert.scope or ""
    cert.created_by = actor if getattr(actor, "is_authenticated", False) else None
    warnings = _check_certification(cert)
    if document:
        cert.document_type = _store_upload(cert.document, document, DOCUMENT_TYPES, name="sertifikat")
    cert.full_clean()
    try:
        cert.save()
    except IntegrityError:
        raise ValidationError({"number": _("Nomor ini sudah tercatat untuk jenis sertifikat yang sama.")}) from None
    audit_record(actor=actor, action="quality.certification.created", obj=cert, changes=cert.audit_changes())
    notify_changed(Certification, [cert.region_id])
    cert.audit_reset()
    return CertificationResult(cert, warnings)


@transaction.atomic
def certification_update(
    *,
    actor: Any,
    certification: Certification,
    expected_version: int | None = None,
    document: Any = None,
    **fields: Any,
) -> CertificationResult:
    _allowed(actor, Certification, "change")
    ensure_in_scope(actor, certification, "change")
    for name in CERT_FIELDS:
        if name in fields:
            setattr(certification, name, fields[name])
    certification.region_id = certification.business.region_id
    warnings = _check_certification(certification)
    if document:
        certification.document_type = _store_upload(certification.document, document, DOCUMENT_TYPES, name="sertifikat")
    certification.full_clean()
    audited_save(
        certification,
        actor=actor,
        action="quality.certification.updated",
        expected_version=expected_version,
        only_if_changed=True,
    )
    return CertificationResult(certification, warnings)


@transaction.atomic
def certification_delete(*, actor: Any, certification: Certification) -> None:
    _allowed(actor, Certification, "delete")
    ensure_in_scope(actor, certification, "delete")
    audit_record(actor=actor, action="quality.certification.deleted", obj=certification)
    notify_changed(Certification, [certification.region_id])
    certification.delete()


# --- Expiry notices (scheduled job) ------------------------------------------------------------------------------


def notice_window(days_left: int) -> int | None:
    """The reminder window a certificate with ``days_left`` days to go falls in (None: nothing to send).

    ``days_left`` is ``expires_on - today``: 0 means the last valid day is today; negative means expired.
    """
    if days_left < 0:
        return EXPIRED_WINDOW if days_left >= -EXPIRED_LOOKBACK_DAYS else None
    candidates = [w for w in NOTICE_WINDOWS if days_left <= w]
    return min(candidates) if candidates else None


def _notice_recipients(cert: Certification) -> list[Any]:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    owners = list(User.objects.filter(is_active=True, owner_profile__ownerships__business=cert.business_id).distinct())
    officers = list(User.objects.filter(is_active=True, role=Role.REGENCY_OFFICER, region_id=cert.region_id))
    seen: dict[int, Any] = {}
    for user in owners + officers:
        seen.setdefault(user.pk, user)
    return list(seen.values())


def _notice_text(cert: Certification, days_left: int, expires_on: dt.date) -> tuple[str, str]:
    name = f"{cert.get_kind_display()} {cert.number}"
    if days_left < 0:
        title = _("{name} milik {business} sudah habis masa berlakunya").format(name=name, business=cert.business)
    elif days_left == 0:
        title = _("{name} milik {business} habis masa berlakunya hari ini").format(name=name, business=cert.business)
    else:
        title = _("{name} milik {business} habis dalam {days} hari").format(
            name=name, business=cert.business, days=days_left
        )
    body = _(
        "Sertifikat/izin {name} untuk {business} berlaku sampai {date}. Ajukan perpanjangan sebelum tanggal "
        "tersebut agar usaha tetap dapat memasarkan produknya."
    ).format(name=name, business=cert.business, date=expires_on.strftime("%d-%m-%Y"))
    return title, body


def send_expiry_notices(*, today: dt.date | None = None) -> int:
    """Send the due reminders: one per certification, window and expiry date, ever (stored in ExpiryNotice).

    Idempotent: a second run on the same day sends nothing. Each certification is handled in its own
    transaction, so a failure does not lose the notices of the others (the failed one is retried on the next
    run, because its ExpiryNotice row is rolled back with it). The e-mail is queued as a job when that
    transaction commits (``core.mail``), and the job retries a mail server that is down.
    """
    today = today or _today()
    horizon = today + dt.timedelta(days=max(NOTICE_WINDOWS))
    candidates = (
        Certification.objects.filter(
            expires_on__isnull=False,
            expires_on__lte=horizon,
            expires_on__gte=today - dt.timedelta(days=EXPIRED_LOOKBACK_DAYS),
            business__deleted_at__isnull=True,
        )
        .select_related("business", "region")
        .order_by("expires_on", "id")
    )
    sent = 0
    for cert in candidates.iterator(chunk_size=500):
        expires_on = cert.expires_on
        if expires_on is None:  # excluded by the filter above; narrows the type
            continue
        days_left = (expires_on - today).days
        window = notice_window(days_left)
        if window is None:
            continue
        if ExpiryNotice.objects.filter(certification=cert, expires_on=expires_on, window__lte=window).exists():
            # This window, or a later (smaller) one, was already sent: never repeat or go backwards.
            continue
        try:
            with transaction.atomic():
                recipients = _notice_recipients(cert)
                ExpiryNotice.objects.create(
                    certification=cert,
                    window=window,
                    expires_on=expires_on,
                    recipients=[u.get_username() for u in recipients],
                )
                title, body = _notice_text(cert, days_left, expires_on)
                url = cert.get_absolute_url()
                Notice.objects.bulk_create([Notice(recipient=u, title=title, body=body, url=url) for u in recipients])
                emails = sorted({u.email for u in recipients if u.email})
                queue_mail(subject=title, body=f"{body}\n\n{url}", to=emails)
                audit_record(
                    actor=None,
                    action="quality.certification.notice_sent",
                    obj=cert,
                    note=_("Pengingat {window} hari").format(window=window) if window else _("Pengingat kedaluwarsa"),
                )
            sent += 1
        except IntegrityError:
            continue  # another worker sent it at the same moment
        except Exception:  # this certification's notice is retried on the next run
            log.exception("expiry notice for certification %s failed", cert.pk)
    return sent


@transaction.atomic
def notices_mark_read(*, actor: Any) -> int:
    return Notice.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


# --- Checklist templates (versioned) -----------------------------------------------------------------------------


def _require_admin(actor: Any) -> None:
    if not (actor.is_superuser or actor.has_perm("quality.change_checklisttemplate")):
        raise PermissionDenied(_("Hanya admin nasional yang dapat mengubah templat daftar periksa."))


@transaction.atomic
def checklist_new_version(*, actor: Any, template: ChecklistTemplate, notes: str = "") -> ChecklistVersion:
    """A new draft copied from the latest version; the existing draft if there is one.

    This is how a published checklist is "edited": assessments keep pointing at the frozen old version.
    """
    _require_admin(actor)
    draft = template.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()
    if draft:
        return draft
    source = template.versions.order_by("-number").first()
    number = (source.number if source else 0) + 1
    version = ChecklistVersion.objects.create(template=template, number=number, notes=notes)
    if source:
        for section in source.sections.prefetch_related("items"):
            new_section = ChecklistSection.objects.create(
                version=version, order=section.order, code=section.code, title=section.title
            )
            ChecklistItem.objects.bulk_create(
                [
                    ChecklistItem(
                        section=new_section,
                        order=item.order,
                        code=item.code,
                        text=item.text,
                        guidance=item.guidance,
                        weight=item.weight,
                    )
                    for item in section.items.all()
                ]
            )
    audit_record(actor=actor, action="quality.checklistversion.created", obj=version, note=str(version))
    return version


@transaction.atomic
def checklist_publish(*, actor: Any, version: ChecklistVersion) -> ChecklistVersion:
    _require_admin(actor)
    version = ChecklistVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("Hanya versi draf yang dapat diterbitkan."))
    if not ChecklistItem.objects.filter(section__version=version).exists():
        raise ValidationError(_("Versi ini belum memiliki butir pemeriksaan."))
    ChecklistVersion.objects.filter(template=version.template, status=VersionStatus.PUBLISHED).update(
        status=VersionStatus.RETIRED
    )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=actor, action="quality.checklistversion.published", obj=version, note=str(version))
    return version


def require_draft(version: ChecklistVersion) -> None:
    """Items of a published or retired version are frozen (an old assessment keeps its old checklist)."""
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(
            _("Versi {v} sudah diterbitkan dan tidak dapat diubah. Buat versi baru untuk mengubahnya.").format(
                v=version.number
            )
        )


# --- Assessments ----------------------------------------------------------------------------------------------


@transaction.atomic
def assessment_start(
    *,
    actor: Any,
    business: Business,
    checklist: ChecklistVersion,
    assessed_on: dt.date,
    phase: str = "",
    **extra: Any,
) -> Assessment:
    _require_business(actor, business, Assessment, "add")
    if checklist.status != VersionStatus.PUBLISHED:
        raise ValidationError({"checklist": _("Pilih daftar periksa yang sudah diterbitkan.")})
    if assessed_on > _today():
        raise ValidationError({"assessed_on": _("Tanggal penilaian tidak boleh di masa depan.")})
    batch = extra.pop("batch", None)
    if batch is not None:
        _check_batch(actor, batch, business, phase, assessed_on)
    elif phase:
        raise ValidationError({"batch": _("Pilih kelas pelatihan untuk penilaian sebelum/sesudah pelatihan.")})
    assessment = Assessment(
        batch=batch,
        business=business,
        region_id=business.region_id,
        checklist=checklist,
        assessor=actor if getattr(actor, "is_authenticated", False) else None,
        assessed_on=assessed_on,
        phase=phase or "",
        **extra,
    )
    assessment.full_clean()
    assessment.save()
    items = ChecklistItem.objects.filter(section__version=checklist).values_list("pk", flat=True)
    AssessmentAnswer.objects.bulk_create([AssessmentAnswer(assessment=assessment, item_id=pk) for pk in items])
    audit_record(actor=actor, action="quality.assessment.created", obj=assessment, changes=assessment.audit_changes())
    assessment.audit_reset()
    return assessment


def _check_batch(actor: Any, batch: Any, business: Business, phase: str, assessed_on: dt.date) -> None:
    """A batch-linked assessment: a participant's business, a phase, and a date on the right side of the class."""
    ensure_in_scope(actor, batch, "view", field="batch")
    if not phase:
        raise ValidationError({"phase": _("Pilih tahap: sebelum atau sesudah pelatihan.")})
    if not batch.participants.filter(business=business).exists():
        raise ValidationError({"batch": _("Usaha ini bukan peserta kelas pelatihan tersebut.")})
    if phase == "before" and assessed_on > batch.start_date:
        raise ValidationError(
            {
                "assessed_on": _("Penilaian sebelum pelatihan harus paling lambat tanggal mulai kelas ({d}).").format(
                    d=batch.start_date.strftime("%d-%m-%Y")
                )
            }
        )
    if phase == "after" and assessed_on < batch.end_date:
        raise ValidationError(
            {
                "assessed_on": _("Penilaian sesudah pelatihan harus paling cepat tanggal selesai kelas ({d}).").format(
                    d=batch.end_date.strftime("%d-%m-%Y")
                )
            }
        )


@dataclass(frozen=True)
class AnswerInput:
    score: int | None
    not_applicable: bool = False
    note: str = ""
    photo: Any = None


@transaction.atomic
def assessment_record_answers(*, actor: Any, assessment: Assessment, answers: dict[int, AnswerInput]) -> int:
    """Save the scores of a draft assessment (keyed by answer pk). Returns the number of answers changed."""
    _allowed(actor, Assessment, "change")
    ensure_in_scope(actor, assessment, "change")
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("Penilaian yang sudah selesai tidak dapat diubah."))
    rows = {a.pk: a for a in assessment.answers.select_for_update().filter(pk__in=list(answers))}
    errors: dict[str, str] = {}
    changed = []
    for pk, given in answers.items():
        row = rows.get(pk)
        if row is None:
            errors[f"answer-{pk}"] = _("Butir ini bukan bagian dari penilaian.")
            continue
        if given.score is not None and not 0 <= given.score <= 4:
            errors[f"answer-{pk}"] = _("Nilai harus 0–4.")
            continue
        before = (row.score, row.not_applicable, row.note)
        row.score = None if given.not_applicable else given.score
        row.not_applicable = given.not_applicable
        row.note = (given.note or "")[:500]
        if given.photo:
            try:
                _store_upload(row.photo, given.photo, PHOTO_TYPES, name="foto")
            except ValidationError as exc:
                errors[f"answer-{pk}"] = exc.messages[0]
                continue
        if before != (row.score, row.not_applicable, row.note) or given.photo:
            changed.append(row)
    if errors:
        raise ValidationError(errors)
    AssessmentAnswer.objects.bulk_update(changed, ["score", "not_applicable", "note", "photo"])
    if changed:
        audit_record(
            actor=actor,
            action="quality.assessment.updated",
            obj=assessment,
            changes={"answers": [None, {str(r.item_id): r.score for r in changed}]},
        )
    return len(changed)


def assessment_score(assessment: Assessment, answers: Iterable[AssessmentAnswer] | None = None) -> Any:
    rows = (
        answers
        if answers is not None
        else assessment.answers.select_related("item__section").order_by("item__section__order", "item__order")
    )
    return checklist_scores(
        ItemScore(str(r.item.section), None if r.not_applicable else r.score, r.item.weight) for r in rows
    )


@transaction.atomic
def assessment_complete(*, actor: Any, assessment: Assessment, summary: str = "") -> Assessment:
    _allowed(actor, Assessment, "change")
    ensure_in_scope(actor, assessment, "change")
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("Penilaian ini sudah selesai."))
    missing = assessment.answers.filter(score__isnull=True, not_applicable=False).count()
    if missing:
        raise ValidationError(
            _('Masih ada {n} butir yang belum dinilai. Beri nilai 0–4 atau tandai "tidak berlaku".').format(n=missing)
        )
    _sections, total = assessment_score(assessment)
    assessment.total_score = total
    assessment.status = AssessmentStatus.COMPLETED
    if summary:
        assessment.summary = summary
    audited_save(assessment, actor=actor, action="quality.assessment.completed", expected_version=None, notify=False)
    return assessment


@transaction.atomic
def finding_create(
    *, actor: Any, assessment: Assessment, severity: str, description: str, item: ChecklistItem | None = None
) -> Finding:
    _allowed(actor, Finding, "add")
    ensure_in_scope(actor, assessment, "change")
    if item is not None and item.section.version_id != assessment.checklist_id:
        raise ValidationError({"item": _("Butir ini bukan bagian dari daftar periksa penilaian.")})
    finding = Finding(
        assessment=assessment,
        region_id=assessment.region_id,
        severity=severity,
        description=(description or "").strip(),
        item=item,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    finding.full_clean()
    finding.save()
    audit_record(actor=actor, action="quality.finding.created", obj=finding, changes=finding.audit_changes())
    return finding


def responsible_choices(business: Business) -> Any:
    """Who may own a corrective action: the business's owners (with an account) and its region's officers."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(owner_profile__ownerships__business=business)
            | Q(role=Role.REGENCY_OFFICER, region_id=business.region_id)
            | Q(role=Role.PROVINCE_OFFICER, region_id=business.region_id[:2])
        )
        .distinct()
        .order_by("full_name", "username")
    )


@transaction.atomic
def action_create(
    *, actor: Any, finding: Finding, description: str, responsible: Any, due_on: dt.date
) -> CorrectiveAction:
    _allowed(actor, CorrectiveAction, "add")
    ensure_in_scope(actor, finding.assessment, "change")
    business = finding.assessment.business
    if not responsible_choices(business).filter(pk=responsible.pk).exists():
        raise ValidationError({"responsible": _("Penanggung jawab harus pemilik usaha ini atau petugas wilayahnya.")})
    if due_on < finding.assessment.assessed_on:
        raise ValidationError({"due_on": _("Batas waktu tidak boleh sebelum tanggal penilaian.")})
    action = CorrectiveAction(
        finding=finding,
        region_id=finding.region_id,
        description=(description or "").strip(),
        responsible=responsible,
        due_on=due_on,
    )
    audited_create(action, actor=actor, action="quality.correctiveaction.created", notify=False)
    if responsible != actor:
        Notice.objects.create(
            recipient=responsible,
            title=_("Tindakan perbaikan baru untuk {business}").format(business=business),
            body=_("{text} (batas waktu {date})").format(text=action.description, date=due_on.strftime("%d-%m-%Y")),
            url=action.get_absolute_url(),
        )
    return action


#: The allowed status changes of a corrective action: open → in progress → done → verified.
#: An officer may send a "done" action back to "in progress" when the fix is not good enough.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ActionStatus.OPEN: (ActionStatus.IN_PROGRESS, ActionStatus.DONE),
    ActionStatus.IN_PROGRESS: (ActionStatus.DONE,),
    ActionStatus.DONE: (ActionStatus.VERIFIED, ActionStatus.IN_PROGRESS),
    ActionStatus.VERIFIED: (),
}


def action_allowed_transitions(action: CorrectiveAction, user: Any) -> list[str]:
    out = []
    for target in TRANSITIONS.get(action.status, ()):
        if action.status == ActionStatus.DONE and not user.has_perm("quality.verify_correctiveaction"):
            continue  # verifying and sending back are the officer's decisions
        out.append(target)
    return out


@transaction.atomic
def action_transition(
    *, actor: Any, action: CorrectiveAction, to: str, note: str = "", expected_version: int | None = None
) -> CorrectiveAction:
    _allowed(actor, CorrectiveAction, "change")
    ensure_in_scope(actor, action, "change")
    if expected_version is not None and expected_version != action.version:
        # Checked before the transition rules: a stale page's button is a conflict (409), even when the other
        # user's change made this transition impossible.
        raise conflict_error(action, since_version=expected_version)
    current = action.status
    if to not in TRANSITIONS.get(current, ()):
        raise ValidationError(
            _('Status tidak dapat diubah dari "{a}" ke "{b}".').format(
                a=ActionStatus(current).label, b=ActionStatus(to).label if to in ActionStatus.values else to
            ),
            code="bad_transition",
        )
    if current == ActionStatus.DONE and not (actor.is_superuser or actor.has_perm("quality.verify_correctiveaction")):
        raise PermissionDenied(_("Hanya petugas yang dapat memverifikasi atau mengembalikan tindakan perbaikan."))
    if to == ActionStatus.IN_PROGRESS and current == ActionStatus.DONE and not note:
        raise ValidationError({"note": _("Tuliskan alasan mengembalikan tindakan ini.")})
    now = timezone.now()
    action.status = to
    if to == ActionStatus.DONE:
        action.done_at = now
        if note:
            action.done_note = note
    elif to == ActionStatus.VERIFIED:
        action.verified_at = now
        action.verified_by = actor
    elif to == ActionStatus.IN_PROGRESS and current == ActionStatus.DONE:
        action.done_at = None
    audited_save(
        action,
        actor=actor,
        action=f"quality.correctiveaction.{to}",
        expected_version=expected_version,
        note=note,
        notify=False,
    )
    assessment = action.finding.assessment
    assessor = assessment.assessor if to == ActionStatus.DONE and assessment.assessor_id else None
    if assessor is not None and assessor != actor:
        Notice.objects.create(
            recipient=assessor,
            title=_("Tindakan perbaikan selesai, menunggu verifikasi"),
            body=action.description,
            url=action.get_absolute_url(),
        )
    return action


# --- INDI 4.0 -------------------------------------------------------------------------------------------------


def indi_current_version() -> IndiVersion | None:
    return IndiVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


@transaction.atomic
def indi_start(*, actor: Any, business: Business) -> IndiAssessment:
    """A new draft self-assessment (or the business's open draft, so a phone user can resume)."""
    _require_business(actor, business, IndiAssessment, "add")
    existing = IndiAssessment.objects.filter(business=business, status=IndiStatus.DRAFT).order_by("-id").first()
    if existing:
        return existing
    version = indi_current_version()
    if version is None:
        raise ValidationError(_("Belum ada kuesioner INDI 4.0 yang diterbitkan. Hubungi admin nasional."))
    assessment = IndiAssessment.objects.create(
        business=business,
        region_id=business.region_id,
        questionnaire=version,
        filled_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action="quality.indiassessment.created", obj=assessment)
    return assessment


@transaction.atomic
def indi_answer(
    *,
    actor: Any,
    assessment: IndiAssessment,
    question: IndiQuestion,
    score: int,
    note: str = "",
    evidence: Any = None,
    expected_version: int | None = None,
) -> IndiAnswer:
    """Record one answer. The assessment row is the unit of optimistic locking for its answers: each answer takes
    the next version, and with ``expected_version`` (as the owner's page showed it; answers sent after working
    offline carry it) an assessment changed by someone else since is refused (``ConflictError``)."""
    _allowed(actor, IndiAssessment, "change")
    ensure_in_scope(actor, assessment, "change")
    if assessment.status == IndiStatus.VERIFIED:
        raise ValidationError(_("Penilaian yang sudah diverifikasi tidak dapat diubah."))
    if assessment.status == IndiStatus.SUBMITTED and not actor.has_perm("quality.verify_indiassessment"):
        raise ValidationError(_("Penilaian sudah dikirim; hanya petugas yang dapat menyesuaikannya."))
    if question.pillar.version_id != assessment.questionnaire_id:
        raise ValidationError(_("Pertanyaan ini bukan bagian dari kuesioner penilaian."))
    if score is None or not 0 <= int(score) <= 4:
        raise ValidationError({"score": _("Pilih salah satu tingkat 0–4.")})
    _claim_assessment(assessment, expected_version)
    answer, _created = IndiAnswer.objects.get_or_create(
        assessment=assessment, question=question, defaults={"score": score}
    )
    before = answer.score if not _created else None
    answer.score = int(score)
    answer.note = (note or "")[:500]
    if evidence:
        _store_upload(answer.evidence, evidence, (*DOCUMENT_TYPES, "image/webp"), name="bukti")
    answer.save()
    if assessment.status != IndiStatus.DRAFT:
        _indi_rescore(assessment)
        assessment.save(update_fields=["overall", "pillar_scores", "updated_at"])
    audit_record(
        actor=actor,
        action="quality.indiassessment.answered",
        obj=assessment,
        changes={question.indicator: [before, answer.score]},
    )
    if assessment.status != IndiStatus.DRAFT:
        notify_changed(IndiAssessment, [assessment.region_id])
    return answer


def _claim_assessment(assessment: IndiAssessment, expected_version: int | None) -> None:
    """Lock the assessment's row, refuse a stale ``expected_version`` and take the next version."""
    current = IndiAssessment._base_manager.select_for_update().only("pk", "version").get(pk=assessment.pk)
    if expected_version is not None and expected_version != current.version:
        raise conflict_error(assessment, since_version=expected_version)
    assessment.version = current.version
    claim_version(assessment, None)  # the row is locked above; marks the version for the audit event


def indi_scores(assessment: IndiAssessment) -> tuple[dict[str, Decimal | None], Decimal | None]:
    pillars = list(assessment.questionnaire.pillars.all())
    answers = {a.question_id: a.score for a in assessment.answers.all()}
    by_pillar: dict[str, list[int]] = {p.code: [] for p in pillars}
    questions = IndiQuestion.objects.filter(pillar__version=assessment.questionnaire).values_list("pk", "pillar__code")
    for qid, code in questions:
        if qid in answers:
            by_pillar[code].append(answers[qid])
    scores = pillar_scores(by_pillar)
    overall = indi_overall(scores, {p.code: p.weight for p in pillars})
    return scores, overall


def _indi_rescore(assessment: IndiAssessment) -> None:
    scores, overall = indi_scores(assessment)
    assessment.pillar_scores = {k: (str(v) if v is not None else None) for k, v in scores.items()}
    assessment.overall = overall


@transaction.atomic
def indi_submit(*, actor: Any, assessment: IndiAssessment) -> IndiAssessment:
    _allowed(actor, IndiAssessment, "change")
    ensure_in_scope(actor, assessment, "change")
    if assessment.status != IndiStatus.DRAFT:
        raise ValidationError(_("Penilaian ini sudah dikirim."))
    total = IndiQuestion.objects.filter(pillar__version=assessment.questionnaire).count()
    answered = assessment.answers.count()
    if answered < total:
        raise ValidationError(
            _("Masih ada {n} pertanyaan yang belum dijawab.").format(n=total - answered), code="incomplete"
        )
    _indi_rescore(assessment)
    assessment.status = IndiStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    changes = assessment.audit_changes()
    save_versioned(assessment, None)
    audit_record(actor=actor, action="quality.indiassessment.submitted", obj=assessment, changes=changes)
    notify_changed(IndiAssessment, [assessment.region_id])
    assessment.audit_reset()
    return assessment


@transaction.atomic
def indi_verify(*, actor: Any, assessment: IndiAssessment, note: str = "") -> IndiAssessment:
    if not (actor.is_superuser or actor.has_perm("quality.verify_indiassessment")):
        raise PermissionDenied(_("Hanya petugas yang dapat memverifikasi penilaian INDI 4.0."))
    ensure_in_scope(actor, assessment, "change")
    if assessment.status != IndiStatus.SUBMITTED:
        raise ValidationError(_("Hanya penilaian yang sudah dikirim yang dapat diverifikasi."))
    _indi_rescore(assessment)
    assessment.status = IndiStatus.VERIFIED
    assessment.verified_at = timezone.now()
    assessment.verified_by = actor
    assessment.verification_note = note
    changes = assessment.audit_changes()
    save_versioned(assessment, None)
    audit_record(actor=actor, action="quality.indiassessment.verified", obj=assessment, changes=changes, note=note)
    notify_changed(IndiAssessment, [assessment.region_id])
    assessment.audit_reset()
    return assessment
