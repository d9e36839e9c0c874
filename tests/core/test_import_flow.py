"""The web import flow: upload → mapping → preview → commit as a job → result and rejected-rows file."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from sentra.core.models import ImportMapping, Job, JobState
from sentra.registry.models import Business
from tests.core.importing_helpers import HEADER, csv_bytes, good_rows, upload

pytestmark = pytest.mark.django_db


def _upload(client, rows, name="usaha.csv", **extra):
    response = client.post(reverse("registry:business_import"), {"file": upload(name, csv_bytes(rows)), **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.latest("id")


def _commit(client, job, django_capture_on_commit_callbacks, mode="all"):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:import_preview", args=[job.pk]), {"mode": mode})
    assert response.status_code == 302
    job.refresh_from_db()
    return job


def test_the_whole_flow(client, officer_region_a, django_capture_on_commit_callbacks):
    client.force_login(officer_region_a)
    page = client.get(reverse("registry:business_import"))
    assert page.status_code == 200 and "Unduh templat XLSX" in page.content.decode()
    job = _upload(client, [HEADER, *good_rows(5)])
    assert job.state == JobState.DRAFT
    mapping = client.get(reverse("core:import_map", args=[job.pk]))
    body = mapping.content.decode()
    assert 'value="name" selected' in body and 'value="turnover" selected' in body  # suggested from the headers
    response = client.post(
        reverse("core:import_map", args=[job.pk]),
        {"col_0": "name", "col_1": "address", "col_2": "kbli", "col_3": "workforce_male", "col_4": "turnover"},
    )
    assert response.status_code == 302
    preview = client.get(reverse("core:import_preview", args=[job.pk]))
    assert preview.status_code == 200
    assert "5 baris pertama benar" in preview.content.decode()
    assert "keyakinan tinggi" in preview.content.decode()
    job = _commit(client, job, django_capture_on_commit_callbacks)
    assert job.state == JobState.SUCCEEDED, job.errors
    assert job.result["created"] == 5 and Business.objects.count() == 5
    detail = client.get(job.get_absolute_url())
    assert "5 baru" in detail.content.decode()
    assert 'hx-trigger="every 1s"' not in detail.content.decode()  # finished: no more polling
    assert ImportMapping.objects.get(user=officer_region_a, kind="business").mapping["omzet"] == "turnover"


def test_mapping_is_remembered_per_user_and_kind(client, officer_region_a):
    client.force_login(officer_region_a)
    job = _upload(client, [["Perusahaan X", "Lokasi X", "Kode Produk"], ["A", "Kota Kendari", "31001"]])
    client.post(reverse("core:import_map", args=[job.pk]), {"col_0": "name", "col_1": "address", "col_2": "kbli"})
    again = _upload(client, [["Perusahaan X", "Lokasi X", "Kode Produk"], ["B", "Kota Kendari", "31001"]])
    assert again.params["mapping"] == {"0": "name", "1": "address", "2": "kbli"}


def test_required_columns_must_be_mapped(client, officer_region_a):
    client.force_login(officer_region_a)
    job = _upload(client, [HEADER, *good_rows(1)])
    response = client.post(reverse("core:import_map", args=[job.pk]), {"col_1": "address"})
    assert response.status_code == 200
    assert "Kolom wajib belum dipetakan: Nama usaha" in response.content.decode()


def test_exactly_ten_bad_rows_are_reported_and_nothing_is_written(
    client, officer_region_a, django_capture_on_commit_callbacks
):
    client.force_login(officer_region_a)
    rows = good_rows(40)
    bad_lines = []
    for n, i in enumerate(range(2, 40, 4)[:10]):
        rows[i] = list(rows[i])
        rows[i][4 if n % 2 else 2] = "banyak sekali" if n % 2 else "999"  # bad turnover / unknown-length KBLI
        bad_lines.append(i + 2)  # header is line 1
    job = _upload(client, [HEADER, *rows])
    preview = client.get(reverse("core:import_preview", args=[job.pk]))
    assert 'data-testid="cell-error"' in preview.content.decode()
    job = _commit(client, job, django_capture_on_commit_callbacks)
    assert job.state == JobState.FAILED
    assert "10 dari 40 baris bermasalah" in job.errors[0]
    assert sorted(m["line"] for m in job.result["messages"]) == bad_lines
    assert Business.objects.count() == 0
    # The rejected rows come back as an XLSX with an error column, ready to fix and re-upload.
    response = client.get(reverse("core:job_download", args=[job.pk, "ditolak"]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = workbook.active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][: len(HEADER)] == tuple(HEADER) and values[0][len(HEADER)] == "Keterangan galat"
    assert len(values) == 11 and [v[len(HEADER) + 1] for v in values[1:]] == bad_lines
    assert all(v[len(HEADER)] for v in values[1:])


def test_partial_mode_saves_the_valid_rows(client, officer_region_a, django_capture_on_commit_callbacks):
    client.force_login(officer_region_a)
    rows = good_rows(6)
    rows[1] = [*rows[1][:4], "bukan angka"]
    job = _upload(client, [HEADER, *rows])
    job = _commit(client, job, django_capture_on_commit_callbacks, mode="partial")
    assert job.state == JobState.SUCCEEDED
    assert job.result["created"] == 5 and job.result["rejected"] == 1 and job.error_file
    assert Business.objects.count() == 5


def test_reimporting_the_same_file_changes_nothing(client, officer_region_a, django_capture_on_commit_callbacks):
    from sentra.core.models import AuditEvent

    client.force_login(officer_region_a)
    content = [HEADER, *good_rows(8)]
    _commit(client, _upload(client, content), django_capture_on_commit_callbacks)
    before = list(Business.objects.order_by("id").values())
    events = AuditEvent.objects.count()
    job = _commit(client, _upload(client, content), django_capture_on_commit_callbacks)
    assert job.result["created"] == 0 and job.result["updated"] == 0 and job.result["unchanged"] == 8
    assert list(Business.objects.order_by("id").values()) == before
    assert AuditEvent.objects.count() == events


def test_officer_cannot_import_into_another_region(client, officer_region_a, django_capture_on_commit_callbacks):
    """A file with any row outside the officer's regency/city is refused whole (STYLE D.5)."""
    client.force_login(officer_region_a)
    rows = [*good_rows(3), *good_rows(1, region="Kota Baubau", start=10)]
    job = _commit(client, _upload(client, [HEADER, *rows]), django_capture_on_commit_callbacks, mode="partial")
    assert job.state == JobState.FAILED
    assert "di luar wilayah kewenangan Anda" in job.errors[0]
    assert Business.objects.count() == 0


