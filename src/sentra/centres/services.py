"""Write use-cases of the centres app. Every change is checked against the actor's scope and audited.

Changes to a centre's parts (units, tenancies, members, facilities, funding) are recorded on the centre's audit
trail, so that the profile's "Riwayat" tells the whole story of the centre.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.roles import Role
from sentra.centres.choices import (
    LETTABLE_STATUSES,
    RENTABLE_KINDS,
    STATUS_TRANSITIONS,
    CentreStatus,
    GrantStatus,
    Utilisation,
)
from sentra.centres.criteria import is_dak
from sentra.centres.models import (
    Attachment,
    Centre,
    CentreFunding,
    CentreMembership,
    CentreStatusChange,
    EquipmentCheck,
    EquipmentGrant,
    EquipmentHandover,
    Facility,
    Tenancy,
    WorkshopUnit,
)
from sentra.centres.uploads import check_upload
from sentra.core.audit import audit_record, audited_create, audited_save, record_change
from sentra.core.errors import DomainError
from sentra.core.events import notify_changed
from sentra.core.scope import ensure_in_scope
from sentra.core.uploads import save_file, storing
from sentra.core.versioning import save_versioned

#: What a centre's form edits, in the form's order; the services take no other field from their callers.
CENTRE_FIELDS = (
    "name",
    "sector",
    "commodity",
    "region",
    "village",
    "address",
    "latitude",
    "longitude",
    "managing_body",
    "managing_body_name",
    "land_area_m2",
    "building_area_m2",
    "land_status",
    "year_built",
    "sk_number",
    "sk_date",
    "inside_kpi",
    "report_period",
    "description",
)
UNIT_FIELDS = ("code", "kind", "size_m2", "condition", "note")
FACILITY_FIELDS = (
    "name",
    "category",
    "quantity",
    "condition",
    "year_acquired",
    "funding_source",
    "ownership",
    "value",
    "note",
)
FUNDING_FIELDS = ("year", "source", "menu", "ceiling", "realised", "output")
GRANT_FIELDS = (
    "name",
    "specification",
    "quantity",
    "value",
    "funding_source",
    "year",
    "procurement_ref",
    "contract",
    "region",
)


def _pick(fields: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    """The fields a service accepts (``village`` or ``village_id``), nothing else."""
    return {k: v for k, v in fields.items() if k in allowed or (k.endswith("_id") and k[:-3] in allowed)}


def _derive_region(centre: Centre) -> None:
    if centre.village_id:
        centre.region_id = centre.village_id[:5]


def _check_managers(managers: list[Any], region_id: str) -> None:
    for user in managers:
        if user.role != Role.CENTRE_MANAGER:
            raise ValidationError(
                {"managers": _("{user} tidak berperan sebagai pengelola sentra.").format(user=user)},
                code="manager_role",
            )
        if user.region_id and user.region_id != region_id:
            raise ValidationError(
                {"managers": _("{user} bertugas di wilayah lain.").format(user=user)}, code="manager_region"
            )


# --- Centres ------------------------------------------------------------------------------------------------


@transaction.atomic
def centre_create(
    *,
    actor: Any,
    managers: list[Any] | None = None,
    kbli: list[Any] | None = None,
    status: str = CentreStatus.PLANNED,
    status_date: dt.date | None = None,
    **fields: Any,
) -> Centre:
    centre = Centre(**_pick(fields, CENTRE_FIELDS))
    _derive_region(centre)
    ensure_in_scope(actor, centre.region_id, "add", model=Centre)
    if status not in CentreStatus.values:
        raise ValidationError({"status": _("Status tidak dikenal.")})
    centre.status = status
    centre.status_since = status_date or timezone.localdate()
    centre.full_clean()
    centre.save()
    if managers:
        _check_managers(managers, centre.region_id)
        centre.managers.set(managers)
    if kbli:
        centre.kbli.set(kbli)
    CentreStatusChange.objects.create(
        centre=centre, from_status="", to_status=status, date=centre.status_since, actor=_user(actor)
    )
    changes = centre.audit_changes()
    changes["status"] = [None, status]
    if managers:
        changes["managers"] = [None, [u.username for u in managers]]
    if kbli:
        changes["kbli"] = [None, [k.code for k in kbli]]
    record_change(centre, actor=actor, action="centres.centre.created", changes=changes)
    return centre


@transaction.atomic
def centre_update(
    *,
    actor: Any,
    centre: Centre,
    expected_version: int | None = None,
    managers: list[Any] | None = None,
    kbli: list[Any] | None = None,
    **fields: Any,
) -> Centre:
    ensure_in_scope(actor, centre, "change", perm="centres.change_centre")
    is_officer = actor is None or actor.is_superuser or getattr(actor, "is_officer", False)
    original_region = centre.region_id
    for name, value in fields.items():
        if name in CENTRE_FIELDS:
            if name == "region" and not is_officer:
                continue
            setattr(centre, name, value)
    _derive_region(centre)
    if not is_officer and centre.region_id != original_region:
        raise ValidationError({"village": _("Pengelola sentra tidak dapat memindahkan sentra ke kabupaten/kota lain.")})
    if is_officer:
        ensure_in_scope(actor, centre, "change")  # a moved centre stays inside the officer's regions
    centre.full_clean()
    changes = centre.audit_changes()
    save_versioned(centre, expected_version)
    if managers is not None and is_officer:
        _check_managers(managers, centre.region_id)
        before = sorted(centre.managers.values_list("username", flat=True))
        centre.managers.set(managers)
        after = sorted(u.username for u in managers)
        if before != after:
            changes["managers"] = [before, after]
    if kbli is not None:
        before = sorted(centre.kbli.values_list("code", flat=True))
        centre.kbli.set(kbli)
        after = sorted(k.code for k in kbli)
        if before != after:
            changes["kbli"] = [before, after]
    record_change(
        centre,
        actor=actor,
        action="centres.centre.updated",
        changes=changes,
        region_ids=[original_region, centre.region_id],
    )
    return centre


@transaction.atomic
def centre_set_status(*, actor: Any, centre: Centre, status: str, date: dt.date, note: str = "") -> Centre:
    """Move the centre along its lifecycle (docs/domain.md §2c); the move is dated and kept in the history."""
    ensure_in_scope(actor, centre, "change", perm="centres.change_status_centre")
    centre = Centre.objects.select_for_update().get(pk=centre.pk)
    allowed = STATUS_TRANSITIONS.get(centre.status, set())
    if status not in allowed:
        names = ", ".join(str(CentreStatus(s).label) for s in sorted(allowed)) or "–"
        raise ValidationError(
            {
                "status": _("Status {current} tidak dapat diubah menjadi {new}. Yang mungkin: {allowed}.").format(
                    current=centre.get_status_display(),
                    new=CentreStatus(status).label if status in CentreStatus.values else status,
                    allowed=names,
                )
            },
            code="transition",
        )
    if date > timezone.localdate():
        raise ValidationError({"date": _("Tanggal perubahan status tidak boleh di masa depan.")}, code="future")
    last = centre.status_changes.order_by("-date", "-id").first()
    if last and date < last.date:
        raise ValidationError(
            {
                "date": _("Tanggal tidak boleh sebelum perubahan status terakhir ({date}).").format(
                    date=last.date.strftime("%d-%m-%Y")
                )
            },
            code="before_last",
        )
    before = centre.status
    centre.status = status
    centre.status_since = date
    Centre.objects.filter(pk=centre.pk).update(status=status, status_since=date, version=F("version") + 1)
    centre.version += 1
    CentreStatusChange.objects.create(
        centre=centre, from_status=before, to_status=status, date=date, note=note[:300], actor=_user(actor)
    )
    audit_record(
        actor=actor,
        action="centres.centre.status_changed",
        obj=centre,
        changes={"status": [before, status], "status_since": [None, date.isoformat()]},
        note=note,
    )
    notify_changed(Centre, [centre.region_id])  # the status was written with QuerySet.update()
    return centre


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# --- Units and tenancies ------------------------------------------------------------------------------------------


@transaction.atomic
def unit_create(*, actor: Any, centre: Centre, **fields: Any) -> WorkshopUnit:
    ensure_in_scope(actor, centre, "change", perm="centres.add_workshopunit")
    unit = WorkshopUnit(centre=centre, **_pick(fields, UNIT_FIELDS))
    unit.full_clean()
    unit.save()
    audit_record(
        actor=actor,
        action="centres.unit.created",
        obj=centre,
        changes={f"unit {unit.code}": [None, unit.get_kind_display()]},
    )
    notify_changed(WorkshopUnit, [centre.region_id])
    return unit


@transaction.atomic
def unit_update(*, actor: Any, unit: WorkshopUnit, expected_version: int | None = None, **fields: Any) -> WorkshopUnit:
    ensure_in_scope(actor, unit.centre, "change", perm="centres.change_workshopunit")
    for name, value in fields.items():
        if name in UNIT_FIELDS:
            setattr(unit, name, value)
    unit.full_clean()
    # On the unit's own trail, with the version it took: a stale edit of the unit names who changed it since
    # (core.versioning.changes_since looks for the edited record's events).
    audited_save(
        unit,
        actor=actor,
        action="centres.unit.updated",
        expected_version=expected_version,
        region_id=unit.centre.region_id,
    )
    return unit


def _overlap_error(other: Tenancy) -> ValidationError:
    until = other.end_date.strftime("%d-%m-%Y") if other.end_date else _("sekarang")
    return ValidationError(
        {
            "start_date": _(
                "Unit ini sudah disewa {business} pada {start} s.d. {until}. Satu unit hanya untuk satu penyewa pada "
                "satu waktu: akhiri sewa itu dulu atau pilih tanggal lain."
            ).format(business=other.business, start=other.start_date.strftime("%d-%m-%Y"), until=until)
        },
        code="tenancy_overlap",
    )


@transaction.atomic
def tenancy_start(
    *,
    actor: Any,
    unit: WorkshopUnit,
    business: Any,
    start_date: dt.date,
    end_date: dt.date | None = None,
    agreement_number: str = "",
    annual_fee: Any = 0,
    note: str = "",
) -> Tenancy:
    """Let a unit to a business. Overlaps are refused here with a clear message, and by the database anyway."""
    centre = unit.centre
    ensure_in_scope(actor, centre, "change", perm="centres.add_tenancy")
    if unit.kind not in RENTABLE_KINDS:
        raise ValidationError({"unit": _("Hanya workshop/rumah produksi yang dapat disewakan.")}, code="not_rentable")
    if centre.status not in LETTABLE_STATUSES:
        raise ValidationError(
            {
                "unit": _(
                    "Unit belum dapat disewakan: {centre} berstatus “{status}”. Unit disewakan setelah sentra "
                    "beroperasi."
                ).format(centre=centre.name, status=centre.get_status_display())
            },
            code="centre_not_operating",
        )
    if business.region_id != centre.region_id:
        raise ValidationError({"business": _("Usaha berada di kabupaten/kota lain.")}, code="business_region")
    if getattr(business, "deleted_at", None):
        raise ValidationError({"business": _("Usaha ini sudah dihapus.")}, code="business_deleted")
    # Lock the unit's row so that two concurrent lets of the same unit are serialised.
    WorkshopUnit.objects.select_for_update().filter(pk=unit.pk).first()
    tenancy = Tenancy(
        unit=unit,
        centre=centre,
        business=business,
        start_date=start_date,
        end_date=end_date,
        agreement_number=agreement_number,
        annual_fee=annual_fee or 0,
        note=note,
    )
    tenancy.full_clean(validate_constraints=False)
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": _("Tanggal berakhir tidak boleh sebelum tanggal mulai.")}, code="dates")
    overlapping = _overlapping(unit, start_date, end_date).first()
    if overlapping:
        raise _overlap_error(overlapping)
    try:
        with transaction.atomic():
            tenancy.save()
    except IntegrityError:
        other = _overlapping(unit, start_date, end_date).first()
        if other:
            raise _overlap_error(other) from None
        raise
    CentreMembership.objects.get_or_create(centre=centre, business=business, defaults={"joined_on": start_date})
    audit_record(
        actor=actor,
        action="centres.tenancy.created",
        obj=centre,
        changes={
            f"unit {unit.code}": [None, str(business)],
            "mulai": [None, start_date.isoformat()],
            "berakhir": [None, end_date.isoformat() if end_date else None],
            "sewa per tahun": [None, str(tenancy.annual_fee)],
        },
        note=agreement_number,
    )
    notify_changed(Tenancy, [centre.region_id])
    return tenancy


def _overlapping(unit: WorkshopUnit, start: dt.date, end: dt.date | None, exclude: int | None = None) -> Any:
    qs = Tenancy.objects.filter(unit=unit).filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if end is not None:
        qs = qs.filter(start_date__lte=end)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.select_related("business")


@transaction.atomic
def tenancy_end(*, actor: Any, tenancy: Tenancy, end_date: dt.date) -> Tenancy:
    ensure_in_scope(actor, tenancy.centre, "change", perm="centres.change_tenancy")
    if end_date < tenancy.start_date:
        raise ValidationError({"end_date": _("Tanggal berakhir tidak boleh sebelum tanggal mulai sewa.")}, code="dates")
    if tenancy.end_date is not None and tenancy.end_date <= end_date:
        raise ValidationError(
            {"end_date": _("Sewa ini sudah berakhir pada {date}.").format(date=tenancy.end_date.strftime("%d-%m-%Y"))},
            code="ended",
        )
    before = tenancy.end_date
    tenancy.end_date = end_date
    tenancy.save(update_fields=["end_date", "updated_at"])
    audit_record(
        actor=actor,
        action="centres.tenancy.ended",
        obj=tenancy.centre,
        changes={
            f"unit {tenancy.unit.code} {tenancy.business}": [
                before.isoformat() if before else None,
                end_date.isoformat(),
            ]
        },
    )
    notify_changed(Tenancy, [tenancy.centre.region_id])
    return tenancy


# --- Members -----------------------------------------------------------------------------------------------------


@transaction.atomic
def membership_add(
    *, actor: Any, centre: Centre, business: Any, joined_on: dt.date | None = None, note: str = ""
) -> CentreMembership:
    ensure_in_scope(actor, centre, "change", perm="centres.add_centremembership")
    if business.region_id != centre.region_id:
        raise ValidationError({"business": _("Usaha berada di kabupaten/kota lain.")}, code="business_region")
    if CentreMembership.objects.filter(centre=centre, business=business).exists():
        raise ValidationError(
            {"business": _("{business} sudah menjadi anggota sentra ini.").format(business=business)}, code="duplicate"
        )
    membership = CentreMembership.objects.create(centre=centre, business=business, joined_on=joined_on, note=note)
    audit_record(
        actor=actor, action="centres.membership.created", obj=centre, changes={"anggota": [None, str(business)]}
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: Any, membership: CentreMembership) -> None:
    centre = membership.centre
    ensure_in_scope(actor, centre, "change", perm="centres.delete_centremembership")
    today = timezone.localdate()
    active = Tenancy.objects.filter(centre=centre, business=membership.business, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    if active.exists():
        raise DomainError(_("Usaha ini masih menyewa unit. Akhiri sewanya dulu."), code="active_tenant")
    name = str(membership.business)
    membership.delete()
    audit_record(actor=actor, action="centres.membership.deleted", obj=centre, changes={"anggota": [name, None]})


# --- Facilities, attachments, funding --------------------------------------------------------------------------------


@transaction.atomic
def facility_create(*, actor: Any, centre: Centre, **fields: Any) -> Facility:
    ensure_in_scope(actor, centre, "change", perm="centres.add_facility")
    facility = Facility(centre=centre, **_pick(fields, FACILITY_FIELDS))
    facility.full_clean()
    facility.save()
    audit_record(actor=actor, action="centres.facility.created", obj=centre, changes={"sarana": [None, facility.name]})
    return facility


@transaction.atomic
def facility_update(*, actor: Any, facility: Facility, expected_version: int | None = None, **fields: Any) -> Facility:
    ensure_in_scope(actor, facility.centre, "change", perm="centres.change_facility")
    for name, value in fields.items():
        if name in FACILITY_FIELDS:
            setattr(facility, name, value)
    facility.full_clean()
    # On the facility's own trail, with the version it took (see unit_update).
    audited_save(
        facility, actor=actor, action="centres.facility.updated", expected_version=expected_version, notify=False
    )
    return facility


@transaction.atomic
def attachment_add(
    *,
    actor: Any,
    centre: Centre,
    upload: Any,
    kind: str,
    caption: str = "",
    facility: Facility | None = None,
    grant: EquipmentGrant | None = None,
) -> Attachment:
    """Check the upload by its content and size, then store it through Django's storage API."""
    ensure_in_scope(actor, centre, "change", perm="centres.add_attachment")
    if kind not in (Attachment.KIND_PHOTO, Attachment.KIND_DOCUMENT):
        raise ValidationError({"kind": _("Jenis lampiran tidak dikenal.")})
    try:
        content_type = check_upload(upload, kind)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages[0]}, code=exc.code) from None
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        centre=centre,
        facility=facility,
        grant=grant,
        kind=kind,
        original_name=(getattr(upload, "name", "") or "berkas")[:200],
        content_type=content_type,
        size=upload.size,
        checksum=digest.hexdigest(),
        caption=caption[:200],
        uploaded_by=_user(actor),
    )
    with storing() as keep:
        save_file(attachment.file, attachment.original_name, upload)
        keep(attachment.file)
        attachment.save()
    audit_record(
        actor=actor,
        action="centres.attachment.created",
        obj=centre,
        changes={"lampiran": [None, attachment.original_name]},
        note=str(facility or grant or ""),
    )
    return attachment


