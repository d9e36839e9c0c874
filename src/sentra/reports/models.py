"""Summary tables: the registry pre-aggregated per regency/city, kept current by jobs.

Dashboards read these, never the registry itself, so a national page costs the same at 100k or 4.4M
businesses. A refresh recomputes the rows of the regions whose data changed (``core.events.domain_changed``).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sentra.core.models import RegionOwnedModel
from sentra.core.querysets import RegionScopedQuerySet

SUM: dict[str, Any] = {"max_digits": 22, "decimal_places": 2, "default": 0}


class BusinessMeasures(models.Model):
    """The figures every business summary adds up: businesses, workforce and money."""

    businesses = models.PositiveIntegerField(default=0)
    workforce_male = models.BigIntegerField(default=0)
    workforce_female = models.BigIntegerField(default=0)
    investment_value = models.DecimalField(**SUM)
    production_value = models.DecimalField(**SUM)
    turnover = models.DecimalField(**SUM)

    class Meta:
        abstract = True


class BusinessCube(BusinessMeasures):
    """Counts and sums of live businesses per regency/city × KBLI division × size class × UMKM class × status."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    province_code = models.CharField(max_length=2, db_index=True)
    kbli_division = models.CharField(max_length=2, blank=True)
    size_class = models.CharField(max_length=10, blank=True)
    umkm_class = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10)

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


class ProvinceBusinessFigures(BusinessMeasures):
    """The business cube's figures per province and per value of one dimension at a time: what the national
    dashboard reads, written by the same refresh as the regency rows.

    The national page shows totals, one breakdown per dimension and one row per province, never two dimensions
    crossed, so the figures per province and value of each dimension carry all it needs: about 3,500 rows
    whatever the registry's size (the regency cube holds 140,000 at 4.4M businesses). Only national users read
    it: its rows are keyed by province code, which no regency-scoped user's list of regencies holds
    (``visible_to`` through ``region_field``); province pages read the regency cube of their own regencies.
    """

    class Dimension(models.TextChoices):
        KBLI_DIVISION = "kbli_division"
        SIZE_CLASS = "size_class"
        UMKM_CLASS = "umkm_class"
        STATUS = "status"

    region_field = "province_code"

    province_code = models.CharField(max_length=2)
    dimension = models.CharField(max_length=16, choices=Dimension.choices)
    value = models.CharField(max_length=10, blank=True)
    active = models.PositiveIntegerField(default=0)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("angka usaha per provinsi")
        verbose_name_plural = _("angka usaha per provinsi")
        constraints = [
            models.UniqueConstraint(fields=["province_code", "dimension", "value"], name="province_figures_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.province_code} {self.dimension}={self.value}: {self.businesses}"


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


class ProgrammeCube(models.Model):
    """The programme figures of the other apps per regency/city and year (trainings, DAK, quality, centres).

    Summable by design (counts and sums, never rates): a province or the nation adds its regencies' rows, and the
    page divides. Rebuilt for a regency when its training, budget, quality or centre data change (``domain_changed``)
    and for all regencies by the daily ``refresh_summaries``.
    """

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    province_code = models.CharField(max_length=2, db_index=True)
    year = models.PositiveSmallIntegerField()
    # Training: classes starting in the year (not cancelled) and their accepted participants.
    batches = models.PositiveIntegerField(default=0)
    participants = models.PositiveIntegerField(default=0)
    assessed = models.PositiveIntegerField(default=0)  # with a result (passed or failed)
    passed = models.PositiveIntegerField(default=0)
    score_pairs = models.PositiveIntegerField(default=0)  # with both a pre-test and a post-test
    score_gain_sum = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    # DAK of the fiscal year: pagu, received transfers, payments of approved plans, physical progress weighted by
    # each line's amount (sum of physical % × line total, and the lines' total), late quarterly reports.
    dak_allocations = models.PositiveIntegerField(default=0)
    dak_pagu = models.DecimalField(**SUM)
    dak_received = models.DecimalField(**SUM)
    dak_paid = models.DecimalField(**SUM)
    dak_physical_weighted = models.DecimalField(max_digits=26, decimal_places=4, default=0)
    dak_plan_total = models.DecimalField(**SUM)
    dak_reports_due = models.PositiveIntegerField(default=0)
    dak_reports_late = models.PositiveIntegerField(default=0)
    # Quality: certifications valid at the end of the year (today for this year), expiring within the notice
    # window after that day; INDI 4.0: each business's latest submitted/verified assessment of the year, by level.
    certs_held = models.PositiveIntegerField(default=0)
    certs_expiring = models.PositiveIntegerField(default=0)
    indi_0 = models.PositiveIntegerField(default=0)
    indi_1 = models.PositiveIntegerField(default=0)
    indi_2 = models.PositiveIntegerField(default=0)
    indi_3 = models.PositiveIntegerField(default=0)
    indi_4 = models.PositiveIntegerField(default=0)
    # Centres (their current status), rentable workshops, workshops let on the reference day, and the centre
    # reports of the year's closed periods that were not sent.
    centres = models.PositiveIntegerField(default=0)
    centres_operating = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)
    units_let = models.PositiveIntegerField(default=0)
    reports_expected = models.PositiveIntegerField(default=0)
    reports_missing = models.PositiveIntegerField(default=0)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ringkasan program")
        verbose_name_plural = _("ringkasan program")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="programme_cube_uniq")]
        indexes = [models.Index(fields=["year", "province_code"], name="programme_cube_year_idx")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"


class OutcomeSummary(models.Model):
    """The programme outcomes of one area (nation: ``""``, a province or a regency code) and year, as computed by
    ``reports.outcomes.outcomes_compute`` in a job; the outcomes page reads this row, never the raw tables."""

    area = models.CharField(max_length=13, blank=True)
    year = models.PositiveSmallIntegerField()
    data = models.JSONField(default=dict)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ringkasan hasil program")
        verbose_name_plural = _("ringkasan hasil program")
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="outcome_summary_uniq")]

    def __str__(self) -> str:
        return f"{self.area or 'ID'} {self.year}"


