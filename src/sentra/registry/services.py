"""Write use-cases of the registry: every change goes through here (STYLE C)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import DecimalField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.audit import audit_record, audited_create, audited_save
from sentra.core.events import notify_changed
from sentra.core.importing.bulk import ModelWriter, audit_bulk, audit_bulk_created, referenced_keys, reserve_ids
from sentra.core.scope import ensure_in_scope
from sentra.core.versioning import save_versioned
from sentra.regions.addresses import tokens as address_tokens
from sentra.regions.models import Kbli, Region
from sentra.registry import search_text
from sentra.registry.choices import BusinessStatus, LegalForm
from sentra.registry.models import Business, Owner, Ownership, size_classes

#: What a business's form edits (its KBLI by code), in the form's order; the services take no other field.
BUSINESS_FIELDS = (
    "name",
    "legal_form",
    "nib",
    "status",
    "region",
    "district",
    "village",
    "address",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
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
)
#: What an owner's form edits, in the form's order.
OWNER_FIELDS = (
    "full_name",
    "nik",
    "gender",
    "birth_date",
    "phone",
    "email",
    "region",
    "village",
    "address",
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
    # ``clash`` has the class of ``obj``: narrowing on it picks the message for that identifier.
    message = nib_taken_message(actor, clash, value) if isinstance(clash, Business) else nik_taken_message(actor, clash)
    raise ValidationError({field: ValidationError(message, code=f"{field}_taken")})


# --- Owners ------------------------------------------------------------------------------------------------


@transaction.atomic
def owner_register(*, actor: Any, **fields: Any) -> Owner:
    owner = Owner(**{k: v for k, v in fields.items() if k in OWNER_FIELDS})
    _derive_location(owner)
    ensure_in_scope(actor, owner.region_id, "add", model=Owner)
    _check_unique_identifier(owner, actor)
    audited_create(owner, actor=actor, action="registry.owner.created", notify=False)
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
    renamed = "full_name" in owner.audit_changes()
    audited_save(owner, actor=actor, action="registry.owner.updated", expected_version=expected_version, notify=False)
    if renamed:
        search_text.refresh_for_owners([owner.pk])
    return owner


def owner_reveal_nik(*, actor: Any, owner: Owner) -> dict[str, str]:
    """Return the full NIK and phone of one owner, and log the reveal (UU PDP, docs/domain.md §8)."""
    if not (actor.is_superuser or actor.has_perm("registry.reveal_nik_owner")):
        raise PermissionDenied(_("Anda tidak berwenang membuka data pribadi."))
    audit_record(actor=actor, action="registry.owner.nik_revealed", obj=owner, note=_("NIK dan telepon dibuka"))
    return {"nik": owner.nik or "", "phone": owner.phone}


def business_reveal_contacts(*, actor: Any, business: Business) -> dict[str, str]:
    """The full phone and e-mail of one business, for those who may open personal data; the reveal is audited
    (a sole proprietor's business contacts are often their own: UU 27/2022 PDP)."""
    if not (actor.is_superuser or actor.has_perm("registry.reveal_nik_owner")):
        raise PermissionDenied(_("Anda tidak berwenang membuka data pribadi."))
    audit_record(
        actor=actor,
        action="registry.business.contacts_revealed",
        obj=business,
        note=_("Telepon dan surel usaha dibuka"),
    )
    return {"phone": business.phone, "email": business.email}


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


def business_owners(
    *,
    actor: Any,
    region: Any,
    village: Any = None,
    owner_ids: list[int] | None = None,
    full_name: str = "",
    nik: str | None = None,
    gender: str = "",
    phone: str = "",
) -> list[Owner] | None:
    """The owners a page, the API or a bulk API update links to a business: existing ones by id (each in the
    actor's scope), then the owner block: the owner with that NIK in scope, or a new person. A NIK registered
    outside the scope is refused without naming its holder. ``None``: neither ids nor a block (keep the owners)."""
    owners: list[Owner] | None = None
    if owner_ids is not None:
        wanted = list(dict.fromkeys(owner_ids))
        found = {o.pk: o for o in Owner.objects.visible_to(actor).alive().filter(pk__in=wanted)}
        missing = [pk for pk in wanted if pk not in found]
        if missing:
            raise ValidationError(
                {
                    "owner_ids": _("Pelaku usaha {ids} tidak ditemukan atau di luar cakupan Anda.").format(
                        ids=", ".join(str(pk) for pk in missing)
                    )
                }
            )
        owners = [found[pk] for pk in wanted]
    nik = nik or None
    owner = None
    if nik:
        owner = Owner.objects.visible_to(actor).filter(nik=nik).first()
        if owner is None and Owner.objects.filter(nik=nik).exists():
            raise ValidationError({"owner_nik": ValidationError(nik_taken_message(actor, None), code="nik_taken")})
    if owner is None and full_name:
        owner = owner_register(
            actor=actor, full_name=full_name, nik=nik, gender=gender or "", phone=phone or "", region=region,
            village=village,
        )  # fmt: skip
    if owner is None:
        return owners
    merged = list(owners or [])
    if owner.pk not in {o.pk for o in merged}:
        merged.append(owner)
    return merged


def _write_columns(business: Business) -> dict[str, list[Any]]:
    """One validated, unsaved business as the one-row columns of ``business_bulk_write``."""
    values = {key: getattr(business, key, None) for key in WRITE_KEYS if key in BUSINESS_FIELDS}
    for key, value in values.items():
        # As stored (and as an import's cells give them): 250000000.00
        if isinstance(value, Decimal) and isinstance(column := Business._meta.get_field(key), DecimalField):
            values[key] = value.quantize(Decimal(1).scaleb(-column.decimal_places))
    values.update(
        region=business.region_id,
        district_id=business.district_id,
        village_id=business.village_id,
        kbli_id=business.kbli_id,
    )
    return {key: [value] for key, value in values.items()}


@transaction.atomic
def business_register(
    *, actor: Any, owners: list[Owner] | None = None, kbli_others: list[Any] | None = None, **fields: Any
) -> Business:
    """Register one business (a page, the API): checked as one record, then written by ``business_bulk_write``
    as a one-row batch, so that it leaves the same row and the same audit event as an import of the same data."""
    business = Business(**{k: v for k, v in fields.items() if k in BUSINESS_FIELDS})
    _derive_location(business)
    _check_location(business)
    ensure_in_scope(actor, business.region_id, "add", model=Business)
    _check_unique_identifier(business, actor)
    business.full_clean()
    written = business_bulk_write(
        actor=actor,
        columns=_write_columns(business),
        count=1,
        create_only=True,
        extra_owners={0: [o.pk for o in owners]} if owners else None,
    )
    business = Business.objects.get(pk=written.ids[0])
    if kbli_others:
        business.kbli_others.set(kbli_others)
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
    if business.kbli_id and business.kbli is not None:
        business.kbli_version = business.kbli.version
        business.kbli_unmatched = ""  # the officer chose the main KBLI: the code the register gave is resolved
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
    search_text.refresh([business.pk])  # also over a stale copy the save above may have written back
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


# --- Businesses: the one write path for new businesses, one row or a million -------------------------------------
#
# A page, the API, the bulk API and the spreadsheet import all create businesses through ``business_bulk_write``:
# the same row (defaults, location, size classes), the same owner links and the same audit event, whether one row
# or a batch of an import. Its input is columns (``{key: [value per row]}``, keys in ``WRITE_KEYS``), so an import
# never builds a dict per row. ``business_register`` is the one-row case: it validates one record as the pages
# always did and hands it to the bulk path. Changes to one known business stay ``business_update`` (optimistic lock,
# field-by-field audit); an import's changes are written by the bulk path, one UPDATE and one event per row.

#: Fields an import row may change on a stored business (an empty cell never erases a stored value).
UPDATABLE = (
    "legal_form", "address", "village_id", "district_id", "kbli_id", "commodity", "workforce_male", "workforce_female",
    "investment_value", "business_capital", "production_value", "turnover", "production_capacity", "capacity_unit",
    "year_started", "status", "latitude", "longitude", "phone", "email", "website",
)  # fmt: skip
#: Every column ``business_bulk_write`` reads; a column not given is empty for every row.
WRITE_KEYS = (
    "nib", "name", "legal_form", "address", "region", "district_id", "village_id", "kbli_id", "commodity",
    "workforce_male", "workforce_female", "investment_value", "investment_land_buildings", "business_capital",
    "production_value", "turnover", "production_capacity", "installed_capacity", "capacity_unit", "raw_materials",
    "machinery", "year_started", "status", "latitude", "longitude", "phone", "email", "website",
    "owner_name", "owner_nik", "owner_gender", "owner_phone", "kbli_unmatched",
)  # fmt: skip
_TEXT_KEYS = ("address", "commodity", "capacity_unit", "raw_materials", "machinery", "phone", "email", "website",
              "kbli_unmatched")  # fmt: skip
_AUDITED = {"name", "nib", "legal_form", "address", "region_id", "district_id", "village_id", "kbli_id", "commodity",
            "kbli_unmatched",
            "workforce_male", "workforce_female", "investment_value", "business_capital", "turnover", "status",
            "phone", "email", "website"}  # fmt: skip
_MONEY_AUDITED = {"investment_value", "business_capital", "turnover"}
EXISTING_FIELDS = (
    "id", "nib", "name", "address", "region_id", "village_id", "version", "deleted_at", "kbli_unmatched", *UPDATABLE,
)  # fmt: skip
_OWNER_KEYS = ("owner_name", "owner_nik", "owner_gender", "owner_phone", "address", "village_id", "region")


@dataclass
class BulkWriteResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: The id of the business each row created, updated or left unchanged, in the order of the rows.
    ids: list[Any] = field(default_factory=list)


def _audit(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


def norm_name(name: str) -> str:
    return " ".join(address_tokens(name))


def natural_keys(
    nibs: Sequence[Any],
    niks: Sequence[Any],
    names: Sequence[Any],
    villages: Sequence[Any],
    regions: Sequence[Any],
    addresses: Sequence[Any],
) -> list[Any]:
    """The key that finds a stored business for each row: the NIB; else owner NIK + business name + village;
    else region + business name + address."""
    keys: list[Any] = []
    append = keys.append
    for nib, nik, name, village, region, address in zip(nibs, niks, names, villages, regions, addresses, strict=True):
        if nib:
            append(("nib", nib))
        elif nik:
            append(("nik", nik, norm_name(name), village))
        else:
            append(("name", region, norm_name(name), norm_name(address or "")))
    return keys


def any_of(values: Iterable[Any]) -> Any:
    """The right-hand side of an ``__in`` lookup for many text values in one query and one parameter (SQLite caps
    the number of parameters; PostgreSQL drivers spend long preparing thousands of them)."""
    values = list(values)
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::text[])", [values])  # one array parameter, not thousands
    return values


def _chunks(items: Sequence[Any] | list[Any], size: int) -> Iterable[list[Any]]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def business_bulk_write(
    *,
    actor: Any,
    columns: dict[str, list[Any]],
    count: int,
    create_only: bool = False,
    stored_by_nib: dict[str, dict[str, Any]] | None = None,
    extra_owners: dict[int, list[int]] | None = None,
    match_owner_names: bool = True,
    note: str = "",
) -> BulkWriteResult:
    """Write checked rows: new businesses in one bulk insert (audited by one event that lists every id and value),
    changed ones updated and audited one by one, soft-deleted ones matched by key restored.

    The caller has checked the rows (the import's column checks, or ``business_register``'s one-row checks),
    including scope. ``create_only``: every row is new (the API). ``stored_by_nib``: the stored businesses of the
    rows' NIBs, when the caller read them already. ``extra_owners``: ``{row: [owner id]}`` linked beside the owner
    columns (checked for scope by the caller). ``match_owner_names``: an owner without NIK is the stored owner of
    the same name in the regency (an import, re-run); a page creates a new person instead. ``note``: the
    channel, on the audit event (``impor`` for a file import; empty for a page or the API).
    """
    result = BulkWriteResult()
    if not count:
        return result
    cols = {key: columns.get(key) or [None] * count for key in WRITE_KEYS}
    actor = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    keys = natural_keys(
        cols["nib"], cols["owner_nik"], cols["name"], cols["village_id"], cols["region"], cols["address"]
    )
    existing = {} if create_only else _bulk_existing(cols, stored_by_nib)
    row_ids: list[Any] = [None] * count
    owner_names, owner_niks, regions = cols["owner_name"], cols["owner_nik"], cols["region"]
    people: dict[int, str] = {}  # owner id -> stored name, for the new rows' search text
    owners = _bulk_owners(
        [{key: cols[key][i] for key in _OWNER_KEYS} for i in range(count) if owner_names[i]],
        actor,
        now,
        match_names=match_owner_names,
        names=people,
    )

    def owner_of(i: int) -> int | None:
        if not owner_names[i]:
            return None
        return owners.get(owner_niks[i] or ("name", owner_names[i], regions[i]))

    new_rows: list[int] = []
    updates: list[tuple[dict[str, Any], dict[str, list[Any]], bool]] = []
    wanted_links: set[tuple[int, int]] = set()
    for i, key in enumerate(keys):
        stored = existing.get(key) if existing else None
        if stored is None:
            new_rows.append(i)
            continue
        row_ids[i] = stored["id"]
        changes = {}
        for name in UPDATABLE:
            value = cols[name][i]
            if value in (None, ""):
                continue
            if name == "legal_form" and value == LegalForm.PERORANGAN and stored[name]:
                continue  # "no form in the name" does not erase a known form
            if stored[name] != value:
                changes[name] = [_audit(stored[name]), _audit(value)]
                stored[name] = value
        _unmatched_change(stored, cols["kbli_unmatched"][i], changes)
        restore = stored["deleted_at"] is not None
        if changes or restore:
            updates.append((stored, changes, restore))
            stored["deleted_at"] = None
        else:
            result.unchanged += 1
        owner_id = owner_of(i)
        if owner_id:
            wanted_links.add((stored["id"], owner_id))
    if wanted_links:
        have: set[tuple[int, int]] = set()
        for chunk in _chunks(sorted({b for b, _o in wanted_links}), 500):
            have.update(Ownership.objects.filter(business_id__in=chunk).values_list("business_id", "owner_id"))
        missing = sorted(wanted_links - have)
        if missing:
            link_ids = reserve_ids(Ownership, len(missing))
            ModelWriter(Ownership).insert(
                [
                    {"id": pk, "business_id": b, "owner_id": o, "role": "owner"}
                    for pk, (b, o) in zip(link_ids, missing, strict=True)
                ]
            )
            search_text.refresh(b for b, _o in missing)  # a stored business with a new owner
    if new_rows:
        chosen = new_rows if len(new_rows) < count else None
        created = _bulk_insert(cols, chosen, actor, now, owner_of, extra_owners, note, people)
        for i, pk in zip(new_rows, created, strict=True):
            row_ids[i] = pk
        result.created += len(new_rows)
    if updates:
        _bulk_update(updates, actor, now)
        result.updated += len(updates)
    notify_changed(Business, set(regions))
    result.ids = row_ids
    return result


def _unmatched_change(stored: dict[str, Any], typed: str | None, changes: dict[str, list[Any]]) -> None:
    """An unknown KBLI code from the file is kept only while the business has no main KBLI: once an officer has
    chosen one, re-importing the register's old code changes nothing. A known KBLI clears the kept code."""
    before = stored["kbli_unmatched"] or ""
    after = before
    if stored["kbli_id"]:
        after = ""
    elif typed:
        after = typed
    if after != before:
        changes["kbli_unmatched"] = [before, after]
        stored["kbli_unmatched"] = after


def business_reference_errors(
    columns: dict[str, list[Any]], *, typed_kbli: list[Any] | None = None
) -> dict[int, dict[str, str]]:
    """Rows whose region, district, village or KBLI no longer exists (``{row: {column key: message}}``), checked
    for the whole batch in two queries; on PostgreSQL the rows found stay locked (``FOR KEY SHARE``) until the
    transaction ends, so what is found here is still there when the batch is written. ``columns``: ``region``,
    ``district_id``, ``village_id``, ``kbli_id``, one value per row; ``typed_kbli``: the KBLI as the file wrote it,
    for the message."""
    places = {key: columns.get(key) or [] for key in ("region", "district_id", "village_id")}
    kblis = columns.get("kbli_id") or []
    found_places = referenced_keys(Region, "code", {v for values in places.values() for v in values})
    found_kbli = referenced_keys(Kbli, "id", kblis)
    errors: dict[int, dict[str, str]] = {}
    for values in places.values():  # all three are the file's region code column
        for i, code in enumerate(values):
            if code is not None and code not in found_places:
                errors.setdefault(i, {})["region_code"] = _(
                    "Wilayah {code} tidak ada lagi dalam data wilayah (dihapus selama impor). Periksa kode "
                    "wilayahnya, lalu impor ulang baris ini."
                ).format(code=code)
    for i, kbli_id in enumerate(kblis):
        if kbli_id is not None and kbli_id not in found_kbli:
            typed = typed_kbli[i] if typed_kbli else kbli_id
            errors.setdefault(i, {})["kbli"] = _(
                "KBLI {code} tidak ada lagi dalam data KBLI (dihapus selama impor). Periksa kodenya, lalu impor ulang "
                "baris ini."
            ).format(code=getattr(typed, "typed", typed))
    return errors


def _bulk_existing(
    cols: dict[str, list[Any]], by_nib: dict[str, dict[str, Any]] | None = None
) -> dict[Any, dict[str, Any]]:
    """Stored businesses (soft-deleted ones too) that these rows may update, keyed like ``natural_keys``.
    ``by_nib``: the batch's stored businesses by NIB, when already read."""
    fields = EXISTING_FIELDS
    found: dict[Any, dict[str, Any]] = {}
    nibs = {n for n in cols["nib"] if n}
    if nibs:
        if by_nib is None:
            by_nib = {b["nib"]: b for b in Business._base_manager.filter(nib__in=any_of(nibs)).values(*fields)}
        for nib, b in by_nib.items():
            found[("nib", nib)] = b
    without = [i for i, n in enumerate(cols["nib"]) if not n]
    names = {cols["name"][i] for i in without}
    regions = {cols["region"][i] for i in without}
    if names:
        by_owner: dict[int, list[str]] = defaultdict(list)
        candidates = []
        for chunk in _chunks(sorted(names), 500):
            candidates.extend(Business._base_manager.filter(name__in=chunk, region_id__in=regions).values(*set(fields)))
        ids = [b["id"] for b in candidates]
        for chunk in _chunks(ids, 500):
            for bid, nik in Ownership.objects.filter(business_id__in=chunk, owner__nik__isnull=False).values_list(
                "business_id", "owner__nik"
            ):
                if nik is not None:  # always, by the filter; says so to the type checker
                    by_owner[bid].append(nik)
        for b in candidates:
            if b["nib"]:
                continue
            for nik in by_owner.get(b["id"], ()):
                found.setdefault(("nik", nik, norm_name(b["name"]), b["village_id"]), b)
            found.setdefault(("name", b["region_id"], norm_name(b["name"]), norm_name(b["address"])), b)
    return found


def _bulk_insert(
    cols: dict[str, list[Any]],
    chosen: list[int] | None,
    actor: Any,
    now: Any,
    owner_of: Any,
    extra_owners: dict[int, list[int]] | None = None,
    note: str = "",
    people: dict[int, str] | None = None,
) -> list[int]:
    """New businesses: one INSERT/COPY with reserved ids, built column by column, and one audit event.
    Returns the new ids in the order of the rows. ``people``: owner id -> name, for the search text."""
    c = cols if chosen is None else {key: [col[i] for i in chosen] for key, col in cols.items()}
    count = len(c["name"])
    ids = reserve_ids(Business, count)
    male, female = c["workforce_male"], c["workforce_female"]
    classes = [
        size_classes(None if m is None and f is None else (m or 0) + (f or 0), inv, sales, capital)
        for m, f, inv, sales, capital in zip(
            male, female, c["investment_value"], c["turnover"], c["business_capital"], strict=True
        )
    ]
    record = {
        "id": ids,
        "created_at": now,
        "updated_at": now,
        "region_id": c["region"],
        "version": 1,
        "name": c["name"],
        "legal_form": [v if v is not None else LegalForm.PERORANGAN for v in c["legal_form"]],
        "nib": c["nib"],
        "village_id": c["village_id"],
        "district_id": c["district_id"],
        "latitude": c["latitude"],
        "longitude": c["longitude"],
        "kbli_id": c["kbli_id"],
        "kbli_version": "2020",
        "workforce_male": male,
        "workforce_female": female,
        "investment_value": c["investment_value"],
        "business_capital": c["business_capital"],
        "production_capacity": c["production_capacity"],
        "production_value": c["production_value"],
        "turnover": c["turnover"],
        "year_started": c["year_started"],
        "status": [v or BusinessStatus.ACTIVE for v in c["status"]],
        "size_class": [k[0] for k in classes],
        "umkm_class": [k[1] for k in classes],
        "created_by_id": actor.pk if actor else None,
    }
    # Columns most imports leave empty are left to their defaults (a constant, not a value per row).
    for key in _TEXT_KEYS:
        if any(c[key]):
            record[key] = [v or "" for v in c[key]]
    for key in ("investment_land_buildings", "installed_capacity"):
        if any(v is not None for v in c[key]):
            record[key] = c[key]
    indices = range(count) if chosen is None else chosen
    row_owner = list(map(owner_of, indices))
    links = [(pk, o) for pk, o in zip(ids, row_owner, strict=True) if o]
    owners_audit: list[list[int] | None] | None = None
    people = dict(people or {})
    if extra_owners:
        owners_audit = []
        for pk, i in zip(ids, indices, strict=True):
            linked = list(dict.fromkeys([*extra_owners.get(i, ()), *filter(None, [owner_of(i)])]))
            links.extend((pk, o) for o in linked if o != owner_of(i))
            owners_audit.append(linked or None)
        unknown = {o for extra in extra_owners.values() for o in extra} - people.keys()
        people.update(Owner._base_manager.filter(pk__in=unknown).values_list("pk", "full_name"))
    by_business: dict[int, list[int]] = {}
    for b, o in links:
        by_business.setdefault(b, []).append(o)
    record["search_text"] = [
        search_text.for_row(name, (people.get(o, "") for o in sorted(by_business.get(pk, ()))))
        for pk, name in zip(ids, c["name"], strict=True)
    ]
    # Foreign keys checked for the whole batch (and, where the session may, not row by row: a national import
    # otherwise spends most of its COMMIT in one trigger per row and key).
    ModelWriter(Business).insert_columns(record, count, checked_references=True)
    if links:
        link_ids = reserve_ids(Ownership, len(links))
        ModelWriter(Ownership).insert(
            [
                {"id": pk, "business_id": b, "owner_id": o, "role": "owner"}
                for pk, (b, o) in zip(link_ids, links, strict=True)
            ]
        )
    audited = {name: record.get(name, [""] * count) for name in _AUDITED}
    if owners_audit is not None:
        audited["owners"] = owners_audit
    audit_bulk_created(
        actor=actor,
        action="registry.business.created",
        model=Business,
        ids=ids,
        columns={
            name: (list(map(_audit, values)) if name in _MONEY_AUDITED else values) for name, values in audited.items()
        },
        summary=_("{count} usaha dibuat").format(count=count),
        note=note,
    )
    return ids


def _bulk_owners(
    rows: list[dict[str, Any]],
    actor: Any,
    now: Any,
    *,
    match_names: bool = True,
    names: dict[int, str] | None = None,
) -> dict[Any, int]:
    """Owner ids for the rows that name one: existing by NIK, otherwise created (one per NIK, or per name in the
    regency for owners without NIK; with ``match_names`` a stored owner of that name without NIK is reused).
    ``names`` is filled with each of these owners' stored name (a person found by NIK keeps the name on record)."""
    wanted = [r for r in rows if r.get("owner_name")]
    if not wanted:
        return {}
    result: dict[Any, int] = {}
    names = {} if names is None else names
    niks = {r["owner_nik"] for r in wanted if r.get("owner_nik")}
    for chunk in _chunks(sorted(niks), 500):
        for nik, pk, full_name in Owner.objects.filter(nik__in=chunk).values_list("nik", "id", "full_name"):
            result[nik] = pk
            names[pk] = full_name
    no_nik = {(r["owner_name"], r["region"]) for r in wanted if not r.get("owner_nik")}
    if no_nik and match_names:
        for name, region, pk in Owner.objects.filter(
            nik__isnull=True, full_name__in={n for n, _r in no_nik}, region_id__in={r for _n, r in no_nik}
        ).values_list("full_name", "region_id", "id"):
            result.setdefault(("name", name, region), pk)
            names.setdefault(pk, name)
    new: dict[Any, dict[str, Any]] = {}
    for r in wanted:
        key = r.get("owner_nik") or ("name", r["owner_name"], r["region"])
        if key in result or key in new:
            continue
        new[key] = {
            "full_name": r["owner_name"],
            "nik": r.get("owner_nik"),
            "gender": r.get("owner_gender") or "",
            "phone": (r.get("owner_phone") or "")[:16],
            "email": r.get("owner_email") or "",
            "birth_date": r.get("owner_birth_date"),
            "address": r.get("address") or "",
            "village_id": r.get("village_id"),
            "region_id": r["region"],
            "created_at": now,
            "updated_at": now,
        }
    if new:
        ids = reserve_ids(Owner, len(new))
        records = []
        events = []
        for pk, (key, record) in zip(ids, new.items(), strict=True):
            record["id"] = pk
            records.append(record)
            result[key] = pk
            names[pk] = record["full_name"]
            events.append((pk, record["full_name"], record["region_id"], {"full_name": [None, record["full_name"]]}))
        ModelWriter(Owner).insert(records)
        audit_bulk(actor=actor, action="registry.owner.created", model=Owner, events=events)
    return result


def _bulk_update(updates: list[tuple[dict[str, Any], dict[str, list[Any]], bool]], actor: Any, now: Any) -> None:
    events: list[tuple[Any, ...]] = []
    restored: list[tuple[Any, ...]] = []
    concrete = {f.attname: f for f in Business._meta.concrete_fields}
    columns = {f.attname: connection.ops.quote_name(f.column) for f in Business._meta.concrete_fields if f.column}
    returning = " RETURNING version" if connection.features.can_return_rows_from_bulk_insert else ""
    with connection.cursor() as cursor:
        for stored, changes, restore in updates:
            business = Business(**{k: v for k, v in stored.items() if k in concrete})
            business.recompute_classes()
            sets = {name: stored[name] for name in changes}
            sets["size_class"], sets["umkm_class"] = business.size_class, business.umkm_class
            if restore:
                sets["deleted_at"], sets["deleted_by_id"] = None, None
            assignments = ", ".join(f"{columns[k]} = %s" for k in sets)
            params = [concrete[k].get_db_prep_save(v, connection) for k, v in sets.items()]
            cursor.execute(
                f"UPDATE {Business._meta.db_table} SET {assignments}, version = version + 1, updated_at = %s WHERE id = %s{returning}",  # noqa: S608
                [*params, concrete["updated_at"].get_db_prep_save(now, connection), stored["id"]],
            )
            # One UPDATE, one version step: its events carry the version it produced (read back where the
            # database can: another transaction may have changed the row since this batch read it).
            version = cursor.fetchone()[0] if returning else stored["version"] + 1
            if restore:
                restored.append((stored["id"], stored["name"], stored["region_id"], {}, version))
            if changes:
                events.append((stored["id"], stored["name"], stored["region_id"], changes, version))
    if restored:
        audit_bulk(actor=actor, action="registry.business.restored", model=Business, events=restored)
    if events:
        audit_bulk(actor=actor, action="registry.business.updated", model=Business, events=events)


# --- Owners from a file: the owner import (``registry.owner_imports``) ----------------------------------------------

#: Fields an owner import row may change on a stored owner (an empty cell never erases a stored value).
OWNER_UPDATABLE = ("full_name", "gender", "birth_date", "phone", "email", "address", "village_id", "region_id")
#: What the owner import reads of a stored owner (``owner_bulk_write``'s ``stored``).
OWNER_EXISTING_FIELDS = ("id", "nik", "version", "deleted_at", *OWNER_UPDATABLE)


def _audit_owner(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def owner_bulk_write(
    *,
    actor: Any,
    columns: dict[str, list[Any]],
    count: int,
    stored: dict[str, dict[str, Any]],
) -> BulkWriteResult:
    """Write checked owner rows (keys ``owner_nik``, ``owner_name``, ``owner_gender``, ``owner_birth_date``,
    ``owner_phone``, ``owner_email``, ``address``, ``village_id``, ``region``), matched by NIK against ``stored``
    (``{nik: values of OWNER_EXISTING_FIELDS}``, read by the caller in this transaction). New owners are created by
    the same bulk path the business import uses (``_bulk_owners``: one insert, one audit event each); changed ones
    are updated in one statement per 500 and audited one event each (old and new values); identical ones are left
    untouched. The caller has checked the rows, including scope."""
    result = BulkWriteResult()
    if not count:
        return result
    now = timezone.now()
    actor = actor if getattr(actor, "is_authenticated", False) else None
    row_ids: list[Any] = [None] * count
    new_rows: list[dict[str, Any]] = []
    new_index: list[int] = []
    changed: list[tuple[dict[str, Any], dict[str, list[Any]]]] = []
    keys = {"full_name": "owner_name", "gender": "owner_gender", "birth_date": "owner_birth_date",
            "phone": "owner_phone", "email": "owner_email", "address": "address", "village_id": "village_id",
            "region_id": "region"}  # fmt: skip
    wanted = (*_OWNER_KEYS, "owner_email", "owner_birth_date")
    columns = {key: columns.get(key) or [None] * count for key in wanted}
    for i in range(count):
        nik = columns["owner_nik"][i]
        known = stored.get(nik)
        if known is None:
            new_rows.append({key: columns[key][i] for key in wanted})
            new_index.append(i)
            continue
        row_ids[i] = known["id"]
        changes: dict[str, list[Any]] = {}
        for name in OWNER_UPDATABLE:
            value = columns[keys[name]][i]
            if value in (None, ""):
                continue
            if known[name] != value:
                changes[name] = [_audit_owner(known[name]), _audit_owner(value)]
                known[name] = value
        if "region_id" in changes and "village_id" not in changes and known["village_id"]:
            if not str(known["village_id"]).startswith(known["region_id"]):
                changes["village_id"] = [_audit(known["village_id"]), None]  # a village of the old regency/city
                known["village_id"] = None
        if changes:
            changed.append((known, changes))
        else:
            result.unchanged += 1
    if new_rows:
        ids = _bulk_owners(new_rows, actor, now, match_names=False)
        for i, row in zip(new_index, new_rows, strict=True):
            row_ids[i] = ids[row["owner_nik"]]
        result.created = len(new_rows)
    if changed:
        objs = []
        events = []
        for known, changes in changed:
            known["version"] = (known["version"] or 0) + 1
            obj = Owner(**{k: v for k, v in known.items() if k != "deleted_at"}, updated_at=now)
            objs.append(obj)
            events.append((known["id"], known["full_name"], known["region_id"], changes, known["version"]))
        Owner._base_manager.bulk_update(objs, [*OWNER_UPDATABLE, "version", "updated_at"], batch_size=500)
        search_text.refresh_for_owners(known["id"] for known, changes in changed if "full_name" in changes)
        audit_bulk(actor=actor, action="registry.owner.updated", model=Owner, events=events)
        result.updated = len(changed)
    result.ids = row_ids
    return result
