"""Building export querysets and writing them in constant memory."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import xlsxwriter
from defusedcsv import csv
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.exporting import ExportSpec, get_export
from sentra.core.jobs import JobContext, JobError

FORMATS = {"xlsx", "csv"}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def check_export_permission(spec: ExportSpec, user: Any) -> None:
    if not (user.is_superuser or user.has_perm(spec.permission)):
        raise PermissionDenied(_("Anda tidak berwenang mengekspor data ini."))


def export_queryset(spec: ExportSpec, user: Any, params: dict[str, Any] | QueryDict) -> QuerySet:
    """The rows the list page shows for these filter parameters: the user's scope, then the same FilterSet."""
    base = spec.queryset(user)
    data = params if isinstance(params, QueryDict) else _querydict(params)
    data = data.copy()
    for name in ("format", "cursor", "sort"):
        data.pop(name, None)
    filterset = spec.filterset_class(data or None, queryset=base, request=SimpleNamespace(user=user))
    # Exactly what ObjectListView shows: always through the FilterSet, whose ``qs`` leaves soft-deleted rows out,
    # ignores a bad value of an ordinary filter and lists nothing for a bad area or year (NarrowingFilterSetMixin).
    qs = filterset.qs
    if spec.annotations:
        qs = qs.annotate(**spec.annotations)
    return qs.order_by(*spec.ordering)


def _querydict(params: dict[str, Any]) -> QueryDict:
    q = QueryDict(mutable=True)
    for key, value in params.items():
        if isinstance(value, list):
            q.setlist(key, [str(v) for v in value])
        elif value is not None:
            q[key] = str(value)
    return q


def export_rows(spec: ExportSpec, qs: QuerySet) -> Iterator[list[Any]]:
    """Plain value rows (no model instances), fetched in chunks."""
    paths = [c.path for c in spec.columns]
    transforms = [c.transform for c in spec.columns]
    for values in qs.values_list(*paths).iterator(chunk_size=settings.SENTRA_EXPORT_CHUNK_SIZE):
        yield [t(v) if t is not None else v for t, v in zip(transforms, values, strict=True)]


def write_xlsx(spec: ExportSpec, rows: Iterator[list[Any]], target: Path | io.BytesIO, progress: Any = None) -> int:
    workbook = xlsxwriter.Workbook(
        target if isinstance(target, io.BytesIO) else str(target),
        {"constant_memory": True, "in_memory": isinstance(target, io.BytesIO), "strings_to_numbers": False,
         "strings_to_formulas": False, "strings_to_urls": False, "remove_timezone": True},
    )  # fmt: skip
    sheet = workbook.add_worksheet(str(spec.label)[:31])
    head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True})
    formats = {
        "money": workbook.add_format({"num_format": "#,##0.00"}),
        "number": workbook.add_format({"num_format": "#,##0.##"}),
        "int": workbook.add_format({"num_format": "0"}),
        "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
        "datetime": workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
    }
    for col, column in enumerate(spec.columns):
        sheet.write_string(0, col, str(column.header), head)
        sheet.set_column(col, col, column.width)
    sheet.freeze_panes(1, 0)
    writers = []
    for column in spec.columns:
        fmt = formats.get(column.type)
        if column.type in ("money", "number", "int"):
            writers.append(lambda r, c, v, fmt=fmt: sheet.write_number(r, c, float(v), fmt))
        elif column.type == "datetime":
            writers.append(
                lambda r, c, v, fmt=fmt: sheet.write_datetime(r, c, timezone.localtime(v).replace(tzinfo=None), fmt)
            )
        elif column.type == "date":
            writers.append(lambda r, c, v, fmt=fmt: sheet.write_datetime(r, c, v, fmt))
        else:
            writers.append(lambda r, c, v: sheet.write_string(r, c, str(v)))
    count = 0
    for count, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            writers[col](count, col, value)
        if progress is not None and count % 5000 == 0:
            progress(count)
    workbook.close()
    return count


def _csv_value(value: Any, kind: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_csv(spec: ExportSpec, rows: Iterator[list[Any]], stream: Any, progress: Any = None) -> int:
    """CSV in UTF-8 with BOM (Excel opens it correctly); defusedcsv neutralises formula injection."""
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow([str(c.header) for c in spec.columns])
    kinds = [c.type for c in spec.columns]
    count = 0
    for count, values in enumerate(rows, start=1):
        writer.writerow([_csv_value(v, k) for v, k in zip(values, kinds, strict=True)])
        if progress is not None and count % 5000 == 0:
            progress(count)
    return count


def export_filename(spec: ExportSpec, fmt: str) -> str:
    return f"{spec.filename}-{timezone.localdate():%Y%m%d}.{fmt}"


def write_export(spec: ExportSpec, qs: QuerySet, fmt: str, path: Path, progress: Any = None) -> int:
    rows = export_rows(spec, qs)
    if fmt == "xlsx":
        return write_xlsx(spec, rows, path, progress)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        return write_csv(spec, rows, fh, progress)


def run_export_job(ctx: JobContext) -> dict[str, Any]:
    params = ctx.params
    spec = get_export(params["export"])
    user = ctx.user
    check_export_permission(spec, user)
    fmt = params.get("format", "xlsx")
    if fmt not in FORMATS:
        raise JobError(_("Format ekspor tidak dikenal."))
    qs = export_queryset(spec, user, params.get("filters", {}))
    total = qs.count()
    ctx.progress(0, total, phase=_("Menulis berkas…"), force=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / export_filename(spec, fmt)
        count = write_export(spec, qs, fmt, path, progress=lambda n: ctx.progress(n, total))
        with open(path, "rb") as fh:
            ctx.job.result_file.save(path.name, File(fh), save=False)
    ctx.progress(count, count, force=False)
    return {"rows": count, "format": fmt}
