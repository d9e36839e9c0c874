"""The "Riwayat" of a record as people read it: actions in words, field labels, values formatted as the pages do.

The audit trail stores codes and raw values (``budget.activityplan.approved``, ``turnover: ["1150000000.00",
"1265000000.00"]``) so it stays exact and machine-readable. This module turns them into what an officer expects to
read: "Rencana kegiatan disetujui oleh budi (Petugas kabupaten/kota, Kota Kendari)", "Omzet tahunan:
Rp1.150.000.000 → Rp1.265.000.000". Every page that shows a history goes through :func:`history_entries`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.formatting import format_number, format_rupiah
from sentra.core.versioning import actor_label

#: How many entries a history shows before "show more".
SHOWN = 5

#: The last part of an action code → the verb, in words. ``{model}`` is the record kind ("Rencana kegiatan").
VERBS: dict[str, Any] = {
    "created": gettext_lazy("{model} dibuat"),
    "updated": gettext_lazy("{model} diubah"),
    "deleted": gettext_lazy("{model} dihapus"),
    "restored": gettext_lazy("{model} dipulihkan"),
    "merged": gettext_lazy("{model} digabungkan"),
    "submitted": gettext_lazy("{model} diajukan"),
    "verified": gettext_lazy("{model} diverifikasi"),
    "approved": gettext_lazy("{model} disetujui"),
    "returned": gettext_lazy("{model} dikembalikan untuk perbaikan"),
    "accepted": gettext_lazy("{model} diterima"),
    "rejected": gettext_lazy("{model} ditolak"),
    "waitlisted": gettext_lazy("{model} masuk daftar tunggu"),
    "withdrawn": gettext_lazy("{model} dibatalkan"),
    "revised": gettext_lazy("{model} direvisi"),
    "superseded": gettext_lazy("{model} digantikan revisi"),
    "draft": gettext_lazy("{model} dikembalikan ke draf"),
    "received": gettext_lazy("{model} diterima"),
    "requested": gettext_lazy("{model} diminta"),
    "checked": gettext_lazy("{model} diperiksa"),
    "reallocated": gettext_lazy("{model} dialihkan"),
    "ended": gettext_lazy("{model} diakhiri"),
    "handed_over": gettext_lazy("{model} diserahterimakan"),
    "status_changed": gettext_lazy("Status {model_lower} diubah"),
    "published": gettext_lazy("{model} diterbitkan"),
    "issued": gettext_lazy("{model} diterbitkan"),
    "revoked": gettext_lazy("{model} dicabut"),
    "completed": gettext_lazy("{model} diselesaikan"),
    "answered": gettext_lazy("Jawaban {model_lower} disimpan"),
    "assessed": gettext_lazy("Kelulusan {model_lower} dihitung"),
    "scored": gettext_lazy("Nilai {model_lower} dicatat"),
    "applied": gettext_lazy("{model} mendaftar"),
    "matched": gettext_lazy("{model} dicocokkan dengan registri"),
    "anonymised": gettext_lazy("{model} dianonimkan"),
    "open": gettext_lazy("{model} dibuka kembali"),
    "in_progress": gettext_lazy("{model} mulai dikerjakan"),
    "done": gettext_lazy("{model} dinyatakan selesai"),
    "regenerated": gettext_lazy("{model} dibuat ulang"),
    "notice_sent": gettext_lazy("Pemberitahuan {model_lower} dikirim"),
    "nik_revealed": gettext_lazy("NIK dibuka"),
    "contacts_revealed": gettext_lazy("Kontak dibuka"),
    "personal_data_exported": gettext_lazy("Data pribadi diekspor"),
    "exported": gettext_lazy("Daftar {model_lower} diekspor"),
    "password_reset": gettext_lazy("Kata sandi diatur ulang"),
    "two_factor_enrolled": gettext_lazy("Verifikasi dua langkah diaktifkan"),
    "two_factor_disabled": gettext_lazy("Verifikasi dua langkah dimatikan oleh penggunanya"),
    "two_factor_reset": gettext_lazy("Verifikasi dua langkah disetel ulang"),
    "recovery_code_used": gettext_lazy("Masuk dengan kode cadangan"),
    "recovery_codes_renewed": gettext_lazy("Kode cadangan dibuat baru"),
    "session_added": gettext_lazy("Sesi ditambahkan"),
    "session_deleted": gettext_lazy("Sesi dihapus"),
    "module_added": gettext_lazy("Modul ditambahkan"),
    "module_deleted": gettext_lazy("Modul dihapus"),
    "external_trainer_added": gettext_lazy("Pelatih dari luar ditambahkan"),
    "evaluation_received": gettext_lazy("Evaluasi diterima"),
    "application_repeated": gettext_lazy("Pendaftaran diulang"),
    "attendance_recorded": gettext_lazy("Kehadiran dicatat"),
    "attendance_changed": gettext_lazy("Kehadiran diubah"),
}
#: Verbs that start with a prefix (``exported_xlsx``, ``exported_pdf``).
VERB_PREFIXES = {"exported_": gettext_lazy("{model} diunduh")}
FALLBACK_VERB = gettext_lazy("{model} diperbarui")

#: Fields the trail records that are not worth a line for people (kept in the trail itself).
HIDDEN = {"id", "password", "last_login", "version", "updated_at", "created_at", "search_name"}
#: A new record's first values are many: shown folded (a change lists only what changed).
FOLD_AFTER = 4


@dataclass(frozen=True)
class HistoryChange:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    sentence: str
    actor: str
    at: dt.datetime
    note: str
    changes: list[HistoryChange] = field(default_factory=list)
    #: The first values of a created record, listed folded ("Lihat data awal").
    initial: bool = False

    @property
    def folded(self) -> bool:
        return self.initial and len(self.changes) > FOLD_AFTER


def action_sentence(action: str, model: type[models.Model] | None) -> str:
    """``budget.activityplan.approved`` → "Rencana kegiatan disetujui"."""
    parts = action.split(".")
    verb = parts[-1] if parts else action
    record_model = _model_of(action) or model
    name = str(record_model._meta.verbose_name) if record_model is not None else _("data")
    template = VERBS.get(verb)
    if template is None:
        template = next((t for prefix, t in VERB_PREFIXES.items() if verb.startswith(prefix)), FALLBACK_VERB)
    return capfirst(str(template).format(model=capfirst(name), model_lower=name))


def history_entries(model: type[models.Model], events: Sequence[Any], changes_of: Any = None) -> list[HistoryEntry]:
    """``events`` (newest first) as :class:`HistoryEntry` for ``model``'s record.

    Args:
        model: the record's model (its fields give labels and formats).
        events: ``AuditEvent`` rows with ``actor`` selected.
        changes_of: ``event -> {field: [before, after]}`` (default ``event.changes``), e.g. a bulk event's share
            of this record, already masked for display.
    """
    raw = [(event, (changes_of(event) if changes_of else event.changes) or {}) for event in events]
    names = _related_names(model, (changes for _event, changes in raw))
    entries = []
    for event, changes in raw:
        event_model = _model_of(event.action) or model
        rows = [
            HistoryChange(
                label=_label(event_model, name),
                before=_display(event_model, name, change[0], names),
                after=_display(event_model, name, change[1], names),
            )
            for name, change in changes.items()
            if name not in HIDDEN and isinstance(change, list | tuple) and len(change) == 2
        ]
        entries.append(
            HistoryEntry(
                sentence=action_sentence(event.action, model),
                actor=actor_label(event),
                at=event.at,
                note=event.note,
                changes=rows,
                initial=event.action.endswith(".created"),
            )
        )
    return entries


def _model_of(action: str) -> type[models.Model] | None:
    parts = action.split(".")
    if len(parts) < 3:
        return None
    try:
        return apps.get_model(parts[0], parts[1])
    except LookupError:
        return None


def _field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        found = model._meta.get_field(name)
    except Exception:  # a key of the trail that is not a field ("hadir 01-02-2026")
        return None
    return found if isinstance(found, models.Field) else None


def _label(model: type[models.Model], name: str) -> str:
    found = _field(model, name)
    return capfirst(str(found.verbose_name)) if found is not None else capfirst(name.replace("_", " "))


def _related_names(model: type[models.Model], all_changes: Iterable[dict[str, Any]]) -> dict[tuple[Any, Any], str]:
    """``(related model, pk) → str(record)`` for every foreign key value the changes mention: one query per
    related model, however many events and fields (no query per line)."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for changes in all_changes:
        for name, change in changes.items():
            found = _field(model, name)
            related = found.related_model if found is not None and found.is_relation else None
            if related is None or not isinstance(change, list | tuple):
                continue
            pk_field = related._meta.pk
            for value in change:
                for pk in value if isinstance(value, list) else [value]:
                    if isinstance(pk, int | str) and pk != "":
                        try:  # a trail may name related records by another key (trainers by username)
                            pk_field.to_python(pk)
                        except ValidationError:
                            continue
                        wanted[related].add(pk)
    names: dict[tuple[Any, Any], str] = {}
    for related, pks in wanted.items():
        for obj in related._base_manager.filter(pk__in=pks):
            names[(related, obj.pk)] = str(obj)
            names[(related, str(obj.pk))] = str(obj)
    return names