@transaction.atomic
def funding_add(*, actor: Any, centre: Centre, **fields: Any) -> CentreFunding:
    ensure_in_scope(actor, centre, "change", perm="centres.add_centrefunding")
    funding = CentreFunding(centre=centre, **_pick(fields, FUNDING_FIELDS))
    funding.full_clean()
    if is_dak(funding.source):
        # One source of truth: DAK money is read from the DAK lines that name this centre, never typed twice.
        raise ValidationError(
            {
                "source": _(
                    "Dana DAK tidak dicatat di sini: riwayat DAK sentra dihitung dari baris anggaran DAK yang "
                    "menunjuk sentra ini. Catat di sini hanya dana di luar DAK."
                )
            },
            code="dak_from_lines",
        )
    if funding.realised is not None and funding.realised > funding.ceiling:
        raise ValidationError({"realised": _("Realisasi tidak boleh melebihi pagu.")}, code="realised")
    funding.save()
    audit_record(
        actor=actor,
        action="centres.funding.created",
        obj=centre,
        changes={
            "pendanaan": [None, f"{funding.year} {funding.get_source_display()} {funding.menu} {funding.ceiling}"]
        },
    )
    return funding


# --- Equipment grants (hibah mesin) ---------------------------------------------------------------------------------


@transaction.atomic
def grant_create(*, actor: Any, **fields: Any) -> EquipmentGrant:
    grant = EquipmentGrant(**_pick(fields, GRANT_FIELDS))
    ensure_in_scope(actor, grant.region_id, "add", model=EquipmentGrant)
    audited_create(grant, actor=actor, action="centres.equipmentgrant.created", notify=False)
    return grant


