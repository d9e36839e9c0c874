"""Helpers shared by the import/export/job tests: small files built in the test, and a draft import job."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import xlsxwriter
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from sentra.core.models import Job, JobState

HEADER = ["Nama Usaha", "Alamat", "KBLI", "Tenaga Kerja Laki-laki", "Omzet"]


def csv_bytes(rows: list[list[Any]], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def good_rows(n: int, *, region: str = "Kota Kendari", start: int = 0) -> list[list[Any]]:
    return [
        [
            f"CV Usaha Uji {i}",
            f"Jl. Uji No. {i}, Kel. Lepo Lepo, Kec. Baruga, {region}",
            "31001",
            str(i % 9 + 1),
            "12.500.000",
        ]
        for i in range(start, start + n)
    ]


def xlsx_bytes(path: Path, rows: list[list[Any]], *, title_rows: list[str] = ()) -> bytes:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data")
    r = 0
    for title in title_rows:
        sheet.merge_range(r, 0, r, 4, title)
        r += 1
    for row in rows:
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
        r += 1
    workbook.close()
    return path.read_bytes()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def draft_import_job(user: Any, rows: list[list[Any]] | None = None) -> Job:
    from sentra.core.importing.service import import_upload

    content = csv_bytes([HEADER, *(rows if rows is not None else good_rows(3))])
    job = import_upload(actor=user, kind_key="business", upload=upload("usaha.csv", content))
    assert job.state == JobState.DRAFT
    return job


def finished_job_with_files(user: Any) -> Job:
    job = Job.objects.create(user=user, kind="import", title="Impor uji", state=JobState.FAILED, params={})
    job.error_file.save("baris-ditolak.xlsx", ContentFile(b"PK-test"), save=False)
    job.result_file.save("hasil.xlsx", ContentFile(b"PK-test"), save=True)
    return job
