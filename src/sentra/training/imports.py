"""The attendance-and-scores sheet import (on the import engine of docs/importing.md).

One row per participant, found by NIK among the accepted participants of the chosen batch: a column per
training day (``Hari 1`` … ``Hari 14``; ``H``/``hadir``/``1``/``v`` = present, ``A``/``I``/``S``/``tidak``/``0`` =
absent, empty = leave as stored), and the pre-test and post-test scores. Writes go through the training
services, so every change is audited and an unchanged row changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.importing import Column, CommitStats, ImportContext, ImportKind, RowError, cells, register_kind
from sentra.core.importing.kinds import Batch
from sentra.core.validators import validate_nik
from sentra.registry.choices import Gender
from sentra.registry.services import nik_taken_message
from sentra.training.choices import BatchStatus

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


class ClassImportKind(ImportKind):
    """An import into one class the user chose (its option): the choice offers the classes the user may change
    that are still open to this import, the run reads the chosen one again in the user's scope, and the result
    links to its page."""

    list_url_name = "training:batch_list"
    #: classes in these states are not offered
    closed_statuses: tuple[str, ...] = ()

    def option_fields(self, user: Any) -> dict[str, Any]:
        from django import forms

        from sentra.training.models import Batch

        batches = (
            Batch.objects.visible_to(user, "change")
            .exclude(status__in=self.closed_statuses)
            .order_by("-start_date", "-id")
            .values_list("pk", "name")[:200]
        )
        return {
            "batch": forms.ChoiceField(
                label=_("Kelas pelatihan"), choices=[(str(pk), name) for pk, name in batches], required=True
            )
        }

    def chosen_batch(self, ctx: ImportContext) -> Any:
        """The chosen class, read in the user's scope: a class outside it is "not found", as on its page."""
        from sentra.training.models import Batch

        return self.chosen_record(ctx, "batch", Batch, _("Kelas pelatihan tidak ditemukan atau di luar cakupan Anda."))

    def result_url(self, options: dict[str, Any]) -> str:
        from django.urls import reverse

        batch = (options or {}).get("batch")
        return reverse("training:batch_detail", args=[batch]) if batch else super().result_url(options)


class AttendanceScoresImport(ClassImportKind):
    key = "training_attendance"
    label = gettext_lazy("Presensi dan nilai peserta pelatihan")
    permission = "training.change_participant"
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

    closed_statuses = (BatchStatus.CANCELLED,)

    def start(self, ctx: ImportContext) -> None:
        from sentra.training.choices import ParticipantStatus
        from sentra.training.models import Participant

        batch = self.chosen_batch(ctx)
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

    def commit(self, rows: Sequence[dict[str, Any]], ctx: ImportContext) -> CommitStats:
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


_GENDERS = {"l": Gender.MALE, "laki-laki": Gender.MALE, "laki laki": Gender.MALE, "pria": Gender.MALE,
            "p": Gender.FEMALE, "perempuan": Gender.FEMALE, "wanita": Gender.FEMALE, "w": Gender.FEMALE}  # fmt: skip


# --- Enrolling a class from a list ---------------------------------------------------------------------------------

_NAME_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)


def _name_key(name: str | None) -> str:
    """``"  BUDI  santoso, S.E."`` and ``"Budi Santoso SE"`` compare equal: letters only, case folded."""
    return " ".join(_NAME_WORDS.findall((name or "").casefold()))


