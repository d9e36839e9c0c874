"""The attendance-and-scores sheet import (on the import engine of docs/importing.md).

One row per participant, found by NIK among the accepted participants of the chosen batch: a column per
training day (``Hari 1`` … ``Hari 14``; ``H``/``hadir``/``1``/``v`` = present, ``A``/``I``/``S``/``tidak``/``0`` =
absent, empty = leave as stored), and the pre-test and post-test scores. Writes go through the training
services, so every change is audited and an unchanged row changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.importing import Column, CommitStats, ImportContext, ImportKind, RowError, cells, register_kind

MAX_DAYS = 14
PRESENT = {
    "h": "1",
    "hadir": "1",
    "1": "1",
    "v": "1",
    "✓": "1",
    "x": "1",
    "ya": "1",
    "y": "1",
    "present": "1",
    "a": "0",
    "alpa": "0",
    "alpha": "0",
    "absen": "0",
    "i": "0",
    "izin": "0",
    "s": "0",
    "sakit": "0",
    "tidak": "0",
    "tidak hadir": "0",
    "0": "0",
    "absent": "0",
}


def _score_parser() -> Any:
    base = cells.number(min_value=0, max_digits=5, decimal_places=2)

    def parse(value: Any) -> Any:
        from django.core.exceptions import ValidationError

        result = base(value)
        if result is not None and result > 100:
            raise ValidationError(_("Nilai paling besar 100."), code="max")
        return result

    return parse


DAY_COLUMNS = tuple(
    Column(
        f"day{n}",
        f"Hari {n}",
        (f"h{n}", f"hari ke {n}", f"hari ke-{n}", f"day {n}", f"d{n}"),
        cells.choice(PRESENT, label=f"Hari {n}"),
        example="H" if n <= 6 else "",
        help=_("H = hadir; A/I/S = tidak hadir; kosong = tidak diubah.") if n == 1 else "",
    )
    for n in range(1, MAX_DAYS + 1)
)


class AttendanceScoresImport(ImportKind):
    key = "training_attendance"
    label = gettext_lazy("Presensi dan nilai peserta pelatihan")
    permission = "training.change_participant"
    list_url_name = "training:batch_list"
    natural_key_help = gettext_lazy(
        "Peserta dikenali dari NIK di antara peserta yang diterima pada kelas yang dipilih."
    )
    columns = (
        Column(
            "nik",
            "NIK",
            ("no ktp", "nomor induk kependudukan", "nik peserta"),
            cells.digits(16, label="NIK"),
            required=True,
            example="7471031207850001",
            help=_("16 angka; format kolom sebagai Teks di Excel."),
        ),
        Column("name", "Nama peserta", ("nama", "name", "nama lengkap"), cells.text(150), example="Wa Ode Sitti"),
        *DAY_COLUMNS,
        Column("pre_test", "Pre-test", ("pretest", "nilai pre test", "nilai awal"), _score_parser(), example="45"),
        Column("post_test", "Post-test", ("posttest", "nilai post test", "nilai akhir"), _score_parser(), example="80"),
    )

    def option_fields(self, user: Any) -> dict[str, Any]:
        from django import forms

        from sentra.training.models import Batch, BatchStatus

        batches = (
            Batch.objects.visible_to(user, "change")
            .exclude(status=BatchStatus.CANCELLED)
            .order_by("-start_date", "-id")
            .values_list("pk", "name")[:200]
        )
        return {
            "batch": forms.ChoiceField(
                label=_("Kelas pelatihan"), choices=[(str(pk), name) for pk, name in batches], required=True
            )
        }

    def start(self, ctx: ImportContext) -> None:
        from sentra.training.models import Batch, Participant, ParticipantStatus

        batch_id = ctx.options.get("batch")
        batch = Batch.objects.filter(pk=batch_id).first() if batch_id else None
        if batch is None or (
            ctx.user is not None and not Batch.objects.visible_to(ctx.user, "change").filter(pk=batch.pk).exists()
        ):
            raise PermissionDenied(_("Kelas pelatihan tidak ditemukan atau di luar cakupan Anda."))
        ctx.cache["batch"] = batch
        ctx.cache["days"] = {d.number: d for d in batch.days.all()}
        ctx.cache["participants"] = {
            p.owner.nik: p
            for p in Participant.objects.filter(batch=batch, status=ParticipantStatus.ACCEPTED).select_related(
                "owner", "certificate"
            )
            if p.owner.nik
        }

    def clean_row(self, row: dict[str, Any], ctx: ImportContext) -> dict[str, Any]:
        batch = ctx.cache["batch"]
        participant = ctx.cache["participants"].get(row["nik"])
        if participant is None:
            raise RowError({"nik": _("NIK ini bukan peserta yang diterima di kelas {name}.").format(name=batch.name)})
        errors = {}
        days = ctx.cache["days"]
        for n in range(1, MAX_DAYS + 1):
            if row.get(f"day{n}") is not None and n not in days:
                errors[f"day{n}"] = _("Kelas ini hanya {count} hari.").format(count=len(days))
        if getattr(participant, "certificate", None) is not None:
            errors[""] = _("Sertifikat {name} sudah terbit; presensi dan nilai tidak dapat diubah.").format(
                name=participant.owner.full_name
            )
        if errors:
            raise RowError(errors)
        row["participant_id"] = participant.pk
        row["region"] = batch.region_id
        return row

    def natural_key(self, row: dict[str, Any]) -> Any:
        return row["nik"]

    def row_notes(self, row: dict[str, Any]) -> list[str]:
        return []

    def commit(self, rows: list[dict[str, Any]], ctx: ImportContext) -> CommitStats:
        from sentra.training import services
        from sentra.training.models import Attendance, Participant

        stats = CommitStats()
        days = ctx.cache["days"]
        participants = {
            p.pk: p
            for p in Participant.objects.filter(pk__in=[r["participant_id"] for r in rows]).select_related(
                "batch", "owner"
            )
        }
        marks = {
            (a.participant_id, a.day_id): a.present
            for a in Attendance.objects.filter(participant_id__in=participants.keys())
        }
        for row in rows:
            participant = participants[row["participant_id"]]
            changed = False
            for n, day in days.items():
                value = row.get(f"day{n}")
                if value is None:
                    continue
                present = value == "1"
                if marks.get((participant.pk, day.pk)) != present:
                    services.attendance_set(actor=ctx.user, participant=participant, day=day, present=present)
                    changed = True
            pre = row.get("pre_test") if row.get("pre_test") is not None else participant.pre_test
            post = row.get("post_test") if row.get("post_test") is not None else participant.post_test
            if (pre, post) != (participant.pre_test, participant.post_test):
                services.scores_set(actor=ctx.user, participant=participant, pre_test=pre, post_test=post)
                changed = True
            if changed:
                stats.updated += 1
            else:
                stats.unchanged += 1
        return stats


def register() -> None:
    register_kind(AttendanceScoresImport())
