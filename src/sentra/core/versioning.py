"""Optimistic locking shared by every app (issue #6, #10): nothing is silently overwritten.

One mechanism for every editable record:

* the model has a ``version`` integer (``RegionOwnedModel`` has it; other edited models add ``VersionedModel``);
* the edit form carries the ``version`` it was loaded with (``VersionedFormMixin`` adds the hidden field);
* the service saves with ``save_versioned(obj, expected_version)``: a conditional
  ``UPDATE … SET version = version + 1 WHERE version = <expected>``. When another user saved first it raises
  ``ConflictError`` whose ``changed`` maps each differing field's *name* to
  ``[value stored now (theirs), value you entered (yours)]``, and whose message names who saved last and when;
* the view shows it with ``conflict_response``/``conflict_rows`` (status 409 and the
  ``components/conflict.html`` table), the form keeps what the user typed, and nothing is written.

``tests/core/test_concurrent_edits.py`` walks every edit URL and proves a second edit from the same version is
refused, so a new editable model without locking fails there.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.db.models import F
from django.utils import timezone
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
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
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
        raise conflict_error(obj)
    updated = type(obj)._base_manager.filter(pk=obj.pk, version=obj.version).update(version=F("version") + 1)
    if not updated:
        raise conflict_error(obj)
    obj.version += 1


def save_versioned(obj: Any, expected_version: int | None, **save_kwargs: Any) -> None:
    """Save ``obj`` only if nobody saved it since ``expected_version`` (or since it was loaded) was read."""
    claim_version(obj, expected_version)
    obj.save(**save_kwargs)


def conflict_error(obj: Any) -> ConflictError:
    from sentra.core.audit import audit_history

    current = type(obj)._base_manager.get(pk=obj.pk)
    theirs, yours = _snapshot(current), _snapshot(obj)
    changed = {name: [value, yours.get(name)] for name, value in theirs.items() if yours.get(name) != value}
    last = audit_history(current).first()
    if last is not None:
        message = _(
            "Data ini telah diubah oleh {user} pada {time} sejak Anda membukanya. Periksa perbedaannya di bawah, "
            "muat ulang halaman, lalu ulangi perubahan Anda."
        ).format(user=last.actor_name, time=timezone.localtime(last.at).strftime("%d-%m-%Y %H:%M"))
    else:
        message = _(
            "Data ini telah diubah oleh pengguna lain sejak Anda membukanya. Muat ulang halaman lalu ulangi "
            "perubahan Anda."
        )
    return ConflictError(message, changed=changed, model=type(obj))


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


def conflict_rows(exc: ConflictError) -> list[tuple[str, Any, Any]]:
    """``[(field label, stored now, you entered)]`` for the conflict table (``components/conflict.html``)."""
    rows = []
    for name, (theirs, yours) in exc.changed.items():
        label = name
        if exc.model is not None:
            try:
                label = str(exc.model._meta.get_field(name).verbose_name)
            except Exception:  # a snapshot key that is not a field
                label = name
        rows.append((label, theirs, yours))
    return rows


def form_conflict(form: forms.BaseForm, exc: ConflictError) -> list[tuple[str, Any, Any]]:
    """Put the conflict message above the form and return the rows for the conflict table."""
    form.add_error(None, exc.messages[0])
    return conflict_rows(exc)


def conflict_page(request: Any, exc: ConflictError, *, back_url: str, title: str = "") -> Any:
    """The 409 page of a refused *action* (a button, not an edit form): the message, what changed, a way back.

    Edit forms re-render themselves with ``form_conflict``; a stale status change, withdrawal or grid save has no
    form of its own to re-render, so it answers with this page instead of a message and a redirect (issue #10).
    """
    from django.shortcuts import render

    return render(
        request,
        "components/conflict_page.html",
        {"message": exc.messages[0], "conflict": conflict_rows(exc), "back_url": back_url, "title": title},
        status=409,
    )
