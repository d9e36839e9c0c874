"""Choices of the DAK budget app (docs/domain.md §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundKind(models.TextChoices):
    # docs/domain.md §3a: DAK Fisik bidang IKM every year; DAK Nonfisik "Penguatan Kapasitas Kelembagaan Sentra IKM"
    # from TA 2022.
    FISIK = "fisik", _("DAK Fisik bidang IKM")
    NONFISIK = "nonfisik", _("DAK Nonfisik Penguatan Kapasitas Kelembagaan Sentra IKM")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan kabupaten/kota")
    VERIFIED = "verified", _("Diverifikasi provinsi")
    APPROVED = "approved", _("Disetujui kementerian")
    RETURNED = "returned", _("Dikembalikan untuk perbaikan")
    SUPERSEDED = "superseded", _("Digantikan revisi")


class AllocationSource(models.TextChoices):
    ENTERED = "entered", _("Diisi manual")
    IMPORTED = "imported", _("Diimpor dari tabel resmi")
    GENERATED = "generated", _("Dibangkitkan (data demo)")


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Diajukan")
    RECEIVED = "received", _("Diterima di RKUD")
    REJECTED = "rejected", _("Ditolak")
