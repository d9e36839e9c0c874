"""``POST /businesses/bulk``: up to 1,000 businesses, all or nothing, validated by the import engine.

Every row goes through the business import kind (``sentra.registry.imports``) exactly as a spreadsheet row
does: the same cell parsers (``sentra.core.importing.cells``), the same row check (legal form in the name,
region codes, KBLI 2020, NIK, NIB or NIK registered in another region), the same scope check and the same
duplicate-in-file check (``sentra.core.importing.engine.validate_batch``). A row the import would refuse is
refused here with the import's own messages, keyed ``rows.<index>.<field>`` with the API's field names.

The API adds what a spreadsheet cannot say: ``id`` + ``version`` to change one known business (only the fields
sent change; the stored values fill in the rest for the import's check), owners by id, and the duplicate guard
of the pages (a possible duplicate is refused unless ``confirm_duplicate``). New businesses are then written by
the registry's one write path, ``services.business_bulk_write`` (through ``ImportKind.commit`` with
``create_only``: a constant number of queries per request, one bulk audit event that the history page finds for
each record), as pages and imports write them; changes to known businesses go through
``services.business_update`` (audit trail, optimistic lock, scope check again). Everything runs inside one
transaction; if any row fails, nothing is saved.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from difflib import SequenceMatcher
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from sentra.api.errors import django_validation_errors
from sentra.core.errors import ConflictError
from sentra.core.importing import ImportContext, get_kind
from sentra.core.importing.engine import Layout, check_batch
from sentra.core.importing.kinds import Batch, BatchRows
from sentra.core.querysets import has_model_perm
from sentra.regions.models import Kbli, Region
from sentra.registry import services
from sentra.registry.choices import BusinessStatus
from sentra.registry.models import Business, Owner

try:  # PostgreSQL's COPY (the import's writer) raises the driver's own error, not Django's wrapper
    from psycopg import IntegrityError as _DriverIntegrityError
except ImportError:  # pragma: no cover - SQLite-only installs
    _DriverIntegrityError = IntegrityError
_INTEGRITY_ERRORS = (IntegrityError, _DriverIntegrityError)

#: Business fields named alike in the API, the business import kind and the registry service, saved from a clean
#: import row (service field → import row key).
SAVED = {
    name: name
    for name in (
        "name",
        "legal_form",
        "nib",
        "address",
        "commodity",
        "workforce_male",
        "workforce_female",
        "investment_value",
        "business_capital",
        "production_value",
        "turnover",
        "production_capacity",
        "capacity_unit",
        "year_started",
        "status",
        "latitude",
        "longitude",
        "phone",
        "email",
        "website",
    )
}
#: API field → column of the business import kind.
API_TO_COLUMN = {**SAVED, "kbli": "kbli"} | {
    "owner_full_name": "owner_name",
    "owner_nik": "owner_nik",
    "owner_gender": "owner_gender",
    "owner_phone": "owner_phone",
}
LOCATION_FIELDS = ("region", "district", "village")
COLUMN_TO_API = {v: k for k, v in API_TO_COLUMN.items()} | {"region_code": "region"}
#: An API field sent on an update changes these service fields.
CHANGES = {api: [svc for svc, key in SAVED.items() if key == col] for api, col in API_TO_COLUMN.items()} | {
    "name": ["name", "legal_form"],
    "kbli": ["kbli"],
    "region": ["region", "district", "village"],
    "district": ["region", "district", "village"],
    "village": ["region", "district", "village"],
}
_TEXT_DEFAULTS = {"address", "commodity", "capacity_unit", "phone", "email", "website"}


class BulkFailed(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _stored_cells(business: Business) -> dict[str, Any]:
    """A stored business as import cells, so that an update is checked as the whole row it becomes."""
    cells: dict[str, Any] = {col: getattr(business, api, None) for api, col in API_TO_COLUMN.items() if col in SAVED}
    cells["name"] = business.name
    cells["legal_form"] = business.legal_form or None
    cells["kbli"] = business.kbli.code if business.kbli_id else None
    cells["region_code"] = business.village_id or business.district_id or business.region_id
    return cells


def _location(values: dict[str, Any], errors: dict[str, list[str]]) -> str | None:
    """The most precise region code sent; the larger units must contain the smaller ones."""
    codes = [str(values[f]) for f in LOCATION_FIELDS if values.get(f) not in (None, "")]
    for larger, smaller in itertools.pairwise(codes):
        if not smaller.startswith(larger):
            errors.setdefault("district" if len(larger) <= 5 else "village", []).append(
                _("Kode {smaller} tidak berada di wilayah {larger}.").format(smaller=smaller, larger=larger)
            )
    return codes[-1] if codes else None


def _row_errors(index: int, errors: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, messages in errors.items():
        field = COLUMN_TO_API.get(key, key)
        name = f"rows.{index}" if field in ("", "__all__") else f"rows.{index}.{field}"
        out.setdefault(name, []).extend(messages if isinstance(messages, list) else [str(messages)])
    return out


def bulk_save(*, user: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validate every row with the import kind, then save all of them in one transaction, or none.

    ``rows`` are the API rows as sent (``exclude_unset``). Raises :class:`BulkFailed` with every bad row's
    errors; returns ``[{"row", "id", "action", "version"}]``. New businesses are written by
    ``services.business_bulk_write`` (a handful of queries for the whole request, one bulk audit event); changes
    to known businesses go through ``services.business_update`` (optimistic lock).
    """
    kind = get_kind("business")
    errors: dict[str, list[str]] = {}
    may_add = user.is_superuser or has_model_perm(user, Business, "add")
    ids = [r["id"] for r in rows if r.get("id") is not None]
    existing = (
        {b.pk: b for b in Business.objects.visible_to(user, "change").alive().select_related("kbli").filter(pk__in=ids)}
        if ids
        else {}
    )
    wanted_owners = {pk for r in rows for pk in (r.get("owner_ids") or ())}
    owners_in_scope = (
        set(Owner.objects.visible_to(user).alive().filter(pk__in=wanted_owners).values_list("pk", flat=True))
        if wanted_owners
        else set()
    )
    seen: set[int] = set()
    columns = [c.key for c in kind.columns]
    layout = Layout(header_line=-1, headers=columns, mapping=dict(enumerate(columns)))
    batch: list[tuple[int, list[Any]]] = []
    for index, row in enumerate(rows):
        row_errors: dict[str, list[str]] = {}
        business_id = row.get("id")
        cells: dict[str, Any] = {}
        if business_id is None:
            if not may_add:
                row_errors[""] = [_("Anda tidak memiliki izin untuk menambah usaha.")]
        elif business_id not in existing:
            row_errors["id"] = [_("Usaha tidak ditemukan atau di luar cakupan Anda.")]
        elif business_id in seen:
            row_errors["id"] = [_("Usaha ini sudah diubah di baris sebelumnya.")]
        elif row.get("version") is None:
            row_errors["version"] = [_("Wajib diisi untuk mengubah usaha.")]
        else:
            seen.add(business_id)
            cells = _stored_cells(existing[business_id])
        if row.get("owner_ids") is not None:
            missing = [pk for pk in dict.fromkeys(row["owner_ids"]) if pk not in owners_in_scope]
            if missing:
                row_errors["owner_ids"] = [_missing_owners(missing)]
        for api, col in API_TO_COLUMN.items():
            if api in row:
                cells[col] = row[api]
        code = _location(row, row_errors)
        if code is not None:
            cells["region_code"] = code
        errors.update(_row_errors(index, row_errors))
        batch.append((index, [cells.get(c) for c in columns]))

    ctx = ImportContext(user=user, kind=kind, options={"create_only": True})
    kind.start(ctx)
    checked = check_batch(batch, layout, ctx, seen_keys={})
    creates = [i for i, row in enumerate(rows) if row.get("id") is None]
    for index, row_errors in checked.errors.items():
        errors.update(_row_errors(index, {k: [v] for k, v in row_errors.items()}))
    guarded = [(i, checked.row(i)) for i in creates if i not in checked.errors and not rows[i].get("confirm_duplicate")]
    for index, duplicates in _duplicates(user, guarded).items():
        errors.update(_row_errors(index, {"": duplicates}))
    # NIB is unique over the whole register (deleted rows too): the import would update that business, the API
    # creates a new one, so a taken NIB is refused as the pages refuse it.
    taken = ctx.cache.get("nib_region") or {}
    nibs = checked.column("nib")
    for index in creates:
        if index not in checked.errors and nibs[index] in taken and f"rows.{index}" not in errors:
            clash = Business._base_manager.filter(nib=nibs[index]).first()  # only rows refused, so no N+1
            errors.update(_row_errors(index, {"nib": [services.nib_taken_message(user, clash, nibs[index])]}))
    if errors:
        raise BulkFailed(errors)

    out: dict[int, dict[str, Any]] = {}
    try:
        with transaction.atomic():
            if creates:
                checked.columns["owner_ids"] = [row.get("owner_ids") for row in rows]
                stats = kind.commit(BatchRows(checked, creates), ctx)
                for index, pk in zip(creates, stats.ids, strict=True):
                    out[index] = {"row": index, "id": pk, "action": "created", "version": 1}
            updates = [i for i, row in enumerate(rows) if row.get("id") is not None]
            if updates:
                _save_updates(user, rows, checked, updates, existing, errors, out)
            if errors:
                transaction.set_rollback(True)
    except _INTEGRITY_ERRORS:
        # Another request registered the same NIB or NIK between the check and the save: nothing is saved.
        raise ConflictError(
            _(
                "NIB atau NIK pada permintaan ini baru saja didaftarkan oleh permintaan lain; tidak ada yang "
                "disimpan. Kirim ulang permintaan ini."
            )
        ) from None
    if errors:
        raise BulkFailed(errors)
    return [out[i] for i in sorted(out)]


