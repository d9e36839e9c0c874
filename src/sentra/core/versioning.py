"""Optimistic locking shared by every app (#10): nothing is silently overwritten.

One mechanism for every editable record:

* the model has a ``version`` integer (``RegionOwnedModel`` has it; other edited models add ``VersionedModel``);
* the edit form carries the ``version`` it was loaded with (``VersionedFormMixin`` adds the hidden field);
* the service saves with ``save_versioned(obj, expected_version)``: a conditional
  ``UPDATE … SET version = version + 1 WHERE version = <expected>``. When another user saved first it raises
  ``ConflictError`` whose ``changed`` maps each differing field's *name* to
  ``[value stored now (theirs), value you entered (yours)]``, and whose message names who saved last and when;
* the view shows it with ``form_conflict``/``conflict_page`` (status 409 and the ``components/conflict.html``
  table), the form keeps what the user typed, and nothing is written;
* the answer also says who changed the record, when, and which fields, since the version the user loaded
  (``changes_since``): ``claim_version`` marks the object with the version it took and ``audit_record`` stores
  that mark in the event (``AuditEvent.version``), so the events "since" are exactly those with a higher version.

``tests/core/test_concurrent_edits.py`` walks every edit URL and proves a second edit from the same version is
refused, so a new editable model without locking fails there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.db.models import F
from django.utils import dateformat, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.errors import ConflictError

VERSION_FIELD = "version"


class VersionedModel(models.Model):
    """Adds the optimistic-lock counter to an edited model that is not a ``RegionOwnedModel``."""

    version = models.PositiveIntegerField(gettext_lazy("versi"), default=1, editable=False)

    class Meta:
        abstract = True


class VersionedFormMixin:
    """Adds a hidden ``version`` field to an edit form, filled from ``instance`` (ModelForms) or ``initial``.

    Views pass ``form.expected_version`` to the service; ``version`` is removed from ``cleaned_data`` by
    ``form.domain_data()`` so the rest can go to the service as keyword arguments.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields  # type: ignore[attr-defined]
        if VERSION_FIELD not in fields:
            fields[VERSION_FIELD] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
        instance = getattr(self, "instance", None)
        if instance is not None and getattr(instance, "pk", None) and fields[VERSION_FIELD].initial is None:
            fields[VERSION_FIELD].initial = instance.version

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get(VERSION_FIELD)  # type: ignore[attr-defined]

    def domain_data(self, *exclude: str) -> dict[str, Any]:
        skip = {VERSION_FIELD, *exclude}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}  # type: ignore[attr-defined]


def claim_version(obj: Any, expected_version: int | None) -> None:
    """Take the next version of ``obj``'s row, or raise ``ConflictError`` if someone saved since it was read.

    Call inside the service's transaction before writing; the row's conditional update also holds its lock
    until the transaction ends, so two writers cannot both win.
    """
    if expected_version is not None and expected_version != obj.version:
        raise conflict_error(obj, since_version=expected_version)
    updated = type(obj)._base_manager.filter(pk=obj.pk, version=obj.version).update(version=F("version") + 1)
    if not updated:
        raise conflict_error(obj)
    obj.version += 1
    setattr(obj, _CLAIMED, obj.version)


def save_versioned(obj: Any, expected_version: int | None, **save_kwargs: Any) -> None:
    """Save ``obj`` only if nobody saved it since ``expected_version`` (or since it was loaded) was read."""
    claim_version(obj, expected_version)
    obj.save(**save_kwargs)


#: Set by ``claim_version`` on the object: the version this transaction took; ``audit_record`` stores it in the
#: event. Only a claimed version is stored: the current version of an object that was not claimed (a NIK reveal,
#: a creation) was produced by an earlier change, and storing it would list that event as a change.
_CLAIMED = "_sentra_claimed_version"


def claimed_version(obj: Any) -> int | None:
    """The version ``claim_version`` last took for this instance of ``obj``, or None."""
    return getattr(obj, _CLAIMED, None)


