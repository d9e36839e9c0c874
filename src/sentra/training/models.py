"""Training: programmes, batches (classes), participants, attendance, scores, evaluations, certificates and
the alumni follow-up (docs/domain.md §4)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sentra.core.formatting import format_number, format_percent
from sentra.core.models import AuditedModel, RegionOwnedModel, TimestampedModel, user_field
from sentra.core.validators import mask_nik, mask_phone
from sentra.core.versioning import VersionedModel
from sentra.training.choices import (
    BatchStatus,
    BusinessPlan,
    BusinessRequirement,
    FollowUpMonths,
    FollowUpSource,
    FundingSource,
    ParticipantResult,
    ParticipantSource,
    ParticipantStatus,
    ProgrammeKind,
)
from sentra.training.querysets import BatchQuerySet, ParticipantQuerySet

# ``null``/``blank`` are written out on each field: the type checker reads nullability from the call itself.
SCORE = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
}
MONEY = {"max_digits": 18, "decimal_places": 2, "null": True, "blank": True, "validators": [MinValueValidator(0)]}


class Programme(RegionOwnedModel):
    """A training programme of the agency: what is taught, for how long, and how one passes."""

    title = models.CharField(_("judul program"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=ProgrammeKind.choices, default=ProgrammeKind.PELATIHAN)
    competencies = models.TextField(_("kompetensi yang dicapai"), blank=True, help_text=_("Satu kompetensi per baris."))
    min_attendance_pct = models.PositiveSmallIntegerField(
        _("kehadiran minimum (%)"), default=80, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    min_post_test = models.DecimalField(
        _("nilai post-test minimum"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(60),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        verbose_name = _("program pelatihan")
        verbose_name_plural = _("program pelatihan")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(min_attendance_pct__lte=100), name="programme_attendance_pct"),
            models.CheckConstraint(
                condition=Q(min_post_test__gte=0, min_post_test__lte=100), name="programme_post_test_range"
            ),
        ]
        indexes = [models.Index(fields=["region", "title", "id"], name="programme_region_title_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:programme_detail", args=[self.pk])

    @property
    def competency_list(self) -> list[str]:
        return [line.strip() for line in self.competencies.splitlines() if line.strip()]

    def pass_rule(self, total_days: int) -> PassRule:
        """The programme's pass rule for a class of ``total_days`` days, in days and points."""
        return PassRule(min_pct=self.min_attendance_pct, min_post_test=self.min_post_test, total_days=total_days)


class Module(AuditedModel):
    """One module of a programme's curriculum, in JP (1 JP = 45 minutes, docs/domain.md §4)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    title = models.CharField(_("materi"), max_length=200)
    hours_jp = models.PositiveSmallIntegerField(_("jam pelajaran (JP)"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("modul")
        verbose_name_plural = _("modul")
        ordering = ["programme", "order", "id"]
        constraints = [models.CheckConstraint(condition=Q(hours_jp__gte=1), name="module_hours_positive")]

    def __str__(self) -> str:
        return self.title


@dataclass(frozen=True)
class Seats:
    """A class's places: how many of the quota are taken, and what a new applicant can expect."""

    quota: int
    accepted: int
    waiting: int = 0

    @property
    def free(self) -> int:
        return max(self.quota - self.accepted, 0)

    @property
    def full(self) -> bool:
        return self.free == 0

    @property
    def label(self) -> str:
        if self.full:
            return _("Kuota penuh ({accepted}/{quota}); pendaftar baru masuk daftar tunggu").format(
                accepted=self.accepted, quota=self.quota
            )
        return _("{accepted}/{quota} terisi, {free} tempat kosong").format(
            accepted=self.accepted, quota=self.quota, free=self.free
        )


def _points(value: Decimal) -> str:
    """A score as Indonesians write it: ``55``, ``72,5``."""
    if value == value.to_integral_value():
        return format_number(value)
    return format_number(value, 2).rstrip("0").rstrip(",")


@dataclass(frozen=True)
class PassCheck:
    """The pass rule applied to one participant: the result and, when failed, every reason why."""

    passed: bool
    reasons: tuple[str, ...] = ()

    @property
    def reason_text(self) -> str:
        return "; ".join(self.reasons)


