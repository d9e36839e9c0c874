"""Import use-cases: upload (a draft job), mapping, preview, commit as a background job ."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from sentra.core.importing.engine import Layout, find_header, missing_required, preview, run_import, suggest_mapping
from sentra.core.importing.kinds import ImportContext, get_kind
from sentra.core.importing.readers import FileRefused, inspect_file
from sentra.core.jobs import JobContext, JobError, job_create, job_start
from sentra.core.models import ImportMapping, Job, JobState


@contextlib.contextmanager
def local_copy(field_file: Any) -> Iterator[Path]:
    """A local path for a stored file (storages without ``path()``, e.g. S3 or in-memory, are copied)."""
    try:
        local = Path(field_file.path)
    except (NotImplementedError, AttributeError, ValueError):
        local = None
    if local is not None and local.exists():
        yield local
        return
    suffix = Path(field_file.name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        field_file.open("rb")
        try:
            shutil.copyfileobj(field_file, tmp)
        finally:
            field_file.close()
        tmp.flush()
        yield Path(tmp.name)


def remembered_mapping(user: Any, kind_key: str) -> dict[str, str]:
    row = ImportMapping.objects.filter(user=user, kind=kind_key).first()
    return row.mapping if row else {}


def import_upload(
    *,
    actor: Any,
    kind_key: str,
    upload: UploadedFile,
    options: dict[str, Any] | None = None,
    line_offset: int = 0,
) -> Job:
    """Check an uploaded file, find its header row, suggest a mapping, and keep it as a draft import job.
    ``line_offset`` shifts reported row numbers (see ``Layout.line_offset``)."""
    kind = get_kind(kind_key)
    kind.check_permission(actor)
    filename = get_valid_filename(Path(upload.name or "berkas").name) or "berkas.csv"
    suffix = Path(filename).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        table = inspect_file(tmp.name, filename)
        header_line, headers = find_header(table, kind)
        mapping = suggest_mapping(headers, kind, remembered_mapping(actor, kind.key))
        layout = Layout(header_line, headers, mapping, line_offset)
        params = {"import_kind": kind.key, "filename": filename, "options": options or {}, **layout.as_params()}
        with transaction.atomic():
            job = job_create(
                actor=actor,
                kind="import",
                title=_("Impor {label}: {file}").format(label=kind.label, file=filename),
                params=params,
                total=max(0, table.row_count - header_line),
            )
            tmp.seek(0)
            job.input_file.save(filename, File(tmp), save=True)
    return job


def import_set_mapping(*, actor: Any, job: Job, mapping: dict[int, str], header_line: int | None = None) -> Job:
    kind = get_kind(job.params["import_kind"])
    missing = missing_required(kind, {k: v for k, v in mapping.items() if v})
    if missing:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Kolom wajib belum dipetakan: {columns}.").format(columns=", ".join(missing)))
    params = dict(job.params)
    params["mapping"] = {str(k): v for k, v in mapping.items()}
    job.params = params
    job.save(update_fields=["params"])
    from sentra.core.importing.kinds import normalise_header

    remembered = remembered_mapping(actor, kind.key)
    for index, header in enumerate(params["headers"]):
        norm = normalise_header(header)
        if norm:
            remembered[norm] = mapping.get(index, "")
    ImportMapping.objects.update_or_create(user=actor, kind=kind.key, defaults={"mapping": remembered})
    return job


def import_preview(*, actor: Any, job: Job) -> list[Any]:
    kind = get_kind(job.params["import_kind"])
    layout = Layout.from_params(job.params)
    ctx = ImportContext(user=actor, kind=kind, options=job.params.get("options", {}))
    with local_copy(job.input_file) as path:
        table = inspect_file(path, job.params["filename"])
        return preview(table, layout, ctx)


def import_commit(*, actor: Any, job: Job, partial: bool = False) -> Job:
    params = dict(job.params)
    params["partial"] = bool(partial)
    job.params = params
    return job_start(actor=actor, job=job)


def run_import_job(ctx: JobContext) -> dict[str, Any]:
    """The job handler: the same ``run_import`` as the CLI, with progress written to the job row."""
    job = ctx.job
    params = job.params
    kind = get_kind(params["import_kind"])

    def progress(done: int, total: int | None, phase: str | None) -> None:
        ctx.progress(done, total, phase=phase, force=phase is not None)

    with local_copy(job.input_file) as path:
        try:
            outcome = run_import(
                path=path,
                filename=params["filename"],
                kind=kind,
                user=ctx.user,
                layout=Layout.from_params(params),
                partial=bool(params.get("partial")),
                options=params.get("options", {}),
                progress=progress,
            )
        except FileRefused as exc:
            raise JobError(exc.message) from None
    result = outcome.as_result()
    if outcome.error_path is not None:
        with open(outcome.error_path, "rb") as fh:
            job.error_file.save(f"baris-ditolak-{job.pk}.xlsx", ContentFile(fh.read()), save=False)
        outcome.error_path.unlink(missing_ok=True)
    result["messages"] = outcome.messages[:200]
    if outcome.refused:
        raise JobError(outcome.refused, result=result)
    return result


def import_job_is_draft(job: Job) -> bool:
    return job.kind == "import" and job.state == JobState.DRAFT