def _phone_key(phone: str | None) -> str:
    """Digits of a phone with ``+62``/``62`` read as the leading ``0``."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


class EnrolmentImport(ClassImportKind):
    """A class enrolled from a list: one row per person, found by NIK, or by name and phone number.

    A person the registry does not know yet is registered as an owner in the class's regency/city on the way.
    Everyone goes through the same services as the officer's "Tambah peserta" page (``participant_register``
    and ``participant_register_new_person`` with ``accept``): accepted while the quota has seats, then on the
    waiting list in the order of the file. A person already in the class is left as they are, so importing the
    same list again changes nothing.
    """

    key = "training_enrolment"
    label = gettext_lazy("Peserta kelas (daftar NIK atau nama dan nomor HP)")
    permission = "training.add_participant"
    natural_key_help = gettext_lazy(
        "Orang dikenali dari NIK; tanpa NIK, dari nama dan nomor HP yang sama di registri. Orang yang sudah menjadi "
        "peserta kelas ini tidak diubah, jadi mengimpor daftar yang sama dua kali tidak mengubah apa pun."
    )
    columns = (
        Column(
            "nik",
            "NIK",
            ("no ktp", "nomor induk kependudukan", "nik peserta", "nomor ktp"),
            cells.digits(16, label="NIK"),
            example="7471031207850001",
            help=gettext_lazy("16 angka; format kolom sebagai Teks di Excel. Boleh kosong bila nama dan No HP diisi."),
        ),
        Column(
            "name",
            "Nama",
            ("nama peserta", "nama lengkap", "name", "full name", "nama pelaku usaha"),
            cells.text(150),
            example="Wa Ode Sitti",
            help=gettext_lazy("Wajib untuk orang yang belum ada di registri."),
        ),
        Column(
            "phone",
            "No HP",
            ("hp", "no hp", "nomor hp", "telepon", "no telepon", "telp", "no wa", "whatsapp", "phone"),
            cells.phone,
            example="0812-3456-7890",
            help=gettext_lazy("Dipakai untuk mengenali orang tanpa NIK; disimpan untuk orang baru."),
        ),
        Column(
            "gender",
            "Jenis kelamin",
            ("jk", "l p", "gender", "sex"),
            cells.choice(_GENDERS, label=gettext_lazy("Jenis kelamin")),
            example="P",
        ),
    )

    closed_statuses = (BatchStatus.CANCELLED, BatchStatus.COMPLETED)

    def result_notes(self, ctx: ImportContext) -> list[str]:
        from sentra.training.choices import ParticipantStatus

        batch = ctx.cache["batch"]
        statuses = list(batch.participants.values_list("status", flat=True))
        return [
            _("Kelas {name} sekarang: {accepted} dari kuota {quota} diterima, {waiting} di daftar tunggu.").format(
                name=batch.name,
                accepted=statuses.count(ParticipantStatus.ACCEPTED),
                quota=batch.quota,
                waiting=statuses.count(ParticipantStatus.WAITLISTED),
            )
        ]

    def start(self, ctx: ImportContext) -> None:
        from sentra.core.importing.readers import FileRefused
        from sentra.training.choices import ParticipantStatus

        batch = self.chosen_batch(ctx)
        if batch.status in self.closed_statuses:
            raise FileRefused(
                _("Kelas {name} sudah {status}; peserta tidak dapat ditambah.").format(
                    name=batch.name, status=batch.get_status_display().lower()
                ),
                "closed",
            )
        ctx.cache["batch"] = batch
        members = dict(batch.participants.values_list("owner_id", "status"))
        ctx.cache["members"] = members
        accepted = sum(1 for status in members.values() if status == ParticipantStatus.ACCEPTED)
        #: Seats left for this run's new participants (the preview says who will wait; the service decides).
        ctx.cache["free"] = max(batch.quota - accepted, 0)
        ctx.cache["statuses"] = dict(ParticipantStatus.choices)

    def _owners(self, ctx: ImportContext, niks: set[str], phones: set[str]) -> None:
        """The batch's NIKs and phones as they are registered (one query each)."""
        from sentra.registry.models import Owner

        visible = Owner.objects.all() if ctx.user is None else Owner.objects.visible_to(ctx.user)
        by_nik = {o.nik: o for o in Owner._base_manager.filter(nik__in=niks, deleted_at__isnull=True)} if niks else {}
        ctx.cache["by_nik"] = by_nik
        ctx.cache["visible"] = (
            set(visible.filter(pk__in=[o.pk for o in by_nik.values()]).values_list("pk", flat=True))
            if by_nik
            else set()
        )
        by_phone: dict[tuple[str, str], list[Any]] = {}
        if phones:
            # Phones are stored as typed (0812-3456-7890, +62 812 345 678): candidates end in the same 3 digits, the
            # whole number and the name are compared below.
            match = Q()
            for phone in phones:
                match |= Q(phone__endswith=phone[-3:])
            for owner in visible.alive().filter(match).only("pk", "full_name", "phone", "nik"):
                by_phone.setdefault((_name_key(owner.full_name), _phone_key(owner.phone)), []).append(owner)
        ctx.cache["by_phone"] = by_phone

    def clean_columns(self, batch: Batch, ctx: ImportContext) -> None:
        ok = batch.ok_indices()
        cols = batch.columns
        niks, names, phones = cols["nik"], cols["name"], cols["phone"]
        self._owners(
            ctx, {niks[i] for i in ok if niks[i]}, {_phone_key(phones[i]) for i in ok if not niks[i] and phones[i]}
        )
        by_nik, visible, by_phone = ctx.cache["by_nik"], ctx.cache["visible"], ctx.cache["by_phone"]
        members, statuses = ctx.cache["members"], ctx.cache["statuses"]
        region = ctx.cache["batch"].region_id
        out_owner, out_region, out_note = batch.column("owner_id"), batch.column("region"), batch.column("_note")
        for i in ok:
            out_region[i] = region
            nik, name, phone = niks[i], names[i], phones[i]
            owner = None
            if nik:
                try:
                    validate_nik(nik)
                except ValidationError as exc:
                    batch.reject(i, {"nik": " ".join(exc.messages)})
                    continue
                owner = by_nik.get(nik)
                if owner is not None and owner.pk not in visible:
                    batch.reject(i, {"nik": nik_taken_message(ctx.user, owner)})
                    continue
                if owner is None and not name:
                    batch.reject(i, {"name": _("NIK ini belum ada di registri: isi nama untuk mendaftarkannya.")})
                    continue
            elif not (name and phone):
                batch.reject(i, {"": _("Isi NIK, atau nama dan No HP.")})
                continue
            else:
                found = by_phone.get((_name_key(name), _phone_key(phone)), [])
                if len(found) > 1:
                    batch.reject(
                        i,
                        {
                            "": _("Ada {count} orang bernama ini dengan No HP ini di registri: isi NIK-nya.").format(
                                count=len(found)
                            )
                        },
                    )
                    continue
                owner = found[0] if found else None
            if owner is not None:
                out_owner[i] = owner.pk
                if owner.pk in members:
                    out_note[i] = _("{name} sudah peserta kelas ini ({status}): tidak diubah.").format(
                        name=owner.full_name, status=statuses.get(members[owner.pk], members[owner.pk])
                    )
                    continue
                who = _("{name} dari registri").format(name=owner.full_name)
            else:
                who = _("Orang baru: dicatat di registri")
            members_key = owner.pk if owner is not None else ("new", nik or (_name_key(name), _phone_key(phone)))
            if members_key in ctx.cache.setdefault("counted", set()):
                continue  # a duplicate row: reported by the engine
            ctx.cache["counted"].add(members_key)
            if ctx.cache["free"] > 0:
                ctx.cache["free"] -= 1
                out_note[i] = _("{who}; diterima.").format(who=who)
            else:
                out_note[i] = _("{who}; kuota penuh: masuk daftar tunggu.").format(who=who)

    def clean_row(self, row: dict[str, Any], ctx: ImportContext) -> dict[str, Any]:
        batch = Batch([0], [[]], {key: [value] for key, value in row.items()})
        for column in self.columns:
            batch.column(column.key)
        self.clean_columns(batch, ctx)
        if batch.errors:
            raise RowError(batch.errors[0])
        return batch.row(0)

    def natural_key(self, row: dict[str, Any]) -> Any:
        if row.get("nik"):
            return ("nik", row["nik"])
        if row.get("owner_id"):
            return ("owner", row["owner_id"])
        return ("new", _name_key(row.get("name")), _phone_key(row.get("phone")))

    def row_notes(self, row: dict[str, Any]) -> list[str]:
        return [row["_note"]] if row.get("_note") else []

    def commit(self, rows: Sequence[dict[str, Any]], ctx: ImportContext) -> CommitStats:
        from sentra.registry.models import Owner
        from sentra.training import services

        stats = CommitStats()
        batch = ctx.cache["batch"]
        members = ctx.cache["members"]
        owners = Owner.objects.in_bulk([r["owner_id"] for r in rows if r.get("owner_id")])
        for row in rows:
            owner = owners.get(row.get("owner_id"))
            if owner is not None and owner.pk in members:
                stats.unchanged += 1
                continue
            if owner is not None:
                participant = services.participant_register(actor=ctx.user, batch=batch, owner=owner, accept=True)
            else:
                participant = services.participant_register_new_person(
                    actor=ctx.user,
                    batch=batch,
                    accept=True,
                    full_name=row["name"],
                    nik=row.get("nik") or None,
                    phone=row.get("phone") or "",
                    gender=row.get("gender") or "",
                )
            members[participant.owner_id] = participant.status
            stats.created += 1
        return stats


