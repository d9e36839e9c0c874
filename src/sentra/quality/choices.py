"""Choices of the quality app (docs/domain.md §5, §6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificationKind(models.TextChoices):
    # docs/domain.md §5 "Registry design": PIRT, Halal, SNI, BPOM-MD, ISO 9001, CPPOB, HKI-merek, TKDN-IK.
    PIRT = "pirt", _("SPP-IRT (P-IRT)")
    HALAL = "halal", _("Sertifikat halal")
    SNI = "sni", _("SPPT-SNI")
    BPOM_MD = "bpom_md", _("Izin edar BPOM MD")
    ISO_9001 = "iso_9001", _("ISO 9001")
    CPPOB = "cppob", _("Izin penerapan CPPOB")
    HKI = "hki", _("HKI merek")
    TKDN = "tkdn", _("TKDN-IK")
    OTHER = "other", _("Lainnya")


class ChecklistKind(models.TextChoices):
    ISO_9001 = "iso_9001", _("ISO 9001")
    CPPOB = "cppob", _("CPPOB (pangan olahan)")
    SENTRA = "sentra", _("Pengelolaan sentra")
    OTHER = "other", _("Lainnya")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    PUBLISHED = "published", _("Terbit")
    RETIRED = "retired", _("Tidak dipakai")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Sedang diisi")
    COMPLETED = "completed", _("Selesai")


class Severity(models.TextChoices):
    OBSERVATION = "observation", _("Observasi")
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Mayor")
    CRITICAL = "critical", _("Kritis")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    IN_PROGRESS = "in_progress", _("Sedang dikerjakan")
    DONE = "done", _("Selesai")
    VERIFIED = "verified", _("Terverifikasi")


class IndiStatus(models.TextChoices):
    DRAFT = "draft", _("Sedang diisi")
    SUBMITTED = "submitted", _("Dikirim")
    VERIFIED = "verified", _("Terverifikasi")


class Phase(models.TextChoices):
    BEFORE = "before", _("Sebelum pelatihan")
    AFTER = "after", _("Sesudah pelatihan")


#: The score scale of checklist items (0–4).
CHECKLIST_SCORES = [
    (0, _("0 – Tidak ada")),
    (1, _("1 – Baru dimulai")),
    (2, _("2 – Sebagian")),
    (3, _("3 – Sebagian besar")),
    (4, _("4 – Penuh dan terdokumentasi")),
]
