"""The attendance-and-scores import kind on the shared import engine (docs/importing.md)."""

from decimal import Decimal

import pytest
import xlsxwriter

from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import
from sentra.training.models import Attendance
from tests.training.factories import make_batch, make_participant

pytestmark = pytest.mark.django_db


def _sheet(path, rows):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["DAFTAR HADIR PELATIHAN"])
    headers = ["No", "Nama", "NIK", *[f"Hari {n}" for n in range(1, 7)], "Pre test", "Post test"]
    ws.write_row(2, 0, headers)
    for i, row in enumerate(rows, start=3):
        for j, value in enumerate(row):
            ws.write_string(i, j, str(value)) if j == 2 else ws.write(i, j, value)
    wb.close()
    return path


def test_sheet_fills_attendance_and_scores_and_reimport_changes_nothing(tmp_path, officer_region_a):
    batch = make_batch()
    a, b = make_participant(batch), make_participant(batch)
    path = _sheet(
        tmp_path / "hadir.xlsx",
        [
            [1, a.owner.full_name, a.owner.nik, "H", "H", "H", "H", "A", "H", "45", "80,5"],
            [2, b.owner.full_name, b.owner.nik, "H", "I", "", "H", "H", "H", 50, 70],
        ],
    )
    kind = get_kind("training_attendance")
    outcome = run_import(
        path=path, filename="hadir.xlsx", kind=kind, user=officer_region_a, options={"batch": str(batch.pk)}
    )
    assert outcome.committed and outcome.valid == 2, outcome.messages
    a.refresh_from_db()
    assert a.post_test == Decimal("80.50") and a.pre_test == Decimal(45)
    assert Attendance.objects.filter(participant=a, present=True).count() == 5
    assert Attendance.objects.filter(participant=b).count() == 5  # the empty cell left day 3 unrecorded
    again = run_import(
        path=path, filename="hadir.xlsx", kind=kind, user=officer_region_a, options={"batch": str(batch.pk)}
    )
    assert again.stats.updated == 0 and again.stats.unchanged == 2


def test_unknown_nik_and_bad_score_refuse_the_file(tmp_path, officer_region_a):
    batch = make_batch()
    a = make_participant(batch)
    path = _sheet(
        tmp_path / "salah.xlsx",
        [
            [1, a.owner.full_name, a.owner.nik, "H", "H", "H", "H", "H", "H", "45", "180"],
            [2, "Bukan Peserta", "7471030101900001", "H", "H", "H", "H", "H", "H", "45", "80"],
        ],
    )
    outcome = run_import(
        path=path,
        filename="salah.xlsx",
        kind=get_kind("training_attendance"),
        user=officer_region_a,
        options={"batch": str(batch.pk)},
        error_dir=tmp_path,
    )
    assert not outcome.committed and outcome.rejected == 2
    texts = " ".join(m["text"] for m in outcome.messages)
    assert "100" in texts and "bukan peserta" in texts
    assert not Attendance.objects.exists()


def test_batch_of_another_region_is_refused(tmp_path, officer_region_b):
    from django.core.exceptions import PermissionDenied

    batch = make_batch()
    a = make_participant(batch)
    path = _sheet(tmp_path / "x.xlsx", [[1, "x", a.owner.nik, "H", "H", "H", "H", "H", "H", "", ""]])
    with pytest.raises(PermissionDenied):
        run_import(
            path=path,
            filename="x.xlsx",
            kind=get_kind("training_attendance"),
            user=officer_region_b,
            options={"batch": str(batch.pk)},
        )


@pytest.mark.parametrize("key", ["training_attendance", "training_enrolment", "training_followup"])
def test_an_import_into_a_class_leads_back_to_that_class(key):
    from django.urls import reverse

    kind = get_kind(key)
    assert kind.result_url({"batch": "7"}) == reverse("training:batch_detail", args=["7"])
    assert kind.result_url({}) == reverse("training:batch_list")
