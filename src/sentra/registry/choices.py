from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalForm(models.TextChoices):
    """The legal forms Indonesian registers use (docs/domain.md, "Bentuk usaha"; registry.legal_forms reads them
    out of names). Stored values are stable; add new forms at the end of their group."""

    PERORANGAN = "perorangan", _("Perorangan")
    UD = "ud", _("UD (Usaha Dagang)")
    PR = "pr", _("PR (Perusahaan Perorangan)")
    PD = "pd", _("PD (Perusahaan Dagang)")
    CV = "cv", _("CV")
    FIRMA = "firma", _("Firma")
    PT = "pt", _("PT")
    PT_PERORANGAN = "pt_perorangan", _("PT Perorangan")
    PT_TBK = "pt_tbk", _("PT Tbk (terbuka)")
    PT_PERSERO = "pt_persero", _("PT (Persero)")
    PERSERODA = "perseroda", _("PT (Perseroda)")
    PERUM = "perum", _("Perum (Perusahaan Umum)")
    PERUMDA = "perumda", _("Perumda (Perusahaan Umum Daerah)")
    BUMDES = "bumdes", _("BUM Desa")
    BUMDESMA = "bumdesma", _("BUM Desa Bersama")
    KOPERASI = "koperasi", _("Koperasi")
    KSU = "ksu", _("Koperasi Serba Usaha (KSU)")
    KSP = "ksp", _("Koperasi Simpan Pinjam (KSP)")
    KSPPS = "kspps", _("Koperasi Simpan Pinjam dan Pembiayaan Syariah (KSPPS)")
    KUD = "kud", _("Koperasi Unit Desa (KUD)")
    KOPONTREN = "kopontren", _("Koperasi Pondok Pesantren (Kopontren)")
    YAYASAN = "yayasan", _("Yayasan")
    PERKUMPULAN = "perkumpulan", _("Perkumpulan")
    UPT = "upt", _("UPT/UPTD (unit pemerintah)")
    BUT = "but", _("BUT (Bentuk Usaha Tetap)")
    KELOMPOK = "kelompok", _("Kelompok usaha")
    LAINNYA = "lainnya", _("Lainnya")


class BusinessStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    INACTIVE = "inactive", _("Tidak aktif")
    CLOSED = "closed", _("Tutup")


class SizeClass(models.TextChoices):
    """Permenperin 64/M-IND/PER/7/2016 (docs/domain.md §1a)."""

    KECIL = "kecil", _("Industri Kecil")
    MENENGAH = "menengah", _("Industri Menengah")
    BESAR = "besar", _("Industri Besar")


class UmkmClass(models.TextChoices):
    """PP 7/2021 Pasal 35 (docs/domain.md §1b)."""

    MIKRO = "mikro", _("Usaha Mikro")
    KECIL = "kecil", _("Usaha Kecil")
    MENENGAH = "menengah", _("Usaha Menengah")
    BESAR = "besar", _("Usaha Besar")


class Gender(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class LegalBasis(models.TextChoices):
    """UU 27/2022 Pasal 20 (docs/domain.md §8)."""

    PUBLIC_TASK = "public_task", _("Pelaksanaan tugas/kewenangan instansi")
    CONSENT = "consent", _("Persetujuan eksplisit")
    CONTRACT = "contract", _("Perjanjian")
    LEGAL_OBLIGATION = "legal_obligation", _("Kewajiban hukum")


class OwnershipRole(models.TextChoices):
    OWNER = "owner", _("Pemilik")
    MANAGER = "manager", _("Pengelola")
