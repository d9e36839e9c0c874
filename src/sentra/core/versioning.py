"""Optimistic locking shared by every app (issue #6, #10): nothing is silently overwritten.

A form carries the ``version`` it was loaded with. ``save_versioned`` bumps the version with a conditional
``UPDATE … WHERE version = <expected>``; when another user saved first it raises ``ConflictError`` whose
``changed`` maps each differing field's label to ``[value stored now (theirs), value you entered (yours)]``,
and whose message names who saved last and when.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.errors import ConflictError


def save_versioned(obj: Any, expected_version: int | None, **save_kwargs: Any) -> None:
    """Save ``obj`` only if nobody saved it since ``expected_version`` (or since it was loaded) was read."""
    if expected_version is not None and expected_version != obj.version:
        raise conflict_error(obj)
    updated = type(obj)._base_manager.filter(pk=obj.pk, version=obj.version).update(version=F("version") + 1)
    if not updated:
        raise conflict_error(obj)
    obj.version += 1
    obj.save(**save_kwargs)


def conflict_error(obj: Any) -> ConflictError:
    from sentra.core.audit import audit_history

    current = type(obj)._base_manager.get(pk=obj.pk)
    theirs = current.audit_snapshot()
    yours = obj.audit_snapshot()
    changed: dict[str, list[Any]] = {}
    for name, value in theirs.items():
        if yours.get(name) != value:
            try:
                label = str(type(obj)._meta.get_field(name).verbose_name)
            except Exception:  # a snapshot key that is not a field
                label = name
            changed[label] = [value, yours.get(name)]
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
    return ConflictError(message, changed=changed)
