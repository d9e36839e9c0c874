"""Write use-cases of the registry: every change goes through here (STYLE C)."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.audit import audit_record
from sentra.core.events import notify_changed
from sentra.core.scope import ensure_in_scope
from sentra.core.versioning import save_versioned
from sentra.registry.models import Business, Owner, Ownership

BUSINESS_FIELDS = (
    "name",
    "legal_form",
    "nib",
    "address",
    "village",
    "district",
    "region",
    "latitude",
    "longitude",
    "kbli",
    "commodity",
    "workforce_male",
    "workforce_female",
    "investment_value",
    "investment_land_buildings",
    "business_capital",
    "production_capacity",
    "installed_capacity",
    "capacity_unit",
    "production_value",
    "turnover",
    "raw_materials",
    "machinery",
    "year_started",
    "status",
)
OWNER_FIELDS = (
    "full_name",
    "nik",
    "gender",
    "birth_date",
    "phone",
    "email",
    "address",
    "village",
    "region",
    "legal_basis",
)


def _check_move(actor: Any, before: str | None, obj: Business | Owner) -> None:
    """Only officers move a record to another regency/city: an owner's own record stays where it is registered.

    Centre managers, trainers and owners are scoped by a relation, not a region, so ``ensure_in_scope`` cannot
    stop them from moving a record out of the officers' view (STYLE D.5).
    """
    if obj.region_id == before or actor is None or actor.is_superuser:
        return
    if actor.scope.kind not in ("national", "region"):
        raise ValidationError(
            {
                "region": ValidationError(
                    _("Pindah kabupaten/kota hanya dapat dilakukan oleh petugas dinas."), code="move_refused"
                )
            }
        )


def _derive_location(obj: Business | Owner) -> None:
    """Village → district → regency: the larger units follow from the smallest one given."""
    village = getattr(obj, "village", None)
    if village is not None:
        district_code = village.code[:8]
        if isinstance(obj, Business):
            obj.district_id = district_code
        obj.region_id = village.code[:5]
    elif isinstance(obj, Business) and obj.district_id:
        obj.region_id = obj.district_id[:5]


def _check_location(obj: Business | Owner) -> None:
    if (
        isinstance(obj, Business)
        and obj.district_id
        and obj.village_id
        and not obj.village_id.startswith(obj.district_id)
    ):
        raise ValidationError({"village": _("Desa/kelurahan tidak berada di kecamatan yang dipilih.")})


def nik_taken_message(actor: Any, clash: Owner | None) -> str:
    """What a user is told about a NIK another owner holds. Inside the user's scope the owner is named (so the
    duplicate can be chosen instead); outside it the answer is neutral, so that a NIK cannot be used to learn
    that a person is registered elsewhere (UU PDP). ``actor=None`` is the system and sees everything."""
    if clash is not None and (actor is None or Owner.objects.visible_to(actor).filter(pk=clash.pk).exists()):
        return _("NIK ini sudah terdaftar atas nama {name}. Pilih orang tersebut dari registri.").format(
            name=clash.full_name
        )
    return _("NIK tidak dapat dipakai. Hubungi petugas provinsi/nasional.")


def nib_taken_message(actor: Any, clash: Business | None, nib: str) -> str:
    """As ``nik_taken_message``, for a NIB: the business named inside the user's scope, a neutral answer outside."""
    if clash is not None and (actor is None or Business.objects.visible_to(actor).filter(pk=clash.pk).exists()):
        return _("NIB {nib} sudah terdaftar pada usaha {name}.").format(nib=nib, name=clash.name)
    return _("NIB {nib} tidak dapat dipakai. Hubungi petugas provinsi/nasional.").format(nib=nib)


def _check_unique_identifier(obj: Business | Owner, actor: Any = None) -> None:
    """NIB/NIK clash as a field error with a clear message (the DB constraint alone says only its name)."""
    field, value = ("nib", obj.nib) if isinstance(obj, Business) else ("nik", obj.nik)
    if not value:
        return
    clash = type(obj)._base_manager.filter(**{field: value}).exclude(pk=obj.pk).first()
    if clash is None:
        return
    message = nib_taken_message(actor, clash, value) if field == "nib" else nik_taken_message(actor, clash)
    raise ValidationError({field: ValidationError(message, code=f"{field}_taken")})