def _money(label: StrOrPromise) -> models.DecimalField:
    return models.DecimalField(label, max_digits=18, decimal_places=2, null=True, blank=True)


class EvaluationRow(RegionOwnedModel):
    """One row of the programme evaluation's analysis table (``reports.evaluation``): a passed participation or a
    centre tenancy, the comparison business matched to it, and both businesses' turnover, workforce and NIB one year
    before (``pre``), at (``base``) and one year after (``post``) the start. Anonymised by construction: no business,
    person or contact, only region, KBLI and size class, so it is what the evaluation's CSV download hands out.
    ``region`` is the treated business's regency (the class's when the participant has no business)."""

    subject = models.CharField(_("subjek"), max_length=8)  # "kelas" or "sentra"
    start_date = models.DateField(_("tanggal mulai"))
    year = models.PositiveSmallIntegerField(_("tahun"))
    batch_id = models.PositiveIntegerField(_("kelas"), null=True, blank=True)
    batch_name = models.CharField(_("nama kelas"), max_length=200, blank=True)
    programme_kind = models.CharField(_("jenis program"), max_length=20, blank=True)
    centre_id = models.PositiveIntegerField(_("sentra"), null=True, blank=True)
    centre_name = models.CharField(_("nama sentra"), max_length=200, blank=True)
    dak_line = models.PositiveIntegerField(_("mata anggaran DAK"), null=True, blank=True)
    dak_line_total = _money(_("nilai mata anggaran (Rp)"))
    dak_menu = models.CharField(_("menu DAK"), max_length=24, blank=True)
    dak_menu_name = models.CharField(_("nama menu DAK"), max_length=200, blank=True)
    answered = models.BooleanField(_("menjawab tindak lanjut 12 bulan"), null=True, blank=True)
    new_business = models.BooleanField(_("memulai usaha baru"), null=True, blank=True)
    matched = models.BooleanField(_("berpasangan"), default=False)
    kbli = models.CharField(_("KBLI"), max_length=5, blank=True)
    kbli_division = models.CharField(_("golongan pokok KBLI"), max_length=2, blank=True)
    size_class = models.CharField(_("klasifikasi industri"), max_length=10, blank=True)
    t_turnover_pre = _money(_("omzet peserta sebelum"))
    t_turnover_base = _money(_("omzet peserta awal"))
    t_turnover_post = _money(_("omzet peserta sesudah"))
    t_workforce_pre = models.PositiveIntegerField(null=True, blank=True)
    t_workforce_base = models.PositiveIntegerField(null=True, blank=True)
    t_workforce_post = models.PositiveIntegerField(null=True, blank=True)
    t_nib_pre = models.PositiveSmallIntegerField(null=True, blank=True)
    t_nib_base = models.PositiveSmallIntegerField(null=True, blank=True)
    t_nib_post = models.PositiveSmallIntegerField(null=True, blank=True)
    c_turnover_pre = _money(_("omzet pembanding sebelum"))
    c_turnover_base = _money(_("omzet pembanding awal"))
    c_turnover_post = _money(_("omzet pembanding sesudah"))
    c_workforce_pre = models.PositiveIntegerField(null=True, blank=True)
    c_workforce_base = models.PositiveIntegerField(null=True, blank=True)
    c_workforce_post = models.PositiveIntegerField(null=True, blank=True)
    c_nib_pre = models.PositiveSmallIntegerField(null=True, blank=True)
    c_nib_base = models.PositiveSmallIntegerField(null=True, blank=True)
    c_nib_post = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("baris tabel analisis evaluasi")
        verbose_name_plural = _("tabel analisis evaluasi")
        indexes = [models.Index(fields=["region", "id"], name="evaluation_row_region_idx")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.subject} {self.start_date}"


class EvaluationSummary(models.Model):
    """The evaluation's estimates of one area (nation ``""``, a province or a regency code), computed by
    ``reports.evaluation.evaluation_refresh`` in a job from the ``EvaluationRow`` rows of the area."""

    area = models.CharField(max_length=13, blank=True, unique=True)
    data = models.JSONField(default=dict)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ringkasan evaluasi program")
        verbose_name_plural = _("ringkasan evaluasi program")

    def __str__(self) -> str:
        return self.area or "ID"
