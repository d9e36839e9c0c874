from django.db import models
from django.utils.translation import gettext_lazy as _


class CentreStatus(models.TextChoices):
    """Lifecycle of a sentra (docs/domain.md §2c)."""

    PLANNED = "planned", _("Direncanakan")
    CONSTRUCTION = "construction", _("Dalam pembangunan")
    OPERATING = "operating", _("Beroperasi")
    REVITALISATION = "revitalisation", _("Dalam revitalisasi")
    INACTIVE = "inactive", _("Tidak aktif")


#: Allowed lifecycle moves: planned → under construction → operating ⇄ under revitalisation → inactive.
#: A centre lets its units only while it operates (also during a revitalisation of a working centre).
LETTABLE_STATUSES = frozenset({CentreStatus.OPERATING, CentreStatus.REVITALISATION})

#: The order in which the next states are offered: the centre's usual way forward first, "inactive" last, so the
#: status selector never defaults to closing a centre.
STATUS_ORDER = (
    CentreStatus.CONSTRUCTION,
    CentreStatus.OPERATING,
    CentreStatus.REVITALISATION,
    CentreStatus.PLANNED,
    CentreStatus.INACTIVE,
)

STATUS_TRANSITIONS: dict[str, set[str]] = {
    CentreStatus.PLANNED: {CentreStatus.CONSTRUCTION, CentreStatus.INACTIVE},
    CentreStatus.CONSTRUCTION: {CentreStatus.OPERATING, CentreStatus.INACTIVE},
    CentreStatus.OPERATING: {CentreStatus.REVITALISATION, CentreStatus.INACTIVE},
    CentreStatus.REVITALISATION: {CentreStatus.OPERATING, CentreStatus.INACTIVE},
    CentreStatus.INACTIVE: {CentreStatus.OPERATING, CentreStatus.REVITALISATION},
}


class Sector(models.TextChoices):
    PANGAN = "pangan", _("Pangan")
    SANDANG = "sandang", _("Sandang dan kulit")
    KIMIA = "kimia", _("Kimia dan bahan bangunan")
    LOGAM = "logam", _("Logam, mesin dan elektronika")
    KERAJINAN = "kerajinan", _("Kerajinan dan furnitur")
    OTOMOTIF = "otomotif", _("Otomotif dan perbengkelan")
    LAINNYA = "lainnya", _("Lainnya")


class ManagingBody(models.TextChoices):
    """docs/domain.md §2b: in practice a UPTD of the Dinas, sometimes a cooperative or another body."""

    UPTD = "uptd", _("UPTD / UPT")
    COOPERATIVE = "koperasi", _("Koperasi")
    AGENCY_UNIT = "dinas", _("Unit kerja dinas")
    GROUP = "kelompok", _("Kelompok usaha")
    OTHER = "lainnya", _("Lainnya")


class ReportPeriod(models.TextChoices):
    MONTHLY = "monthly", _("Bulanan")
    QUARTERLY = "quarterly", _("Triwulanan")


class UnitKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop / rumah produksi")
    SUPPORT = "support", _("Gedung penunjang")
    OFFICE = "office", _("Kantor pengelola")
    SHOWROOM = "showroom", _("Galeri / ruang pamer")
    STORAGE = "storage", _("Gudang")


#: Unit kinds that are let to tenants and count towards occupancy.
RENTABLE_KINDS = (UnitKind.WORKSHOP,)


class Condition(models.TextChoices):
    GOOD = "baik", _("Baik")
    MINOR = "rusak_ringan", _("Rusak ringan")
    MAJOR = "rusak_berat", _("Rusak berat")


class FacilityCategory(models.TextChoices):
    BUILDING = "bangunan", _("Bangunan penunjang")
    MACHINE = "mesin", _("Mesin produksi")
    TOOL = "peralatan", _("Peralatan")
    WASTE = "ipal", _("IPAL / pengolahan limbah")
    PACKAGING = "kemasan", _("Rumah kemasan")
    OTHER = "lainnya", _("Lainnya")


class FundingSource(models.TextChoices):
    """docs/domain.md §2d funding history: DAK Fisik, DAK Nonfisik, APBD, APBN/Dekon."""

    DAK_FISIK = "dak_fisik", _("DAK Fisik")
    DAK_NONFISIK = "dak_nonfisik", _("DAK Nonfisik")
    APBD = "apbd", _("APBD")
    APBN = "apbn", _("APBN / Dekonsentrasi")
    KEMENPERIN = "kemenperin", _("Hibah Kemenperin")
    SELF = "swadaya", _("Swadaya / IKM")
    OTHER = "lainnya", _("Lainnya")


class Ownership(models.TextChoices):
    KEMENPERIN = "kemenperin", _("Kemenperin")
    PEMDA = "pemda", _("Pemerintah daerah")
    IKM = "ikm", _("IKM")


class Utilisation(models.TextChoices):
    ACTIVE = "active", _("Digunakan aktif")
    UNDERUSED = "underused", _("Jarang digunakan")
    IDLE = "idle", _("Menganggur")


class GrantStatus(models.TextChoices):
    PROCURED = "procured", _("Diadakan")
    HANDED_OVER = "handed_over", _("Diserahterimakan")
    IDLE = "idle", _("Menganggur")
    WRITTEN_OFF = "written_off", _("Dihapus dari daftar")
