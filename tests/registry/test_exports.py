"""Exports of the registry lists : what the page shows, typed cells, scope, large exports as jobs."""

from __future__ import annotations

import datetime as dt
import io
import random

import openpyxl
import pytest
from django.urls import reverse

from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import
from sentra.core.models import AuditEvent, Job, JobState
from sentra.demo import registry as demo_registry
from sentra.demo import users as demo_users
from sentra.demo.context import DemoContext
from sentra.registry.models import Business
from tests.registry.factories import BusinessFactory, OwnerFactory

pytestmark = pytest.mark.django_db


def _xlsx(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(openpyxl.load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True))


def test_xlsx_export_keeps_numbers_and_dates_and_the_scope(client, officer_region_a):
    BusinessFactory(name="Mebel Kendari", region_id="74.71")
    BusinessFactory(name="Mebel Baubau", region_id="74.72", district_id="74.72.01", village_id=None)
    client.force_login(officer_region_a)
    response = client.get(reverse("registry:business_export") + "?format=xlsx")
    assert response["Content-Disposition"].startswith('attachment; filename="usaha-ikm-')
    rows = _xlsx(response)
    header = rows[0]
    assert header[:2] == ("NIB", "Nama usaha")
    assert [r[1] for r in rows[1:]] == ["Mebel Kendari"]
    row = dict(zip(header, rows[1], strict=True))
    assert row["Hasil penjualan per tahun (Rp)"] == 400000000 and isinstance(row["Tenaga kerja laki-laki"], int | float)
    assert isinstance(row["Terakhir diubah"], dt.datetime)
    assert row["Kode wilayah"] == "74.71.03.1002" and row["Klasifikasi industri"] == "Industri Kecil"


def test_csv_export_follows_the_list_filters_and_defuses_formulas(client, officer_region_a):
    BusinessFactory(name='=HYPERLINK("http://x")')
    BusinessFactory(name="Roti Enak")
    BusinessFactory(name="Kopi Pagi")
    client.force_login(officer_region_a)
    response = client.get(reverse("registry:business_export") + "?format=csv&q=Roti")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffNIB,Nama usaha")
    assert "Roti Enak" in text and "Kopi Pagi" not in text
    everything = b"".join(client.get(reverse("registry:business_export") + "?format=csv").streaming_content).decode()
    assert "'=HYPERLINK" in everything


def test_officer_cannot_export_another_region(client, officer_region_b):
    BusinessFactory(name="Mebel Kendari", region_id="74.71")
    client.force_login(officer_region_b)
    rows = _xlsx(client.get(reverse("registry:business_export") + "?format=xlsx&region=74.71"))
    assert rows[1:] == []


def test_owner_export_masks_personal_data(client, officer_region_a):
    OwnerFactory(full_name="Siti Aminah", nik="7471035507900002", phone="+6281234567890")
    client.force_login(officer_region_a)
    rows = _xlsx(client.get(reverse("registry:owner_export") + "?format=xlsx"))
    assert rows[1][0] == "Siti Aminah" and rows[1][1] == "7471********0002" and "*" in rows[1][3]


def test_business_owners_cannot_export(client, owner_user):
    client.force_login(owner_user)
    assert client.get(reverse("registry:business_export")).status_code == 403


def test_large_exports_run_as_a_job(client, officer_region_a, settings, django_capture_on_commit_callbacks):
    settings.SENTRA_EXPORT_INLINE_ROWS = 2
    for i in range(5):
        BusinessFactory(name=f"Usaha {i}")
    client.force_login(officer_region_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("registry:business_export") + "?format=csv&q=Usaha")
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.result == {"rows": 5, "format": "csv"}
    page = client.get(job.get_absolute_url()).content.decode()
    assert "5 baris diekspor" in page and "Unduh hasil" in page
    download = client.get(reverse("core:job_download", args=[job.pk, "hasil"]))
    assert b"".join(download.streaming_content).decode("utf-8").count("\n") == 6


def test_export_query_count_does_not_grow(client, officer_region_a, django_assert_max_num_queries):
    for _i in range(30):
        BusinessFactory()
    client.force_login(officer_region_a)
    with django_assert_max_num_queries(12):
        client.get(reverse("registry:business_export") + "?format=xlsx")


def test_the_demos_own_export_imports_back_with_no_change(client, national_admin, tmp_path):
    ctx = DemoContext(rng=random.Random(3), log=lambda _m: None)
    demo_users.load_users(ctx)
    demo_registry.load_registry(ctx)
    before = list(Business.objects.order_by("id").values())
    client.force_login(national_admin)
    path = tmp_path / "ekspor.xlsx"
    response = client.get(reverse("registry:business_export") + "?format=xlsx")
    path.write_bytes(b"".join(response.streaming_content))
    events = AuditEvent.objects.count()  # after the export, which is itself an audit event
    outcome = run_import(
        path=path, filename=path.name, kind=get_kind("business"), user=national_admin, error_dir=tmp_path
    )
    assert outcome.committed, outcome.messages[:5]
    assert outcome.stats.created == 0 and outcome.stats.updated == 0
    assert outcome.stats.unchanged == len(before)
    assert list(Business.objects.order_by("id").values()) == before
    assert AuditEvent.objects.count() == events
