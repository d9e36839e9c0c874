"""Write use-cases of training: every change goes through here (STYLE C)."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.audit import audit_record, audited_save, record_change
from sentra.core.errors import DomainError
from sentra.core.events import notify_changed
from sentra.core.mail import queue_mail
from sentra.core.scope import ensure_in_scope
from sentra.core.validators import normalize_phone
from sentra.core.versioning import claim_version, conflict_error, save_versioned
from sentra.regions.models import Region
from sentra.registry import services as registry_services
from sentra.registry.models import Business, Owner
from sentra.training.calendar import working_days
from sentra.training.choices import (
    BatchStatus,
    BusinessPlan,
    BusinessRequirement,
    FollowUpSource,
    ParticipantResult,
    ParticipantSource,
    ParticipantStatus,
)
from sentra.training.models import (
    Attendance,
    Batch,
    BatchDay,
    Certificate,
    EvaluationResponse,
    ExternalTrainer,
    FollowUp,
    Module,
    Notice,
    Participant,
    PassCheck,
    Programme,
    Session,
)

log = logging.getLogger(__name__)

PROGRAMME_FIELDS = ("title", "kind", "competencies", "min_attendance_pct", "min_post_test", "region")
BATCH_FIELDS = (
    "programme",
    "name",
    "organiser",
    "start_date",
    "end_date",
    "venue",
    "quota",
    "funding_source",
    "funding_note",
    "status",
    "min_age",
    "max_age",
    "business_requirement",
    "signatory_name",
    "signatory_title",
    "budget_line",
    "region",
)
#: Below this many answers the evaluation is not shown, so that no single answer can be recognised.
EVALUATION_MIN_RESPONSES = 3


# --- Programmes ---------------------------------------------------------------------------------------------


@transaction.atomic
def programme_create(*, actor: Any, modules: list[dict[str, Any]] | None = None, **fields: Any) -> Programme:
    programme = Programme(**{k: v for k, v in fields.items() if k in PROGRAMME_FIELDS})
    ensure_in_scope(actor, programme.region_id, "add", model=Programme)
    programme.full_clean()
    programme.save()
    audit_record(actor=actor, action="training.programme.created", obj=programme, changes=programme.audit_changes())
    for i, module in enumerate(modules or [], start=1):
        module_add(actor=actor, programme=programme, order=module.get("order", i), **module)
    programme.audit_reset()
    return programme


@transaction.atomic
def programme_update(
    *, actor: Any, programme: Programme, expected_version: int | None = None, **fields: Any
) -> Programme:
    ensure_in_scope(actor, programme.region_id, "change", model=Programme)
    for name, value in fields.items():
        if name in PROGRAMME_FIELDS and name != "region":
            setattr(programme, name, value)
    programme.full_clean()
    audited_save(
        programme,
        actor=actor,
        action="training.programme.updated",
        expected_version=expected_version,
        only_if_changed=True,
        notify=False,
    )
    return programme


@transaction.atomic
def module_add(*, actor: Any, programme: Programme, title: str, hours_jp: int, order: int = 1) -> Module:
    ensure_in_scope(actor, programme.region_id, "change", model=Programme)
    module = Module(programme=programme, title=title, hours_jp=hours_jp, order=order)
    module.full_clean()
    module.save()
    audit_record(
        actor=actor,
        action="training.programme.module_added",
        obj=programme,
        changes={"module": [None, f"{title} ({hours_jp} JP)"]},
    )
    return module


@transaction.atomic
def module_delete(*, actor: Any, module: Module) -> None:
    programme = module.programme
    ensure_in_scope(actor, programme.region_id, "change", model=Programme)
    label = f"{module.title} ({module.hours_jp} JP)"
    module.delete()
    audit_record(
        actor=actor, action="training.programme.module_deleted", obj=programme, changes={"module": [label, None]}
    )


def programme_hours(programme: Programme) -> int:
    return sum(m.hours_jp for m in programme.modules.all())


# --- Batches --------------------------------------------------------------------------------------------------


def _sync_days(batch: Batch) -> None:
    """Make the batch's days match its working-day calendar; days with attendance are never dropped."""
    wanted = working_days(batch.start_date, batch.end_date)
    if not wanted:
        raise ValidationError(
            {"end_date": _("Tidak ada hari kerja di antara tanggal ini (hari Minggu dan libur nasional dilewati).")}
        )
    existing = {d.date: d for d in batch.days.all()}
    dropped = [d for date, d in existing.items() if date not in wanted]
    blocked = [d for d in dropped if d.attendance.exists() or d.sessions.exists()]
    if blocked:
        raise ValidationError(
            {
                "start_date": _(
                    "Tanggal {dates} sudah memiliki presensi atau jadwal. Hapus dulu sebelum mengubah tanggal."
                ).format(dates=", ".join(f"{d.date:%d-%m-%Y}" for d in blocked))
            }
        )
    BatchDay.objects.filter(pk__in=[d.pk for d in dropped]).delete()
    for date in wanted:
        if date not in existing:
            BatchDay.objects.create(batch=batch, date=date, number=0)
    for number, day in enumerate(batch.days.order_by("date"), start=1):
        if day.number != number:
            day.number = number
            day.save(update_fields=["number"])


def _check_budget_line(actor: Any, batch: Batch) -> None:
    """The budget line must be the batch's own regency's and visible to the actor."""
    line = batch.budget_line
    if line is None:
        return
    if line.region_id != batch.region_id:
        raise ValidationError({"budget_line": _("Mata anggaran harus milik kabupaten/kota penyelenggara.")})
    if actor is not None and not type(line).objects.visible_to(actor).filter(pk=line.pk).exists():
        raise ValidationError({"budget_line": _("Mata anggaran tidak ditemukan.")})


def _check_trainers(trainers: list[Any]) -> None:
    wrong = [t for t in trainers if t.role != "trainer"]
    if wrong:
        raise ValidationError({"trainers": _("Hanya pengguna dengan peran Pelatih yang dapat dipilih.")})


