"""DAK bidang IKM: fiscal years, funds, menus, allocations, activity plans and their realisation.

Every number that comes from a regulation (stage percentages, absorption thresholds, the single-transfer limit,
the 70 % target-centre share, document deadlines) is stored as DATA per fiscal year, seeded from docs/domain.md §3
(``sentra.budget.seed``) and editable in the Django admin, because the rules change every year
(docs/domain.md §3c: "re-check the PMK for the current year").
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sentra.budget.choices import AllocationSource, FundKind, PlanStatus, TransferStatus
from sentra.budget.querysets import (
    ActivityPlanQuerySet,
    AllocationQuerySet,
    BudgetLineQuerySet,
)
from sentra.core.models import AuditedModel, RegionOwnedModel, TimestampedModel, region_field, user_field

ZERO = Decimal(0)
MONEY = {"max_digits": 18, "decimal_places": 2, "validators": [MinValueValidator(ZERO)]}
PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(ZERO), MaxValueValidator(Decimal(100))],
}


# --- Reference data per fiscal year (admin-editable, seeded from docs/domain.md §3) ------------------------------


class FiscalYear(TimestampedModel, AuditedModel):
    """A tahun anggaran (TA) with its reporting rules."""

    year = models.PositiveSmallIntegerField(
        _("tahun anggaran"), unique=True, validators=[MinValueValidator(2016), MaxValueValidator(2100)]
    )
    legal_basis = models.CharField(
        _("dasar hukum penyaluran"),
        max_length=200,
        blank=True,
        help_text=_("Misalnya PMK 198/PMK.07/2021."),
    )
    #: docs/domain.md §3c: quarterly reports to Kemenperin are customary (M); the deadline is not in the sources,
    #: so it is data (days after the quarter ends).
    report_due_days = models.PositiveSmallIntegerField(
        _("batas laporan triwulan (hari setelah triwulan berakhir)"), default=10
    )
    notes = models.TextField(_("catatan/sumber"), blank=True)
    is_open = models.BooleanField(_("terbuka untuk perencanaan"), default=True)

    class Meta:
        verbose_name = _("tahun anggaran")
        verbose_name_plural = _("tahun anggaran")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"TA {self.year}"


class Fund(TimestampedModel, AuditedModel):
    """One DAK fund in one fiscal year with its national ceiling (pagu nasional), docs/domain.md §3a."""

    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.PROTECT, related_name="funds"
    )
    kind = models.CharField(_("jenis dana"), max_length=10, choices=FundKind.choices)
    name = models.CharField(_("nama"), max_length=200)
    ceiling = models.DecimalField(_("pagu nasional (Rp)"), **MONEY)
    ceiling_source = models.CharField(_("sumber pagu"), max_length=300, blank=True)
    #: docs/domain.md §3c (PMK 198/2021): one transfer (sekaligus) when the region's pagu is at most Rp1 billion.
    single_transfer_limit = models.DecimalField(
        _("batas penyaluran sekaligus (Rp)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    #: 2019 FAQ: "sampai dengan Rp1 M" (inclusive); 2023 slide: "di bawah Rp1 M" (exclusive).
    single_transfer_inclusive = models.BooleanField(_("batas sekaligus termasuk nilai batas"), default=True)
    #: docs/domain.md §3b: DAK Nonfisik, at least 70 % of the allocation to the target sentra.
    target_centre_min_pct = models.DecimalField(
        _("porsi minimal untuk sentra sasaran (%)"), null=True, blank=True, **PERCENT
    )

    class Meta:
        verbose_name = _("dana DAK")
        verbose_name_plural = _("dana DAK")
        ordering = ["-fiscal_year__year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "kind"], name="budget_fund_year_kind_unique"),
            models.CheckConstraint(condition=Q(ceiling__gte=0), name="budget_fund_ceiling_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} TA {self.fiscal_year.year}"


class Menu(models.Model):
    """A DAK menu (docs/domain.md §3b), e.g. "B. Pengelolaan Kelembagaan" of DAK Nonfisik."""

    fund = models.ForeignKey(Fund, verbose_name=_("dana"), on_delete=models.CASCADE, related_name="menus")
    code = models.CharField(_("kode"), max_length=10)
    name = models.CharField(_("nama"), max_length=200)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("menu DAK")
        verbose_name_plural = _("menu DAK")
        ordering = ["fund", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["fund", "code"], name="budget_menu_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class SubMenu(models.Model):
    """A sub-menu with its output and output unit (docs/domain.md §3c output indicators)."""

    menu = models.ForeignKey(Menu, verbose_name=_("menu"), on_delete=models.CASCADE, related_name="sub_menus")
    code = models.CharField(_("kode"), max_length=10)
    name = models.CharField(_("nama"), max_length=200)
    output_name = models.CharField(_("keluaran (output)"), max_length=200)
    output_unit = models.CharField(_("satuan keluaran"), max_length=30)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("sub-menu DAK")
        verbose_name_plural = _("sub-menu DAK")
        ordering = ["menu", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["menu", "code"], name="budget_submenu_code_unique")]

    def __str__(self) -> str:
        return f"{self.menu.code}.{self.code} {self.name}"


class DisbursementStage(models.Model):
    """A transfer stage (tahap) with its percentage and conditions: PMK 198/PMK.07/2021, docs/domain.md §3c."""

    fund = models.ForeignKey(Fund, verbose_name=_("dana"), on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField(_("tahap"), validators=[MinValueValidator(1)])
    name = models.CharField(_("nama"), max_length=100)
    #: Share of the pagu; empty for "the remaining need" (tahap III, contract-based).
    percent = models.DecimalField(_("persentase dari pagu"), null=True, blank=True, **PERCENT)
    is_remainder = models.BooleanField(_("sisa kebutuhan (berdasarkan kontrak)"), default=False)
    #: Absorption of the funds received so far (penyaluran), in % (tahap II: 75, tahap III: 90).
    min_absorption_pct = models.DecimalField(_("penyerapan minimal (%)"), null=True, blank=True, **PERCENT)
    #: Output achieved against the target, in % (tahap III: 70).
    min_output_pct = models.DecimalField(_("capaian keluaran minimal (%)"), null=True, blank=True, **PERCENT)
    requires_output_report = models.BooleanField(_("wajib laporan keluaran"), default=False)
    requires_approved_plan = models.BooleanField(_("wajib RK disetujui"), default=True)
    requires_contracts = models.BooleanField(_("wajib daftar kontrak"), default=False)
    opens_on = models.DateField(_("mulai dapat disalurkan"), null=True, blank=True)
    documents_due = models.DateField(_("batas dokumen"), null=True, blank=True)
    documents = models.TextField(_("dokumen persyaratan"), blank=True)

    class Meta:
        verbose_name = _("tahap penyaluran")
        verbose_name_plural = _("tahap penyaluran")
        ordering = ["fund", "number"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "number"], name="budget_stage_number_unique"),
            models.CheckConstraint(
                condition=Q(is_remainder=True) | Q(percent__isnull=False), name="budget_stage_percent_or_remainder"
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- Region-owned data --------------------------------------------------------------------------------------


class Allocation(RegionOwnedModel):
    """The pagu of one regency/city in one fund. The sum never exceeds the fund's ceiling (service check)."""

    fund = models.ForeignKey(Fund, verbose_name=_("dana"), on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("pagu (Rp)"), **MONEY)
    source = models.CharField(
        _("sumber data"), max_length=10, choices=AllocationSource.choices, default=AllocationSource.ENTERED
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    objects = AllocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("alokasi (pagu daerah)")
        verbose_name_plural = _("alokasi (pagu daerah)")
        ordering = ["fund", "region"]
        permissions = [("import_allocation", _("Dapat mengimpor alokasi DAK"))]
        constraints = [
            models.UniqueConstraint(fields=["fund", "region"], name="budget_allocation_fund_region_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_allocation_amount_pos"),
        ]
        indexes = [models.Index(fields=["region", "fund"], name="budget_alloc_region_idx")]

    @property
    def absorption_pct(self) -> Decimal:
        """Realisasi penyerapan (paid ÷ received, two decimals, half up) of an allocation read through
        ``selectors.allocation_list`` (its ``paid_total``/``received_total``): the figure the allocation page
        and the dashboard show, from the same function (``figures.pct``)."""
        from sentra.budget.figures import pct

        return pct(self.paid_total, self.received_total)  # type: ignore[attr-defined]

    def __str__(self) -> str:
        return f"{self.fund} — {self.region}"

    def get_absolute_url(self) -> str:
        return reverse("budget:allocation_detail", args=[self.pk])


class ActivityPlan(RegionOwnedModel):
    """A rencana kegiatan (RK) version. A revision of an approved plan is a new row; the old one is kept."""

    allocation = models.ForeignKey(
        Allocation, verbose_name=_("alokasi"), on_delete=models.PROTECT, related_name="plans"
    )
    revision = models.PositiveSmallIntegerField(_("revisi ke"), default=0)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("versi sebelumnya"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_revision",
    )
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    title = models.CharField(_("judul"), max_length=200)
    notes = models.TextField(_("catatan"), blank=True)
    revision_reason = models.TextField(_("alasan revisi"), blank=True)
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True, editable=False)
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("disetujui pada"), null=True, blank=True, editable=False)
    created_by = user_field(editable=False)

    objects = ActivityPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("rencana kegiatan")
        verbose_name_plural = _("rencana kegiatan")
        ordering = ["allocation", "-revision"]
        permissions = [
            ("submit_activityplan", _("Dapat mengajukan rencana kegiatan")),
            ("verify_activityplan", _("Dapat memverifikasi rencana kegiatan (provinsi)")),
            ("approve_activityplan", _("Dapat menyetujui rencana kegiatan (kementerian)")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "revision"], name="budget_plan_revision_unique"),
            # At most one version of a plan is being worked on at a time.
            models.UniqueConstraint(
                fields=["allocation"],
                condition=Q(status__in=["draft", "submitted", "verified", "returned"]),
                name="budget_plan_one_open",
            ),
            models.UniqueConstraint(
                fields=["allocation"], condition=Q(status="approved"), name="budget_plan_one_approved"
            ),
        ]
        indexes = [models.Index(fields=["region", "status"], name="budget_plan_region_status_idx")]

    def __str__(self) -> str:
        return f"{self.title} (rev. {self.revision})"

    def get_absolute_url(self) -> str:
        return reverse("budget:plan_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)


class PlanStep(models.Model):
    """One workflow step of a plan, with the comment given ("each step with comments")."""

    plan = models.ForeignKey(ActivityPlan, verbose_name=_("rencana"), on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(_("dari"), max_length=12, choices=PlanStatus.choices, blank=True)
    to_status = models.CharField(_("ke"), max_length=12, choices=PlanStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("nama"), max_length=150, blank=True)
    comment = models.TextField(_("komentar"), blank=True)
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("langkah persetujuan")
        verbose_name_plural = _("langkah persetujuan")
        ordering = ["plan", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class BudgetLine(RegionOwnedModel):
    """One line of an activity plan. Centres and training batches point here (STYLE A2)."""

    plan = models.ForeignKey(ActivityPlan, verbose_name=_("rencana"), on_delete=models.CASCADE, related_name="lines")
    #: The first version of this line; copies in later revisions share it, so realisation follows the line.
    origin = models.ForeignKey(
        "self",
        verbose_name=_("baris asal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    sub_menu = models.ForeignKey(SubMenu, verbose_name=_("sub-menu"), on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("uraian kegiatan"), max_length=300)
    output_name = models.CharField(_("keluaran"), max_length=200)
    unit = models.CharField(_("satuan"), max_length=30)
    volume = models.DecimalField(
        _("volume"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit_cost = models.DecimalField(_("harga satuan (Rp)"), **MONEY)
    total = models.DecimalField(_("jumlah (Rp)"), editable=False, **MONEY)
    location = models.CharField(_("lokasi"), max_length=300, blank=True)
    district = region_field(_("kecamatan"), 3)
    #: The centre the line builds, equips or strengthens. A foreign key rather than a typed name, so the centre's
    #: funding history is computed from its DAK lines and both pages link to each other (docs/architecture.md,
    #: "Declared couplings": the one reference from budget up to centres; no Python import goes upward).
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name=_("sentra IKM"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_lines",
    )
    #: DAK Nonfisik (docs/domain.md §3b): spending on the target sentra counts towards the 70 % minimum.
    for_target_centre = models.BooleanField(_("untuk sentra sasaran"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("baris anggaran")
        verbose_name_plural = _("baris anggaran")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(volume__gt=0), name="budget_line_volume_pos"),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="budget_line_unit_cost_nonneg"),
        ]
        indexes = [models.Index(fields=["region", "plan"], name="budget_line_region_idx")]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("budget:line_detail", args=[self.pk])

    def compute_total(self) -> Decimal:
        return (self.volume * self.unit_cost).quantize(Decimal("0.01"))


class Contract(RegionOwnedModel):
    """A contract paid from one budget line. The contracts of a line never exceed its amount."""

    line = models.ForeignKey(
        BudgetLine, verbose_name=_("baris anggaran"), on_delete=models.PROTECT, related_name="contracts"
    )
    vendor = models.CharField(_("penyedia"), max_length=200)
    number = models.CharField(_("nomor kontrak"), max_length=100)
    signed_on = models.DateField(_("tanggal kontrak"))
    value = models.DecimalField(_("nilai kontrak (Rp)"), **MONEY)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))

    class Meta:
        verbose_name = _("kontrak")
        verbose_name_plural = _("kontrak")
        ordering = ["line", "signed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="budget_contract_value_pos"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="budget_contract_dates"),
            models.UniqueConstraint(fields=["region", "number"], name="budget_contract_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.vendor}"

    def get_absolute_url(self) -> str:
        return reverse("budget:line_detail", args=[self.line_id])


class Payment(RegionOwnedModel):
    """A payment against a contract (realisasi keuangan). Payments never exceed the contract value."""

    contract = models.ForeignKey(Contract, verbose_name=_("kontrak"), on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("tanggal bayar"))
    amount = models.DecimalField(_("jumlah (Rp)"), **MONEY)
    reference = models.CharField(_("nomor SP2D/bukti"), max_length=100, blank=True)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pembayaran")
        verbose_name_plural = _("pembayaran")
        ordering = ["contract", "paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="budget_payment_amount_pos")]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount}"


class Transfer(RegionOwnedModel):
    """A transfer (penyaluran) of one stage from RKUN to the region's RKUD (PMK 198/2021, docs/domain.md §3c)."""

    allocation = models.ForeignKey(
        Allocation, verbose_name=_("alokasi"), on_delete=models.PROTECT, related_name="transfers"
    )
    #: Empty for a single transfer (sekaligus).
    stage = models.ForeignKey(
        DisbursementStage, verbose_name=_("tahap"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("jumlah (Rp)"), **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    requested_on = models.DateField(_("tanggal pengajuan"))
    received_on = models.DateField(_("tanggal diterima"), null=True, blank=True)
    #: The conditions as evaluated when the stage was requested (kept as evidence).
    conditions = models.JSONField(_("syarat saat pengajuan"), default=list, blank=True)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("penyaluran")
        verbose_name_plural = _("penyaluran")
        ordering = ["allocation", "requested_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_transfer_amount_pos"),
            models.UniqueConstraint(
                fields=["allocation", "stage"],
                condition=~Q(status="rejected"),
                name="budget_transfer_stage_once",
            ),
        ]

    def __str__(self) -> str:
        return self.stage.name if self.stage_id else str(_("Penyaluran sekaligus"))


def progress_photo_path(instance: ProgressPhoto, filename: str) -> str:
    return f"budget/progress/{instance.region_id}/{filename}"


class ProgressReport(RegionOwnedModel):
    """Physical progress and output achieved on one line at a date (realisasi fisik, capaian output)."""

    line = models.ForeignKey(
        BudgetLine, verbose_name=_("baris anggaran"), on_delete=models.PROTECT, related_name="progress"
    )
    reported_on = models.DateField(_("tanggal"))
    physical_pct = models.DecimalField(_("realisasi fisik (%)"), **PERCENT)
    output_achieved = models.DecimalField(
        _("keluaran tercapai (volume)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    note = models.TextField(_("keterangan"), blank=True)

    class Meta:
        verbose_name = _("laporan kemajuan")
        verbose_name_plural = _("laporan kemajuan")
        ordering = ["line", "-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(physical_pct__gte=0) & Q(physical_pct__lte=100), name="budget_progress_pct_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reported_on} {self.physical_pct}%"


class ProgressPhoto(RegionOwnedModel):
    """A dated photo proving progress (checked by content type and size when uploaded)."""

    progress = models.ForeignKey(
        ProgressReport, verbose_name=_("laporan kemajuan"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("foto"), upload_to=progress_photo_path, max_length=300)
    taken_on = models.DateField(_("tanggal foto"))
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    content_type = models.CharField(max_length=50, editable=False)
    size = models.PositiveIntegerField(editable=False, default=0)

    class Meta:
        verbose_name = _("foto bukti")
        verbose_name_plural = _("foto bukti")
        ordering = ["progress", "taken_on", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name