def register() -> None:
    register_kind(AttendanceScoresImport())
    register_kind(EnrolmentImport())


# --- The class page's paste box ----------------------------------------------------------------------------------

#: Lines a paste may hold (a class is a few dozen people; a longer list belongs in a file).
PASTE_MAX_LINES = 500
_LIST_MARK = re.compile(r"^\s*(?:\d{1,3}[.)]|[-•*])\s+")
_PHONE_TEXT = re.compile(r"\+?\(?\d[\d\s().-]{6,}\d")
_TRAILING_PHONE = re.compile(r"[\s,:;-]*(\+?62|0)[\d\s.-]{7,}\d\s*$")


def _phone_like(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    return bool(_PHONE_TEXT.fullmatch(text.strip())) and 8 <= len(digits) <= 15 and digits[:1] in ("0", "6")


def pasted_list_csv(text: str) -> bytes:
    """Lines pasted from Excel or WhatsApp (``Nama<TAB>No HP``, ``Nama, 0812…``, ``NIK``, ``1. Nama - 0812…``) as
    a CSV with the enrolment kind's headers, for the same upload → preview → commit as a file."""
    import csv
    import io

    lines = (text or "").strip("\r\n").splitlines()
    if not any(line.strip() for line in lines):
        raise ValidationError(_("Tempel minimal satu baris: NIK, atau nama dan No HP."), code="empty")
    if len(lines) > PASTE_MAX_LINES:
        raise ValidationError(
            _(
                "Paling banyak {limit} baris sekali tempel ({count} ditempel). Untuk daftar panjang, impor berkas."
            ).format(limit=PASTE_MAX_LINES, count=len(lines)),
            code="too_many",
        )
    from sentra.core.importing.kinds import normalise_header

    headers = set().union(*(c.headers() for c in EnrolmentImport.columns))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["NIK", "Nama", "No HP"])
    # One record per pasted line, blank ones too (skipped by the import), so that row N of the preview is line N of
    # the paste (the view shifts the numbers by the header line written here).
    for index, line in enumerate(lines):
        if not line.strip():
            writer.writerow([])
            continue
        line = _LIST_MARK.sub("", line)
        for separator in ("\t", ";", ",", " - "):
            if separator in line:
                parts = line.split(separator)
                break
        else:
            parts = [line]
        parts = [p.strip() for p in parts if p.strip()]
        if index == 0 and parts and all(normalise_header(p) in headers for p in parts):
            writer.writerow([])  # the header row copied with the list
            continue
        nik = name = phone = ""
        for part in parts:
            digits = re.sub(r"[\s.-]", "", part)
            if not nik and digits.isdigit() and len(digits) == 16:
                nik = digits
            elif not phone and _phone_like(part):
                phone = part
            elif not name:
                name = part
        if name and not phone and not nik:
            found = _TRAILING_PHONE.search(name)  # "Budi Santoso 0812 3456 7890": one chunk, phone at the end
            if found and _phone_like(found.group().strip(" ,:;-")):
                name, phone = name[: found.start()].strip(), found.group().strip(" ,:;-")
        writer.writerow([nik, name, phone])
    return out.getvalue().encode("utf-8")


