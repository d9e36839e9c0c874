"""The export engine : every list page exports what it shows to XLSX and CSV.

An app registers an :class:`ExportSpec` per list (``register_export`` from ``AppConfig.ready()``): the scoped
base queryset, the same FilterSet the page uses, the ordering and the columns (Indonesian headers, a ``values``
path, and a type so that numbers stay numbers and dates dates in Excel). Small exports are sent at once; large
ones run as a background job writing in constant memory (``.values_list().iterator(chunk_size=...)`` into
xlsxwriter's ``constant_memory`` mode or a CSV writer). Cells go through ``core.safetext`` (text is never written
as a formula), and every export, small or large, is an audit event (``service.audit_export``): who, which list,
which filters, how many rows, which format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django_stubs_ext import StrOrPromise


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
    permission: str
    queryset: Callable[[Any], QuerySet]  # user → scoped base queryset (``Model.objects.visible_to(user)``)
    filterset_class: Any
    columns: Sequence[ExportColumn]
    ordering: Sequence[str] = ("id",)
    filename: str = "ekspor"
    #: ``{name: expression}`` added with ``.annotate()`` so columns can use computed values.
    annotations: dict[str, Any] = field(default_factory=dict)


def choice_labels(choices: Any) -> Callable[[Any], str]:
    """A column transform writing a choice's label instead of its stored value (the page shows the label)."""
    mapping = {c.value: str(c.label) for c in choices}
    return lambda v: mapping.get(v, v or "")


_EXPORTS: dict[str, ExportSpec] = {}


def register_export(spec: ExportSpec) -> ExportSpec:
    _EXPORTS[spec.key] = spec
    return spec


def get_export(key: str) -> ExportSpec:
    return _EXPORTS[key]


def all_exports() -> list[ExportSpec]:
    return list(_EXPORTS.values())