# --- Owners ------------------------------------------------------------------------------------------------


@transaction.atomic
def owner_register(*, actor: Any, **fields: Any) -> Owner:
    owner = Owner(**{k: v for k, v in fields.items() if k in OWNER_FIELDS})
    _derive_location(owner)
    ensure_in_scope(actor, owner.region_id, "add", model=Owner)
    _check_unique_identifier(owner, actor)
    owner.full_clean()
    owner.save()
    audit_record(actor=actor, action="registry.owner.created", obj=owner, changes=owner.audit_changes())
    owner.audit_reset()
    return owner


@transaction.atomic
def owner_update(*, actor: Any, owner: Owner, expected_version: int | None = None, **fields: Any) -> Owner:
    ensure_in_scope(actor, owner, "change")
    owner_region_before = owner.region_id
    for name, value in fields.items():
        if name in OWNER_FIELDS:
            setattr(owner, name, value)
    _derive_location(owner)
    _check_move(actor, owner_region_before, owner)
    if owner.region_id != owner_region_before:
        ensure_in_scope(actor, owner, "change")  # the moved row must still be inside the actor's scope
    _check_unique_identifier(owner, actor)
    owner.full_clean()
    changes = owner.audit_changes()
    save_versioned(owner, expected_version)
    audit_record(actor=actor, action="registry.owner.updated", obj=owner, changes=changes)
    owner.audit_reset()
    return owner


def owner_reveal_nik(*, actor: Any, owner: Owner) -> dict[str, str]:
    """Return the full NIK and phone of one owner, and log the reveal (UU PDP, docs/domain.md §8)."""
    if not (actor.is_superuser or actor.has_perm("registry.reveal_nik_owner")):
        raise PermissionDenied(_("Anda tidak berwenang membuka data pribadi."))
    audit_record(actor=actor, action="registry.owner.nik_revealed", obj=owner, note=_("NIK dan telepon dibuka"))
    return {"nik": owner.nik or "", "phone": owner.phone}


# --- Businesses -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateCandidate:
    business: Business
    reason: str


def business_find_duplicates(
    *,
    actor: Any,
    name: str,
    nib: str | None,
    village_id: str | None,
    owner_nik: str | None,
    exclude_pk: int | None = None,
) -> list[DuplicateCandidate]:
    """Same NIB, or same owner NIK with a similar business name in the same village.

    Only businesses the actor may see are returned: a duplicate outside the scope must not leak its existence.
    """
    candidates: list[DuplicateCandidate] = []
    visible = Business.objects.visible_to(actor).alive()
    if exclude_pk:
        visible = visible.exclude(pk=exclude_pk)
    if nib:
        for b in visible.filter(nib=nib)[:5]:
            candidates.append(DuplicateCandidate(b, _("NIB yang sama")))
    if owner_nik and village_id:
        seen = {c.business.pk for c in candidates}
        for b in visible.filter(village_id=village_id, ownerships__owner__nik=owner_nik).exclude(pk__in=seen)[:20]:
            if SequenceMatcher(None, b.name.lower(), name.lower()).ratio() >= 0.6:
                candidates.append(
                    DuplicateCandidate(b, _("Pemilik (NIK) sama dengan nama usaha mirip di desa yang sama"))
                )
    return candidates


@transaction.atomic
def business_register(
    *, actor: Any, owners: list[Owner] | None = None, kbli_others: list[Any] | None = None, **fields: Any
) -> Business:
    business = Business(**{k: v for k, v in fields.items() if k in BUSINESS_FIELDS})
    _derive_location(business)
    _check_location(business)
    ensure_in_scope(actor, business.region_id, "add", model=Business)
    if business.kbli_id:
        business.kbli_version = business.kbli.version
    business.recompute_classes()
    business.created_by = actor if getattr(actor, "is_authenticated", False) else None
    _check_unique_identifier(business, actor)
    business.full_clean()
    business.save()
    for owner in owners or []:
        Ownership.objects.create(business=business, owner=owner)
    if kbli_others:
        business.kbli_others.set(kbli_others)
    changes = business.audit_changes()
    if owners:
        changes["owners"] = [None, [o.pk for o in owners]]
    audit_record(actor=actor, action="registry.business.created", obj=business, changes=changes)
    business.audit_reset()
    notify_changed(Business, [business.region_id])
    return business