#: How many changes since the user's version a conflict lists (newest first); older ones are only counted.
CHANGES_SHOWN = 5


@dataclass(frozen=True)
class ConflictChange:
    """One change made since the user loaded the record: who (a label safe for anyone who may see the record),
    when, and the labels of the fields it changed (never their values: those are in the conflict table)."""

    version: int
    actor_id: int | None
    actor: str
    at: dt.datetime
    fields: tuple[str, ...]


def changes_since(current: Any, since_version: int) -> tuple[list[ConflictChange], int]:
    """The changes to ``current`` after ``since_version`` (newest first, at most ``CHANGES_SHOWN``) and how many
    more were made that are not listed.

    "Since" is decided by versions, not by time: the version is taken under the row's lock, so the events with a
    higher version are exactly the changes this user did not see. A timestamp cannot do this: an event's time is
    taken before its transaction commits, so a form opened between another user's write and their commit shows
    the old data although the event is older than the form; app servers' clocks differ too. Every version step is
    one change, so ``current.version - since_version`` counts them all, including steps no versioned event
    records (a bulk import update, a follow-up recorded on its own record): those are counted, not invented.
    Callers must have checked that the user may see ``current`` (the actor's label is no more than the history
    shows: username, role and region; never NIK or phone).
    """
    from django.contrib.auth import get_user_model

    from sentra.core.audit import audit_history

    total = max(current.version - since_version, 0)
    if not total:
        return [], 0
    related = ["actor"]
    if any(f.name == "region" and f.is_relation for f in get_user_model()._meta.concrete_fields):
        related.append("actor__region")
    events = (
        audit_history(current)
        .filter(version__gt=since_version, version__lte=current.version)
        .select_related(*related)
        .order_by("-version", "-at", "-id")[: CHANGES_SHOWN * 4]
    )
    listed: list[ConflictChange] = []
    for event in events:
        if event.version is None:  # excluded by version__gt above; narrows the type
            continue
        fields = tuple(
            capfirst(_field_label(type(current), name)) for name in (event.changes or {}) if name not in _SECRET_FIELDS
        )
        if listed and listed[-1].version == event.version:  # one save, several events: one change
            last = listed[-1]
            merged = last.fields + tuple(f for f in fields if f not in last.fields)
            listed[-1] = ConflictChange(last.version, last.actor_id, last.actor, last.at, merged)
            continue
        if len(listed) == CHANGES_SHOWN:
            break
        listed.append(ConflictChange(event.version, event.actor_id, actor_label(event), event.at, fields))
    return listed, total - len(listed)


def actor_label(event: Any) -> str:
    """``budi (Petugas kabupaten/kota, Kota Kendari)``: the username the trail recorded, the role and region."""
    user = event.actor
    name = event.actor_name or (user.get_username() if user is not None else "")
    if user is None:
        return name
    role = user.get_role_display() if hasattr(user, "get_role_display") else ""
    region = str(user.region) if getattr(user, "region_id", None) else ""
    detail = ", ".join(part for part in (str(role), region) if part)
    return f"{name} ({detail})" if detail else name


def format_moment(value: dt.datetime) -> str:
    """A change's time as the templates show it (``{{ at|waktu }}``: ``29 Nov 2026 10.14``, the Indonesian time
    separator)."""
    return dateformat.format(timezone.localtime(value), "j M Y H.i")


