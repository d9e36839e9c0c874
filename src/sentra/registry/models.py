"""Owners (pelaku usaha) and businesses (IKM): the ground floor of the domain."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sentra.core.models import (
    RegionOwnedModel,
    kbli_field,
    kbli_many_field,
    latitude_field,
    longitude_field,
    region_field,
    user_field,
)
from sentra.core.validators import mask_nik, mask_phone, validate_nib, validate_nik
from sentra.registry.choices import (
    BusinessStatus,
    Gender,
    LegalBasis,
    LegalForm,
    OwnershipRole,
    SizeClass,
    UmkmClass,
)
from sentra.registry.classification import (
    IK_INVESTMENT_LIMIT,
    IK_MAX_WORKERS,
    IM_INVESTMENT_LIMIT,
    UMKM_CAPITAL_LIMITS,
    UMKM_SALES_LIMITS,
    Classification,
    industry_size,
    umkm_size,
)
from sentra.registry.querysets import BusinessQuerySet, OwnerQuerySet


def size_classes(
    workers: int | None, investment: Decimal | None, turnover: Decimal | None, capital: Decimal | None
) -> tuple[str, str]:
    """The stored industry and UMKM classes, by the rules and thresholds of ``registry.classification``
    (docs/domain.md §1) without building its explanation text: every write of a business, one or a million rows,
    computes them here. Tested against the classification."""
    industry = ""
    if workers is not None and investment is not None:
        if workers <= IK_MAX_WORKERS:
            industry = SizeClass.KECIL if investment < IK_INVESTMENT_LIMIT else SizeClass.MENENGAH
        else:
            industry = SizeClass.MENENGAH if investment <= IM_INVESTMENT_LIMIT else SizeClass.BESAR
    umkm = ""
    amount, limits = (turnover, UMKM_SALES_LIMITS) if turnover is not None else (capital, UMKM_CAPITAL_LIMITS)
    if amount is not None:
        umkm = UmkmClass.BESAR
        for limit, klass in limits:
            if amount <= limit:
                umkm = klass
                break
    return str(industry), str(umkm)


def mask_email(value: str | None) -> str:
    """``b***@gmail.com``: the first letter and the domain stay (the domain says little about the person)."""
    if not value:
        return ""
    local, _at, domain = value.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


MONEY = {
    "max_digits": 18,
    "decimal_places": 2,
    "null": True,
    "blank": True,
    "validators": [MinValueValidator(Decimal(0))],
}


class SoftDeleteFields(models.Model):
    deleted_at = models.DateTimeField(_("dihapus pada"), null=True, blank=True, editable=False)
    deleted_by = user_field(editable=False)

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Owner(RegionOwnedModel, SoftDeleteFields):
    """A business person (pelaku usaha): the owner or manager of one or more IKM. Holds personal data (UU PDP)."""

    full_name = models.CharField(_("nama lengkap"), max_length=150)
    nik = models.CharField(
        _("NIK"),
        max_length=16,
        null=True,
        blank=True,
        validators=[validate_nik],
        help_text=_("16 angka sesuai KTP."),
    )
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    phone = models.CharField(_("telepon"), max_length=16, blank=True, help_text=_("Contoh: 0812-3456-7890"))
    email = models.EmailField(_("surel"), blank=True)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    village = region_field(_("desa/kelurahan"), 4)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owner_profile",
    )
    legal_basis = models.CharField(
        _("dasar pemrosesan data"), max_length=20, choices=LegalBasis.choices, default=LegalBasis.PUBLIC_TASK
    )
    anonymised_at = models.DateTimeField(_("dianonimkan pada"), null=True, blank=True, editable=False)

    objects = OwnerQuerySet.as_manager()

    #: Personal data masked wherever the audit trail is shown (UU PDP, docs/domain.md §8).
    audit_masks = {"nik": mask_nik, "phone": mask_phone}

    class Meta:
        verbose_name = _("pelaku usaha")
        verbose_name_plural = _("pelaku usaha")
        ordering = ["full_name", "id"]
        permissions = [("reveal_nik_owner", _("Dapat membuka NIK dan telepon lengkap"))]
        constraints = [
            models.UniqueConstraint(fields=["nik"], condition=Q(nik__isnull=False), name="owner_nik_unique"),
        ]
        indexes = [
            models.Index(fields=["region", "full_name", "id"], name="owner_region_name_idx"),
            models.Index(fields=["full_name", "id"], name="owner_name_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("registry:owner_detail", args=[self.pk])


class Business(RegionOwnedModel, SoftDeleteFields):
    """An IKM business: identity, location, KBLI, and the SIINas small-industry figures (docs/domain.md §9)."""

    # The foreign keys below carry no index of their own (db_index=False): each leads a composite index in
    # Meta.indexes (region, name, id), (district, name), (kbli, name), (village), which serves the same lookups.
    # At a national register every index costs the imports of a million rows; the single-column copies (and on
    # PostgreSQL their varchar_pattern_ops twins, for LIKE queries nothing runs on these columns) doubled four.
    region = region_field(_("kabupaten/kota"), 2, optional=False, db_index=False)
    name = models.CharField(_("nama usaha"), max_length=200)
    legal_form = models.CharField(
        _("bentuk usaha"),
        max_length=20,
        choices=LegalForm.choices,
        default=LegalForm.PERORANGAN,
        blank=True,
        help_text=_("Kosong bila tidak diketahui (misalnya singkatan yang tidak dikenal di nama usaha)."),
    )
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        null=True,
        blank=True,
        validators=[validate_nib],
        help_text=_("Nomor Induk Berusaha dari OSS, 13 angka."),
    )
    owners = models.ManyToManyField(
        Owner, through="Ownership", related_name="businesses", verbose_name=_("pelaku usaha")
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon usaha"), max_length=16, blank=True, help_text=_("Contoh: 0401-312345"))
    email = models.EmailField(_("surel usaha"), blank=True)
    website = models.URLField(_("situs web"), max_length=200, blank=True)
    village = region_field(_("desa/kelurahan"), 4, db_index=False)
    district = region_field(_("kecamatan"), 3, db_index=False)
    latitude = latitude_field()
    longitude = longitude_field()
    kbli = kbli_field(_("KBLI utama"), db_index=False)
    kbli_others = kbli_many_field(_("KBLI lain"))
    kbli_version = models.CharField(_("versi KBLI"), max_length=4, default="2020")
    # A code the register gave that KBLI 2020 does not know: kept as typed so an officer can correct it later
    # instead of the row being rejected (the main KBLI stays empty until then).
    kbli_unmatched = models.CharField(
        _("KBLI tidak dikenal (seperti tertulis)"),
        max_length=20,
        blank=True,
        help_text=_("Kode KBLI dari berkas impor yang tidak ada di KBLI 2020; perbaiki dengan memilih KBLI utama."),
    )
    commodity = models.CharField(_("komoditas/produk"), max_length=200, blank=True)
    workforce_male = models.PositiveIntegerField(_("tenaga kerja laki-laki"), null=True, blank=True)
    workforce_female = models.PositiveIntegerField(_("tenaga kerja perempuan"), null=True, blank=True)
    investment_value = models.DecimalField(_("nilai investasi tanpa tanah & bangunan (Rp)"), **MONEY)
    investment_land_buildings = models.DecimalField(_("nilai investasi tanah & bangunan (Rp)"), **MONEY)
    business_capital = models.DecimalField(_("modal usaha (Rp)"), **MONEY)
    production_capacity = models.DecimalField(
        _("kapasitas produksi per tahun"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    installed_capacity = models.DecimalField(
        _("kapasitas terpasang per tahun"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    capacity_unit = models.CharField(_("satuan kapasitas"), max_length=30, blank=True)
    production_value = models.DecimalField(_("nilai produksi per tahun (Rp)"), **MONEY)
    turnover = models.DecimalField(_("hasil penjualan per tahun (Rp)"), **MONEY)
    raw_materials = models.CharField(_("bahan baku"), max_length=300, blank=True)
    machinery = models.CharField(_("mesin & peralatan produksi"), max_length=300, blank=True)
    year_started = models.PositiveSmallIntegerField(
        _("tahun mulai usaha"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    status = models.CharField(_("status"), max_length=10, choices=BusinessStatus.choices, default=BusinessStatus.ACTIVE)
    size_class = models.CharField(
        _("klasifikasi industri"), max_length=10, choices=SizeClass.choices, blank=True, editable=False
    )
    umkm_class = models.CharField(_("skala UMKM"), max_length=10, choices=UmkmClass.choices, blank=True, editable=False)
    created_by = user_field(editable=False)
    # Derived data: the name and the owners' names, what the business list's search reads (one trigram index on
    # PostgreSQL). Kept current by every write path through registry.search_text.
    search_text = models.TextField(_("teks pencarian"), blank=True, default="", editable=False)

    objects = BusinessQuerySet.as_manager()

    #: A sole proprietor's business phone and e-mail are often the person's own: masked in the audit trail, on
    #: pages, in the API and exports unless revealed (UU 27/2022 PDP; docs/domain.md, "Kontak usaha").
    audit_masks = {"phone": mask_phone, "email": mask_email}

    class Meta:
        verbose_name = _("usaha (IKM)")
        verbose_name_plural = _("usaha (IKM)")
        ordering = ["name", "id"]
        permissions = [
            ("import_business", _("Dapat mengimpor usaha")),
            ("export_business", _("Dapat mengekspor usaha")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["nib"], condition=Q(nib__isnull=False), name="business_nib_unique"),
            models.CheckConstraint(
                condition=Q(investment_value__gte=0) | Q(investment_value__isnull=True),
                name="business_investment_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(turnover__gte=0) | Q(turnover__isnull=True), name="business_turnover_nonneg"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "name", "id"], name="business_region_name_idx"),
            models.Index(fields=["name", "id"], name="business_name_idx"),
            models.Index(fields=["district", "name"], name="business_district_idx"),
            models.Index(fields=["village"], name="business_village_idx"),
            models.Index(fields=["kbli", "name"], name="business_kbli_idx"),
            models.Index(fields=["size_class", "name"], name="business_size_idx"),
            models.Index(fields=["status", "name"], name="business_status_idx"),
            models.Index(fields=["-updated_at", "-id"], name="business_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:business_detail", args=[self.pk])

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def email_masked(self) -> str:
        return mask_email(self.email)

    @property
    def workforce_total(self) -> int | None:
        if self.workforce_male is None and self.workforce_female is None:
            return None
        return (self.workforce_male or 0) + (self.workforce_female or 0)

    @property
    def industry_classification(self) -> Classification | None:
        return industry_size(self.workforce_total, self.investment_value)

    @property
    def umkm_classification(self) -> Classification | None:
        return umkm_size(self.turnover, self.business_capital)

    def recompute_classes(self) -> None:
        """Recompute the stored classes from their inputs (called by every service that saves a business)."""
        self.size_class, self.umkm_class = size_classes(
            self.workforce_total, self.investment_value, self.turnover, self.business_capital
        )

    @property
    def kbli_outside_manufacturing(self) -> bool:
        """KBLI outside Kategori C (10–33) is accepted but flagged, e.g. 45201 car repair (docs/domain.md §7)."""
        return self.kbli is not None and not self.kbli.is_manufacturing


class Ownership(models.Model):
    """Which person owns or manages which business."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="ownerships")
    owner = models.ForeignKey(Owner, on_delete=models.PROTECT, related_name="ownerships")
    role = models.CharField(_("peran"), max_length=10, choices=OwnershipRole.choices, default=OwnershipRole.OWNER)

    class Meta:
        verbose_name = _("kepemilikan")
        verbose_name_plural = _("kepemilikan")
        constraints = [models.UniqueConstraint(fields=["business", "owner"], name="ownership_unique")]

    def __str__(self) -> str:
        return f"{self.owner} – {self.business}"