@transaction.atomic
def business_update(
    *,
    actor: Any,
    business: Business,
    expected_version: int | None = None,
    owners: list[Owner] | None = None,
    kbli_others: list[Any] | None = None,
    **fields: Any,
) -> Business:
    ensure_in_scope(actor, business, "change")
    region_before = business.region_id
    for name, value in fields.items():
        if name in BUSINESS_FIELDS:
            setattr(business, name, value)
    _derive_location(business)
    _check_move(actor, region_before, business)
    _check_location(business)
    if business.region_id != region_before:
        ensure_in_scope(actor, business, "change")  # the moved row must still be inside the actor's scope
    if business.kbli_id:
        business.kbli_version = business.kbli.version
    business.recompute_classes()
    _check_unique_identifier(business, actor)
    business.full_clean()
    changes = business.audit_changes()
    save_versioned(business, expected_version)
    if owners is not None:
        before = sorted(business.ownerships.values_list("owner_id", flat=True))
        after = sorted(o.pk for o in owners)
        if before != after:
            business.ownerships.exclude(owner__in=owners).delete()
            for owner in owners:
                Ownership.objects.get_or_create(business=business, owner=owner)
            changes["owners"] = [before, after]
    if kbli_others is not None:
        before_k = sorted(business.kbli_others.values_list("code", flat=True))
        business.kbli_others.set(kbli_others)
        after_k = sorted(k.code for k in kbli_others)
        if before_k != after_k:
            changes["kbli_others"] = [before_k, after_k]
    if changes:
        audit_record(actor=actor, action="registry.business.updated", obj=business, changes=changes)
        notify_changed(Business, [region_before, business.region_id])
    business.audit_reset()
    return business


@transaction.atomic
def business_delete(*, actor: Any, business: Business) -> Business:
    """Soft delete: the row stays (and can be restored); lists no longer show it."""
    ensure_in_scope(actor, business, "delete")
    if business.deleted_at is None:
        business.deleted_at = timezone.now()
        business.deleted_by = actor
        business.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        audit_record(actor=actor, action="registry.business.deleted", obj=business)
        notify_changed(Business, [business.region_id])
    return business


@transaction.atomic
def business_restore(*, actor: Any, business: Business) -> Business:
    ensure_in_scope(actor, business, "delete")
    if business.deleted_at is not None:
        business.deleted_at = None
        business.deleted_by = None
        business.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        audit_record(actor=actor, action="registry.business.restored", obj=business)
        notify_changed(Business, [business.region_id])
    return business


@transaction.atomic
def business_merge_into(*, actor: Any, target: Business, owners: list[Owner] | None = None, **fields: Any) -> Business:
    """Merge a new registration into an existing business instead of creating a duplicate.

    The existing record wins: only its empty fields are filled from the new data, and the new owners are added.
    """
    fill = {
        name: value
        for name, value in fields.items()
        if name in BUSINESS_FIELDS
        and value not in (None, "")
        and getattr(target, name) in (None, "")
        and name not in ("region", "district", "village")
    }
    current_owners = list(Owner.objects.filter(ownerships__business=target))
    merged_owners = current_owners + [o for o in owners or [] if o.pk not in {c.pk for c in current_owners}]
    business = business_update(actor=actor, business=target, owners=merged_owners, **fill)
    audit_record(
        actor=actor,
        action="registry.business.merged",
        obj=business,
        changes={
            "filled": [None, sorted(fill)],
            "owners_added": [None, [o.pk for o in merged_owners[len(current_owners) :]]],
        },
        note=_("Pendaftaran baru digabungkan ke data yang sudah ada"),
    )
    return business
