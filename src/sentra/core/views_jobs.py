"""Pages of background jobs, the import flow (upload → mapping → preview → commit) and exports ."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sentra.core.exporting import get_export
from sentra.core.exporting.service import (
    CONTENT_TYPES,
    FORMATS,
    audit_export,
    check_export_permission,
    export_filename,
    export_filters,
    export_queryset,
    stream_csv,
    write_export,
)
from sentra.core.forms import BootstrapForm
from sentra.core.importing import get_kind
from sentra.core.importing.engine import Layout, ReasonTally, missing_required
from sentra.core.importing.readers import FileRefused
from sentra.core.importing.service import (
    import_commit,
    import_preview,
    import_set_mapping,
    import_upload,
    local_copy,
)
from sentra.core.importing.workbooks import template_workbook
from sentra.core.jobs import apply_live_progress, job_rerun, job_start, jobs_visible_to
from sentra.core.models import Job, JobState
from sentra.core.pagination import keyset_paginate
from sentra.core.uploads import SPREADSHEETS, UploadField

# --- Jobs -------------------------------------------------------------------------------------------------------


def _job(request: HttpRequest, pk: int) -> Job:
    return get_object_or_404(jobs_visible_to(request.user), pk=pk)


def job_list(request: HttpRequest) -> HttpResponse:
    qs = jobs_visible_to(request.user)
    page = keyset_paginate(
        qs, ordering=["-created_at", "-id"], cursor=request.GET.get("cursor"), page_size=settings.SENTRA_PAGE_SIZE
    )
    for job in page.object_list:
        if job.state == JobState.RUNNING:  # its beats may be in the live store (SQLite, inside a long write)
            apply_live_progress(job)
    return render(request, "core/job_list.html", {"page": page, "object_list": page.object_list})


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.state == JobState.DRAFT and job.kind == "import":
        return redirect("core:import_preview", pk=job.pk)
    return render(request, "core/job_detail.html", _job_context(job))


def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment htmx polls every second while the job runs; it stops polling when done."""
    job = _job(request, pk)
    return render(request, "core/partials/job_progress.html", _job_context(job))


def _job_context(job: Job) -> dict[str, Any]:
    apply_live_progress(job)
    list_url = ""
    if job.kind == "import":
        try:
            kind = get_kind(job.params.get("import_kind", ""))
            list_url = kind.result_url(job.params.get("options") or {})
        except LookupError:
            pass
    result = job.result or {}
    rows = result.get("messages", [])[:100]
    total = int(result.get("rejected") or 0) + int(result.get("warned") or 0)
    return {
        "job": job,
        "list_url": list_url,
        "messages_rows": rows,
        "messages_total": total,
        "messages_more": total > len(rows),
        # Counted over every refused or warned row of the file, not only the rows listed.
        "reasons": result.get("reasons", []),
        "reasons_other": result.get("reasons_other", 0),
    }


def job_download(request: HttpRequest, pk: int, which: str) -> FileResponse:
    job = _job(request, pk)
    field = {"hasil": job.result_file, "ditolak": job.error_file, "masukan": job.input_file}.get(which)
    if not field or not field.name:
        raise Http404
    name = Path(field.name).name
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)