def _save_updates(
    user: Any,
    rows: list[dict[str, Any]],
    checked: Batch,
    updates: list[int],
    existing: dict[int, Business],
    errors: dict[str, list[str]],
    out: dict[int, dict[str, Any]],
) -> None:
    """Changes to known businesses, one by one through the services (optimistic lock, audit, scope again)."""
    clean = {i: checked.row(i) for i in updates}
    regions = Region.objects.in_bulk(
        {c for v in clean.values() for c in (v.get("region"), v.get("district_id"), v.get("village_id")) if c}
    )
    kblis = Kbli.objects.in_bulk({v["kbli_id"] for v in clean.values() if v.get("kbli_id")})
    for index in updates:
        row, values = rows[index], clean[index]
        fields = {svc: values.get(key) for svc, key in SAVED.items()}
        for name in _TEXT_DEFAULTS:
            fields[name] = fields[name] or ""
        # As the import's commit: an empty status is an active business.
        fields["status"] = fields["status"] or BusinessStatus.ACTIVE
        fields["region"] = regions.get(values["region"])
        fields["district"] = regions.get(values.get("district_id") or "")
        fields["village"] = regions.get(values.get("village_id") or "")
        fields["kbli"] = kblis.get(values.get("kbli_id"))
        try:
            with transaction.atomic():
                business = _update(user, row, values, existing[row["id"]], fields)
        except _RowRefused as exc:
            errors.update(_row_errors(index, exc.errors))
            continue
        except ConflictError as exc:
            errors.update(_row_errors(index, {"": [exc.messages[0]]}))
            continue
        except PermissionDenied as exc:
            errors.update(_row_errors(index, {"": [str(exc) or _("Anda tidak memiliki izin untuk tindakan ini.")]}))
            continue
        except ValidationError as exc:
            errors.update(_row_errors(index, django_validation_errors(exc)))
            continue
        out[index] = {"row": index, "id": business.pk, "action": "updated", "version": business.version}


