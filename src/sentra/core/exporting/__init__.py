"""The export engine : every list page exports what it shows to XLSX and CSV.

An app declares an :class:`ExportSpec` per list in its ``exports.py`` and registers it from ``AppConfig.ready()``
(``register_export``): the selector giving the scoped base queryset (``<entity>_list(*, user)``), the same
FilterSet the page uses, the ordering and the columns (Indonesian headers, a ``values`` path, and a type so that
numbers stay numbers and dates dates in Excel). What most lists share is declared here once: the permission
(``core.export_list``, an officer's tool), the region columns, the last change, choice labels, yes/no cells and
masked personal data. Small exports are sent at once; large ones run as a background job writing in constant memory
(``.values_list().iterator(chunk_size=...)`` into xlsxwriter's ``constant_memory`` mode or a CSV writer). Cells go
through ``core.safetext`` (text is never written as a formula), and every export, small or large, is an audit event
(``service.audit_export``): who, which list, which filters, how many rows, which format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

#: The permission of every list export but those an app guards with its own (the registry's).
EXPORT_PERMISSION = "core.export_list"


@dataclass(frozen=True)
class ExportColumn:
    header: StrOrPromise
    path: str
    #: text | int | number | money | date | datetime | choice
    type: str = "text"
    #: value → display (e.g. a choice value → its label); applied per cell, keep it cheap.
    transform: Callable[[Any], Any] | None = None
    width: int = 18


@dataclass(frozen=True)
class ExportSpec:
    key: str
    label: StrOrPromise
    #: ``user`` (keyword) → the scoped base queryset: the list's selector, e.g. ``selectors.centre_list``.
    queryset: Callable[..., QuerySet]
    filterset_class: Any
    columns: Sequence[ExportColumn]
    ordering: Sequence[str] = ("id",)
    filename: str = "ekspor"
    permission: str = EXPORT_PERMISSION
    #: ``{name: expression}`` added with ``.annotate()`` so columns can use computed values.
    annotations: dict[str, Any] = field(default_factory=dict)


def choice_labels(choices: Any) -> Callable[[Any], str]:
    """A column transform writing a choice's label instead of its stored value (the page shows the label)."""
    mapping = {c.value: str(c.label) for c in choices}
    return lambda v: mapping.get(v, v or "")


def choice(header: StrOrPromise, path: str, choices: Any, width: int = 18) -> ExportColumn:
    """A column of a choice field, written as its label."""
    return ExportColumn(header, path, transform=choice_labels(choices), width=width)


def yes_no(header: StrOrPromise, path: str, width: int = 10) -> ExportColumn:
    """A column of a flag, written as "Ya"/"Tidak" as the page shows it."""
    return ExportColumn(header, path, transform=lambda v: str(_("Ya")) if v else str(_("Tidak")), width=width)


def masked(header: StrOrPromise, path: str, mask: Callable[[Any], str], width: int = 16) -> ExportColumn:
    """A column of personal data (NIK, phone, e-mail) masked as on the pages (UU PDP, docs/domain.md §8): an export
    never carries more of a person than the list shows."""
    return ExportColumn(header, path, transform=mask, width=width)


def region_columns(path: str = "region", width: int = 22) -> tuple[ExportColumn, ExportColumn]:
    """The regency/city of a row: its Kemendagri code and its name."""
    return (
        ExportColumn(_("Kode wilayah"), f"{path}_id", width=10),
        ExportColumn(_("Kabupaten/kota"), f"{path}__name", width=width),
    )


#: When the row was last changed.
UPDATED_AT = ExportColumn(_("Terakhir diubah"), "updated_at", "datetime")


_EXPORTS: dict[str, ExportSpec] = {}


def register_export(*specs: ExportSpec) -> None:
    for spec in specs:
        _EXPORTS[spec.key] = spec


def get_export(key: str) -> ExportSpec:
    return _EXPORTS[key]


def all_exports() -> list[ExportSpec]:
    return list(_EXPORTS.values())
