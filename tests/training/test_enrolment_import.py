"""Enrolling a class from a list (file or the class page's paste box): the same import kind, the quota and the
waiting list, new people registered in the class's region, idempotent re-import, officers only."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import
from sentra.core.models import AuditEvent, Job, JobState
from sentra.registry.models import Owner
from sentra.training.choices import BatchStatus, ParticipantStatus
from sentra.training.imports import PASTE_MAX_LINES, pasted_list_csv
from sentra.training.models import Participant
from tests.core.importing_helpers import csv_bytes
from tests.registry.factories import OwnerFactory, make_nik
from tests.training.factories import make_batch, make_participant

pytestmark = pytest.mark.django_db


def _csv(tmp_path, rows, header=("NIK", "Nama", "No HP")):
    path = tmp_path / "peserta.csv"
    path.write_bytes(csv_bytes([list(header), *rows]))
    return path


def _run(path, user, batch, **kwargs):
    return run_import(
        path=path,
        filename=path.name,
        kind=get_kind("training_enrolment"),
        user=user,
        options={"batch": str(batch.pk)},
        error_dir=path.parent,
        **kwargs,
    )


def _statuses(batch):
    return dict(Participant.objects.filter(batch=batch).values_list("owner__full_name", "status"))


def test_a_list_enrols_known_and_new_people_within_the_quota_then_the_waiting_list(tmp_path, officer_region_a):
    batch = make_batch(quota=3)
    make_participant(batch, name="Sudah Ada")  # one seat taken
    known = OwnerFactory(full_name="Wa Ode Sitti", phone="0812-3456-0001", nik=None)
    by_nik = OwnerFactory(full_name="La Ode Budi")
    rows = [
        ["", "WA ODE SITTI", "+62 812 3456 0001"],  # found by name and phone, however typed
        [by_nik.nik, "", ""],  # found by NIK
        [make_nik(901), "Andi Baru", "0813-1111-2222"],  # new, with NIK
        ["", "Rina Baru", "0813-1111-3333"],  # new, without NIK
    ]
    outcome = _run(_csv(tmp_path, rows), officer_region_a, batch)
    assert outcome.committed and outcome.stats.created == 4, outcome.messages
    assert _statuses(batch) == {
        "Sudah Ada": ParticipantStatus.ACCEPTED,
        "Wa Ode Sitti": ParticipantStatus.ACCEPTED,
        "La Ode Budi": ParticipantStatus.ACCEPTED,
        "Andi Baru": ParticipantStatus.WAITLISTED,
        "Rina Baru": ParticipantStatus.WAITLISTED,
    }
    assert Participant.objects.get(batch=batch, owner=known).owner_id == known.pk
    # New people are registry owners in the class's regency/city, through the registry service (audited).
    andi, rina = Owner.objects.get(full_name="Andi Baru"), Owner.objects.get(full_name="Rina Baru")
    assert (andi.region_id, andi.nik, rina.region_id, rina.nik) == ("74.71", make_nik(901), "74.71", None)
    assert AuditEvent.objects.filter(action="registry.owner.created", object_id=str(andi.pk)).exists()
    waiting = Participant.objects.filter(batch=batch, status=ParticipantStatus.WAITLISTED).order_by("decided_at", "id")
    assert [p.owner.full_name for p in waiting] == ["Andi Baru", "Rina Baru"]  # the order of the file


def test_the_same_list_twice_changes_nothing(tmp_path, officer_region_a):
    batch = make_batch(quota=2)
    rows = [[make_nik(n), f"Peserta {n}", f"0813-2222-{n:04d}"] for n in range(1, 5)]
    path = _csv(tmp_path, rows)
    assert _run(path, officer_region_a, batch).stats.created == 4
    before = (list(Participant.objects.order_by("id").values()), Owner.objects.count(), AuditEvent.objects.count())
    again = _run(path, officer_region_a, batch)
    assert again.committed and (again.stats.created, again.stats.unchanged) == (0, 4)
    after = (list(Participant.objects.order_by("id").values()), Owner.objects.count(), AuditEvent.objects.count())
    assert after == before
    # Without NIKs too: found by name and phone the second time.
    rows = [["", f"Tanpa NIK {n}", f"0813-3333-{n:04d}"] for n in range(3)]
    path = _csv(tmp_path, rows)
    assert _run(path, officer_region_a, batch).stats.created == 3
    assert _run(path, officer_region_a, batch).stats.unchanged == 3


def test_bad_rows_are_reported_and_all_or_nothing_writes_nothing(tmp_path, officer_region_a, officer_region_b):
    batch = make_batch()
    elsewhere = OwnerFactory(region_id="74.72", nik=make_nik(5, regency="7472"))
    rows = [
        [make_nik(11), "Benar Satu", ""],
        ["", "Hanya Nama", ""],  # neither NIK nor a phone
        [make_nik(12), "", ""],  # new NIK without a name
        [elsewhere.nik, "", ""],  # a NIK registered outside the officer's scope: neutral message
        ["123", "NIK Pendek", ""],
        [make_nik(11), "Benar Satu", ""],  # the same person twice
    ]
    outcome = _run(_csv(tmp_path, rows), officer_region_a, batch)
    assert not outcome.committed and Participant.objects.filter(batch=batch).count() == 0
    texts = {m["line"]: m["text"] for m in outcome.messages}
    assert texts[3] == "Isi NIK, atau nama dan No HP."
    assert "isi nama" in texts[4]
    assert "tidak dapat dipakai" in texts[5] and elsewhere.full_name not in texts[5]
    assert "NIK" in texts[6]
    assert "Sama dengan baris 2" in texts[7]
    partial = _run(_csv(tmp_path, rows), officer_region_a, batch, partial=True)
    assert partial.committed and partial.stats.created == 1 and partial.rejected == 5
    sheet = CalamineWorkbook.from_path(str(partial.error_path)).get_sheet_by_index(0).to_python()
    assert [int(r[-1]) for r in sheet[1:]] == [3, 4, 5, 6, 7]


def test_a_finished_class_and_another_region_are_refused(tmp_path, officer_region_a, officer_region_b):
    from django.core.exceptions import PermissionDenied

    from sentra.core.importing.readers import FileRefused

    batch = make_batch(status=BatchStatus.COMPLETED)
    path = _csv(tmp_path, [[make_nik(1), "Siapa Saja", ""]])
    with pytest.raises(FileRefused, match="sudah selesai"):
        _run(path, officer_region_a, batch)
    with pytest.raises(PermissionDenied):
        _run(path, officer_region_b, make_batch())
    assert Participant.objects.count() == 0


def test_the_preview_says_who_is_accepted_and_who_waits(client, officer_region_a):
    batch = make_batch(quota=1)
    client.force_login(officer_region_a)
    response = client.post(
        reverse("training:participant_paste", args=[batch.pk]),
        {"daftar": "Nama\tNo HP\nAni Tempel\t0812-1111-0001\nBudi Tempel\t0812-1111-0002\n"},
    )
    job = Job.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == reverse("core:import_preview", args=[job.pk])
    assert job.params["import_kind"] == "training_enrolment" and job.params["options"] == {"batch": str(batch.pk)}
    body = client.get(response["Location"]).content.decode()
    assert "Orang baru: dicatat di registri; diterima." in body
    assert "kuota penuh: masuk daftar tunggu" in body
    assert Participant.objects.count() == 0  # nothing before the officer confirms


def test_paste_box_goes_through_the_same_import(client, officer_region_a, django_capture_on_commit_callbacks):
    batch = make_batch(quota=25)
    lines = [f"{n}. Peserta Tempel {n} - 0812 7000 {n:04d}" for n in range(1, 31)]  # as pasted from WhatsApp
    client.force_login(officer_region_a)
    response = client.post(reverse("training:participant_paste", args=[batch.pk]), {"daftar": "\n".join(lines)})
    job = Job.objects.latest("id")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {"mode": "all"})
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.errors
    assert job.result["created"] == 30
    statuses = list(Participant.objects.filter(batch=batch).values_list("status", flat=True))
    assert statuses.count(ParticipantStatus.ACCEPTED) == 25 and statuses.count(ParticipantStatus.WAITLISTED) == 5
    page = client.get(job.get_absolute_url()).content.decode()
    assert reverse("training:batch_detail", args=[batch.pk]) in page  # the result links back to the class
    assert "25 dari kuota 25 diterima, 5 di daftar tunggu" in page


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("Budi Santoso\t0812-3456-7890", [["", "Budi Santoso", "0812-3456-7890"]]),
        ("Budi Santoso, 0812 3456 7890", [["", "Budi Santoso", "0812 3456 7890"]]),
        ("7471031207850001", [["7471031207850001", "", ""]]),
        ("7471 0312 0785 0001\tBudi", [["7471031207850001", "Budi", ""]]),
        ("1) Budi Santoso 081234567890", [["", "Budi Santoso", "081234567890"]]),
        ("No HP\tNama\n0812-1\tX", [[], ["", "0812-1", ""]]),  # header row blanked; a short number is no phone
    ],
)
def test_pasted_lines_are_read_as_nik_or_name_and_phone(text, rows):
    import csv

    read = list(csv.reader(io.StringIO(pasted_list_csv(text).decode())))
    assert read[0] == ["NIK", "Nama", "No HP"]
    assert read[1:] == rows


def test_a_bad_paste_is_refused_with_a_message(client, officer_region_a):
    batch = make_batch()
    client.force_login(officer_region_a)
    url = reverse("training:participant_paste", args=[batch.pk])
    for text, message in (("  \n ", "Tempel minimal satu baris"), ("x\n" * (PASTE_MAX_LINES + 1), "Paling banyak")):
        response = client.post(url, {"daftar": text}, follow=True)
        assert message in response.content.decode()
    assert not Job.objects.exists()


def test_only_officers_of_the_class_see_and_use_the_paste_box(client, officer_region_a, officer_region_b, owner_user):
    batch = make_batch()
    client.force_login(officer_region_a)
    assert 'data-testid="paste-form"' in client.get(batch.get_absolute_url()).content.decode()
    trainer = _trainer()
    batch.trainers.add(trainer)
    client.force_login(trainer)
    page = client.get(batch.get_absolute_url())
    assert page.status_code == 200 and 'data-testid="paste-form"' not in page.content.decode()
    url = reverse("training:participant_paste", args=[batch.pk])
    assert client.post(url, {"daftar": "Budi, 0812-3456-7890"}).status_code == 404
    client.force_login(officer_region_b)
    assert client.post(url, {"daftar": "Budi, 0812-3456-7890"}).status_code == 404
    client.force_login(owner_user)
    assert client.post(url, {"daftar": "Budi, 0812-3456-7890"}).status_code == 404
    assert not Job.objects.exists()


def _trainer():
    from sentra.accounts.roles import Role
    from tests.accounts.factories import UserFactory

    return UserFactory(username="pelatih_enrol", role=Role.TRAINER, region_id="74.71")


def test_the_enrolment_upload_page_preselects_the_class(client, officer_region_a):
    batch = make_batch(status=BatchStatus.OPEN)
    client.force_login(officer_region_a)
    body = client.get(reverse("training:enrolment_import") + f"?batch={batch.pk}").content.decode()
    assert f'<option value="{batch.pk}" selected>' in body


def test_the_cli_enrols_with_batch(tmp_path, officer_region_a):
    batch = make_batch(quota=1)
    path = _csv(tmp_path, [[make_nik(31), "Satu", ""], [make_nik(32), "Dua", ""]])
    out = io.StringIO()
    call_command(
        "import",
        "training_enrolment",
        str(path),
        "--batch",
        str(batch.pk),
        "--user",
        officer_region_a.username,
        stdout=out,
    )
    assert "2 baru" in out.getvalue()
    assert sorted(_statuses(batch).values()) == [ParticipantStatus.ACCEPTED, ParticipantStatus.WAITLISTED]


def test_the_template_and_the_suggested_mapping(client, officer_region_a):
    from sentra.core.importing.engine import suggest_mapping

    kind = get_kind("training_enrolment")
    assert suggest_mapping(["No", "Nama Lengkap", "No. WA", "NIK Peserta", "L/P"], kind) == {
        1: "name",
        2: "phone",
        3: "nik",
        4: "gender",
    }
    client.force_login(officer_region_a)
    response = client.get(reverse("core:import_template") + "?jenis=training_enrolment")
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    assert sheet.to_python()[0] == ["NIK", "Nama", "No HP", "Jenis kelamin"]


def test_preview_rows_are_the_pasted_lines(client, officer_region_a):
    batch = make_batch()
    client.force_login(officer_region_a)
    text = "Nama\tNo HP\nAni Tempel\t0812-1111-0001\n\nHanya Nama\nBudi Tempel\t0812-1111-0002"
    response = client.post(reverse("training:participant_paste", args=[batch.pk]), {"daftar": text})
    body = client.get(response["Location"]).content.decode()
    lines = re.findall(r'<tr class="[^"]*" data-ok="(\d)">\s*<td>(\d+)</td>', body)
    assert lines == [("1", "2"), ("0", "4"), ("1", "5")]  # line 3 of the paste is blank
