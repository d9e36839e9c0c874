"""Reference data: Kemendagri regions and the KBLI 2020 classification."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Provinsi")
    REGENCY = 2, _("Kabupaten/Kota")
    DISTRICT = 3, _("Kecamatan")
    VILLAGE = 4, _("Desa/Kelurahan")


class RegionQuerySet(models.QuerySet):
    def provinces(self) -> RegionQuerySet:
        return self.filter(level=RegionLevel.PROVINCE)

    def regencies(self) -> RegionQuerySet:
        return self.filter(level=RegionLevel.REGENCY)

    def districts(self) -> RegionQuerySet:
        return self.filter(level=RegionLevel.DISTRICT)

    def villages(self) -> RegionQuerySet:
        return self.filter(level=RegionLevel.VILLAGE)


class Region(models.Model):
    """A Kemendagri administrative region: province, regency/city, district or village.

    The primary key is the code as Kemendagri writes it (``74.71`` = Kota Kendari, ``74.71.03.1002`` = Kel.
    Lepo Lepo), so imports and URLs speak the same language as the agencies (docs/domain.md §7).
    """

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=RegionLevel.choices, db_index=True)
    #: kabupaten/kota for level 2; kelurahan/desa/desa_adat for level 4.
    kind = models.CharField(_("jenis"), max_length=12, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name"], name="region_parent_name_idx")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.choice_label(self.name, self.level, self.kind)

    #: what ``choice_label`` needs: choice lists of regions (core.filters.FastSelect) read only these columns
    choice_label_fields = ("name", "level", "kind")

    @staticmethod
    def choice_label(name: str, level: int, kind: str) -> str:
        if level == RegionLevel.DISTRICT:
            return f"Kec. {name}"
        if level == RegionLevel.VILLAGE:
            return f"{'Kel.' if kind == 'kelurahan' else 'Desa'} {name}"
        return name

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def regency_code(self) -> str | None:
        return self.code[:5] if self.level >= RegionLevel.REGENCY else None


class Kbli(models.Model):
    """One KBLI code at any level (kategori letter, 2-, 3-, 4- or 5-digit), per KBLI version.

    Businesses use the 5-digit kelompok. The version is stored because KBLI 2025 exists and OSS data in the
    field still carries 2020 codes (docs/domain.md §7).
    """

    class Level(models.IntegerChoices):
        CATEGORY = 1, _("Kategori")
        DIVISION = 2, _("Golongan pokok")
        GROUP = 3, _("Golongan")
        CLASS = 4, _("Subgolongan")
        SUBCLASS = 5, _("Kelompok")

    version = models.CharField(_("versi KBLI"), max_length=4, default="2020")
    code = models.CharField(_("kode"), max_length=5)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    title = models.CharField(_("judul"), max_length=300)
    category = models.CharField(_("kategori"), max_length=1)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    description = models.TextField(_("uraian"), blank=True)
    #: Kategori C, golongan pokok 10–33 (docs/domain.md §7).
    is_manufacturing = models.BooleanField(_("industri pengolahan"), default=False)

    class Meta:
        verbose_name = _("KBLI")
        verbose_name_plural = _("KBLI")
        ordering = ["version", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="kbli_version_code_uniq")]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    @property
    def division(self) -> str:
        return self.code[:2] if self.level >= self.Level.DIVISION else ""
