"""Demo step: Kota Kendari's IKM registry.

About 150 generated businesses with owners in Kendari's real districts and villages, and a few in Kota Baubau,
Kabupaten Konawe and Kota Makassar, so that scoping is visible. Figures are plausible for small industry.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType

from sentra.core.models import AuditEvent
from sentra.demo.context import KENDARI, LEPO_LEPO, DemoContext
from sentra.regions.models import Kbli, Region
from sentra.registry import search_text
from sentra.registry.choices import BusinessStatus, Gender, LegalForm
from sentra.registry.models import Business, Owner, Ownership

FIRST_MALE = [
    "Andi",
    "Muhammad",
    "La Ode",
    "Ahmad",
    "Rahmat",
    "Syamsul",
    "Hasan",
    "Irwan",
    "Jumadil",
    "Sukardi",
    "Arman",
    "Basri",
    "Darwis",
    "Firman",
    "Hendra",
    "Iskandar",
    "Kadir",
    "Mansur",
    "Nurdin",
    "Rusdi",
    "Samsudin",
    "Yusuf",
]
FIRST_FEMALE = [
    "Wa Ode",
    "Siti",
    "Nurhayati",
    "Hasnah",
    "Rosmini",
    "Asriani",
    "Fitriani",
    "Hartini",
    "Irmawati",
    "Jumriah",
    "Kasmawati",
    "Marlina",
    "Nurmala",
    "Rahmawati",
    "Sitti",
    "Wahyuni",
    "Yuliana",
    "Zulaeha",
]
LAST = [
    "Rahman",
    "Hamid",
    "Saleh",
    "Tamburaka",
    "Lakidende",
    "Sanusi",
    "Halim",
    "Kasim",
    "Latif",
    "Musa",
    "Pagala",
    "Ridwan",
    "Sabara",
    "Tosepu",
    "Wonua",
    "Baso",
    "Daeng",
    "Ibrahim",
    "Jafar",
    "Malik",
]
TRADES = [
    # (kbli, name pattern, commodity, raw materials, capacity unit)
    ("31001", "Mebel {n}", "lemari, kursi dan meja kayu", "kayu jati, kayu bayam", "unit"),
    ("31001", "Meubel {n} Jaya", "kusen, pintu dan furnitur kayu", "kayu rimba campuran", "unit"),
    ("31002", "Rotan {n}", "kursi dan keranjang rotan", "rotan", "unit"),
    ("16221", "Kusen {n}", "kusen dan pintu", "kayu", "unit"),
    ("10213", "Ikan Beku {n}", "ikan beku", "ikan segar", "kg"),
    ("10750", "Olahan {n}", "abon ikan dan bakso ikan", "ikan tuna, bumbu", "kg"),
    ("10792", "Kue {n}", "kue basah tradisional (kasuami, lapa-lapa)", "ubi kayu, beras, kelapa", "kg"),
    ("10794", "Kerupuk {n}", "kerupuk ikan", "ikan, tepung tapioka", "kg"),
    ("10710", "Roti {n}", "roti dan kue kering", "tepung terigu, gula, telur", "kg"),
    ("10423", "Minyak Kelapa {n}", "minyak kelapa", "kelapa", "liter"),
    ("14111", "Konveksi {n}", "pakaian jadi dan seragam", "kain", "potong"),
    ("13912", "Tenun {n}", "tenun dan sulaman khas Buton-Muna", "benang", "lembar"),
    ("25111", "Las {n}", "teralis, pagar dan kanopi besi", "besi, baja ringan", "unit"),
    ("29200", "Karoseri {n}", "karoseri kendaraan", "plat besi", "unit"),
    ("45201", "Bengkel Mobil {n}", "reparasi mobil", "suku cadang", "unit"),
    ("45407", "Bengkel Motor {n}", "reparasi sepeda motor", "suku cadang", "unit"),
]
OTHER_REGIONS = ["74.72", "74.02", "73.71"]


def _nik(rng: Any, regency: str, district: str, female: bool, serial: int) -> str:
    day = rng.randint(1, 28) + (40 if female else 0)
    month = rng.randint(1, 12)
    year = rng.randint(60, 99)
    return f"{regency.replace('.', '')}{district[-2:]}{day:02d}{month:02d}{year:02d}{serial:04d}"


def _business(rng: Any, region: str, village: Region, serial: int, kbli: dict[str, Kbli], trade: tuple) -> Business:
    code, pattern, commodity, raw, unit = trade
    female = rng.random() < 0.35
    first = rng.choice(FIRST_FEMALE if female else FIRST_MALE)
    owner_name = f"{first} {rng.choice(LAST)}"
    district = village.parent_id
    owner = Owner.objects.create(
        full_name=owner_name,
        nik=_nik(rng, region, district or "", female, serial),
        gender=Gender.FEMALE if female else Gender.MALE,
        phone=f"+6281{rng.randint(100000000, 399999999)}",
        address=f"Jl. {rng.choice(['Poros', 'Ahmad Yani', 'Saranani', 'Malaka', 'Boulevard', 'Sao-Sao', 'Bunggasi'])} No. {rng.randint(1, 120)}",
        village=village,
        region_id=region,
    )
    workers_m = rng.randint(1, 12)
    workers_f = rng.randint(0, 8)
    investment = Decimal(rng.choice([15, 25, 40, 60, 85, 120, 180, 250, 400, 650, 900, 1200])) * 1_000_000
    turnover = Decimal(rng.randint(6, 240)) * 10_000_000
    legal = rng.choices([LegalForm.PERORANGAN, LegalForm.UD, LegalForm.CV, LegalForm.KOPERASI], [60, 25, 12, 3])[0]
    name = pattern.format(n=rng.choice(LAST) if "{n}" in pattern else "")
    business = Business(
        name=name,
        legal_form=legal,
        nib=f"{rng.randint(10**12, 10**13 - 1)}" if rng.random() < 0.6 else None,
        address=owner.address,
        village=village,
        district_id=district,
        region_id=region,
        kbli=kbli[code],
        kbli_version="2020",
        commodity=commodity,
        workforce_male=workers_m,
        workforce_female=workers_f,
        investment_value=investment,
        investment_land_buildings=Decimal(rng.randint(5, 60)) * 10_000_000,
        business_capital=investment + Decimal(rng.randint(1, 20)) * 5_000_000,
        production_capacity=Decimal(rng.randint(50, 5000)),
        installed_capacity=Decimal(rng.randint(5000, 8000)),
        capacity_unit=unit,
        production_value=turnover * Decimal("0.8"),
        turnover=turnover,
        raw_materials=raw,
        year_started=rng.randint(1995, 2022),
        status=rng.choices([BusinessStatus.ACTIVE, BusinessStatus.INACTIVE, BusinessStatus.CLOSED], [88, 8, 4])[0],
    )
    business.recompute_classes()
    business.search_text = search_text.for_row(business.name, [owner.full_name])
    business.save()
    Ownership.objects.create(business=business, owner=owner)
    return business


def load_registry(ctx: DemoContext) -> None:
    rng = ctx.rng
    kbli = {k.code: k for k in Kbli.objects.filter(version="2020", code__in={t[0] for t in TRADES})}
    kendari_villages = list(Region.objects.filter(level=4, code__startswith=f"{KENDARI}.").order_by("code"))
    lepo_lepo = Region.objects.get(code=LEPO_LEPO)
    businesses = []
    for i in range(150):
        # The furniture trades cluster around the Sentra IKM Meubeler in Kel. Lepo Lepo (docs/domain.md §2d).
        trade = TRADES[i % 4] if i < 60 else rng.choice(TRADES)
        village = lepo_lepo if i < 45 else rng.choice(kendari_villages)
        businesses.append(_business(rng, KENDARI, village, 1000 + i, kbli, trade))
    ctx.objects["kendari_businesses"] = businesses
    others = []
    for j, region in enumerate(OTHER_REGIONS):
        villages = list(Region.objects.filter(level=4, code__startswith=f"{region}.")[:30])
        for k in range(4):
            others.append(_business(rng, region, rng.choice(villages), 2000 + j * 10 + k, kbli, rng.choice(TRADES)))
    ctx.objects["other_businesses"] = others
    _audit_demo_records(ctx, [*businesses, *others])
    # The `pemilik` login owns the first furniture workshop.
    first = businesses[0]
    owner = first.ownerships.get().owner
    owner.user = ctx.users["pemilik"]
    owner.save(update_fields=["user"])
    ctx.log(f"  {len(businesses)} usaha di Kota Kendari, {len(others)} di wilayah lain")


def _audit_demo_records(ctx: DemoContext, businesses: list[Business]) -> None:
    """Give every demo record its "created" event, as if an officer had registered it, so Riwayat is not empty."""
    kendari = ctx.users["kendari"]
    events = []
    for business in businesses:
        by = kendari if business.region_id == KENDARI else None
        events.append(_created(business, business.name, business.audit_changes(), by))
        for ownership in business.ownerships.all():
            owner = ownership.owner
            events.append(_created(owner, owner.full_name, {"full_name": [None, owner.full_name]}, None))
    AuditEvent.objects.bulk_create(events, batch_size=1000)


def _created(obj: Business | Owner, label: str, changes: dict[str, Any], actor: Any) -> AuditEvent:
    return AuditEvent(
        actor=actor,
        actor_name=actor.username if actor else "sistem",
        action=f"registry.{obj._meta.model_name}.created",
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=label,
        region_id=obj.region_id,
        changes=changes,
        note="data demo",
    )
