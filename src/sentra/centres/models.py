"""Sentra IKM (docs/domain.md §2): centres, workshop units, tenancies, members, facilities, grants, funding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sentra.centres.choices import (
    LETTABLE_STATUSES,
    CentreStatus,
    Condition,
    FacilityCategory,
    FundingSource,
    GrantStatus,
    ManagingBody,
    Ownership,
    ReportPeriod,
    Sector,
    UnitKind,
    Utilisation,
)
from sentra.core.models import (
    AuditedModel,
    RegionOwnedModel,
    TimestampedModel,
    kbli_many_field,
    latitude_field,
    longitude_field,
    region_field,
    user_field,
)
from sentra.core.querysets import RegionScopedQuerySet
from sentra.core.versioning import VersionedModel

MONEY = {"max_digits": 18, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}
AREA = {"max_digits": 12, "decimal_places": 2, "null": True, "blank": True, "validators": [MinValueValidator(0)]}


class CentreQuerySet(RegionScopedQuerySet):
    def search(self, text: str) -> CentreQuerySet:
        text = " ".join((text or "").split())
        return self.filter(Q(name__icontains=text) | Q(commodity__icontains=text)) if text else self


class Centre(RegionOwnedModel):
    """A Sentra IKM: at least five IKM in one place making similar products (PP 29/2018 Pasal 1, docs/domain.md §2a)."""

    name = models.CharField(_("nama sentra"), max_length=200)
    sector = models.CharField(_("sektor"), max_length=12, choices=Sector.choices, default=Sector.LAINNYA)
    commodity = models.CharField(_("komoditas/produk utama"), max_length=200, blank=True)
    kbli = kbli_many_field(_("KBLI"))
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    village = region_field(_("desa/kelurahan"), 4)
    latitude = latitude_field()
    longitude = longitude_field()
    managing_body = models.CharField(
        _("bentuk pengelola"), max_length=10, choices=ManagingBody.choices, default=ManagingBody.UPTD
    )
    managing_body_name = models.CharField(_("nama pengelola"), max_length=200, blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengelola (akun)"),
        blank=True,
        related_name="managed_centres",
        limit_choices_to={"role": "centre_manager"},
    )
    land_area_m2 = models.DecimalField(_("luas lahan (m²)"), **AREA)
    building_area_m2 = models.DecimalField(_("luas bangunan (m²)"), **AREA)
    land_status = models.CharField(_("status lahan"), max_length=100, blank=True)
    year_built = models.PositiveSmallIntegerField(
        _("tahun dibangun"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    sk_number = models.CharField(_("nomor SK penetapan"), max_length=120, blank=True)
    sk_date = models.DateField(_("tanggal SK penetapan"), null=True, blank=True)
    inside_kpi = models.BooleanField(_("di dalam Kawasan Peruntukan Industri"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CentreStatus.choices, default=CentreStatus.PLANNED, editable=False
    )
    status_since = models.DateField(_("status sejak"), null=True, blank=True, editable=False)
    report_period = models.CharField(
        _("periode laporan"), max_length=10, choices=ReportPeriod.choices, default=ReportPeriod.MONTHLY
    )
    description = models.TextField(_("keterangan"), blank=True)

    objects = CentreQuerySet.as_manager()

    class Meta:
        verbose_name = _("sentra IKM")
        verbose_name_plural = _("sentra IKM")
        ordering = ["name", "id"]
        permissions = [("change_status_centre", _("Dapat mengubah status siklus hidup sentra"))]
        indexes = [
            models.Index(fields=["region", "name", "id"], name="centre_region_name_idx"),
            models.Index(fields=["status", "name"], name="centre_status_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("centres:centre_detail", args=[self.pk])

    @property
    def lettable(self) -> bool:
        """Units are let only while the centre operates (also during a revitalisation of a working centre)."""
        return self.status in LETTABLE_STATUSES

    @property
    def full_address(self) -> str:
        """Street, village and regency/city once each ("Kel. Sanua" typed as the address is not repeated)."""
        parts: list[str] = []
        for part in (self.address, str(self.village) if self.village_id else "", str(self.region)):
            part = (part or "").strip().rstrip(",")
            if part and not any(part.lower() in kept.lower() for kept in parts):
                parts.append(part)
        return ", ".join(parts) or "–"


class CentreChild(TimestampedModel, AuditedModel, VersionedModel):
    """A record that belongs to one centre and is scoped through it (``version``: optimistic lock)."""

    region_field = "centre__region"
    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def region_id(self) -> str:
        return self.centre.region_id


class CentreStatusChange(models.Model):
    """Dated lifecycle history (docs/domain.md §2c): one row per move, never edited."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("dari"), max_length=16, choices=CentreStatus.choices, blank=True)
    to_status = models.CharField(_("menjadi"), max_length=16, choices=CentreStatus.choices)
    date = models.DateField(_("tanggal"))
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    actor = user_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat status sentra")
        verbose_name_plural = _("riwayat status sentra")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.centre} {self.from_status}→{self.to_status} {self.date}"


