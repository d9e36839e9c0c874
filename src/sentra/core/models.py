"""Base models shared by every domain app, and the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, Self, overload

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sentra.core.querysets import RegionScopedQuerySet

if TYPE_CHECKING:
    from sentra.regions.models import Kbli, Region


class TimestampedModel(models.Model):
    """Creation and last-change times, kept by the database layer."""

    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


class AuditedModel(models.Model):
    """Remembers the field values it was loaded with, so services can record a field-level diff."""

    #: Fields never written to the audit trail (derived or noisy).
    audit_exclude: tuple[str, ...] = ("updated_at", "created_at", "version", "search_name")

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._audit_loaded = instance.audit_snapshot()
        return instance

    def audit_snapshot(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for field in self._meta.concrete_fields:
            if field.name in self.audit_exclude or field.attname not in self.__dict__:
                continue
            value = getattr(self, field.attname)
            if isinstance(field, models.DecimalField) and isinstance(value, Decimal) and value.is_finite():
                # As the database stores it: a form's ``Decimal("1500000")`` and the loaded ``"1500000.00"`` are
                # the same amount, not a change (the trail and a conflict's "which fields" would name it).
                value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
            data[field.name] = audit_value(value)
        return data

    def audit_changes(self) -> dict[str, list[Any]]:
        """``{field: [before, after]}`` for every field changed since load (all fields for a new row)."""
        before: dict[str, Any] = getattr(self, "_audit_loaded", {})
        after = self.audit_snapshot()
        return {
            name: [before.get(name), value]
            for name, value in after.items()
            if before.get(name) != value and not (name not in before and value in (None, "", [], False))
        }

    def audit_reset(self) -> None:
        self._audit_loaded = self.audit_snapshot()


def audit_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


# Indonesia's extent (Sabang to Merauke, Miangas to Rote) bounds every coordinate a record may carry.
LATITUDE_BOUNDS = (Decimal("-11.5"), Decimal("6.5"))
LONGITUDE_BOUNDS = (Decimal("94"), Decimal("141.5"))


def _coordinate_field(verbose_name: StrOrPromise, bounds: tuple[Decimal, Decimal]) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(bounds[0]), MaxValueValidator(bounds[1])],
    )


def latitude_field() -> models.DecimalField:
    """An optional latitude inside Indonesia (shared by every located record)."""
    return _coordinate_field(_("lintang"), LATITUDE_BOUNDS)


def longitude_field() -> models.DecimalField:
    """An optional longitude inside Indonesia."""
    return _coordinate_field(_("bujur"), LONGITUDE_BOUNDS)


@overload
def region_field(
    verbose_name: StrOrPromise, level: int, *, optional: Literal[False], **kwargs: Any
) -> models.ForeignKey[Region, Region]: ...
@overload
def region_field(
    verbose_name: StrOrPromise, level: int, *, optional: Literal[True] = ..., **kwargs: Any
) -> models.ForeignKey[Region | None, Region | None]: ...
def region_field(verbose_name: StrOrPromise, level: int, *, optional: bool = True, **kwargs: Any) -> Any:
    """A link to a region of one level (2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan) that keeps the region
    while anything refers to it; optional unless said otherwise. (Typed per ``optional``: the type checker
    cannot read the nullability of a field built here.)"""
    if optional:
        kwargs.update(null=True, blank=True)
    return models.ForeignKey(
        "regions.Region",
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": level},
        **kwargs,
    )


@overload
def kbli_field(
    verbose_name: StrOrPromise, *, optional: Literal[False], **kwargs: Any
) -> models.ForeignKey[Kbli, Kbli]: ...
@overload
def kbli_field(
    verbose_name: StrOrPromise, *, optional: Literal[True] = ..., **kwargs: Any
) -> models.ForeignKey[Kbli | None, Kbli | None]: ...
def kbli_field(verbose_name: StrOrPromise, *, optional: bool = True, **kwargs: Any) -> Any:
    """A link to a five-digit KBLI code (kelompok), the level every business and product is classified at."""
    if optional:
        kwargs.update(null=True, blank=True)
    return models.ForeignKey(
        "regions.Kbli",
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 5},
        **kwargs,
    )


def kbli_many_field(verbose_name: StrOrPromise) -> models.ManyToManyField:
    """Further five-digit KBLI codes of a record, none required."""
    return models.ManyToManyField(
        "regions.Kbli", verbose_name=verbose_name, blank=True, related_name="+", limit_choices_to={"level": 5}
    )


def user_field(
    verbose_name: StrOrPromise | None = None, *, related_name: str = "+", **kwargs: Any
) -> models.ForeignKey:
    """The user who did something (recorded, assessed, submitted): optional, and the record keeps its history
    when the account is deleted (the link becomes empty)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        **kwargs,
    )


