"""Summary tables: the registry pre-aggregated per regency/city, kept current by jobs (issue #8).

Dashboards read these, never the registry itself, so a national page costs the same at 100k or 4.4M
businesses. A refresh recomputes the rows of the regions whose data changed (``core.events.domain_changed``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sentra.core.querysets import RegionScopedQuerySet

SUM = {"max_digits": 22, "decimal_places": 2, "default": 0}


class BusinessCube(models.Model):
    """Counts and sums of live businesses per regency/city × KBLI division × size class × UMKM class × status."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    province_code = models.CharField(max_length=2, db_index=True)
    kbli_division = models.CharField(max_length=2, blank=True)
    size_class = models.CharField(max_length=10, blank=True)
    umkm_class = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10)
    businesses = models.PositiveIntegerField(default=0)
    workforce_male = models.BigIntegerField(default=0)
    workforce_female = models.BigIntegerField(default=0)
    investment_value = models.DecimalField(**SUM)
    production_value = models.DecimalField(**SUM)
    turnover = models.DecimalField(**SUM)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ringkasan usaha")
        verbose_name_plural = _("ringkasan usaha")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kbli_division", "size_class", "umkm_class", "status"], name="business_cube_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.kbli_division} {self.size_class} {self.status}: {self.businesses}"


class BusinessYearCube(models.Model):
    """Live businesses per regency/city by the year they started (new IKM per year)."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    province_code = models.CharField(max_length=2, db_index=True)
    year_started = models.PositiveSmallIntegerField(null=True)
    businesses = models.PositiveIntegerField(default=0)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ringkasan usaha per tahun")
        verbose_name_plural = _("ringkasan usaha per tahun")
        constraints = [models.UniqueConstraint(fields=["region", "year_started"], name="business_year_cube_uniq")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year_started}: {self.businesses}"


class SummaryState(models.Model):
    """When each regency/city's summary rows were last recomputed."""

    region = models.OneToOneField("regions.Region", on_delete=models.CASCADE, primary_key=True, related_name="+")
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("status ringkasan")
        verbose_name_plural = _("status ringkasan")

    def __str__(self) -> str:
        return f"{self.region_id} {self.refreshed_at:%Y-%m-%d %H:%M}"