def _display(model: type[models.Model], name: str, value: Any, names: dict[tuple[Any, Any], str]) -> str:
    if value is None or value == "" or value == []:
        return "–"
    found = _field(model, name)
    if found is None:
        return _plain(value)
    if found.is_relation:
        values = value if isinstance(value, list) else [value]
        return ", ".join(names.get((found.related_model, v), f"#{v}") for v in values)
    if found.choices:
        return str(dict(found.flatchoices).get(value, value))
    if isinstance(found, models.BooleanField):
        return _("Ya") if value else _("Tidak")
    if isinstance(found, models.DecimalField):
        if "(rp)" in str(found.verbose_name).lower():  # money fields say so in their label, "… (Rp)"
            return format_rupiah(_decimal(value), 0 if _decimal(value) % 1 == 0 else 2)
        return format_number(_decimal(value), _decimals(value))
    if isinstance(found, models.IntegerField) and "year" in name:
        return str(value)  # 2019, not 2.019
    if isinstance(found, models.IntegerField | models.FloatField):
        return format_number(value, _decimals(value))
    if isinstance(found, models.DateTimeField):
        moment = parse_datetime(value) if isinstance(value, str) else value
        if isinstance(moment, dt.datetime):
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return dateformat.format(moment, "j F Y H.i")
    if isinstance(found, models.DateField):
        day = parse_date(value[:10]) if isinstance(value, str) else value
        if isinstance(day, dt.date):
            return dateformat.format(day, "j F Y")
    return _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    return str(value)


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def _decimals(value: Any) -> int:
    """The decimals a number needs, at most 2 (``82.50`` → 1: "82,5"; ``3`` → 0)."""
    number = _decimal(value).normalize()
    exponent = number.as_tuple().exponent
    return min(max(-exponent, 0), 2) if isinstance(exponent, int) else 0


def record_history(obj: models.Model, *, limit: int = 100) -> list[HistoryEntry]:
    """The history of one record, newest first, as people read it (personal data masked as the pages mask it).

    Callers must have checked that the user may see ``obj``."""
    from django.contrib.auth import get_user_model

    from sentra.core.audit import audit_display_changes, audit_event_changes, audit_history

    model = type(obj)
    related = ["actor"]
    if any(f.name == "region" and f.is_relation for f in get_user_model()._meta.concrete_fields):
        related.append("actor__region")  # the actor's label names their region
    events = list(audit_history(obj).select_related(*related)[:limit])
    return history_entries(
        model, events, changes_of=lambda event: audit_display_changes(model, audit_event_changes(event, obj))
    )