class RegionOwnedModel(TimestampedModel, AuditedModel):
    """A record that belongs to one regency/city (kab/kota) and is scoped by it (STYLE D.3)."""

    region = region_field(_("kabupaten/kota"), 2, optional=False)
    #: Optimistic lock: incremented by every update; an update based on an older version is refused.
    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One change to domain data (or one access to personal data): who, when, what, and field-level diff."""

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = user_field(_("pelaku"))
    actor_name = models.CharField(_("nama pelaku"), max_length=150, blank=True)
    action = models.CharField(_("tindakan"), max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("objek"), max_length=255)
    region_id = models.CharField(_("wilayah"), max_length=13, blank=True, db_index=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    #: The record's version this change produced, when it was saved through ``core.versioning`` (``claim_version``
    #: marks the object; ``audit_record`` copies the mark). A refused stale edit lists the events with a version
    #: above the one the user loaded (``versioning.conflict_error``). Null for events that took no version: a
    #: creation, an access (a NIK reveal), a bulk import, a record without a version, and events before this field.
    version = models.PositiveIntegerField(_("versi"), null=True, blank=True)

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"


# --- Background jobs and import mappings  --------------------------------------------------------


class JobState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Berjalan")
    SUCCEEDED = "succeeded", _("Selesai")
    FAILED = "failed", _("Gagal")


def job_file_path(instance: Job, filename: str) -> str:
    return f"jobs/{instance.user_id or 0}/{filename}"


class Job(models.Model):
    """One run of a background job (an import or an export) as the user sees it: who, what, state, progress.

    The task queue (django-tasks) only carries the job id; this row is the record of truth. A running job
    whose worker stopped sending heartbeats is shown as failed (see ``effective_state``) and can be re-run.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("jenis"), max_length=60, db_index=True)
    title = models.CharField(_("judul"), max_length=200)
    params = models.JSONField(_("parameter"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    state = models.CharField(_("status"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    phase = models.CharField(_("tahap"), max_length=100, blank=True)
    done = models.PositiveBigIntegerField(_("baris selesai"), default=0)
    total = models.PositiveBigIntegerField(_("jumlah baris"), null=True, blank=True)
    result = models.JSONField(_("hasil"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    errors = models.JSONField(_("galat"), default=list, blank=True, encoder=DjangoJSONEncoder)
    input_file = models.FileField(_("berkas masukan"), upload_to=job_file_path, max_length=300, blank=True)
    result_file = models.FileField(_("berkas hasil"), upload_to=job_file_path, max_length=300, blank=True)
    error_file = models.FileField(_("berkas baris ditolak"), upload_to=job_file_path, max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("denyut terakhir"), null=True, blank=True)

    class Meta:
        verbose_name = _("tugas latar")
        verbose_name_plural = _("tugas latar")
        ordering = ["-created_at", "-id"]
        # Exporting a list is an officer's tool (a file of many records leaves Sentra); one permission for every
        # list the export engine serves, besides the registry's own export_business.
        permissions = [("export_list", _("Dapat mengekspor daftar (XLSX/CSV)"))]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="job_user_created_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:job_detail", args=[self.pk])

    @property
    def is_stale(self) -> bool:
        """A running job whose worker has not reported for ``SENTRA_JOB_STALE_SECONDS`` is presumed dead."""
        if self.state != JobState.RUNNING:
            return False
        from django.utils import timezone

        last = self.heartbeat_at or self.started_at or self.created_at
        return (timezone.now() - last).total_seconds() > settings.SENTRA_JOB_STALE_SECONDS

    @property
    def effective_state(self) -> str:
        return JobState.FAILED if self.is_stale else self.state

    @property
    def effective_state_label(self) -> StrOrPromise:
        return JobState(self.effective_state).label

    @property
    def is_active(self) -> bool:
        return self.effective_state in (JobState.QUEUED, JobState.RUNNING)

    @property
    def can_rerun(self) -> bool:
        return self.effective_state == JobState.FAILED

    @property
    def percent(self) -> int:
        if self.state == JobState.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))


class ImportMapping(models.Model):
    """The column mapping a user chose for an import kind, suggested again next time ."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("jenis impor"), max_length=60)
    #: ``{normalised header: column key}``; an empty key means "ignore this column".
    mapping = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pemetaan kolom impor")
        verbose_name_plural = _("pemetaan kolom impor")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="import_mapping_user_kind_uniq")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
