"""Choices of the training app (docs/domain.md §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeKind(models.TextChoices):
    # docs/domain.md §4: bimtek, pelatihan, Diklat 3in1 (training + competency certification + job placement).
    BIMTEK = "bimtek", _("Bimbingan teknis (bimtek)")
    PELATIHAN = "pelatihan", _("Pelatihan")
    DIKLAT_3IN1 = "diklat3in1", _("Diklat 3in1")
    WORKSHOP = "workshop", _("Lokakarya")


class FundingSource(models.TextChoices):
    # docs/domain.md §4: DAK Nonfisik / APBD / APBN-Dekon.
    DAK_NONFISIK = "dak_nonfisik", _("DAK Nonfisik")
    DAK_FISIK = "dak_fisik", _("DAK Fisik")
    APBD = "apbd", _("APBD")
    APBN = "apbn", _("APBN / Dekonsentrasi")
    OTHER = "other", _("Lainnya")


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Rencana")
    OPEN = "open", _("Pendaftaran dibuka")
    CLOSED = "closed", _("Pendaftaran ditutup")
    COMPLETED = "completed", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


class BusinessRequirement(models.TextChoices):
    HAS = "has", _("Harus sudah memiliki IKM")
    HAS_OR_PLANS = "has_or_plans", _("Memiliki atau berencana memulai IKM")


class ParticipantStatus(models.TextChoices):
    APPLIED = "applied", _("Mendaftar")
    ACCEPTED = "accepted", _("Diterima")
    WAITLISTED = "waitlisted", _("Daftar tunggu")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Mengundurkan diri")


class ParticipantSource(models.TextChoices):
    OFFICER = "officer", _("Didaftarkan petugas")
    PUBLIC = "public", _("Formulir publik")


class ParticipantResult(models.TextChoices):
    PENDING = "", _("Belum dinilai")
    PASSED = "passed", _("Lulus")
    FAILED = "failed", _("Tidak lulus")


class BusinessPlan(models.TextChoices):
    HAS = "has", _("Sudah memiliki IKM")
    PLANS = "plans", _("Berencana memulai IKM")
    NONE = "none", _("Belum ada rencana")


class FollowUpMonths(models.IntegerChoices):
    M3 = 3, _("3 bulan")
    M6 = 6, _("6 bulan")
    M12 = 12, _("12 bulan")


class FollowUpSource(models.TextChoices):
    """Who gave a follow-up's answers: an officer who contacted the alumnus, or the owner on their home page."""

    OFFICER = "petugas", _("Petugas")
    OWNER = "pemilik", _("Pemilik usaha")
