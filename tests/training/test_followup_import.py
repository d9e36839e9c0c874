"""The alumni follow-up import kind (``training_followup``): through ``followup_record`` (audited, noted
``impor``), the month from the contact date, re-imports unchanged, recorded follow-ups never overwritten."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from python_calamine import CalamineWorkbook

from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import, suggest_mapping
from sentra.core.models import AuditEvent
from sentra.training.models import FollowUp
from tests.core.importing_helpers import csv_bytes
from tests.training.factories import make_batch, make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    """The messages are asserted in Indonesian, whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("id"):
        yield


HEADER = ("NIK", "Nama", "Tanggal Kontak", "Bulan ke", "Omzet", "Tenaga Kerja", "Punya NIB", "Usaha Berkembang",
          "Gabung Sentra", "Nama Sentra")  # fmt: skip


def _csv(tmp_path, rows, name="tindak-lanjut.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes([list(HEADER), *rows]))
    return path


def _run(path, user, batch, **kwargs):
    return run_import(
        path=path, filename=path.name, kind=get_kind("training_followup"), user=user,
        options={"batch": str(batch.pk)}, error_dir=path.parent, **kwargs,
    )  # fmt: skip


@pytest.fixture
def alumni():
    batch = make_batch()  # ended 25-07-2022: month 3 from 22-09-2022, month 6 from 21-12-2022
    return batch, [make_participant(batch, name=f"Alumni {n}") for n in range(3)]


def test_follow_ups_are_recorded_through_the_service_and_update_the_registry(tmp_path, officer_region_a, alumni):
    batch, people = alumni
    rows = [
        [people[0].owner.nik, "", "01/10/2022", "3", "Rp 24.000.000", "4", "Ya", "Ya", "Tidak", ""],
        [people[0].owner.nik, "", "05/01/2023", "", "30.000.000", "", "ya", "", "ya", "Sentra Mebel Baruga"],
        [people[1].owner.nik, "", "01/10/2022", "", "", "", "", "", "", ""],
    ]
    outcome = _run(_csv(tmp_path, rows), officer_region_a, batch)
    assert outcome.committed and outcome.stats.created == 3, outcome.messages
    first = FollowUp.objects.get(participant=people[0], months=3)
    assert (first.turnover, first.workforce, first.nib_registered, first.grew_business) == (
        Decimal("24000000"), 4, True, True,
    )  # fmt: skip
    assert FollowUp.objects.get(participant=people[0], months=6).centre_name == "Sentra Mebel Baruga"
    assert FollowUp.objects.get(participant=people[1]).months == 3  # derived from the contact date
    event = AuditEvent.objects.get(action="training.followup.created", object_id=str(first.pk))
    assert event.note == "impor"
    business = people[0].business
    business.refresh_from_db()
    assert business.turnover == Decimal("30000000") and business.workforce_total == 4  # the registry follows


def test_the_same_file_twice_changes_nothing(tmp_path, officer_region_a, alumni):
    batch, people = alumni
    rows = [[p.owner.nik, "", "01/10/2022", "3", "24.000.000", "2", "Ya", "", "", ""] for p in people]
    path = _csv(tmp_path, rows)
    assert _run(path, officer_region_a, batch).stats.created == 3
    before = (list(FollowUp.objects.order_by("id").values()), AuditEvent.objects.count())
    again = _run(path, officer_region_a, batch)
    assert again.committed and (again.stats.created, again.stats.unchanged) == (0, 3)
    assert (list(FollowUp.objects.order_by("id").values()), AuditEvent.objects.count()) == before


def test_bad_rows_are_reported_and_all_or_nothing_writes_nothing(tmp_path, officer_region_a, alumni):
    batch, people = alumni
    other = make_participant(make_batch(), name="Kelas Lain")
    good = [people[0].owner.nik, "", "01/10/2022", "3", "", "", "", "", "", ""]
    rows = [
        good,
        [other.owner.nik, "", "01/10/2022", "3", "", "", "", "", "", ""],  # not in this class
        [people[1].owner.nik, "", "01/08/2022", "", "", "", "", "", "", ""],  # too early for any follow-up
        [people[1].owner.nik, "", "01/10/2022", "6", "", "", "", "", "", ""],  # too early for month 6
        [people[2].owner.nik, "", "01/10/2022", "5", "", "", "", "", "", ""],
        [people[2].owner.nik, "", "01/10/2022", "3", "", "", "mungkin", "", "", ""],
        [people[2].owner.nik, "", "01/10/2022", "3", "", "", "", "", "ya", ""],  # a centre without its name
        good,
    ]
    outcome = _run(_csv(tmp_path, rows), officer_region_a, batch)
    assert not outcome.committed and FollowUp.objects.count() == 0
    texts = {m["line"]: m["text"] for m in outcome.messages}
    assert "bukan peserta yang diterima" in texts[3]
    assert "mulai 22-09-2022" in texts[4]
    assert "bulan ke-6 baru dapat dicatat mulai 21-12-2022" in texts[5]
    assert "isi 3, 6 atau 12" in texts[6]
    assert "Sudah punya NIB 'mungkin' tidak dikenali" in texts[7]
    assert "nama sentra" in texts[8]
    assert "Sama dengan baris 2" in texts[9]
    partial = _run(_csv(tmp_path, rows), officer_region_a, batch, partial=True)
    assert partial.committed and partial.stats.created == 1 and partial.rejected == 7
    sheet = CalamineWorkbook.from_path(str(partial.error_path)).get_sheet_by_index(0).to_python()
    assert [int(r[-1]) for r in sheet[1:]] == [3, 4, 5, 6, 7, 8, 9]
    # A recorded follow-up is never overwritten by a file with other answers.
    changed = [people[0].owner.nik, "", "02/10/2022", "3", "", "", "", "", "", ""]
    refused = _run(_csv(tmp_path, [changed], name="b.csv"), officer_region_a, batch)
    assert not refused.committed and "tidak ditimpa" in refused.messages[0]["text"]
    assert FollowUp.objects.get(participant=people[0]).contacted_on == dt.date(2022, 10, 1)


def test_a_class_outside_the_scope_is_refused(tmp_path, officer_region_b, alumni):
    batch, people = alumni
    path = _csv(tmp_path, [[people[0].owner.nik, "", "01/10/2022", "3", "", "", "", "", "", ""]])
    with pytest.raises(PermissionDenied):
        _run(path, officer_region_b, batch)
    assert FollowUp.objects.count() == 0


def test_the_template_and_the_suggested_mapping(client, officer_region_a):
    kind = get_kind("training_followup")
    assert suggest_mapping(list(HEADER), kind) == {
        0: "nik", 1: "name", 2: "contacted_on", 3: "months", 4: "turnover", 5: "workforce", 6: "nib_registered",
        7: "grew_business", 8: "joined_centre", 9: "centre_name",
    }  # fmt: skip
    assert suggest_mapping(["ID number", "Contact date", "Turnover", "Workers", "Has NIB", "Started business"], kind) == {
        0: "nik", 1: "contacted_on", 2: "turnover", 3: "workforce", 4: "nib_registered", 5: "started_business",
    }  # fmt: skip
    client.force_login(officer_region_a)
    response = client.get(reverse("core:import_template") + "?jenis=training_followup")
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    assert sheet.to_python()[0][:3] == ["NIK", "Nama peserta", "Tanggal kontak"]