def conflict_error(obj: Any, *, since_version: int | None = None) -> ConflictError:
    """The ``ConflictError`` for ``obj``: what differs, and who changed it since ``since_version`` (the version
    the user loaded; ``obj.version`` when not given, i.e. when ``obj`` was loaded with the user's version)."""
    current = type(obj)._base_manager.get(pk=obj.pk)
    theirs, yours = _snapshot(current), _snapshot(obj)
    changed = {name: [value, yours.get(name)] for name, value in theirs.items() if yours.get(name) != value}
    since, more = changes_since(current, obj.version if since_version is None else since_version)
    if since and since[0].version == current.version:
        # Names the newest change only when it is the one that made the stored version (others are listed).
        message = _(
            "Data ini telah diubah oleh {user} pada {time} sejak Anda membukanya. Periksa perbedaannya di bawah, "
            "muat ulang halaman, lalu ulangi perubahan Anda."
        ).format(user=since[0].actor, time=format_moment(since[0].at))
    else:
        message = _("Data ini telah diubah sejak Anda membukanya. Muat ulang halaman lalu ulangi perubahan Anda.")
    return ConflictError(message, changed=changed, model=type(obj), since=since, more=more)


#: Never shown in a conflict table.
_SECRET_FIELDS = {"password", "last_login", "version"}


def _snapshot(obj: Any) -> dict[str, Any]:
    if hasattr(obj, "audit_snapshot"):
        return obj.audit_snapshot()
    from sentra.core.models import audit_value

    return {
        f.name: audit_value(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if f.editable and f.name not in _SECRET_FIELDS
    }


class ConflictRows(list):
    """``[(field label, stored now, you entered)]`` for the conflict table, plus ``since`` (``ConflictChange``s,
    newest first) and ``more`` (changes not listed), so every view that passes ``conflict`` to
    ``components/conflict.html`` shows who changed the record without code of its own."""

    def __init__(self, rows: Any = (), *, since: list[ConflictChange] | None = None, more: int = 0) -> None:
        super().__init__(rows)
        self.since = since or []
        self.more = more


def _field_label(model: Any, name: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # a snapshot or audit key that is not a field ("hadir 01-02-2026")
            pass
    return name


def field_changes(exc: ConflictError) -> dict[str, ConflictChange | None]:
    """Each differing field of ``exc`` → the newest listed change that touched it (None when no listed change
    did: a change beyond the listed ones, or a version step no versioned event records)."""
    result: dict[str, ConflictChange | None] = {}
    for name in exc.changed:
        label = capfirst(_field_label(exc.model, name))
        result[name] = next((change for change in exc.since if label in change.fields), None)
    return result


def conflict_rows(exc: ConflictError) -> ConflictRows:
    """The rows of the conflict table (``components/conflict.html``), carrying who changed the record."""
    rows = [(capfirst(_field_label(exc.model, name)), theirs, yours) for name, (theirs, yours) in exc.changed.items()]
    return ConflictRows(rows, since=exc.since, more=exc.more)


def form_conflict(form: forms.BaseForm, exc: ConflictError, *, user: Any = None) -> ConflictRows:
    """Put the conflict message above the form and return the rows for the conflict table.

    When the newest change is ``user``'s own (a second tab), the message says so, as the conflict panel does,
    instead of naming the user to themselves as if someone else had changed the record.
    """
    since = getattr(exc, "since", None) or []
    if user is not None and since and since[0].actor_id is not None and since[0].actor_id == user.pk:
        form.add_error(
            None,
            _(
                "Data ini telah Anda ubah sendiri di tab atau jendela lain pada {time} sejak halaman ini dibuka. "
                "Periksa perbedaannya di bawah, muat ulang halaman, lalu ulangi perubahan Anda."
            ).format(time=format_moment(since[0].at)),
        )
    else:
        form.add_error(None, exc.messages[0])
    return conflict_rows(exc)


def conflict_page(request: Any, exc: ConflictError, *, back_url: str, title: str = "") -> Any:
    """The 409 page of a refused *action* (a button, not an edit form): the message, what changed, a way back.

    Edit forms re-render themselves with ``form_conflict``; a stale status change, withdrawal or grid save has no
    form of its own to re-render, so it answers with this page instead of a message and a redirect.
    """
    from django.shortcuts import render

    return render(
        request,
        "components/conflict_page.html",
        {"message": exc.messages[0], "conflict": conflict_rows(exc), "back_url": back_url, "title": title},
        status=409,
    )