# --- Alumni follow-ups from a spreadsheet (``training_followup``) -----------------------------------------------

_YES_NO = {"ya": "ya", "y": "ya", "yes": "ya", "1": "ya", "v": "ya", "✓": "ya", "sudah": "ya", "true": "ya",
           "tidak": "tidak", "t": "tidak", "no": "tidak", "n": "tidak", "0": "tidak", "belum": "tidak",
           "false": "tidak"}  # fmt: skip
_FOLLOWUP_MONTHS = (12, 6, 3)
_FOLLOWUP_FIELDS = ("started_business", "grew_business", "nib_registered", "joined_centre", "centre_name", "turnover",
                    "workforce", "notes")  # fmt: skip


def _yes_no(label: str) -> Any:
    parse = cells.choice(_YES_NO, label=label)

    def to_bool(value: Any) -> bool | None:
        answer = parse(value)
        return None if answer is None else answer == "ya"

    return to_bool


def _months(value: Any) -> int | None:
    text = cells.cell_text(value).lower().replace("bulan", "").replace("ke-", "").replace("ke", "").strip()
    if text.endswith(".0"):
        text = text[:-2]
    if text in ("3", "6", "12"):
        return int(text)
    raise ValidationError(_("Bulan tindak lanjut '{value}' tidak dikenali; isi 3, 6 atau 12.").format(value=value))