def test_owners_cannot_import(client, owner_user):
    client.force_login(owner_user)
    assert client.get(reverse("registry:business_import")).status_code == 403


def test_hostile_upload_shows_the_message_and_keeps_nothing(client, officer_region_a):
    client.force_login(officer_region_a)
    response = client.post(reverse("registry:business_import"), {"file": upload("x.xlsm", b"PK\x03\x04")})
    assert response.status_code == 200
    assert "makro" in response.content.decode()
    assert Job.objects.count() == 0


def test_template_download(client, officer_region_a):
    client.force_login(officer_region_a)
    response = client.get(reverse("core:import_template") + "?jenis=business")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[:2] == ["Data", "Petunjuk"] and "Kode KBLI" in workbook.sheetnames
    header = [c.value for c in workbook["Data"][1]]
    assert header[:2] == ["NIB", "Nama usaha"] and workbook["Data"]["B2"].value
    assert client.get(reverse("core:import_template") + "?jenis=nope").status_code == 404


def test_the_template_imports_back(client, officer_region_a, tmp_path, django_capture_on_commit_callbacks):
    client.force_login(officer_region_a)
    response = client.get(reverse("core:import_template") + "?jenis=business")
    content = b"".join(response.streaming_content)
    response = client.post(reverse("registry:business_import"), {"file": upload("templat.xlsx", content)})
    job = Job.objects.latest("id")
    job = _commit(client, job, django_capture_on_commit_callbacks)
    assert job.state == JobState.SUCCEEDED, (job.errors, job.result)
    business = Business.objects.get()
    assert business.name == "Mebel Jati Lestari" and business.village_id == "74.71.03.1002"


@pytest.mark.django_db(transaction=True)
def test_progress_advances_while_the_rows_are_written(officer_region_a, monkeypatch, settings, client):
    """The write runs in one transaction (SQLite's write lock is held): progress still reaches the job page."""
    import time

    from sentra.core.jobs import job_start
    from sentra.registry.imports import BusinessImport
    from tests.core.importing_helpers import draft_import_job

    settings.SENTRA_IMPORT_BATCH_SIZE = 2
    job = draft_import_job(officer_region_a, good_rows(8))
    client.force_login(officer_region_a)
    original = BusinessImport.commit
    seen: list[str] = []

    def watched_commit(self, rows, ctx):
        # What another process sees now: the progress fragment the page polls.
        seen.append(client.get(reverse("core:job_progress", args=[job.pk])).content.decode())
        time.sleep(0.6)  # progress is published at most twice a second
        return original(self, rows, ctx)

    monkeypatch.setattr(BusinessImport, "commit", watched_commit)
    job_start(actor=officer_region_a, job=job)  # runs at once (in-process task backend, no outer transaction)
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and Business.objects.count() == 8
    assert len(seen) == 4
    assert "2 / 8 baris" in seen[1] or "2 / 9 baris" in seen[1], seen[1][:800]
    assert ("6 / 8 baris" in seen[3] or "6 / 9 baris" in seen[3]) and 'hx-trigger="every 1s"' in seen[3]