def _missing_owners(missing: list[int]) -> str:
    return _("Pelaku usaha {ids} tidak ditemukan atau di luar cakupan Anda.").format(
        ids=", ".join(str(i) for i in missing)
    )


class _RowRefused(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _owners(user: Any, row: dict[str, Any], values: dict[str, Any], region: Region | None) -> list[Owner] | None:
    """Owners by id (in scope), plus the row's owner columns, resolved by the registry's one owner resolution."""
    try:
        return services.business_owners(
            actor=user,
            region=region,
            owner_ids=row.get("owner_ids"),
            full_name=values.get("owner_name") or "",
            nik=values.get("owner_nik") or None,
            gender=values.get("owner_gender") or "",
            phone=values.get("owner_phone") or "",
        )
    except ValidationError as exc:
        raise _RowRefused(django_validation_errors(exc)) from None


def _duplicates(user: Any, items: list[tuple[int, dict[str, Any]]]) -> dict[int, list[str]]:
    """The pages' duplicate guard (``services.business_find_duplicates``: same NIB, or same owner NIK + similar
    name in the village, among the businesses the user sees) for many new rows in two queries: {row: messages}."""
    if not items:
        return {}
    visible = Business.objects.visible_to(user).alive()
    by_nib: dict[str, list[Business]] = defaultdict(list)
    nibs = {v["nib"] for _i, v in items if v.get("nib")}
    if nibs:
        for b in visible.filter(nib__in=nibs):
            by_nib[b.nib].append(b)
    by_owner: dict[tuple[str, str], list[Business]] = defaultdict(list)
    pairs = {(v["village_id"], v["owner_nik"]) for _i, v in items if v.get("village_id") and v.get("owner_nik")}
    if pairs:
        found = visible.filter(
            village_id__in={p[0] for p in pairs}, ownerships__owner__nik__in={p[1] for p in pairs}
        ).annotate(_owner_nik=F("ownerships__owner__nik"))
        for b in found:
            by_owner[(b.village_id, b._owner_nik)].append(b)
    out: dict[int, list[str]] = {}
    for index, values in items:
        candidates = [(b, _("NIB yang sama")) for b in by_nib.get(values.get("nib") or "", [])[:5]]
        nik, village = values.get("owner_nik") or None, values.get("village_id")
        if nik and village:
            seen = {b.pk for b, _r in candidates}
            name = values["name"].lower()
            for b in [b for b in by_owner.get((village, nik), []) if b.pk not in seen][:20]:
                if SequenceMatcher(None, b.name.lower(), name).ratio() >= 0.6:
                    candidates.append((b, _("Pemilik (NIK) sama dengan nama usaha mirip di desa yang sama")))
        if candidates:
            out[index] = [
                _(
                    "Mungkin duplikat dari usaha #{id} {name} ({reason}). Kirim confirm_duplicate=true bila bukan."
                ).format(id=b.pk, name=b.name, reason=reason)
                for b, reason in candidates
            ]
    return out


def _update(
    user: Any, row: dict[str, Any], values: dict[str, Any], business: Business, fields: dict[str, Any]
) -> Business:
    """Only the fields sent change; ``owner_ids`` replaces the owners, an owner block adds one."""
    changed = {svc for api in row if api in CHANGES for svc in CHANGES[api]}
    if row.get("status") in (None, ""):
        changed.discard("status")  # an empty cell never erases a stored value (as the import)
    owners = None
    if row.get("owner_ids") is not None or values.get("owner_name"):
        added = _owners(user, row, values, fields["region"]) or []
        if row.get("owner_ids") is None:
            current = list(business.owners.all())
            owners = current + [o for o in added if o.pk not in {c.pk for c in current}]
        else:
            owners = added
    return services.business_update(
        actor=user,
        business=business,
        expected_version=row["version"],
        owners=owners,
        **{name: fields[name] for name in changed},
    )