@dataclass(frozen=True)
class PassRule:
    """Attendance ≥ ``min_pct`` % of the class's days and post-test ≥ ``min_post_test``; exactly the minimum passes.

    Attendance is compared in integers (present × 100 ≥ minimum × days), so ``min_days`` is the smallest whole
    number of days that meets the percentage and a rounded percentage can never tip the result."""

    min_pct: int
    min_post_test: Decimal
    total_days: int

    @property
    def min_days(self) -> int:
        return -(-self.min_pct * self.total_days // 100)

    @property
    def condition(self) -> str:
        """The rule without a label, for a page that labels it already."""
        if self.total_days <= 0:
            return _("kehadiran minimal {pct} hari pelatihan dan nilai post-test minimal {score}").format(
                pct=format_percent(self.min_pct), score=_points(self.min_post_test)
            )
        return _("hadir minimal {days} dari {total} hari ({pct}) dan nilai post-test minimal {score}").format(
            days=self.min_days,
            total=self.total_days,
            pct=format_percent(self.min_pct),
            score=_points(self.min_post_test),
        )

    @property
    def text(self) -> str:
        return _("Syarat lulus: {rule}.").format(rule=self.condition)

    def check(self, *, present_days: int, post_test: Decimal | None) -> PassCheck:
        reasons = []
        if self.total_days <= 0:
            reasons.append(_("kelas belum memiliki hari pelatihan"))
        elif present_days * 100 < self.min_pct * self.total_days:
            reasons.append(
                _("kehadiran {present}/{total} hari, kurang dari {days}").format(
                    present=present_days, total=self.total_days, days=self.min_days
                )
            )
        if post_test is None:
            reasons.append(_("nilai post-test belum diisi"))
        elif post_test < self.min_post_test:
            reasons.append(
                _("post-test {score} < {minimum}").format(score=_points(post_test), minimum=_points(self.min_post_test))
            )
        return PassCheck(passed=not reasons, reasons=tuple(str(r) for r in reasons))


class Batch(RegionOwnedModel):
    """One class (angkatan) of a programme: when, where, who teaches, who pays, who may join."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="batches"
    )
    name = models.CharField(_("nama kelas"), max_length=200)
    organiser = models.CharField(_("penyelenggara"), max_length=200)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    venue = models.CharField(_("tempat"), max_length=200)
    quota = models.PositiveSmallIntegerField(_("kuota peserta"), validators=[MinValueValidator(1)])
    funding_source = models.CharField(
        _("sumber dana"), max_length=20, choices=FundingSource.choices, default=FundingSource.DAK_NONFISIK
    )
    funding_note = models.CharField(
        _("keterangan pendanaan"), max_length=200, blank=True, help_text=_("Contoh: DAK Nonfisik menu B.")
    )
    #: The DAK budget line that pays for the batch; costs in the report come from it.
    budget_line = models.ForeignKey(
        "budget.BudgetLine",
        verbose_name=_("mata anggaran"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_batches",
    )
    status = models.CharField(_("status"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelatih"),
        blank=True,
        related_name="training_batches",
        limit_choices_to={"role": "trainer"},
    )
    # Eligibility for applications: region, age, has or plans an IKM.
    eligible_regions = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("wilayah asal peserta"),
        blank=True,
        related_name="+",
        limit_choices_to={"level": 2},
        help_text=_("Kosongkan bila hanya untuk warga kabupaten/kota penyelenggara."),
    )
    min_age = models.PositiveSmallIntegerField(_("usia minimum"), default=17)
    max_age = models.PositiveSmallIntegerField(_("usia maksimum"), default=64)
    business_requirement = models.CharField(
        _("syarat usaha"),
        max_length=15,
        choices=BusinessRequirement.choices,
        default=BusinessRequirement.HAS_OR_PLANS,
    )
    signatory_name = models.CharField(_("nama penandatangan"), max_length=150, blank=True)
    signatory_title = models.CharField(_("jabatan penandatangan"), max_length=150, blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("kelas pelatihan")
        verbose_name_plural = _("kelas pelatihan")
        ordering = ["-start_date", "-id"]
        permissions = [
            ("take_attendance_batch", _("Dapat mengisi presensi")),
            ("issue_certificates_batch", _("Dapat menerbitkan sertifikat")),
            ("report_batch", _("Dapat mengunduh laporan pelaksanaan")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="batch_dates_order"),
            models.CheckConstraint(condition=Q(quota__gte=1), name="batch_quota_positive"),
            models.CheckConstraint(condition=Q(max_age__gte=models.F("min_age")), name="batch_age_order"),
        ]
        indexes = [
            models.Index(fields=["region", "-start_date", "-id"], name="batch_region_start_idx"),
            models.Index(fields=["-start_date", "-id"], name="batch_start_idx"),
            models.Index(fields=["status"], name="batch_status_idx"),
        ]

    def seats(self) -> Seats:
        """The places of the class counted over all its participants (a number, not who: the same for every role
        that sees the class; a participant's own page must not read it from the participants they may see)."""
        counts = self.participants.aggregate(
            accepted=models.Count("pk", filter=Q(status=ParticipantStatus.ACCEPTED)),
            waiting=models.Count("pk", filter=Q(status=ParticipantStatus.WAITLISTED)),
        )
        return Seats(quota=self.quota, accepted=counts["accepted"], waiting=counts["waiting"])

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("training:batch_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == BatchStatus.OPEN

    @property
    def funding_text(self) -> str:
        """The source of funds once: "DAK Nonfisik" with a note "DAK Nonfisik menu B" reads "DAK Nonfisik menu B",
        not the label twice; a note that does not repeat the source follows it after a dash."""
        label = str(self.get_funding_source_display())
        note = (self.funding_note or "").strip()
        if not note:
            return label
        if label.casefold() in note.casefold():
            return note
        return f"{label} – {note}"


class BatchDay(models.Model):
    """A working day of a batch (Sundays and national holidays skipped, see ``calendar.py``)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("tanggal"))
    number = models.PositiveSmallIntegerField(_("hari ke"))

    class Meta:
        verbose_name = _("hari pelatihan")
        verbose_name_plural = _("hari pelatihan")
        ordering = ["batch", "date"]
        constraints = [models.UniqueConstraint(fields=["batch", "date"], name="batchday_unique")]

    def __str__(self) -> str:
        return f"{self.batch} – {self.date:%d-%m-%Y}"


class ExternalTrainer(AuditedModel):
    """A speaker or instructor without a login (narasumber), e.g. from Universitas Halu Oleo."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="external_trainers")
    name = models.CharField(_("nama"), max_length=150)
    institution = models.CharField(_("instansi"), max_length=200)

    class Meta:
        verbose_name = _("narasumber luar")
        verbose_name_plural = _("narasumber luar")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.institution})"


class Session(AuditedModel):
    """One session of the schedule on one day."""

    day = models.ForeignKey(BatchDay, verbose_name=_("hari"), on_delete=models.CASCADE, related_name="sessions")
    start_time = models.TimeField(_("mulai"))
    end_time = models.TimeField(_("selesai"))
    module = models.ForeignKey(
        Module, verbose_name=_("modul"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.CharField(_("topik"), max_length=200)
    trainer = user_field(_("pelatih"))
    external_trainer = models.ForeignKey(
        ExternalTrainer,
        verbose_name=_("narasumber luar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )

    class Meta:
        verbose_name = _("sesi")
        verbose_name_plural = _("sesi")
        ordering = ["day", "start_time", "id"]
        constraints = [models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="session_times")]

    def __str__(self) -> str:
        return self.topic

    @property
    def minutes(self) -> int:
        return (self.end_time.hour * 60 + self.end_time.minute) - (self.start_time.hour * 60 + self.start_time.minute)


class Participant(TimestampedModel, AuditedModel, VersionedModel):
    """A person in a batch: their application, selection, attendance, scores and result."""

    region_field = "batch__region"

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="participants")
    #: The registry person. Empty for a public application until an officer matches it (or registers the
    #: applicant) inside their scope: the public form never attaches itself to an existing person.
    owner = models.ForeignKey(
        "registry.Owner",
        verbose_name=_("pelaku usaha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    # The identity as the applicant typed it on the public form, kept beside the registry record it is matched
    # to (the officer compares them side by side). Empty for a person an officer registered from the registry.
    applicant_name = models.CharField(_("nama (diisi pendaftar)"), max_length=150, blank=True)
    applicant_nik = models.CharField(_("NIK (diisi pendaftar)"), max_length=16, blank=True)
    applicant_birth_date = models.DateField(_("tanggal lahir (diisi pendaftar)"), null=True, blank=True)
    applicant_gender = models.CharField(_("jenis kelamin (diisi pendaftar)"), max_length=1, blank=True)
    applicant_phone = models.CharField(_("telepon (diisi pendaftar)"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("surel (diisi pendaftar)"), blank=True)
    applicant_address = models.CharField(_("alamat (diisi pendaftar)"), max_length=300, blank=True)
    applicant_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("domisili (diisi pendaftar)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    business = models.ForeignKey(
        "registry.Business",
        verbose_name=_("usaha"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainings",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ParticipantStatus.choices, default=ParticipantStatus.APPLIED
    )
    source = models.CharField(_("sumber"), max_length=10, choices=ParticipantSource.choices)
    business_plan = models.CharField(
        _("rencana usaha"), max_length=6, choices=BusinessPlan.choices, default=BusinessPlan.HAS
    )
    planned_business = models.CharField(_("usaha yang direncanakan"), max_length=200, blank=True)
    motivation = models.TextField(_("motivasi"), blank=True)
    decision_reason = models.CharField(_("alasan keputusan"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    #: Seat number 1..quota of an accepted participant; unique per batch, so two concurrent acceptances can
    #: never take the same place (the quota is enforced by the database, not only by a count).
    seat = models.PositiveSmallIntegerField(_("nomor kursi"), null=True, blank=True, editable=False)
    pre_test = models.DecimalField(_("nilai pre-test"), null=True, blank=True, **SCORE)
    post_test = models.DecimalField(_("nilai post-test"), null=True, blank=True, **SCORE)
    result = models.CharField(_("hasil"), max_length=6, choices=ParticipantResult.choices, blank=True, default="")
    attendance_pct = models.DecimalField(
        _("kehadiran (%)"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )
    #: The participant answered the trainer evaluation. Only a flag: the answer itself has no link back.
    evaluated = models.BooleanField(_("sudah mengisi evaluasi"), default=False, editable=False)
    # Baseline at registration, for the follow-up's "grew" outcome.
    baseline_turnover = models.DecimalField(_("omzet awal (Rp)"), **MONEY)
    baseline_workforce = models.PositiveIntegerField(_("tenaga kerja awal"), null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    #: Personal data masked wherever the audit trail is shown (UU PDP).
    audit_masks = {"applicant_nik": mask_nik, "applicant_phone": mask_phone}

    class Meta:
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        ordering = ["batch", "owner__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "owner"], name="participant_unique_owner"),
            models.UniqueConstraint(fields=["batch", "seat"], name="participant_unique_seat"),
            models.UniqueConstraint(
                fields=["batch", "applicant_nik"], condition=~Q(applicant_nik=""), name="participant_unique_applicant"
            ),
            # Only a person matched to the registry takes a seat (and so is scored and certified).
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(status="accepted"), name="participant_accepted_has_owner"
            ),
            models.CheckConstraint(
                condition=Q(seat__isnull=True) | Q(status="accepted"), name="participant_seat_only_accepted"
            ),
            models.CheckConstraint(condition=Q(seat__isnull=True) | Q(seat__gte=1), name="participant_seat_positive"),
            models.CheckConstraint(
                condition=Q(pre_test__isnull=True) | Q(pre_test__gte=0, pre_test__lte=100),
                name="participant_pre_test_range",
            ),
            models.CheckConstraint(
                condition=Q(post_test__isnull=True) | Q(post_test__gte=0, post_test__lte=100),
                name="participant_post_test_range",
            ),
        ]
        indexes = [models.Index(fields=["batch", "status", "created_at"], name="participant_status_idx")]

    def __str__(self) -> str:
        return f"{self.display_name} – {self.batch}"

    @property
    def is_matched(self) -> bool:
        return self.owner_id is not None

    @property
    def display_name(self) -> str:
        """The registry name once matched; before that the name the applicant typed (never a registry name)."""
        if self.owner_id is not None:
            return self.owner.full_name
        return self.applicant_name or str(_("(pendaftar, data dihapus)"))

    @property
    def contact_email(self) -> str:
        return self.owner.email if self.owner_id is not None else self.applicant_email

    @property
    def gain(self) -> Decimal | None:
        if self.pre_test is None or self.post_test is None:
            return None
        return self.post_test - self.pre_test

    @property
    def attendance_lock_reason(self) -> str:
        """Why the roll call may not change this participant's marks ("" when it may); the same rules as
        ``services.attendance_set`` refuses by."""
        if self.status != ParticipantStatus.ACCEPTED:
            return str(
                _("Terkunci: status {status}; presensi hanya untuk peserta yang diterima.").format(
                    status=self.get_status_display().lower()
                )
            )
        certificate = getattr(self, "certificate", None)
        if certificate is not None:
            if certificate.is_revoked:
                return str(
                    _("Terkunci: sertifikat {number} sudah terbit lalu dicabut; presensi tidak diubah lagi.").format(
                        number=certificate.number
                    )
                )
            return str(
                _("Terkunci: sertifikat {number} sudah terbit; presensi tidak dapat diubah lagi.").format(
                    number=certificate.number
                )
            )
        return ""


class Attendance(models.Model):
    """Whether a participant was present on one day of the batch."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendance")
    day = models.ForeignKey(BatchDay, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("hadir"), default=True)
    recorded_by = user_field()
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("presensi")
        verbose_name_plural = _("presensi")
        constraints = [models.UniqueConstraint(fields=["participant", "day"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.participant_id}@{self.day_id}: {'hadir' if self.present else 'tidak hadir'}"


class EvaluationResponse(models.Model):
    """One anonymous answer to the trainer evaluation (1–5 scale + comments).

    Deliberately holds no participant, no user and no timestamp: nobody, the trainer least of all, can tie an
    answer to a person. Results are shown only aggregated, from ``EVALUATION_MIN_RESPONSES`` answers.
    """

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="evaluations")
    mastery = models.PositiveSmallIntegerField(
        _("penguasaan materi"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    delivery = models.PositiveSmallIntegerField(
        _("cara penyampaian"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    relevance = models.PositiveSmallIntegerField(
        _("manfaat bagi usaha"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    organisation = models.PositiveSmallIntegerField(
        _("penyelenggaraan"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("saran dan komentar"), blank=True)

    QUESTIONS = ("mastery", "delivery", "relevance", "organisation")

    class Meta:
        verbose_name = _("evaluasi pelatih")
        verbose_name_plural = _("evaluasi pelatih")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    mastery__gte=1,
                    mastery__lte=5,
                    delivery__gte=1,
                    delivery__lte=5,
                    relevance__gte=1,
                    relevance__lte=5,
                    organisation__gte=1,
                    organisation__lte=5,
                ),
                name="evaluation_scale",
            )
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.mastery}/{self.delivery}/{self.relevance}/{self.organisation}"


def new_certificate_code() -> str:
    """A short, unguessable code from a UUID4 (12 base-16 characters, 48 random bits), e.g. ``7F3A-91C2-0B4D``."""
    raw = uuid.uuid4().hex[:12].upper()
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Certificate(TimestampedModel, AuditedModel):
    """A training certificate (sertifikat pelatihan). The printed facts are frozen at issue."""

    participant = models.OneToOneField(Participant, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(_("kode"), max_length=20, unique=True, default=new_certificate_code, editable=False)
    number = models.CharField(_("nomor"), max_length=60)
    holder_name = models.CharField(_("nama peserta"), max_length=150)
    programme_title = models.CharField(_("program"), max_length=200)
    organiser = models.CharField(_("penyelenggara"), max_length=200)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    hours_jp = models.PositiveSmallIntegerField(_("jumlah JP"))
    issued_at = models.DateTimeField(_("diterbitkan pada"))
    issued_by = user_field()
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_reason = models.CharField(_("alasan pencabutan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        ordering = ["holder_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""), name="certificate_revoke_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.holder_name}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def get_verify_url(self) -> str:
        return reverse("training:verify", args=[self.code])


class FollowUp(TimestampedModel, AuditedModel):
    """What an alumnus did next: recorded at 3, 6 and 12 months after the batch."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="followups")
    months = models.PositiveSmallIntegerField(_("tindak lanjut bulan ke"), choices=FollowUpMonths.choices)
    contacted_on = models.DateField(_("tanggal kontak"))
    started_business = models.BooleanField(_("memulai usaha baru"), default=False)
    grew_business = models.BooleanField(_("usaha berkembang"), default=False)
    nib_registered = models.BooleanField(_("sudah memiliki NIB"), default=False)
    joined_centre = models.BooleanField(_("bergabung dengan sentra IKM"), default=False)
    centre_name = models.CharField(_("nama sentra"), max_length=200, blank=True)
    turnover = models.DecimalField(_("omzet per tahun sekarang (Rp)"), **MONEY)
    workforce = models.PositiveIntegerField(_("tenaga kerja sekarang"), null=True, blank=True)
    products = models.TextField(_("produk yang dibuat sekarang"), blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    recorded_by = user_field()
    source = models.CharField(
        _("sumber jawaban"), max_length=10, choices=FollowUpSource.choices, default=FollowUpSource.OFFICER
    )

    class Meta:
        verbose_name = _("tindak lanjut alumni")
        verbose_name_plural = _("tindak lanjut alumni")
        ordering = ["participant", "months"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "months"], name="followup_unique_month"),
            models.CheckConstraint(condition=Q(months__in=[3, 6, 12]), name="followup_months"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} +{self.months}"


class Notice(models.Model):
    """A message to a participant (e.g. a place offered from the waiting list), also sent by e-mail."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="notices")
    message = models.CharField(_("pesan"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.message