@transaction.atomic
def grant_handover(
    *,
    actor: Any,
    grant: EquipmentGrant,
    bast_number: str,
    date: dt.date,
    recipient_centre: Centre | None = None,
    recipient_business: Any = None,
    reason: str = "",
) -> EquipmentHandover:
    """Hand the machine over (BAST). A second handover is a reallocation, allowed only for idle equipment."""
    ensure_in_scope(actor, grant, "change")
    grant = EquipmentGrant.objects.select_for_update().get(pk=grant.pk)
    if bool(recipient_centre) == bool(recipient_business):
        raise ValidationError(_("Pilih satu penerima: sentra atau IKM."), code="recipient")
    recipient = recipient_centre or recipient_business
    if recipient.region_id != grant.region_id:
        raise ValidationError(_("Penerima berada di kabupaten/kota lain."), code="recipient_region")
    if not (bast_number or "").strip():
        raise ValidationError({"bast_number": _("Nomor BAST wajib diisi.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("Tanggal serah terima tidak boleh di masa depan.")})
    last = grant.handovers.order_by("-date", "-id").first()
    is_reallocation = last is not None
    if last is not None:
        if grant.status != GrantStatus.IDLE:
            raise DomainError(
                _("Mesin hanya dapat direalokasi bila pemeriksaan terakhir menyatakannya menganggur."), code="not_idle"
            )
        if date < last.date:
            raise ValidationError({"date": _("Tanggal tidak boleh sebelum serah terima sebelumnya.")})
        if last.recipient_centre_id == getattr(recipient_centre, "pk", None) and last.recipient_business_id == getattr(
            recipient_business, "pk", None
        ):
            raise ValidationError(_("Penerima baru harus berbeda dari pemegang sekarang."), code="same_recipient")
        if not reason.strip():
            raise ValidationError({"reason": _("Tuliskan alasan realokasi.")})
    if grant.handovers.filter(bast_number=bast_number.strip()).exists():
        raise ValidationError({"bast_number": _("Nomor BAST ini sudah dipakai untuk mesin ini.")})
    handover = EquipmentHandover.objects.create(
        grant=grant,
        bast_number=bast_number.strip(),
        date=date,
        recipient_centre=recipient_centre,
        recipient_business=recipient_business,
        is_reallocation=is_reallocation,
        reason=reason[:300],
        actor=_user(actor),
    )
    before = str(grant.holder or "")
    grant.centre = recipient_centre
    grant.business = recipient_business
    grant.status = GrantStatus.HANDED_OVER
    EquipmentGrant.objects.filter(pk=grant.pk).update(
        centre=recipient_centre, business=recipient_business, status=GrantStatus.HANDED_OVER, version=F("version") + 1
    )
    audit_record(
        actor=actor,
        action="centres.equipmentgrant.reallocated" if is_reallocation else "centres.equipmentgrant.handed_over",
        obj=grant,
        changes={"pemegang": [before or None, str(recipient)], "BAST": [None, handover.bast_number]},
        note=reason,
    )
    return handover


@transaction.atomic
def grant_check(
    *, actor: Any, grant: EquipmentGrant, date: dt.date, utilisation: str, condition: str, note: str = ""
) -> EquipmentCheck:
    ensure_in_scope(actor, grant, "change")
    if not grant.handovers.exists():
        raise DomainError(_("Mesin belum diserahterimakan; catat BAST dulu."), code="not_handed_over")
    if date > timezone.localdate():
        raise ValidationError({"date": _("Tanggal pemeriksaan tidak boleh di masa depan.")})
    check = EquipmentCheck(
        grant=grant, date=date, utilisation=utilisation, condition=condition, note=note[:300], actor=_user(actor)
    )
    check.full_clean()
    check.save()
    latest = grant.checks.order_by("-date", "-id").first() or check  # never None: ``check`` was just saved
    new_status = GrantStatus.IDLE if latest.utilisation == Utilisation.IDLE else GrantStatus.HANDED_OVER
    before = grant.status
    if new_status != before:
        EquipmentGrant.objects.filter(pk=grant.pk).update(status=new_status, version=F("version") + 1)
        grant.status = new_status
    audit_record(
        actor=actor,
        action="centres.equipmentgrant.checked",
        obj=grant,
        changes={"pemanfaatan": [None, utilisation], "kondisi": [None, condition], "status": [before, new_status]},
        note=note,
    )
    return check
