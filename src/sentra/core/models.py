"""Base models shared by every domain app, and the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from sentra.core.querysets import RegionScopedQuerySet


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
    def from_db(cls, db, field_names, values):  # type: ignore[no-untyped-def]
        instance = super().from_db(db, field_names, values)
        instance._audit_loaded = instance.audit_snapshot()
        return instance

    def audit_snapshot(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for field in self._meta.concrete_fields:
            if field.name in self.audit_exclude or field.attname not in self.__dict__:
                continue
            data[field.name] = audit_value(getattr(self, field.attname))
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


class RegionOwnedModel(TimestampedModel, AuditedModel):
    """A record that belongs to one regency/city (kab/kota) and is scoped by it (STYLE D.3)."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 2},
    )
    #: Optimistic lock: incremented by every update; an update based on an older version is refused.
    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One change to domain data (or one access to personal data): who, when, what, and field-level diff."""

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("nama pelaku"), max_length=150, blank=True)
    action = models.CharField(_("tindakan"), max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("objek"), max_length=255)
    region_id = models.CharField(_("wilayah"), max_length=13, blank=True, db_index=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    note = models.CharField(_("catatan"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
