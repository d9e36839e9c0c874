"""Recording and reading the audit trail (who, when, what, field-level before/after)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from sentra.core.events import notify_changed
from sentra.core.models import AuditEvent
from sentra.core.versioning import claimed_version, save_versioned


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Append one event to the audit trail. Call it inside the service's transaction.

    Args:
        actor: the acting user (None for the system).
        action: a dotted code ``<app>.<model>.<past-tense-verb>``, e.g. ``registry.business.updated``.
        obj: the record concerned.
        changes: ``{field: [before, after]}``.
    """
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    region_id = getattr(obj, "region_id", None) or ""
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_name=(actor_obj.get_username() if actor_obj else "sistem"),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        region_id=region_id,
        changes=changes or {},
        note=note[:500],
        version=claimed_version(obj),
    )


def record_change(
    obj: Any,
    *,
    actor: Any,
    action: str,
    changes: dict[str, Any],
    note: str = "",
    notify: bool = True,
    region_ids: Iterable[str | None] | None = None,
) -> None:
    """The last steps of every service that wrote one record: its change on the audit trail, the notice that
    its region's data changed (``notify``; ``region_ids`` for others, e.g. before and after a move, see
    ``sentra.core.events``) and its change tracking started afresh. Call it inside the service's transaction."""
    audit_record(actor=actor, action=action, obj=obj, changes=changes, note=note)
    if notify:
        notify_changed(type(obj), region_ids if region_ids is not None else [obj.region_id])
    obj.audit_reset()


def audited_create(
    obj: Any, *, actor: Any, action: str, clean: bool = True, notify: bool = True, note: str = ""
) -> Any:
    """The steps of every service that creates one record: validate (``clean``), save, record the creation with
    all its values, announce its region's change (``notify``, see ``sentra.core.events``) and start the record's
    change tracking afresh. Call it inside the service's transaction; returns ``obj``."""
    if clean:
        obj.full_clean()
    obj.save()
    record_change(obj, actor=actor, action=action, changes=obj.audit_changes(), note=note, notify=notify)
    return obj


def audited_save(
    obj: Any,
    *,
    actor: Any,
    action: str,
    expected_version: int | None,
    note: str = "",
    notify: bool = True,
    region_id: str | None = None,
    only_if_changed: bool = False,
) -> Any:
    """The steps of every service that changes one versioned record: save it unless someone saved since
    ``expected_version`` (``ConflictError``), record the changed fields on the record's own trail with the version
    it took, announce the change of its region (``notify``; ``region_id`` where the record has none of its own)
    and start its change tracking afresh. ``only_if_changed`` records and announces nothing when no field
    changed (an edit saved as it was). Call it inside the service's transaction; returns ``obj``."""
    changes = obj.audit_changes()
    save_versioned(obj, expected_version)
    if changes or not only_if_changed:
        regions = [region_id] if region_id else None
        record_change(obj, actor=actor, action=action, changes=changes, note=note, notify=notify, region_ids=regions)
    else:
        obj.audit_reset()
    return obj


#: ``object_id`` of an event about a whole list rather than one record (an export of a list of personal data):
#: ``content_type`` is the listed model, ``object_repr`` the list's name, ``changes`` what was handed out.
LIST_OBJECT_ID = "list"


def audit_list_access(
    *, actor: Any, action: str, model: type[models.Model], label: str, details: dict[str, Any], note: str = ""
) -> AuditEvent:
    """Record that ``actor`` took a list of records out of Sentra (UU 27/2022 Pasal 31: processing is recorded).

    Args:
        actor: the user who exported.
        action: ``<app>.<model>.exported``.
        model: the listed model.
        label: the list's name as users see it.
        details: what was handed out, e.g. ``{"list": ..., "filters": {...}, "rows": 120, "format": "csv"}``.
    """
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_name=(actor_obj.get_username() if actor_obj else "sistem"),
        action=action,
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=True),
        object_id=LIST_OBJECT_ID,
        object_repr=str(label)[:255],
        region_id=getattr(actor_obj, "region_id", None) or "",
        changes=details,
        note=note[:500],
    )


#: ``object_id`` of an event that records many records at once (a bulk import, see
#: ``sentra.core.importing.bulk.audit_bulk_created``): ``changes["bulk"]`` holds their ids and values.
BULK_OBJECT_ID = "*"


def audit_history(obj: models.Model) -> models.QuerySet[AuditEvent]:
    """The events of one record, newest first, including bulk events that cover it. Callers must have checked
    that the user may see ``obj``."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    match = models.Q(object_id=str(obj.pk))
    pk = obj.pk
    if isinstance(pk, int):
        covering = AuditEvent.objects.filter(
            content_type=content_type,
            object_id=BULK_OBJECT_ID,
            changes__bulk__first__lte=pk,
            changes__bulk__last__gte=pk,
        ).values_list("pk", "changes__bulk__ranges")
        ids = [event for event, ranges in covering if any(lo <= pk <= hi for lo, hi in ranges or ())]
        if ids:
            match |= models.Q(pk__in=ids)
    return AuditEvent.objects.filter(match, content_type=content_type).select_related("actor")


def audit_event_changes(event: AuditEvent, obj: models.Model) -> dict[str, Any]:
    """``event.changes`` as they concern ``obj``: for a bulk event, that record's own values."""
    bulk = (event.changes or {}).get("bulk") if event.object_id == BULK_OBJECT_ID else None
    if not isinstance(bulk, dict):
        return event.changes
    columns = bulk.get("columns") or {}
    if "id" in columns:
        try:
            index = columns["id"].index(obj.pk)
        except ValueError:
            return {}
    else:  # numbered first, first + 1, ...
        index = obj.pk - bulk.get("first", 0) if isinstance(obj.pk, int) else -1
        if not 0 <= index <= bulk.get("last", -1) - bulk.get("first", 0):
            return {}
    values = {name: column[index] for name, column in columns.items() if name != "id"}
    values.update(bulk.get("same") or {})
    return {name: [None, value] for name, value in sorted(values.items()) if value not in (None, "")}


def audit_display_changes(model: type[models.Model], changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` for display: fields the model lists in ``audit_masks`` (NIK, phone) are masked (UU PDP).

    The stored trail keeps the real values; only a logged reveal shows personal data in full (docs/domain.md §8).
    """
    masks = getattr(model, "audit_masks", None) or {}
    if not masks:
        return changes
    return {
        name: [masks[name](v) if isinstance(v, str) else v for v in change] if name in masks else change
        for name, change in changes.items()
    }
