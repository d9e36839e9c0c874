"""Quality management and industry 4.0 readiness of each business (docs/domain.md §5 and §6).

Certifications, checklist assessments with findings and corrective actions (CAPA), and the INDI 4.0
self-assessment. Checklists and INDI questionnaires are *versioned data*: an assessment points at the version
it was made with, and a published version is never edited (a change makes a new version), so an old assessment
keeps the checklist it was scored against.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.core.models import RegionOwnedModel, TimestampedModel, user_field
from sentra.quality.choices import (
    ActionStatus,
    AssessmentStatus,
    CertificationKind,
    ChecklistKind,
    IndiStatus,
    Phase,
    Severity,
    VersionStatus,
)
from sentra.quality.querysets import (
    AssessmentQuerySet,
    CertificationQuerySet,
    CorrectiveActionQuerySet,
    IndiAssessmentQuerySet,
)
from sentra.quality.uploads import document_upload_to, evidence_upload_to, photo_upload_to

# --- Certifications and permits (docs/domain.md §5) -----------------------------------------------------------------


class Certification(RegionOwnedModel):
    """One certificate or permit of a business. ``region`` is copied from the business (scope, indexes)."""

    business = models.ForeignKey(
        "registry.Business", verbose_name=_("usaha"), on_delete=models.CASCADE, related_name="certifications"
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=CertificationKind.choices)
    number = models.CharField(_("nomor"), max_length=80)
    issuer = models.CharField(_("penerbit"), max_length=200, blank=True)
    issued_on = models.DateField(_("tanggal terbit"))
    expires_on = models.DateField(
        _("berlaku sampai"), null=True, blank=True, help_text=_("Kosongkan bila sertifikat berlaku tanpa batas waktu.")
    )
    scope = models.CharField(_("lingkup/produk"), max_length=300, blank=True)
    document = models.FileField(_("dokumen"), upload_to=document_upload_to, max_length=200, blank=True)
    document_type = models.CharField(max_length=40, blank=True, editable=False)
    created_by = user_field(editable=False)

    objects = CertificationQuerySet.as_manager()

    audit_exclude = (*RegionOwnedModel.audit_exclude, "document")

    class Meta:
        verbose_name = _("sertifikat/izin")
        verbose_name_plural = _("sertifikat/izin")
        ordering = ["expires_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("issued_on")),
                name="certification_expiry_after_issue",
            ),
            models.UniqueConstraint(fields=["kind", "number"], name="certification_kind_number_unique"),
        ]
        indexes = [
            models.Index(fields=["region", "expires_on", "id"], name="cert_region_expiry_idx"),
            models.Index(fields=["business", "kind"], name="cert_business_kind_idx"),
            models.Index(fields=["expires_on", "id"], name="cert_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("quality:certification_detail", args=[self.pk])

    def audit_snapshot(self) -> dict:
        data = super().audit_snapshot()
        if "document" in self.__dict__:
            data["document"] = self.document.name or ""
        return data

    @property
    def days_left(self) -> int | None:
        """Days until the last valid day (0: expires today; negative: expired); None without an expiry date."""
        if self.expires_on is None:
            return None
        return (self.expires_on - timezone.localdate()).days

    @property
    def validity(self) -> str:
        """ "pending" (recorded before its issue date: not held yet, as ``querysets.held_q`` counts), "expired",
        "expiring" (within the 90-day window), "valid" or "open" (no expiry)."""
        from sentra.quality.querysets import expiry_window_days

        if self.issued_on is not None and self.issued_on > timezone.localdate():
            return "pending"
        days = self.days_left
        if days is None:
            return "open"
        if days < 0:
            return "expired"
        if days <= expiry_window_days():
            return "expiring"
        return "valid"


class ExpiryNotice(models.Model):
    """A reminder sent for one certification in one window (90/30/7 days before, or after expiry): sent once."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="expiry_notices")
    window = models.SmallIntegerField(_("jendela (hari sebelum habis)"))
    expires_on = models.DateField(_("berlaku sampai"))
    sent_at = models.DateTimeField(_("dikirim"), auto_now_add=True)
    recipients = models.JSONField(_("penerima"), default=list, blank=True)

    class Meta:
        verbose_name = _("pengingat masa berlaku")
        verbose_name_plural = _("pengingat masa berlaku")
        constraints = [
            # Once per certification, window and expiry date (a renewed certificate gets reminded again).
            models.UniqueConstraint(fields=["certification", "window", "expires_on"], name="expiry_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.certification} ({self.window})"


class Notice(models.Model):
    """An on-site notice to one user (shown on the quality pages and counted on the dashboard)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quality_notices")
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notice_recipient_idx")]

    def __str__(self) -> str:
        return self.title


# --- Checklist templates (versioned) ------------------------------------------------------------------------------


class ChecklistTemplate(TimestampedModel):
    """A checklist family (ISO 9001, CPPOB, sentra management), maintained by national admins."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=ChecklistKind.choices)
    description = models.TextField(_("keterangan"), blank=True)

    class Meta:
        verbose_name = _("templat daftar periksa")
        verbose_name_plural = _("templat daftar periksa")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def published_version(self) -> ChecklistVersion | None:
        return self.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


class ChecklistVersion(TimestampedModel):
    """One frozen edition of a template. Only a draft may be edited; publishing retires the previous one."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("nomor versi"))
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)
    notes = models.TextField(_("catatan perubahan"), blank=True)

    class Meta:
        verbose_name = _("versi daftar periksa")
        verbose_name_plural = _("versi daftar periksa")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="checklist_version_unique"),
            models.UniqueConstraint(
                fields=["template"], condition=Q(status="published"), name="checklist_one_published"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template.name} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class ChecklistSection(models.Model):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    code = models.CharField(_("kode"), max_length=20, blank=True)
    title = models.CharField(_("judul bagian"), max_length=200)

    class Meta:
        verbose_name = _("bagian daftar periksa")
        verbose_name_plural = _("bagian daftar periksa")
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class ChecklistItem(models.Model):
    section = models.ForeignKey(ChecklistSection, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    code = models.CharField(_("kode"), max_length=20, blank=True)
    text = models.CharField(_("butir pemeriksaan"), max_length=500)
    guidance = models.TextField(_("panduan"), blank=True)
    weight = models.DecimalField(
        _("bobot"), max_digits=5, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        verbose_name = _("butir daftar periksa")
        verbose_name_plural = _("butir daftar periksa")
        ordering = ["section__order", "order", "id"]
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="checklist_item_weight_positive")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip()


# --- Assessments, findings and corrective actions ------------------------------------------------------------


class Assessment(RegionOwnedModel):
    """A checklist assessment of one business by an officer or trainer."""

    business = models.ForeignKey(
        "registry.Business", verbose_name=_("usaha"), on_delete=models.CASCADE, related_name="quality_assessments"
    )
    checklist = models.ForeignKey(
        ChecklistVersion, verbose_name=_("daftar periksa"), on_delete=models.PROTECT, related_name="assessments"
    )
    assessor = user_field(_("penilai"), related_name="quality_assessments")
    assessed_on = models.DateField(_("tanggal penilaian"))
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    summary = models.TextField(_("ringkasan"), blank=True)
    #: Cached at completion: 0–100 (% of the maximum weighted score of the applicable items).
    total_score = models.DecimalField(_("nilai total (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    #: A training batch may schedule an assessment before and after the class ("link to training").
    batch = models.ForeignKey(
        "training.Batch",
        verbose_name=_("kelas pelatihan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quality_assessments",
    )
    phase = models.CharField(_("tahap pelatihan"), max_length=6, choices=Phase.choices, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("penilaian mutu")
        verbose_name_plural = _("penilaian mutu")
        ordering = ["-assessed_on", "-id"]
        indexes = [
            models.Index(fields=["region", "-assessed_on", "-id"], name="assessment_region_date_idx"),
            models.Index(fields=["business", "-assessed_on"], name="assessment_business_idx"),
            models.Index(fields=["batch", "phase"], name="assessment_batch_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(batch__isnull=True) | ~Q(phase=""), name="assessment_batch_needs_phase"),
        ]

    def __str__(self) -> str:
        return f"{self.checklist.template.name} – {self.business} ({self.assessed_on:%d-%m-%Y})"

    def get_absolute_url(self) -> str:
        return reverse("quality:assessment_detail", args=[self.pk])


class AssessmentAnswer(models.Model):
    """The score of one frozen checklist item: 0–4, or not applicable (``score`` is null)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(_("nilai"), null=True, blank=True, validators=[MaxValueValidator(4)])
    not_applicable = models.BooleanField(_("tidak berlaku"), default=False)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    photo = models.FileField(_("foto bukti"), upload_to=photo_upload_to, max_length=200, blank=True)

    class Meta:
        verbose_name = _("jawaban penilaian")
        verbose_name_plural = _("jawaban penilaian")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="assessment_answer_unique"),
            models.CheckConstraint(condition=Q(score__lte=4) | Q(score__isnull=True), name="answer_score_0_4"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"


class Finding(RegionOwnedModel):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("penilaian"), on_delete=models.CASCADE, related_name="findings"
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("butir terkait"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    severity = models.CharField(_("tingkat"), max_length=12, choices=Severity.choices, default=Severity.MINOR)
    description = models.TextField(_("uraian temuan"))
    created_by = user_field(editable=False)

    class Meta:
        verbose_name = _("temuan")
        verbose_name_plural = _("temuan")
        ordering = ["assessment", "id"]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.description[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("quality:assessment_detail", args=[self.assessment_id]) + f"#temuan-{self.pk}"


class CorrectiveAction(RegionOwnedModel):
    """A corrective action (CAPA) for one finding: open → in progress → done → verified (by an officer)."""

    finding = models.ForeignKey(Finding, verbose_name=_("temuan"), on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("tindakan perbaikan"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penanggung jawab"),
        on_delete=models.PROTECT,
        related_name="quality_actions",
    )
    due_on = models.DateField(_("batas waktu"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_at = models.DateTimeField(_("selesai pada"), null=True, blank=True, editable=False)
    done_note = models.TextField(_("catatan penyelesaian"), blank=True)
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True, editable=False)
    verified_by = user_field(editable=False)

    objects = CorrectiveActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("tindakan perbaikan")
        verbose_name_plural = _("tindakan perbaikan")
        ordering = ["due_on", "id"]
        permissions = [("verify_correctiveaction", _("Dapat memverifikasi tindakan perbaikan"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False), name="action_verified_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status", "due_on", "id"], name="action_region_due_idx"),
            models.Index(fields=["responsible", "status"], name="action_responsible_idx"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("quality:action_detail", args=[self.pk])


# --- INDI 4.0 (docs/domain.md §6) -------------------------------------------------------------------------------


class IndiVersion(TimestampedModel):
    """One edition of the INDI 4.0 questions and pillar weights. The official weights are unconfirmed (L)."""

    number = models.PositiveIntegerField(_("nomor versi"), unique=True)
    label = models.CharField(_("nama"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    weights_note = models.TextField(_("sumber bobot"), blank=True)
    weights_verified = models.BooleanField(_("bobot terverifikasi"), default=False)

    class Meta:
        verbose_name = _("versi INDI 4.0")
        verbose_name_plural = _("versi INDI 4.0")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="published"), name="indi_one_published")
        ]

    def __str__(self) -> str:
        return f"{self.label} (v{self.number})"


class IndiPillar(models.Model):
    version = models.ForeignKey(IndiVersion, on_delete=models.CASCADE, related_name="pillars")
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    code = models.CharField(_("kode"), max_length=20)
    name = models.CharField(_("pilar"), max_length=100)
    short_name = models.CharField(_("nama singkat"), max_length=30)
    weight = models.DecimalField(
        _("bobot"), max_digits=5, decimal_places=4, validators=[MinValueValidator(Decimal("0.0001"))]
    )

    class Meta:
        verbose_name = _("pilar INDI 4.0")
        verbose_name_plural = _("pilar INDI 4.0")
        ordering = ["version", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="indi_pillar_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="indi_pillar_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class IndiQuestion(models.Model):
    pillar = models.ForeignKey(IndiPillar, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    indicator = models.CharField(_("bidang"), max_length=100)
    text = models.CharField(_("pertanyaan"), max_length=500)
    #: Five descriptions, one per level 0–4 (what a business at that level does).
    options = models.JSONField(_("uraian tingkat 0–4"), default=list)

    class Meta:
        verbose_name = _("pertanyaan INDI 4.0")
        verbose_name_plural = _("pertanyaan INDI 4.0")
        ordering = ["pillar__order", "order", "id"]

    def __str__(self) -> str:
        return self.indicator


#: The kinds of training programme an advice row may point to (the values of ``training.ProgrammeKind``; kept as
#: plain codes here, quality does not import training).
CLASS_KINDS = ("bimtek", "pelatihan", "diklat3in1", "workshop")


def _codes(text: str) -> list[str]:
    return [c.strip().lower() for c in (text or "").replace(";", ",").split(",") if c.strip()]


class IndiAdvice(TimestampedModel):
    """Advice shown with an INDI 4.0 result for a weak pillar, with the classes that teach it.

    Data, like the questions: one list per questionnaire version (through the pillar), edited in the admin. A row
    applies when the pillar's score is at least ``min_score`` and below ``below_score``; ``class_kinds`` says which
    kinds of class to offer and ``class_keywords`` (optional) narrows them to programmes whose title or
    competencies mention one of the words."""

    pillar = models.ForeignKey(IndiPillar, verbose_name=_("pilar"), on_delete=models.CASCADE, related_name="advice")
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    min_score = models.DecimalField(
        _("berlaku dari nilai"),
        max_digits=3,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(4))],
    )
    below_score = models.DecimalField(
        _("sampai di bawah nilai"),
        max_digits=3,
        decimal_places=2,
        default=Decimal(4),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(4))],
        help_text=_("Saran tampil bila nilai pilar ≥ nilai awal dan < nilai ini."),
    )
    title = models.CharField(_("judul saran"), max_length=150)
    text = models.TextField(_("saran"))
    class_kinds = models.CharField(
        _("jenis kelas yang disarankan"),
        max_length=100,
        blank=True,
        help_text=_("Kode jenis program, dipisah koma: bimtek, pelatihan, diklat3in1, workshop."),
    )
    class_keywords = models.CharField(
        _("kata kunci kelas"),
        max_length=200,
        blank=True,
        help_text=_("Opsional, dipisah koma: hanya kelas yang judul/kompetensinya memuat salah satu kata ini."),
    )

    class Meta:
        verbose_name = _("saran INDI 4.0")
        verbose_name_plural = _("saran INDI 4.0")
        ordering = ["pillar__order", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(below_score__gt=models.F("min_score")), name="indi_advice_range"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kinds(self) -> list[str]:
        return _codes(self.class_kinds)

    @property
    def keywords(self) -> list[str]:
        return _codes(self.class_keywords)

    def applies_to(self, score: Decimal | None) -> bool:
        return score is not None and self.min_score <= score < self.below_score

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        unknown = [k for k in self.kinds if k not in CLASS_KINDS]
        if unknown:
            raise ValidationError(
                {
                    "class_kinds": _("Jenis kelas tidak dikenal: {codes}. Pilih dari: {known}.").format(
                        codes=", ".join(unknown), known=", ".join(CLASS_KINDS)
                    )
                }
            )
        if self.min_score is not None and self.below_score is not None and self.below_score <= self.min_score:
            raise ValidationError({"below_score": _("Batas atas harus lebih besar dari nilai awal.")})


class IndiAssessment(RegionOwnedModel):
    """One INDI 4.0 self-assessment of a business, filled by its owner or an officer, verified by an officer."""

    business = models.ForeignKey(
        "registry.Business", verbose_name=_("usaha"), on_delete=models.CASCADE, related_name="indi_assessments"
    )
    #: (Not ``version``: that name is the optimistic-lock counter of every region-owned model.)
    questionnaire = models.ForeignKey(
        IndiVersion, verbose_name=_("versi kuesioner"), on_delete=models.PROTECT, related_name="assessments"
    )
    filled_by = user_field(_("diisi oleh"), related_name="indi_assessments")
    status = models.CharField(_("status"), max_length=10, choices=IndiStatus.choices, default=IndiStatus.DRAFT)
    submitted_at = models.DateTimeField(_("dikirim"), null=True, blank=True, editable=False)
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True, editable=False)
    verified_by = user_field(editable=False)
    verification_note = models.TextField(_("catatan verifikasi"), blank=True)
    #: Cached at submission (and on verification): the weighted overall score 0–4 and its pillar scores.
    overall = models.DecimalField(_("indeks"), max_digits=4, decimal_places=2, null=True, blank=True)
    pillar_scores = models.JSONField(_("nilai per pilar"), default=dict, blank=True)

    objects = IndiAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("penilaian INDI 4.0")
        verbose_name_plural = _("penilaian INDI 4.0")
        ordering = ["-created_at", "-id"]
        permissions = [("verify_indiassessment", _("Dapat memverifikasi penilaian INDI 4.0"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__isnull=True) | (Q(overall__gte=0) & Q(overall__lte=4)), name="indi_overall_0_4"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status", "-created_at"], name="indi_region_idx"),
            models.Index(fields=["business", "-created_at"], name="indi_business_idx"),
        ]

    def __str__(self) -> str:
        return f"INDI 4.0 – {self.business} ({self.created_at:%d-%m-%Y})" if self.created_at else "INDI 4.0"

    def get_absolute_url(self) -> str:
        return reverse("quality:indi_detail", args=[self.pk])


class IndiAnswer(models.Model):
    assessment = models.ForeignKey(IndiAssessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(IndiQuestion, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(_("tingkat"), validators=[MaxValueValidator(4)])
    note = models.CharField(_("keterangan"), max_length=500, blank=True)
    evidence = models.FileField(_("bukti"), upload_to=evidence_upload_to, max_length=200, blank=True)

    class Meta:
        verbose_name = _("jawaban INDI 4.0")
        verbose_name_plural = _("jawaban INDI 4.0")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="indi_answer_unique"),
            models.CheckConstraint(condition=Q(score__lte=4), name="indi_answer_score_0_4"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.score}"