class FollowUpImport(ClassImportKind):
    """Alumni follow-ups of a chosen class: one row per alumnus and follow-up month, found by NIK among the class's
    accepted participants. Each row goes through ``followup_record`` (its checks, the registry updates it makes and
    its audit event, noted ``impor``). A follow-up already recorded for that month with the same answers is left
    as it is (a re-import changes nothing); one recorded with other answers is reported, never overwritten."""

    key = "training_followup"
    label = gettext_lazy("Tindak lanjut alumni pelatihan")
    permission = "training.add_followup"
    natural_key_help = gettext_lazy(
        "Alumni dikenali dari NIK di antara peserta yang diterima pada kelas yang dipilih; satu tindak lanjut per "
        "bulan ke-3, 6 atau 12. Tindak lanjut yang sudah dicatat tidak ditimpa."
    )
    columns = (
        Column("nik", "NIK", ("no ktp", "nomor induk kependudukan", "nik peserta", "nik alumni", "id number"),
               cells.digits(16, label="NIK"), required=True, example="7471031207850001",
               help=gettext_lazy("16 angka; format kolom sebagai Teks di Excel.")),
        Column("name", "Nama peserta", ("nama", "nama alumni", "nama lengkap", "name"), cells.text(150), example="Wa Ode Sitti",
               help=gettext_lazy("Hanya untuk dibaca; alumni dikenali dari NIK.")),
        Column("contacted_on", "Tanggal kontak", ("tanggal", "tgl", "tanggal tindak lanjut", "tgl kontak", "date", "contact date"),
               cells.date(), required=True, example="20/01/2023"),
        Column("months", "Bulan ke", ("bulan", "tindak lanjut bulan ke", "bulan ke-", "month", "months"), _months, example="6",
               help=gettext_lazy("3, 6 atau 12. Kosong: dihitung dari tanggal kontak.")),
        Column("turnover", "Omzet per tahun (Rp)", ("omzet", "omset", "omzet sekarang", "turnover", "sales"), cells.number(min_value=0), example="24.000.000"),
        Column("workforce", "Tenaga kerja", ("tk", "jumlah tenaga kerja", "tenaga kerja sekarang", "workforce", "workers", "employees"),
               cells.integer(min_value=0, max_value=1_000_000), example="2"),
        Column("nib_registered", "Sudah punya NIB", ("punya nib", "nib terdaftar", "memiliki nib", "nib registered", "has nib"),
               _yes_no(gettext_lazy("Sudah punya NIB")), example="Ya"),
        Column("nib", "NIB", ("nomor nib", "nomor induk berusaha", "no nib"), cells.digits(13, label="NIB"), example="9120001234567"),
        Column("started_business", "Memulai usaha baru", ("mulai usaha", "usaha baru", "started business"),
               _yes_no(gettext_lazy("Memulai usaha baru")), example="Tidak"),
        Column("business_name", "Nama usaha", ("nama usaha baru", "business name"), cells.text(250),
               help=gettext_lazy("Wajib bila memulai usaha baru dan peserta belum punya usaha di registri.")),
        Column("grew_business", "Usaha berkembang", ("berkembang", "usaha tumbuh", "grew business", "business grew"),
               _yes_no(gettext_lazy("Usaha berkembang")), example="Ya"),
        Column("joined_centre", "Bergabung dengan sentra", ("gabung sentra", "ikut sentra", "joined centre", "joined center"),
               _yes_no(gettext_lazy("Bergabung dengan sentra")), example="Tidak"),
        Column("centre_name", "Nama sentra", ("sentra", "centre name", "center name"), cells.text(200)),
        Column("notes", "Catatan", ("keterangan", "notes", "remarks"), cells.text(2000)),
    )  # fmt: skip

    closed_statuses = (BatchStatus.CANCELLED,)

    def start(self, ctx: ImportContext) -> None:
        from sentra.training.choices import ParticipantStatus
        from sentra.training.models import FollowUp, Participant

        batch = self.chosen_batch(ctx)
        ctx.cache["batch"] = batch
        ctx.cache["participants"] = {
            p.owner.nik: p
            for p in Participant.objects.filter(batch=batch, status=ParticipantStatus.ACCEPTED)
            .select_related("owner", "business", "batch")
            .exclude(owner__nik=None)
        }
        ctx.cache["followups"] = {
            (f.participant_id, f.months): f for f in FollowUp.objects.filter(participant__batch=batch)
        }

    def clean_row(self, row: dict[str, Any], ctx: ImportContext) -> dict[str, Any]:
        import datetime as dt

        batch = ctx.cache["batch"]
        participant = ctx.cache["participants"].get(row["nik"])
        if participant is None:
            raise RowError({"nik": _("NIK ini bukan peserta yang diterima di kelas {name}.").format(name=batch.name)})
        contacted = row["contacted_on"]
        months = row.get("months")
        due = {m: batch.end_date + dt.timedelta(days=m * 30 - 31) for m in _FOLLOWUP_MONTHS}
        if months is None:
            months = next((m for m in _FOLLOWUP_MONTHS if contacted >= due[m]), None)
            if months is None:
                raise RowError(
                    {
                        "contacted_on": _(
                            "Tanggal kontak {date} terlalu dekat dengan akhir kelas; tindak lanjut bulan ke-3 baru "
                            "dapat dicatat mulai {due}."
                        ).format(date=f"{contacted:%d-%m-%Y}", due=f"{due[3]:%d-%m-%Y}")
                    }
                )
        elif contacted < due[months]:
            raise RowError(
                {
                    "contacted_on": _("Tindak lanjut bulan ke-{m} baru dapat dicatat mulai {date}.").format(
                        m=months, date=f"{due[months]:%d-%m-%Y}"
                    )
                }
            )
        if row.get("joined_centre") and not row.get("centre_name"):
            raise RowError({"centre_name": _("Tuliskan nama sentra yang diikuti.")})
        if row.get("started_business") and participant.business_id is None and not row.get("business_name"):
            raise RowError({"business_name": _("Tuliskan nama usaha yang baru dimulai.")})
        stored = ctx.cache["followups"].get((participant.pk, months))
        row["_same"] = False
        if stored is not None:
            if any(getattr(stored, k) != v for k, v in self._values(row).items()) or stored.contacted_on != contacted:
                raise RowError(
                    {
                        "months": _(
                            "Tindak lanjut bulan ke-{m} untuk {name} sudah dicatat ({date}) dengan isi lain; "
                            "tindak lanjut yang tercatat tidak ditimpa oleh impor."
                        ).format(m=months, name=participant.owner.full_name, date=f"{stored.contacted_on:%d-%m-%Y}")
                    }
                )
            row["_same"] = True
        row["months"] = months
        row["participant_id"] = participant.pk
        row["region"] = batch.region_id
        return row

    @staticmethod
    def _values(row: dict[str, Any]) -> dict[str, Any]:
        """The follow-up's fields as ``followup_record`` stores them (an empty yes/no cell is "no")."""
        values = {k: row.get(k) for k in _FOLLOWUP_FIELDS}
        for key in ("started_business", "grew_business", "nib_registered", "joined_centre"):
            values[key] = bool(values[key])
        values["centre_name"] = values["centre_name"] or ""
        values["notes"] = values["notes"] or ""
        return values

    def natural_key(self, row: dict[str, Any]) -> Any:
        return (row["nik"], row["months"])

    def row_notes(self, row: dict[str, Any]) -> list[str]:
        if row.get("_same"):
            return [_("Sudah tercatat: tidak diubah.")]
        return [_("Tindak lanjut bulan ke-{m}").format(m=row["months"])]

    def commit(self, rows: Sequence[dict[str, Any]], ctx: ImportContext) -> CommitStats:
        from sentra.training import services

        stats = CommitStats()
        participants = {p.pk: p for p in ctx.cache["participants"].values()}
        for row in rows:
            if row.get("_same"):
                stats.unchanged += 1
                continue
            participant = participants[row["participant_id"]]
            followup = services.followup_record(
                actor=ctx.user,
                participant=participant,
                note="impor",
                months=row["months"],
                contacted_on=row["contacted_on"],
                nib=row.get("nib") or "",
                business_name=row.get("business_name") or "",
                **self._values(row),
            )
            ctx.cache["followups"][(participant.pk, followup.months)] = followup
            stats.created += 1
        return stats


def register_followups() -> None:
    register_kind(FollowUpImport())