class WorkshopUnit(CentreChild):
    """A workshop (rumah produksi) or support building of a centre."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("kode unit"), max_length=20)
    kind = models.CharField(_("jenis"), max_length=10, choices=UnitKind.choices, default=UnitKind.WORKSHOP)
    size_m2 = models.DecimalField(_("luas (m²)"), **AREA)
    condition = models.CharField(_("kondisi"), max_length=12, choices=Condition.choices, default=Condition.GOOD)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    #: Not a field: the current tenancy (or None), set on the units ``centres.selectors.centre_profile`` reads.
    tenant: Tenancy | None

    class Meta:
        verbose_name = _("unit workshop")
        verbose_name_plural = _("unit workshop")
        ordering = ["centre", "code", "id"]
        constraints = [models.UniqueConstraint(fields=["centre", "code"], name="unit_code_unique_per_centre")]

    def __str__(self) -> str:
        return f"{self.code}"


class Tenancy(CentreChild):
    """A business renting a unit. At most one tenant per unit at any date, enforced by the database:

    - an exclusion constraint over ``daterange(start_date, end_date, '[]')`` on PostgreSQL (btree_gist), and
    - triggers on SQLite; plus a partial unique index for open tenancies on both
    (migration 0002_tenancy_no_overlap).
    """

    unit = models.ForeignKey(WorkshopUnit, on_delete=models.PROTECT, related_name="tenancies")
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="tenancies", editable=False)
    business = models.ForeignKey("registry.Business", on_delete=models.PROTECT, related_name="tenancies")
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("berakhir"), null=True, blank=True, help_text=_("Kosongkan bila masih berjalan."))
    agreement_number = models.CharField(_("nomor perjanjian"), max_length=120, blank=True)
    annual_fee = models.DecimalField(_("sewa/retribusi per tahun (Rp)"), default=Decimal(0), **MONEY)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sewa unit")
        verbose_name_plural = _("sewa unit")
        ordering = ["unit", "-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")), name="tenancy_dates_ok"
            ),
            models.CheckConstraint(condition=Q(annual_fee__gte=0), name="tenancy_fee_nonneg"),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(end_date__isnull=True), name="tenancy_one_open_per_unit"
            ),
        ]
        indexes = [models.Index(fields=["unit", "start_date"], name="tenancy_unit_start_idx")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.business}"

    def active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class CentreMembership(CentreChild):
    """A registered business that belongs to the centre, tenant or not."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="memberships")
    business = models.ForeignKey("registry.Business", on_delete=models.PROTECT, related_name="centre_memberships")
    joined_on = models.DateField(_("bergabung"), null=True, blank=True)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("anggota sentra")
        verbose_name_plural = _("anggota sentra")
        ordering = ["centre", "id"]
        constraints = [models.UniqueConstraint(fields=["centre", "business"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.business} @ {self.centre}"


class Facility(CentreChild):
    """Shared facilities and equipment (sarana prasarana, machines) of a centre."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="facilities")
    name = models.CharField(_("nama"), max_length=200)
    category = models.CharField(_("kategori"), max_length=10, choices=FacilityCategory.choices)
    quantity = models.PositiveIntegerField(_("jumlah"), default=1, validators=[MinValueValidator(1)])
    condition = models.CharField(_("kondisi"), max_length=12, choices=Condition.choices, default=Condition.GOOD)
    year_acquired = models.PositiveSmallIntegerField(
        _("tahun perolehan"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    funding_source = models.CharField(_("sumber dana"), max_length=14, choices=FundingSource.choices, blank=True)
    ownership = models.CharField(_("kepemilikan"), max_length=12, choices=Ownership.choices, blank=True)
    value = models.DecimalField(_("nilai (Rp)"), null=True, blank=True, **MONEY)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sarana dan prasarana")
        verbose_name_plural = _("sarana dan prasarana")
        ordering = ["centre", "category", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0) | Q(value__isnull=True), name="facility_value_nonneg")
        ]

    def __str__(self) -> str:
        return self.name


def attachment_path(instance: Attachment, filename: str) -> str:
    ext = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}.get(
        instance.content_type, "bin"
    )
    return f"centres/{instance.centre_id}/{dt.date.today():%Y%m}/{instance.kind}-{instance.checksum[:16]}.{ext}"  # noqa: DTZ011


class Attachment(CentreChild):
    """A photo or document of a facility or equipment grant; stored with Django's storage API (S3 in production)."""

    KIND_PHOTO = "photo"
    KIND_DOCUMENT = "document"

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="attachments")
    facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    grant = models.ForeignKey(
        "EquipmentGrant", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=[("photo", _("Foto")), ("document", _("Dokumen"))])
    file = models.FileField(_("berkas"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(_("jenis isi"), max_length=60)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    checksum = models.CharField(max_length=64)
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    uploaded_by = user_field()

    class Meta:
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(facility__isnull=False) | Q(grant__isnull=False), name="attachment_has_owner"
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class CentreFunding(CentreChild):
    """Funding history per year (docs/domain.md §2d): source, menu, ceiling (pagu), realisation, output.

    A DAK-funded row links to its budget line (``budget.BudgetLine``); other sources keep the menu as text.
    """

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="fundings")
    year = models.PositiveSmallIntegerField(
        _("tahun anggaran"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    source = models.CharField(_("sumber dana"), max_length=14, choices=FundingSource.choices)
    menu = models.CharField(_("menu/kegiatan"), max_length=200)
    ceiling = models.DecimalField(_("pagu (Rp)"), **MONEY)
    realised = models.DecimalField(_("realisasi (Rp)"), null=True, blank=True, **MONEY)
    output = models.CharField(_("keluaran"), max_length=300, blank=True)
    budget_line = models.ForeignKey(
        "budget.BudgetLine",
        verbose_name=_("baris anggaran DAK"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="centre_fundings",
    )

    class Meta:
        verbose_name = _("riwayat pendanaan")
        verbose_name_plural = _("riwayat pendanaan")
        ordering = ["centre", "-year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(realised__isnull=True) | Q(realised__lte=models.F("ceiling")),
                name="funding_realised_le_ceiling",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_source_display()} {self.menu}"


class EquipmentGrant(RegionOwnedModel):
    """A machine given to a centre or a business (hibah mesin): procurement → handover (BAST) → checks →
    reallocation of idle equipment. The current holder is denormalised from the latest handover."""

    name = models.CharField(_("nama mesin/peralatan"), max_length=200)
    specification = models.CharField(_("spesifikasi"), max_length=300, blank=True)
    quantity = models.PositiveIntegerField(_("jumlah"), default=1, validators=[MinValueValidator(1)])
    value = models.DecimalField(_("nilai pengadaan (Rp)"), **MONEY)
    funding_source = models.CharField(_("sumber dana"), max_length=14, choices=FundingSource.choices)
    year = models.PositiveSmallIntegerField(
        _("tahun pengadaan"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    procurement_ref = models.CharField(
        _("nomor kontrak/pengadaan"), max_length=120, blank=True, help_text=_("Akan ditautkan ke kontrak DAK.")
    )
    contract = models.ForeignKey(
        "budget.Contract",
        verbose_name=_("kontrak DAK"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="equipment_grants",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=GrantStatus.choices, default=GrantStatus.PROCURED, editable=False
    )
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("sentra pemegang"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        editable=False,
    )
    business = models.ForeignKey(
        "registry.Business",
        verbose_name=_("IKM pemegang"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="equipment_grants",
        editable=False,
    )

    class Meta:
        verbose_name = _("hibah mesin")
        verbose_name_plural = _("hibah mesin")
        ordering = ["-year", "name", "id"]
        indexes = [models.Index(fields=["region", "-year", "id"], name="grant_region_year_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("centres:grant_detail", args=[self.pk])

    @property
    def holder(self) -> Any:
        return self.centre or self.business


class EquipmentHandover(models.Model):
    """A handover record (BAST). The first one hands the procured machine over; later ones reallocate it."""

    grant = models.ForeignKey(EquipmentGrant, on_delete=models.CASCADE, related_name="handovers")
    bast_number = models.CharField(_("nomor BAST"), max_length=120)
    date = models.DateField(_("tanggal serah terima"))
    recipient_centre = models.ForeignKey(
        Centre, verbose_name=_("sentra penerima"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_business = models.ForeignKey(
        "registry.Business",
        verbose_name=_("IKM penerima"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_reallocation = models.BooleanField(_("realokasi"), default=False)
    reason = models.CharField(_("alasan"), max_length=300, blank=True)
    actor = user_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("serah terima (BAST)")
        verbose_name_plural = _("serah terima (BAST)")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(recipient_centre__isnull=False) & Q(recipient_business__isnull=True))
                | (Q(recipient_centre__isnull=True) & Q(recipient_business__isnull=False)),
                name="handover_one_recipient",
            ),
            models.UniqueConstraint(fields=["grant", "bast_number"], name="handover_bast_unique"),
        ]

    def __str__(self) -> str:
        return self.bast_number

    @property
    def recipient(self) -> Any:
        return self.recipient_centre or self.recipient_business


class EquipmentCheck(models.Model):
    """A periodic utilisation and condition check of a granted machine."""

    grant = models.ForeignKey(EquipmentGrant, on_delete=models.CASCADE, related_name="checks")
    date = models.DateField(_("tanggal pemeriksaan"))
    utilisation = models.CharField(_("pemanfaatan"), max_length=10, choices=Utilisation.choices)
    condition = models.CharField(_("kondisi"), max_length=12, choices=Condition.choices)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    actor = user_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pemeriksaan mesin")
        verbose_name_plural = _("pemeriksaan mesin")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.grant} {self.date}"