@require_POST
def job_rerun_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        job_rerun(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Tugas dijalankan ulang."))
    return redirect(job)


# --- Import --------------------------------------------------------------------------------------------------------


class UploadForm(BootstrapForm):
    file = UploadField(
        label=gettext_lazy("Berkas"),
        kinds=SPREADSHEETS,
        max_bytes=lambda: settings.SENTRA_IMPORT_MAX_BYTES,
        help_text=gettext_lazy("XLSX, XLS, ODS atau CSV (pemisah koma, titik koma atau tab)."),
    )

    def __init__(self, *args: Any, kind: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in kind.option_fields(user).items():
            self.fields[name] = field


def import_index(request: HttpRequest) -> HttpResponse:
    """Every kind of record the user may import, with its upload page and its template."""
    from sentra.core.importing import all_kinds

    user = request.user
    kinds = [k for k in all_kinds() if user.is_superuser or (k.permission and user.has_perm(k.permission))]
    if not kinds:
        raise PermissionDenied
    return render(request, "importing/index.html", {"kinds": kinds})


def import_kind(request: HttpRequest) -> HttpResponse:
    """The upload page of any registered kind (``/impor/unggah/?jenis=<key>``, as the template's link names a kind),
    linked from ``import_index``."""
    kind_key = request.GET.get("jenis", "")
    try:
        get_kind(kind_key)
    except LookupError:
        raise Http404 from None
    return import_start(request, kind_key)


def import_start(request: HttpRequest, kind_key: str) -> HttpResponse:
    kind = get_kind(kind_key)
    kind.check_permission(request.user)
    # An option may be chosen by the link that led here (``?batch=12`` from a class page).
    form = UploadForm(
        request.POST or None, request.FILES or None, kind=kind, user=request.user, initial=request.GET.dict()
    )
    if request.method == "POST" and form.is_valid():
        options = {k: v for k, v in form.cleaned_data.items() if k != "file"}
        try:
            job = import_upload(
                actor=request.user, kind_key=kind.key, upload=form.cleaned_data["file"], options=options
            )
        except FileRefused as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("core:import_map", pk=job.pk)
    recent = jobs_visible_to(request.user).filter(kind="import", params__import_kind=kind.key)[:5]
    return render(request, "importing/upload.html", {"form": form, "kind": kind, "recent": recent})


def _draft(request: HttpRequest, pk: int) -> Job:
    job = _job(request, pk)
    if job.kind != "import":
        raise Http404
    return job


def import_map(request: HttpRequest, pk: int) -> HttpResponse:
    job = _draft(request, pk)
    if job.state != JobState.DRAFT:
        return redirect(job)
    kind = get_kind(job.params["import_kind"])
    layout = Layout.from_params(job.params)
    headers = job.params["headers"]
    error = ""
    if request.method == "POST":
        keys = {c.key for c in kind.columns}
        mapping = {}
        for index in range(len(headers)):
            value = request.POST.get(f"col_{index}", "")
            mapping[index] = value if value in keys else ""
        chosen = [v for v in mapping.values() if v]
        if len(chosen) != len(set(chosen)):
            error = _("Satu kolom Sentra hanya boleh dipilih untuk satu kolom berkas.")
        else:
            try:
                import_set_mapping(actor=request.user, job=job, mapping=mapping)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return redirect("core:import_preview", pk=job.pk)
        layout = Layout(layout.header_line, headers, {k: v for k, v in mapping.items() if v})
    samples = _samples(job, layout)
    rows = [
        {
            "index": i,
            "header": h,
            "selected": layout.mapping.get(i, ""),
            "samples": [s[i] if i < len(s) else "" for s in samples],
        }
        for i, h in enumerate(headers)
    ]
    return render(
        request,
        "importing/mapping.html",
        {
            "job": job,
            "kind": kind,
            "rows": rows,
            "error": error,
            "missing": missing_required(kind, layout.mapping),
            "header_line": layout.header_line,
        },
    )


def _samples(job: Job, layout: Layout) -> list[list[str]]:
    from sentra.core.importing.cells import cell_text
    from sentra.core.importing.engine import data_rows
    from sentra.core.importing.readers import inspect_file

    out: list[list[str]] = []
    with local_copy(job.input_file) as path:
        table = inspect_file(path, job.params["filename"])
        for _line, row in data_rows(table, layout):
            out.append([cell_text(v)[:40] for v in row])
            if len(out) >= 3:
                break
    return out


def import_preview_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = _draft(request, pk)
    if job.state != JobState.DRAFT:
        return redirect(job)
    kind = get_kind(job.params["import_kind"])
    if request.method == "POST":
        partial = request.POST.get("mode") == "partial"
        try:
            job = import_commit(actor=request.user, job=job, partial=partial)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect(job)
    layout = Layout.from_params(job.params)
    try:
        results = import_preview(actor=request.user, job=job)
    except FileRefused as exc:
        messages.error(request, exc.message)
        return redirect("core:import_map", pk=job.pk)
    keys = [key for _i, key in sorted(layout.mapping.items())]
    columns = [kind.column(k) for k in keys]
    table = [
        {
            "line": r.line,
            "ok": r.ok,
            "cells": [
                {
                    "value": r.raw[i] if i < len(r.raw) else "",
                    "error": r.errors.get(k, ""),
                    "warning": "" if r.errors else r.warnings.get(k, ""),
                }
                for i, k in sorted(layout.mapping.items())
            ],
            "row_error": r.errors.get(""),
            # On a phone the cells scroll out of view: their problems are repeated beside the row number.
            "cell_problems": [
                f"{kind.column(k).label}: {r.errors.get(k) or r.warnings.get(k)}"
                for _i, k in sorted(layout.mapping.items())
                if r.errors.get(k) or (r.ok and r.warnings.get(k))
            ],
            "notes": r.notes,
            # A warned row is saved: its remarks are shown beside the cells (amber), never as a refusal.
            "warnings": r.warnings.get("") if r.ok else "",
        }
        for r in results
    ]
    bad = sum(1 for r in results if not r.ok)
    # Warnings of the rows shown, counted per reason (as the result page counts them over the whole file).
    tally = ReasonTally()
    for r in results:
        if r.ok and r.warnings:
            tally.add(r.warnings, "warning", r.line, kind)
    warned = sum(1 for r in results if r.ok and r.warnings)
    return render(
        request,
        "importing/preview.html",
        {
            "job": job,
            "kind": kind,
            "columns": columns,
            "table": table,
            "bad": bad,
            "shown": len(results),
            "warned": warned,
            "warning_reasons": tally.top(),
        },
    )


def import_template(request: HttpRequest) -> FileResponse:
    """``/impor/templat/?jenis=business``: headers, an example row, a guide and sheets of valid codes."""
    try:
        kind = get_kind(request.GET.get("jenis", ""))
    except LookupError:
        raise Http404 from None
    kind.check_permission(request.user)
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx")
    template_workbook(kind, Path(tmp.name))
    tmp.seek(0)
    return FileResponse(
        tmp, as_attachment=True, filename=f"templat-impor-{kind.key}.xlsx", content_type=CONTENT_TYPES["xlsx"]
    )


# --- Export --------------------------------------------------------------------------------------------------------


def export_view(request: HttpRequest, key: str) -> HttpResponseBase:
    """Export what the list page shows. Small results are sent at once; large ones become a job. Both are recorded
    in the audit trail (``audit_export``): the small ones here, the large ones when the job has written the file."""
    spec = get_export(key)
    check_export_permission(spec, request.user)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        fmt = "xlsx"
    qs = export_queryset(spec, request.user, request.GET)
    count = qs.count()
    filters = export_filters(request.GET)
    if count > settings.SENTRA_EXPORT_INLINE_ROWS:
        job = job_start(
            actor=request.user,
            kind="export",
            title=_("Ekspor {label} ({count} baris, {fmt})").format(label=spec.label, count=count, fmt=fmt.upper()),
            params={"export": spec.key, "format": fmt, "filters": filters},
        )
        messages.info(request, _("Ekspor besar dijalankan di latar. Tautan unduhan muncul di sini setelah selesai."))
        return redirect(job)
    filename = export_filename(spec, fmt)
    if fmt == "csv":
        # Streamed row by row; recorded before the first byte leaves, with the rows the list holds.
        audit_export(actor=request.user, spec=spec, model=qs.model, filters=filters, fmt=fmt, rows=count)
        response = StreamingHttpResponse(stream_csv(spec, qs), content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx")
    rows = write_export(spec, qs, "xlsx", Path(tmp.name))
    audit_export(actor=request.user, spec=spec, model=qs.model, filters=filters, fmt=fmt, rows=rows)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=CONTENT_TYPES["xlsx"])