@transaction.atomic
def batch_create(
    *, actor: Any, trainers: list[Any] | None = None, eligible_regions: list[Region] | None = None, **fields: Any
) -> Batch:
    batch = Batch(**{k: v for k, v in fields.items() if k in BATCH_FIELDS})
    if not batch.organiser:
        batch.organiser = settings.SENTRA_AGENCY_NAME
    ensure_in_scope(actor, batch.region_id, "add", model=Batch)
    if batch.programme_id and batch.programme.region_id != batch.region_id and batch.programme.region_id:
        # A programme of another regency may be reused only by someone who can see it.
        if actor is not None and not Programme.objects.visible_to(actor).filter(pk=batch.programme_id).exists():
            raise ValidationError({"programme": _("Program tidak ditemukan.")})
    _check_budget_line(actor, batch)
    batch.full_clean()
    batch.save()
    _sync_days(batch)
    _check_trainers(trainers or [])
    batch.trainers.set(trainers or [])
    batch.eligible_regions.set(eligible_regions or [])
    changes = batch.audit_changes()
    changes["trainers"] = [None, sorted(t.username for t in trainers or [])]
    record_change(batch, actor=actor, action="training.batch.created", changes=changes)
    return batch


@transaction.atomic
def batch_update(
    *,
    actor: Any,
    batch: Batch,
    trainers: list[Any] | None = None,
    eligible_regions: list[Region] | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> Batch:
    ensure_in_scope(actor, batch.region_id, "change", model=Batch)
    for name, value in fields.items():
        if name in BATCH_FIELDS and name != "region":
            setattr(batch, name, value)
    _check_budget_line(actor, batch)
    batch.full_clean()
    accepted = batch.participants.filter(status=ParticipantStatus.ACCEPTED).count()
    if batch.quota < accepted:
        raise ValidationError(
            {"quota": _("Sudah ada {n} peserta diterima; kuota tidak boleh lebih kecil.").format(n=accepted)}
        )
    changes = batch.audit_changes()
    save_versioned(batch, expected_version)
    _sync_days(batch)
    if trainers is not None:
        _check_trainers(trainers)
        before = sorted(batch.trainers.values_list("username", flat=True))
        batch.trainers.set(trainers)
        after = sorted(t.username for t in trainers)
        if before != after:
            changes["trainers"] = [before, after]
    if eligible_regions is not None:
        batch.eligible_regions.set(eligible_regions)
    if changes:
        audit_record(actor=actor, action="training.batch.updated", obj=batch, changes=changes)
        notify_changed(Batch, [batch.region_id])
    batch.audit_reset()
    return batch


@transaction.atomic
def external_trainer_add(*, actor: Any, batch: Batch, name: str, institution: str) -> ExternalTrainer:
    ensure_in_scope(actor, batch.region_id, "change", model=Batch)
    trainer = ExternalTrainer(batch=batch, name=name, institution=institution)
    trainer.full_clean()
    trainer.save()
    audit_record(
        actor=actor,
        action="training.batch.external_trainer_added",
        obj=batch,
        changes={"narasumber": [None, str(trainer)]},
    )
    return trainer


@transaction.atomic
def session_add(*, actor: Any, batch: Batch, day: BatchDay, **fields: Any) -> Session:
    ensure_in_scope(actor, batch.region_id, "change", model=Batch)
    if day.batch_id != batch.pk:
        raise ValidationError({"day": _("Hari tidak termasuk kelas ini.")})
    session = Session(day=day, **fields)
    if session.module is not None and session.module.programme_id != batch.programme_id:
        raise ValidationError({"module": _("Modul bukan bagian dari program kelas ini.")})
    if session.external_trainer is not None and session.external_trainer.batch_id != batch.pk:
        raise ValidationError({"external_trainer": _("Narasumber bukan bagian dari kelas ini.")})
    if session.trainer_id and not batch.trainers.filter(pk=session.trainer_id).exists():
        raise ValidationError({"trainer": _("Pelatih belum ditugaskan di kelas ini.")})
    session.full_clean()
    overlap = day.sessions.filter(start_time__lt=session.end_time, end_time__gt=session.start_time)
    if overlap.exists():
        raise ValidationError({"start_time": _("Jam sesi bertabrakan dengan sesi lain pada hari yang sama.")})
    session.save()
    audit_record(
        actor=actor,
        action="training.batch.session_added",
        obj=batch,
        changes={"sesi": [None, f"{day.date:%d-%m-%Y} {session.start_time:%H:%M} {session.topic}"]},
    )
    return session


@transaction.atomic
def session_delete(*, actor: Any, session: Session) -> None:
    batch = session.day.batch
    ensure_in_scope(actor, batch.region_id, "change", model=Batch)
    label = f"{session.day.date:%d-%m-%Y} {session.start_time:%H:%M} {session.topic}"
    session.delete()
    audit_record(actor=actor, action="training.batch.session_deleted", obj=batch, changes={"sesi": [label, None]})


# --- Participants: registration, applications, selection -------------------------------------------------------


def _baseline(business: Business | None) -> dict[str, Any]:
    if business is None:
        return {"baseline_turnover": None, "baseline_workforce": None}
    return {"baseline_turnover": business.turnover, "baseline_workforce": business.workforce_total}


@transaction.atomic
def participant_register(
    *,
    actor: Any,
    batch: Batch,
    owner: Owner,
    business: Business | None = None,
    business_plan: str = BusinessPlan.HAS,
    planned_business: str = "",
    accept: bool = False,
) -> Participant:
    """An officer registers a person from the registry (optionally accepting them at once)."""
    ensure_in_scope(actor, batch.region_id, "add", model=Participant)
    if batch.status in (BatchStatus.COMPLETED, BatchStatus.CANCELLED):
        raise DomainError(_("Kelas ini sudah selesai atau dibatalkan; peserta tidak dapat ditambah."), code="closed")
    if business is not None and not business.ownerships.filter(owner=owner).exists():
        raise ValidationError({"business": _("Usaha ini tidak tercatat milik pelaku usaha tersebut.")})
    if batch.participants.filter(owner=owner).exists():
        raise DomainError(_("{name} sudah terdaftar di kelas ini.").format(name=owner.full_name), code="duplicate")
    participant = Participant(
        batch=batch,
        owner=owner,
        business=business,
        source=ParticipantSource.OFFICER,
        business_plan=BusinessPlan.HAS if business else business_plan,
        planned_business=planned_business,
        **_baseline(business),
    )
    participant.full_clean()
    participant.save()
    audit_record(
        actor=actor, action="training.participant.created", obj=participant, changes=participant.audit_changes()
    )
    notify_changed(Participant, [participant.batch.region_id])
    participant.audit_reset()
    if accept:
        try:
            with transaction.atomic():
                participant = participant_decide(
                    actor=actor, participant=participant, decision=ParticipantStatus.ACCEPTED
                )
        except DomainError as exc:
            if exc.code != "quota_full":
                raise
            # Full: the registration stands, on the waiting list.
            participant = participant_decide(
                actor=actor,
                participant=participant,
                decision=ParticipantStatus.WAITLISTED,
                reason=_("Kuota penuh saat didaftarkan"),
            )
    return participant


@transaction.atomic
def participant_register_new_person(
    *, actor: Any, batch: Batch, accept: bool = False, business_plan: str = BusinessPlan.PLANS, **owner_fields: Any
) -> Participant:
    """A person not yet in the registry: the owner record is created on the way (duplicates by NIK caught)."""
    nik = owner_fields.get("nik") or None
    if nik:
        existing = Owner.objects.filter(nik=nik).first()
        if existing is not None:
            # Named inside the officer's scope, neutral outside it (no existence oracle).
            raise ValidationError({"nik": registry_services.nik_taken_message(actor, existing)}, code="duplicate_nik")
    owner_fields.setdefault("region", batch.region)
    owner = registry_services.owner_register(actor=actor, **owner_fields)
    planned = owner_fields.get("planned_business", "")
    return participant_register(
        actor=actor, batch=batch, owner=owner, business_plan=business_plan, planned_business=planned, accept=accept
    )


def _age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def eligibility_errors(
    *, batch: Batch, region: Region | None, birth_date: dt.date | None, business_plan: str
) -> dict[str, str]:
    """Why an applicant may not join ``batch`` (empty when eligible). Rules: region, age, has or plans an IKM."""
    errors: dict[str, str] = {}
    allowed = {r.pk for r in batch.eligible_regions.all()} or {batch.region_id}
    if region is None or region.pk not in allowed:
        errors["region"] = _("Kelas ini hanya untuk warga {regions}.").format(
            regions=", ".join(str(r) for r in Region.objects.filter(pk__in=allowed).order_by("code"))
        )
    if birth_date is None:
        errors["birth_date"] = _("Isi tanggal lahir.")
    else:
        age = _age_on(birth_date, batch.start_date)
        if age < batch.min_age or age > batch.max_age:
            errors["birth_date"] = _(
                "Peserta harus berusia {min}–{max} tahun pada hari pertama pelatihan (usia Anda {age})."
            ).format(min=batch.min_age, max=batch.max_age, age=age)
    if business_plan == BusinessPlan.NONE or (
        batch.business_requirement == BusinessRequirement.HAS and business_plan != BusinessPlan.HAS
    ):
        errors["business_plan"] = (
            _("Kelas ini hanya untuk pelaku usaha yang sudah memiliki IKM.")
            if batch.business_requirement == BusinessRequirement.HAS
            else _("Kelas ini untuk pelaku usaha yang memiliki atau berencana memulai IKM.")
        )
    return errors


def _masked_application(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The audit trail of an application keeps no full NIK or phone number (UU PDP)."""
    masks = Participant.audit_masks
    return {k: [masks[k](v) if k in masks and v else v for v in pair] for k, pair in changes.items()}


@transaction.atomic
def application_submit(*, batch: Batch, data: dict[str, Any], source_ip: str = "") -> Participant | None:
    """A public application to an open batch. No login: the actor is the system.

    The identity is kept as typed (name, NIK, phone, …) and attached to nobody: matching it to a registry
    person is an officer's decision inside their scope (``participant_match``), so the form can neither reveal
    who holds a NIK nor apply in another person's name. A second application with the same NIK to the same batch
    changes nothing and returns None (the applicant sees the same answer, so the form says nothing about who
    applied). The audit event records the source address, with the NIK and phone masked.
    """
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.OPEN:
        raise DomainError(_("Pendaftaran kelas ini sudah ditutup."), code="closed")
    errors = eligibility_errors(
        batch=batch, region=data.get("region"), birth_date=data.get("birth_date"), business_plan=data["business_plan"]
    )
    if errors:
        raise ValidationError(errors, code="not_eligible")
    note = _("Formulir publik dari alamat {ip}").format(ip=source_ip or "?")
    if batch.participants.filter(applicant_nik=data["nik"]).exists():
        audit_record(actor=None, action="training.batch.application_repeated", obj=batch, note=note)
        return None
    participant = Participant(
        batch=batch,
        owner=None,
        business=None,
        source=ParticipantSource.PUBLIC,
        applicant_name=" ".join(data["full_name"].split()),
        applicant_nik=data["nik"],
        applicant_birth_date=data["birth_date"],
        applicant_gender=data.get("gender", ""),
        applicant_phone=data.get("phone", ""),
        applicant_email=data.get("email", ""),
        applicant_address=data.get("address", ""),
        applicant_region=data["region"],
        business_plan=data["business_plan"],
        planned_business=data.get("business_name", ""),
        motivation=data.get("motivation", ""),
    )
    participant.full_clean()
    participant.save()
    audit_record(
        actor=None,
        action="training.participant.applied",
        obj=participant,
        changes=_masked_application(participant.audit_changes()),
        note=note,
    )
    notify_changed(Participant, [participant.batch.region_id])
    participant.audit_reset()
    if source_ip:  # a request from the web (not the demo or a test): the server log has it beside the audit trail
        log.info("public application %s to batch %s from %s", participant.pk, batch.pk, source_ip)
    return participant


def application_candidates(*, user: Any, participant: Participant, limit: int = 5) -> list[Owner]:
    """Registry people inside ``user``'s scope who may be the applicant: the same NIK, or the same name and
    birth date. A person outside the scope is never offered, whatever matches."""
    if participant.owner_id is not None or not participant.applicant_name:
        return []
    same = Q(full_name__iexact=participant.applicant_name, birth_date=participant.applicant_birth_date)
    if participant.applicant_nik:
        same |= Q(nik=participant.applicant_nik)
    return list(
        Owner.objects.visible_to(user)
        .alive()
        .filter(same)
        .select_related("region")
        .prefetch_related("ownerships__business")
        .order_by("full_name", "id")[:limit]
    )


def _attach_owner(participant: Participant, owner: Owner) -> None:
    """Link the matched person; a business applicant known with exactly one business gets that one too."""
    participant.owner = owner
    if participant.business_plan == BusinessPlan.HAS and participant.business_id is None:
        owned = list(Business.objects.filter(ownerships__owner=owner, deleted_at__isnull=True)[:2])
        if len(owned) == 1:
            participant.business = owned[0]
            participant.baseline_turnover = owned[0].turnover
            participant.baseline_workforce = owned[0].workforce_total


def _lock_unmatched(participant: Participant, expected_version: int | None) -> Participant:
    Batch.objects.select_for_update().get(pk=participant.batch_id)
    locked = Participant.objects.select_related("batch").select_for_update().get(pk=participant.pk)
    if expected_version is not None and expected_version != locked.version:
        raise conflict_error(locked, since_version=expected_version)
    if locked.owner_id is not None:
        raise DomainError(_("Pendaftar ini sudah dicocokkan dengan data registri."), code="matched")
    return locked


@transaction.atomic
def participant_match(
    *, actor: Any, participant: Participant, owner: Owner, expected_version: int | None = None
) -> Participant:
    """The officer decides that an application is this registry person (inside the officer's scope)."""
    ensure_in_scope(actor, participant.batch.region_id, "change", model=Participant)
    if actor is not None and not Owner.objects.visible_to(actor).alive().filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("Pelaku usaha tidak ditemukan atau di luar cakupan Anda.")})
    participant = _lock_unmatched(participant, expected_version)
    if participant.batch.participants.filter(owner=owner).exists():
        raise DomainError(_("{name} sudah terdaftar di kelas ini.").format(name=owner.full_name), code="duplicate")
    _attach_owner(participant, owner)
    participant.full_clean()
    return _record_match(actor, participant, _("Dicocokkan dengan data registri"))


@transaction.atomic
def participant_register_applicant(
    *, actor: Any, participant: Participant, expected_version: int | None = None
) -> Participant:
    """The officer registers the applicant as a new registry person from what they typed, then links them.

    The person is registered in the applicant's regency/city, which must lie inside the officer's scope; a NIK
    already held by someone is answered as everywhere else (named inside the scope, neutral outside).
    """
    ensure_in_scope(actor, participant.batch.region_id, "change", model=Participant)
    participant = _lock_unmatched(participant, expected_version)
    region = participant.applicant_region
    if region is None or not participant.applicant_name:
        raise DomainError(_("Data pendaftar tidak lengkap untuk didaftarkan ke registri."), code="incomplete")
    if actor is not None and not actor.is_superuser and not actor.scope.covers_region(region.pk):
        raise ValidationError(
            {
                "owner": _(
                    "Domisili pendaftar ({region}) di luar cakupan Anda. Minta petugas wilayah tersebut atau "
                    "petugas provinsi mendaftarkannya."
                ).format(region=region)
            },
            code="out_of_scope",
        )
    phone = participant.applicant_phone
    try:
        phone = normalize_phone(phone) if phone else ""
    except ValidationError:
        phone = ""  # a number the registry does not accept is left for the officer to ask again
    owner = registry_services.owner_register(
        actor=actor,
        full_name=participant.applicant_name,
        nik=participant.applicant_nik or None,
        gender=participant.applicant_gender,
        birth_date=participant.applicant_birth_date,
        phone=phone,
        email=participant.applicant_email,
        address=participant.applicant_address,
        region=region,
    )
    _attach_owner(participant, owner)
    return _record_match(actor, participant, _("Didaftarkan sebagai pelaku usaha baru dari data pendaftar"))


def _record_match(actor: Any, participant: Participant, note: str) -> Participant:
    """Save an application now linked to a registry person (the row is locked by the caller; this bumps its
    version), with one audit event and one change notice."""
    audited_save(
        participant,
        actor=actor,
        action="training.participant.matched",
        expected_version=None,
        note=note,
        region_id=participant.batch.region_id,
    )
    return participant


def _free_seat(batch: Batch) -> int | None:
    taken = set(batch.participants.filter(seat__isnull=False).values_list("seat", flat=True))
    for seat in range(1, batch.quota + 1):
        if seat not in taken:
            return seat
    return None


def _notify(participant: Participant, message: str) -> None:
    Notice.objects.create(participant=participant, message=message[:500])
    email = participant.contact_email
    if email:
        subject = _("Pelatihan: {batch}").format(batch=participant.batch.name)
        # A job after commit: a mail outage never undoes the decision, and the job retries it.
        queue_mail(subject=subject, body=message, to=[email])


@transaction.atomic
def participant_decide(
    *, actor: Any, participant: Participant, decision: str, reason: str = "", expected_version: int | None = None
) -> Participant:
    """Accept, waiting-list or reject an applicant. Accepting takes a seat; the quota is never exceeded.

    The batch row is locked (``select_for_update``) while a seat is chosen, and seats are unique per batch in the
    database, so two officers accepting the last place at once cannot both succeed.
    """
    ensure_in_scope(actor, participant.batch.region_id, "change", model=Participant)
    reason = (reason or "").strip()
    if decision not in (ParticipantStatus.ACCEPTED, ParticipantStatus.WAITLISTED, ParticipantStatus.REJECTED):
        raise ValidationError({"decision": _("Pilih keputusan: terima, daftar tunggu atau tolak.")})
    if decision == ParticipantStatus.REJECTED and not reason:
        raise ValidationError({"reason": _("Tuliskan alasan penolakan; alasan ini disampaikan kepada pendaftar.")})
    batch = Batch.objects.select_for_update().get(pk=participant.batch_id)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if expected_version is not None and expected_version != participant.version:
        # another officer decided since this page was opened
        raise conflict_error(participant, since_version=expected_version)
    if participant.status == ParticipantStatus.WITHDRAWN:
        raise DomainError(_("Peserta ini sudah mengundurkan diri."), code="withdrawn")
    if decision == participant.status:
        return participant
    if decision == ParticipantStatus.ACCEPTED and participant.owner_id is None:
        raise DomainError(
            _(
                "Cocokkan pendaftar ini dengan data registri, atau daftarkan sebagai pelaku usaha baru, sebelum "
                "menerimanya."
            ),
            code="unmatched",
        )
    if decision == ParticipantStatus.ACCEPTED:
        seat = _free_seat(batch)
        if seat is None:
            raise DomainError(
                _("Kuota {quota} peserta sudah penuh. Masukkan pendaftar ini ke daftar tunggu.").format(
                    quota=batch.quota
                ),
                code="quota_full",
            )
        participant.seat = seat
    else:
        participant.seat = None
    was_accepted = participant.status == ParticipantStatus.ACCEPTED
    participant.status = decision
    participant.decision_reason = reason
    participant.decided_at = timezone.now()
    changes = participant.audit_changes()
    try:
        with transaction.atomic():
            save_versioned(participant, None)  # The row is locked above; saving bumps its version.
    except IntegrityError:
        raise DomainError(
            _("Kursi terakhir baru saja diisi oleh petugas lain. Muat ulang halaman."), code="quota_full"
        ) from None
    record_change(
        participant,
        actor=actor,
        action=f"training.participant.{decision}",
        changes=changes,
        note=reason,
        region_ids=[batch.region_id],
    )
    messages: dict[str, str] = {
        ParticipantStatus.ACCEPTED: _(
            "Selamat, Anda diterima sebagai peserta {batch} ({start} s.d. {end}) di {venue}."
        ),
        ParticipantStatus.WAITLISTED: _("Anda masuk daftar tunggu {batch}. Kami kabari bila ada tempat."),
        ParticipantStatus.REJECTED: _(
            "Mohon maaf, pendaftaran Anda pada {batch} belum dapat diterima. Alasan: {reason}"
        ),
    }
    _notify(
        participant,
        messages[decision].format(
            batch=batch.name,
            start=f"{batch.start_date:%d-%m-%Y}",
            end=f"{batch.end_date:%d-%m-%Y}",
            venue=batch.venue,
            reason=reason,
        ),
    )
    if was_accepted:
        _promote_waiting(actor=actor, batch=batch, exclude=participant.pk)
    return participant


def _promote_waiting(*, actor: Any, batch: Batch, exclude: int | None = None) -> Participant | None:
    """Offer a freed place to the first on the waiting list (earliest decision first)."""
    # Only people matched to the registry.
    waiting = batch.participants.select_for_update().filter(status=ParticipantStatus.WAITLISTED, owner__isnull=False)
    if exclude is not None:
        waiting = waiting.exclude(pk=exclude)
    nxt = waiting.order_by("decided_at", "id").first()
    if nxt is None or _free_seat(batch) is None:
        return None
    return participant_decide(
        actor=actor, participant=nxt, decision=ParticipantStatus.ACCEPTED, reason=_("Naik dari daftar tunggu")
    )


@transaction.atomic
def _claim_participant(
    participant: Participant, expected_version: int | None, *, changed: dict[str, list[Any]] | None = None
) -> None:
    """Lock the participant's row, refuse a stale ``expected_version`` and take the next version.

    The participant row is the unit of optimistic locking for everything recorded on it: withdrawal, each
    attendance mark, the scores and the alumni follow-ups. ``changed`` names what the refused write was about
    when the participant's own fields do not show it (an attendance mark, a follow-up).
    """
    current = Participant._base_manager.select_for_update().only("pk", "version").get(pk=participant.pk)
    if expected_version is not None and expected_version != current.version:
        exc = conflict_error(participant, since_version=expected_version)
        if changed:
            exc.changed = {**changed, **exc.changed}
        raise exc
    participant.version = current.version
    claim_version(participant, None)  # the row is locked above; marks the version for the audit event


def participant_withdraw(
    *, actor: Any, participant: Participant, reason: str, expected_version: int | None = None
) -> Participant | None:
    """The participant gives up their place; the first on the waiting list is offered it (and told so).

    Returns the promoted participant, if any.
    """
    ensure_in_scope(actor, participant.batch.region_id, "change", model=Participant)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan pengunduran diri.")})
    batch = Batch.objects.select_for_update().get(pk=participant.batch_id)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if expected_version is not None and expected_version != participant.version:
        # decided, marked or scored by someone else since the page was opened
        raise conflict_error(participant, since_version=expected_version)
    if participant.status == ParticipantStatus.WITHDRAWN:
        raise DomainError(_("Peserta ini sudah mengundurkan diri."), code="withdrawn")
    if hasattr(participant, "certificate"):
        raise DomainError(_("Peserta ini sudah bersertifikat; cabut sertifikatnya bila perlu."), code="certified")
    was_accepted = participant.status == ParticipantStatus.ACCEPTED
    participant.status = ParticipantStatus.WITHDRAWN
    participant.seat = None
    participant.decision_reason = reason
    participant.decided_at = timezone.now()
    # The row is locked above; saving bumps its version.
    audited_save(
        participant,
        actor=actor,
        action="training.participant.withdrawn",
        expected_version=None,
        note=reason,
        region_id=batch.region_id,
    )
    if was_accepted:
        return _promote_waiting(actor=actor, batch=batch)
    return None


# --- Attendance, scores, completion ------------------------------------------------------------------------------


@transaction.atomic
def attendance_set(
    *, actor: Any, participant: Participant, day: BatchDay, present: bool, expected_version: int | None = None
) -> Attendance:
    """Record one mark. With ``expected_version`` (the participant's, as shown on the officer's page), a mark
    changed by someone else since then is refused (``ConflictError``) instead of silently overwritten."""
    batch = participant.batch
    ensure_in_scope(actor, batch, "view", perm="training.take_attendance_batch")
    if day.batch_id != batch.pk:
        raise ValidationError(_("Hari tidak termasuk kelas ini."))
    if participant.status != ParticipantStatus.ACCEPTED:
        raise DomainError(_("Presensi hanya untuk peserta yang diterima."), code="not_accepted")
    if locked := participant.attendance_lock_reason:
        raise DomainError(locked, code="certified")
    label = f"hadir {day.date:%d-%m-%Y}"
    stored = Attendance.objects.filter(participant=participant, day=day).values_list("present", flat=True).first()
    _claim_participant(participant, expected_version, changed={label: [stored, present]})
    attendance, created = Attendance.objects.get_or_create(
        participant=participant, day=day, defaults={"present": present, "recorded_by": actor}
    )
    if not created and attendance.present != present:
        before = attendance.present
        attendance.present = present
        attendance.recorded_by = actor
        attendance.save(update_fields=["present", "recorded_by", "recorded_at"])
        audit_record(
            actor=actor,
            action="training.participant.attendance_changed",
            obj=participant,
            changes={f"hadir {day.date:%d-%m-%Y}": [before, present]},
        )
    elif created:
        audit_record(
            actor=actor,
            action="training.participant.attendance_recorded",
            obj=participant,
            changes={f"hadir {day.date:%d-%m-%Y}": [None, present]},
        )
    return attendance


def _score(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    value = Decimal(value)
    if value < 0 or value > 100:
        raise ValidationError({field: _("Nilai harus antara 0 dan 100.")})
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def scores_set(
    *, actor: Any, participant: Participant, pre_test: Any, post_test: Any, expected_version: int | None = None
) -> Participant:
    ensure_in_scope(actor, participant.batch.region_id, "change", model=Participant)
    if participant.status != ParticipantStatus.ACCEPTED:
        raise DomainError(_("Nilai hanya untuk peserta yang diterima."), code="not_accepted")
    if hasattr(participant, "certificate") and not participant.certificate.is_revoked:
        raise DomainError(
            _("Sertifikat {name} sudah terbit; cabut dulu sebelum mengubah nilai.").format(
                name=participant.display_name
            ),
            code="certified",
        )
    participant.pre_test = _score(pre_test, "pre_test")
    participant.post_test = _score(post_test, "post_test")
    changes = participant.audit_changes()
    if changes:
        participant.result = ""
        save_versioned(participant, expected_version)
        audit_record(actor=actor, action="training.participant.scored", obj=participant, changes=changes)
        notify_changed(Participant, [participant.batch.region_id])
    participant.audit_reset()
    return participant


def passes(*, present_days: int, total_days: int, post_test: Decimal | None, programme: Programme) -> bool:
    """The pass rule: attendance ≥ the minimum % and post-test ≥ the minimum score (``Programme.pass_rule``).

    Exactly the minimum passes. Attendance is compared in integers (present × 100 ≥ minimum × days) so that a
    rounded percentage can never tip the result.
    """
    return pass_check(present_days=present_days, total_days=total_days, post_test=post_test, programme=programme).passed


def pass_check(*, present_days: int, total_days: int, post_test: Decimal | None, programme: Programme) -> PassCheck:
    """The pass rule applied to one participant, with the reasons of a failure (shown beside the result)."""
    return programme.pass_rule(total_days).check(present_days=present_days, post_test=post_test)


@transaction.atomic
def batch_assess(*, actor: Any, batch: Batch) -> dict[str, int]:
    """Compute attendance % and the pass/fail result of every accepted participant."""
    ensure_in_scope(actor, batch.region_id, "change", model=Participant)
    programme = batch.programme
    total_days = batch.days.count()
    rows = (
        batch.participants.filter(status=ParticipantStatus.ACCEPTED)
        .select_related("owner")
        .annotate(present_days=Count("attendance", filter=Q(attendance__present=True)))
    )
    counts = {"passed": 0, "failed": 0}
    for p in rows:
        if hasattr(p, "certificate") and not p.certificate.is_revoked:
            counts["passed"] += 1
            continue
        pct = (Decimal(p.present_days * 100) / total_days).quantize(Decimal("0.01")) if total_days else Decimal(0)
        ok = passes(present_days=p.present_days, total_days=total_days, post_test=p.post_test, programme=programme)
        result = ParticipantResult.PASSED if ok else ParticipantResult.FAILED
        counts["passed" if ok else "failed"] += 1
        if p.attendance_pct != pct or p.result != result:
            changes = {"result": [p.result, result], "attendance_pct": [str(p.attendance_pct), str(pct)]}
            p.attendance_pct = pct
            p.result = result
            p.save(update_fields=["attendance_pct", "result", "updated_at"])
            audit_record(actor=actor, action="training.participant.assessed", obj=p, changes=changes)
    audit_record(actor=actor, action="training.batch.assessed", obj=batch, changes={"hasil": [None, counts]})
    notify_changed(Participant, [batch.region_id])
    return counts


# --- Evaluation ---------------------------------------------------------------------------------------------------


@transaction.atomic
def evaluation_submit(
    *, actor: Any, batch: Batch, answers: dict[str, Any], participant: Participant | None = None
) -> None:
    """Record one anonymous answer. When a participant answers online, only their "answered" flag is set.

    Officers may type in paper forms (``participant=None``), up to one per accepted participant.
    """
    if actor is not None and not (actor.is_superuser or actor.has_perm("training.add_evaluationresponse")):
        raise PermissionDenied(_("Anda tidak memiliki izin untuk tindakan ini."))
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if participant is not None:
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.batch_id != batch.pk or participant.status != ParticipantStatus.ACCEPTED:
            raise PermissionDenied(_("Anda bukan peserta kelas ini."))
        if participant.evaluated:
            raise DomainError(_("Anda sudah mengisi evaluasi kelas ini. Terima kasih."), code="already")
        participant.evaluated = True
        participant.save(update_fields=["evaluated"])
    else:
        ensure_in_scope(actor, batch.region_id, "change", model=Participant)
    accepted = batch.participants.filter(status=ParticipantStatus.ACCEPTED).count()
    if batch.evaluations.count() >= accepted:
        raise DomainError(
            _("Jumlah evaluasi sudah sama dengan jumlah peserta ({n}).").format(n=accepted), code="too_many"
        )
    response = EvaluationResponse(batch=batch, **{k: answers[k] for k in EvaluationResponse.QUESTIONS})
    response.comment = (answers.get("comment") or "").strip()
    response.full_clean()
    response.save()
    # The audit names the batch only: the trail must not tie the answer to a person either.
    audit_record(actor=None, action="training.batch.evaluation_received", obj=batch)


def evaluation_summary(batch: Batch) -> dict[str, Any]:
    """Averages per question and the comments, or ``shown=False`` below the anonymity threshold."""
    from django.db.models import Avg

    qs = batch.evaluations.all()
    n = qs.count()
    if n < EVALUATION_MIN_RESPONSES:
        return {"count": n, "shown": False, "minimum": EVALUATION_MIN_RESPONSES}
    agg = qs.aggregate(**{q: Avg(q) for q in EvaluationResponse.QUESTIONS})
    labels = {f.name: f.verbose_name for f in EvaluationResponse._meta.concrete_fields}
    averages = {q: Decimal(str(agg[q])).quantize(Decimal("0.01")) for q in EvaluationResponse.QUESTIONS}
    questions = [{"key": q, "label": labels[q], "avg": avg} for q, avg in averages.items()]
    overall = (sum(averages.values(), Decimal(0)) / len(averages)).quantize(Decimal("0.01"))
    # Comments in a stable order unrelated to who answered when.
    comments = sorted(c for c in qs.exclude(comment="").values_list("comment", flat=True))
    return {
        "count": n,
        "shown": True,
        "minimum": EVALUATION_MIN_RESPONSES,
        "questions": questions,
        "overall": overall,
        "comments": comments,
    }


# --- Certificates -------------------------------------------------------------------------------------------------


@transaction.atomic
def certificates_issue(*, actor: Any, batch: Batch) -> list[Certificate]:
    """Issue a certificate to every participant who passed and has none yet."""
    ensure_in_scope(actor, batch, "view", perm="training.issue_certificates_batch")
    ensure_in_scope(actor, batch.region_id, "add", model=Certificate)
    batch = Batch.objects.select_for_update().select_related("programme").get(pk=batch.pk)
    hours = programme_hours(batch.programme)
    if hours <= 0:
        raise DomainError(_("Program belum memiliki modul (JP); lengkapi kurikulum dulu."), code="no_modules")
    pending = list(
        batch.participants.filter(result=ParticipantResult.PASSED, status=ParticipantStatus.ACCEPTED, certificate=None)
        .select_related("owner")
        .order_by("owner__full_name", "id")
    )
    if not pending:
        raise DomainError(certificates_blocked_reason(batch), code="none_pending")
    issued = []
    start = Certificate.objects.filter(participant__batch=batch).count()
    now = timezone.now()
    for i, p in enumerate(pending, start=start + 1):
        cert = Certificate(
            participant=p,
            number=f"{i:03d}/PLT-{batch.pk}/{batch.end_date.year}",
            holder_name=p.display_name,  # the registry name: only matched participants are accepted
            programme_title=batch.programme.title,
            organiser=batch.organiser,
            start_date=batch.start_date,
            end_date=batch.end_date,
            hours_jp=hours,
            issued_at=now,
            issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        cert.save()
        audit_record(actor=actor, action="training.certificate.issued", obj=cert, changes=cert.audit_changes())
        issued.append(cert)
    if batch.status != BatchStatus.COMPLETED:
        batch.status = BatchStatus.COMPLETED
        batch.save(update_fields=["status", "updated_at"])
    notify_changed(Certificate, [batch.region_id])
    return issued


def results_summary(batch: Batch) -> dict[str, int]:
    """How many accepted participants have a computed result, passed, failed, and passed without a certificate."""
    counts = batch.participants.filter(status=ParticipantStatus.ACCEPTED).aggregate(
        accepted=Count("pk"),
        assessed=Count("pk", filter=~Q(result="")),
        passed=Count("pk", filter=Q(result=ParticipantResult.PASSED)),
        failed=Count("pk", filter=Q(result=ParticipantResult.FAILED)),
        pending_certificates=Count("pk", filter=Q(result=ParticipantResult.PASSED, certificate=None)),
    )
    return counts


def certificates_blocked_reason(batch: Batch, summary: dict[str, int] | None = None) -> str:
    """Why no certificate can be issued now ("" when some can): the results are not computed yet, nobody passed,
    or every participant who passed already has one."""
    summary = summary if summary is not None else results_summary(batch)
    if summary["pending_certificates"]:
        return ""
    if not summary["accepted"]:
        return _("Belum ada peserta yang diterima.")
    if not summary["assessed"]:
        return _("Kelulusan belum dihitung; tekan “Hitung kelulusan” dulu.")
    if not summary["passed"]:
        return _("Tidak ada peserta yang lulus ({failed} tidak lulus); sertifikat hanya untuk yang lulus.").format(
            failed=summary["failed"]
        )
    if summary["assessed"] < summary["accepted"]:
        return _(
            "Semua peserta lulus sudah bersertifikat; {n} peserta belum dinilai (nilai diubah sejak kelulusan "
            "dihitung): hitung ulang kelulusan."
        ).format(n=summary["accepted"] - summary["assessed"])
    return _("Semua peserta yang lulus sudah bersertifikat.")


@transaction.atomic
def certificate_revoke(*, actor: Any, certificate: Certificate, reason: str) -> Certificate:
    ensure_in_scope(actor, certificate.participant.batch.region_id, "change", model=Certificate)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Tuliskan alasan pencabutan (minimal 5 karakter).")})
    if certificate.is_revoked:
        raise DomainError(_("Sertifikat ini sudah dicabut."), code="revoked")
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    changes = certificate.audit_changes()
    certificate.save()
    record_change(
        certificate,
        actor=actor,
        action="training.certificate.revoked",
        changes=changes,
        note=reason,
        region_ids=[certificate.participant.batch.region_id],
    )
    return certificate


# --- Alumni follow-up ------------------------------------------------------------------------------------------


@transaction.atomic
def followup_record(
    *,
    actor: Any,
    participant: Participant,
    expected_version: int | None = None,
    note: str = "",
    source: str = FollowUpSource.OFFICER,
    **fields: Any,
) -> FollowUp:
    """Record a 3/6/12-month follow-up and bring the registry up to date (through the registry's services).

    The one write path of follow-ups: an officer's entry (``source`` "petugas"), the spreadsheet import and the
    owner's own follow-up report on the periodic pages ("pemilik") all end here, with the same audit event.
    ``note`` is the channel the follow-up came through, kept on its audit event (``impor`` for a spreadsheet).

    ``expected_version`` is the participant's version when the form was opened: a follow-up recorded (or the
    participant changed) by someone else since then is refused, so two officers cannot both record one alumnus.
    """
    if source == FollowUpSource.OWNER:
        # An owner answers for their own class place only, whatever else their scope lets them see.
        owner = participant.owner
        if actor is None or owner is None or owner.user_id != getattr(actor, "pk", None):
            raise PermissionDenied(_("Anda hanya dapat mengisi tindak lanjut pelatihan Anda sendiri."))
    elif source == FollowUpSource.OFFICER:
        ensure_in_scope(actor, participant.batch.region_id, "add", model=FollowUp)
    else:
        raise ValidationError({"source": _("Sumber jawaban tindak lanjut tidak dikenal.")})
    if participant.status != ParticipantStatus.ACCEPTED:
        raise DomainError(_("Tindak lanjut hanya untuk alumni (peserta yang diterima)."), code="not_alumnus")
    months = fields.get("months")
    recorded = ", ".join(str(m) for m in participant.followups.order_by("months").values_list("months", flat=True))
    # rolled back with the rest if the follow-up is refused below
    _claim_participant(participant, expected_version, changed={_("tindak lanjut bulan ke"): [recorded or None, months]})
    if months is not None and participant.followups.filter(months=months).exists():
        raise ValidationError({"months": _("Tindak lanjut bulan ke-{m} sudah dicatat.").format(m=months)})
    due = participant.batch.end_date + dt.timedelta(days=int(months or 0) * 30 - 31)
    contacted = fields.get("contacted_on")
    if contacted and contacted < due:
        raise ValidationError(
            {
                "contacted_on": _("Tindak lanjut bulan ke-{m} baru dapat dicatat mulai {date}.").format(
                    m=months, date=f"{due:%d-%m-%Y}"
                )
            }
        )
    followup = FollowUp(
        participant=participant,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        source=source,
    )
    for name in (
        "months",
        "contacted_on",
        "started_business",
        "grew_business",
        "nib_registered",
        "joined_centre",
        "centre_name",
        "turnover",
        "workforce",
        "products",
        "notes",
    ):
        if name in fields:
            setattr(followup, name, fields[name])
    if followup.joined_centre and not followup.centre_name.strip():
        raise ValidationError({"centre_name": _("Tuliskan nama sentra yang diikuti.")})
    followup.full_clean()
    nib = (fields.get("nib") or "").strip() or None
    business_name = (fields.get("business_name") or "").strip()
    business = participant.business
    if business is None and followup.started_business:
        if not business_name:
            raise ValidationError({"business_name": _("Tuliskan nama usaha yang baru dimulai.")})
        owner = participant.owner
        if owner is None:  # never: an accepted participant is matched (participant_accepted_has_owner)
            raise DomainError(_("Tindak lanjut hanya untuk alumni (peserta yang diterima)."), code="not_alumnus")
        business = registry_services.business_register(
            actor=actor,
            owners=[owner],
            name=business_name,
            region=owner.region,
            village=owner.village,
            nib=nib,
            turnover=followup.turnover,
            workforce_male=followup.workforce,
        )
        participant.business = business
        participant.save(update_fields=["business", "updated_at"])
    elif business is not None:
        updates: dict[str, Any] = {}
        if followup.turnover is not None:
            updates["turnover"] = followup.turnover
        if followup.workforce is not None and followup.workforce != business.workforce_total:
            # The registry keeps workforce by gender; a follow-up gives the total: keep the women, adjust the men.
            female = min(business.workforce_female or 0, followup.workforce)
            updates["workforce_female"] = female
            updates["workforce_male"] = followup.workforce - female
        if nib and not business.nib:
            updates["nib"] = nib
        if updates:
            registry_services.business_update(actor=actor, business=business, **updates)
    followup.save()
    audit_record(
        actor=actor, action="training.followup.created", obj=followup, changes=followup.audit_changes(), note=note
    )
    notify_changed(FollowUp, [participant.batch.region_id])
    followup.audit_reset()
    return followup


def followup_remind(*, actor: Any, batch: Batch) -> int:
    """Remind the alumni of ``batch`` who have not answered a due follow-up, through the periodic reminders (an
    on-site notice and an e-mail job per owner, once per alumnus and point). Returns the reminders sent."""
    from sentra.periodic.periods import period_after_event
    from sentra.periodic.reminders import remind
    from sentra.training.followup_reports import followup_form
    from sentra.training.selectors import followup_missing

    ensure_in_scope(actor, batch, "change")
    missing = followup_missing(user=actor, batch=batch)
    reports = [(r["participant"], period_after_event(batch.end_date, r["months"])) for r in missing]
    return remind(followup_form(), reports)


def outcomes(batch: Batch) -> dict[str, int]:
    """The alumni outcomes so far: new entrepreneurs and businesses that grew (latest follow-up per alumnus)."""
    latest: dict[int, FollowUp] = {}
    for f in FollowUp.objects.filter(participant__batch=batch).select_related("participant").order_by("months"):
        latest[f.participant_id] = f
    new = grew = nib = centre = 0
    for f in latest.values():
        p = f.participant
        if f.started_business and p.business_plan != BusinessPlan.HAS:
            new += 1
        bigger = (f.turnover is not None and p.baseline_turnover is not None and f.turnover > p.baseline_turnover) or (
            f.workforce is not None and p.baseline_workforce is not None and f.workforce > p.baseline_workforce
        )
        if f.grew_business or bigger:
            grew += 1
        nib += int(f.nib_registered)
        centre += int(f.joined_centre)
    return {"followed": len(latest), "new_entrepreneurs": new, "grew": grew, "nib": nib, "joined_centre": centre}
