"""The certification import kind (``quality_certification``): through the quality services, idempotent by
business, kind and number, unknown and out-of-scope NIBs answered alike, and no queries for unchanged rows."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import, suggest_mapping
from sentra.core.models import AuditEvent
from sentra.quality.models import Certification
from tests.core.importing_helpers import csv_bytes
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    """The messages are asserted in Indonesian, whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("id"):
        yield


HEADER = ("NIB", "Jenis", "Nomor Sertifikat", "Penerbit", "Tgl Terbit", "Masa Berlaku", "Produk")


def _csv(tmp_path, rows, name="sertifikat.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes([list(HEADER), *rows]))
    return path


def _run(path, user, **kwargs):
    return run_import(
        path=path, filename=path.name, kind=get_kind("quality_certification"), user=user, error_dir=path.parent,
        **kwargs,
    )  # fmt: skip


def _row(nib, n, *, issuer="BPJPH", expires="19/07/2028"):
    return [nib, "Halal", f"ID7471000012345{n:04d}", issuer, "19/07/2024", expires, "Keripik"]


@pytest.fixture
def business():
    return BusinessFactory(nib="9120001234567", region_id="74.71")


def test_certificates_are_created_through_the_service_with_their_audit(tmp_path, officer_region_a, business):
    outcome = _run(_csv(tmp_path, [_row(business.nib, 1), _row(business.nib, 2, expires="")]), officer_region_a)
    assert outcome.committed and outcome.stats.created == 2, outcome.messages
    cert = Certification.objects.get(number="ID74710000123450001")
    assert (cert.business_id, cert.kind, cert.issuer, cert.issued_on, cert.expires_on, cert.region_id) == (
        business.pk, "halal", "BPJPH", dt.date(2024, 7, 19), dt.date(2028, 7, 19), "74.71",
    )  # fmt: skip
    assert cert.created_by == officer_region_a
    assert AuditEvent.objects.filter(action="quality.certification.created", object_id=str(cert.pk)).exists()
    assert Certification.objects.get(number="ID74710000123450002").expires_on is None


def test_the_same_file_twice_changes_nothing_and_new_dates_update(tmp_path, officer_region_a, business):
    path = _csv(tmp_path, [_row(business.nib, 1), _row(business.nib, 2)])
    assert _run(path, officer_region_a).stats.created == 2
    before = (list(Certification.objects.order_by("id").values()), AuditEvent.objects.count())
    again = _run(path, officer_region_a)
    assert again.committed and (again.stats.created, again.stats.updated, again.stats.unchanged) == (0, 0, 2)
    assert (list(Certification.objects.order_by("id").values()), AuditEvent.objects.count()) == before
    changed = _run(_csv(tmp_path, [_row(business.nib, 1, issuer="MUI", expires="")], name="b.csv"), officer_region_a)
    assert (changed.stats.updated, changed.stats.unchanged) == (1, 0)
    cert = Certification.objects.get(number="ID74710000123450001")
    assert (cert.issuer, cert.expires_on) == ("MUI", dt.date(2028, 7, 19))  # an empty cell erases nothing
    event = AuditEvent.objects.get(action="quality.certification.updated", object_id=str(cert.pk))
    assert event.changes["issuer"] == ["BPJPH", "MUI"]


def test_bad_rows_are_reported_by_spreadsheet_row_and_nothing_is_written(tmp_path, officer_region_a, business):
    elsewhere = BusinessFactory(nib="9120009999999", region_id="74.72", district_id=None, village_id=None)
    other = BusinessFactory(nib="9120001111111", region_id="74.71")
    Certification.objects.create(
        business=other, region_id="74.71", kind="halal", number="ID74710000123459999", issued_on=dt.date(2024, 1, 1)
    )
    rows = [
        _row(business.nib, 1),
        _row("9120000000000", 2),  # unknown NIB
        _row(elsewhere.nib, 3),  # a business outside the officer's scope: the same answer
        [business.nib, "Sertifikat Ajaib", "X-1", "", "19/07/2024", "", ""],
        [business.nib, "Halal", "X-2", "", "19/07/2024", "01/01/2020", ""],  # expiry before issue
        [business.nib, "Halal", "", "", "19/07/2024", "", ""],  # no number
        _row(business.nib, 9999),  # the number belongs to another business
        _row(business.nib, 1),  # twice in the file
    ]
    outcome = _run(_csv(tmp_path, rows), officer_region_a)
    assert not outcome.committed and Certification.objects.count() == 1
    texts = {m["line"]: m["text"] for m in outcome.messages}
    assert "9120000000000 tidak ditemukan di wilayah kewenangan Anda" in texts[3]
    assert texts[4].replace(elsewhere.nib, "9120000000000") == texts[3]  # no existence oracle
    assert "Jenis sertifikat 'Sertifikat Ajaib' tidak dikenali" in texts[5]
    assert "tidak boleh sebelum tanggal terbit" in texts[6]
    assert "Wajib diisi" in texts[7]
    assert "sudah tercatat" in texts[8]
    assert "Sama dengan baris 2" in texts[9]
    partial = _run(_csv(tmp_path, rows), officer_region_a, partial=True)
    assert partial.committed and partial.stats.created == 1 and partial.rejected == 7
    sheet = CalamineWorkbook.from_path(str(partial.error_path)).get_sheet_by_index(0).to_python()
    assert [int(r[-1]) for r in sheet[1:]] == [3, 4, 5, 6, 7, 8, 9]


def test_an_officer_without_the_permission_is_refused(tmp_path, owner_user, business):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _run(_csv(tmp_path, [_row(business.nib, 1)]), owner_user)
    assert Certification.objects.count() == 0


def test_unchanged_rows_cost_no_query_per_row(tmp_path, officer_region_a):
    nibs = [f"91200012{n:05d}" for n in range(30)]
    for nib in nibs:
        BusinessFactory(nib=nib, region_id="74.71")

    def count(rows, name):
        path = _csv(tmp_path, rows, name=name)
        with CaptureQueriesContext(connection) as ctx:
            outcome = _run(path, officer_region_a)
        assert outcome.committed, outcome.messages
        return len(ctx.captured_queries)

    small = [_row(nib, n) for n, nib in enumerate(nibs[:3])]
    large = [_row(nib, n) for n, nib in enumerate(nibs)]
    count(large, "a.csv")
    assert count(small, "b.csv") == count(large, "c.csv")  # re-imports: lookups once per batch, no writes


def test_the_template_and_the_suggested_mapping(client, officer_region_a):
    kind = get_kind("quality_certification")
    assert suggest_mapping(["NIB", "Certificate type", "Certificate number", "Issued by", "Issue date", "Valid until"], kind) == {
        0: "nib", 1: "kind", 2: "number", 3: "issuer", 4: "issued_on", 5: "expires_on",
    }  # fmt: skip
    assert suggest_mapping(list(HEADER), kind) == {
        0: "nib", 1: "kind", 2: "number", 3: "issuer", 4: "issued_on", 5: "expires_on", 6: "scope",
    }  # fmt: skip
    client.force_login(officer_region_a)
    response = client.get(reverse("core:import_template") + "?jenis=quality_certification")
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    assert sheet.to_python()[0][:3] == ["NIB", "Jenis sertifikat", "Nomor sertifikat"]
