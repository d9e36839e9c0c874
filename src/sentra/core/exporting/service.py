"""Building export querysets and writing them in constant memory."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.audit import audit_list_access
from sentra.core.exporting import ExportSpec, get_export
from sentra.core.jobs import JobContext, JobError
from sentra.core.safetext import csv_writer, xlsx_workbook

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
    base = spec.queryset(user=user)
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


def _cell_writer(sheet: Any, column_type: str, fmt: Any) -> Callable[[int, int, Any], object]:
    """How a non-empty cell of a column of this type is written (numbers stay numbers, dates dates)."""
    if column_type in ("money", "number", "int"):
        return lambda r, c, v: sheet.write_number(r, c, float(v), fmt)
    if column_type == "datetime":
        return lambda r, c, v: sheet.write_datetime(r, c, timezone.localtime(v).replace(tzinfo=None), fmt)
    if column_type == "date":
        return lambda r, c, v: sheet.write_datetime(r, c, v, fmt)
    return lambda r, c, v: sheet.write_string(r, c, str(v))


def write_xlsx(spec: ExportSpec, rows: Iterator[list[Any]], target: Path | io.BytesIO, progress: Any = None) -> int:
    # Text is written as string cells (never formulas, core.safetext), numbers and dates as typed cells.
    workbook = xlsx_workbook(
        target, {"constant_memory": True, "in_memory": isinstance(target, io.BytesIO), "remove_timezone": True}
    )
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
    writers = [_cell_writer(sheet, column.type, formats.get(column.type)) for column in spec.columns]
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


def csv_header(spec: ExportSpec) -> list[str]:
    return [str(c.header) for c in spec.columns]


def write_csv(spec: ExportSpec, rows: Iterator[list[Any]], stream: Any, progress: Any = None) -> int:
    """CSV in UTF-8 with BOM (Excel opens it correctly); text that a spreadsheet would run as a formula is written
    as text (``core.safetext.csv_cell``), numbers and dates as plain values."""
    stream.write("\ufeff")
    writer = csv_writer(stream)
    writer.writerow(csv_header(spec))
    count = 0
    for count, values in enumerate(rows, start=1):
        writer.writerow(values)
        if progress is not None and count % 5000 == 0:
            progress(count)
    return count


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream_csv(spec: ExportSpec, qs: QuerySet) -> Iterator[str]:
    """The CSV of ``qs`` line by line, for a streaming response (nothing held in memory)."""
    return stream_table_csv(csv_header(spec), export_rows(spec, qs))


def stream_table_csv(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """Any table as CSV line by line (UTF-8 with BOM, text cells through ``core.safetext``): for exports that are
    not a queryset, such as the published statistics."""
    writer = csv_writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for values in rows:
        yield writer.writerow(values)


def export_filename(spec: ExportSpec, fmt: str) -> str:
    return f"{spec.filename}-{timezone.localdate():%Y%m%d}.{fmt}"


def write_export(spec: ExportSpec, qs: QuerySet, fmt: str, path: Path, progress: Any = None) -> int:
    rows = export_rows(spec, qs)
    if fmt == "xlsx":
        return write_xlsx(spec, rows, path, progress)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        return write_csv(spec, rows, fh, progress)


def export_filters(params: dict[str, Any] | QueryDict) -> dict[str, Any]:
    """The filter parameters of an export as recorded (in the job and the audit trail): empty values left out."""
    items = params.lists() if isinstance(params, QueryDict) else params.items()
    out: dict[str, Any] = {}
    for key, values in items:
        if key in ("format", "cursor", "sort"):
            continue
        kept = [str(v) for v in (values if isinstance(values, list | tuple) else [values]) if v not in (None, "")]
        if kept:
            out[key] = kept
    return out


def audit_export(
    *, actor: Any, spec: ExportSpec, model: Any, filters: dict[str, Any], fmt: str, rows: int, job: Any = None
) -> None:
    """Every export is recorded (who, which list, which filters, how many rows, which format): exports hand out
    personal data (names, addresses, masked NIK and phone), and UU 27/2022 Pasal 31 asks processing to be recorded.
    Small exports are recorded when sent, large ones when their job has written the file."""
    details: dict[str, Any] = {"list": spec.key, "filters": filters, "rows": rows, "format": fmt}
    if job is not None:
        details["job"] = job.pk
    audit_list_access(actor=actor, action=f"{spec.key}.exported", model=model, label=str(spec.label), details=details)


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
    filters = export_filters(params.get("filters", {}))
    audit_export(actor=user, spec=spec, model=qs.model, filters=filters, fmt=fmt, rows=count, job=ctx.job)
    ctx.progress(count, count, force=False)
    return {"rows": count, "format": fmt}
