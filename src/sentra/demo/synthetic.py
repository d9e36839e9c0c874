"""A realistic synthetic national registry, generated fast, for benchmarks (``sentra seed_scale``).

Businesses and their owners are spread over all 514 regencies/cities, placed in real villages and districts of
the Kemendagri table, with KBLI 2020 kelompok codes weighted towards the small-industry trades of Kategori C
(10–33) plus a few outside it (car and motorcycle repair, docs/domain.md §7), plausible SIINas figures and the size
and UMKM classes computed column-wise with the thresholds of :mod:`sentra.registry.classification`.

Rows are written with raw bulk statements, not model objects: ``executemany`` on SQLite and ``COPY`` on
PostgreSQL, in large batches, each batch in one transaction. No audit events are written (this is generated
data for benchmarks; the command refuses to run with production settings).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from sentra.core.formatting import format_number
from sentra.registry import search_text
from sentra.registry.choices import BusinessStatus, Gender, LegalForm, OwnershipRole, SizeClass, UmkmClass
from sentra.registry.classification import (
    IK_INVESTMENT_LIMIT,
    IK_MAX_WORKERS,
    IM_INVESTMENT_LIMIT,
    UMKM_CAPITAL_LIMITS,
    UMKM_SALES_LIMITS,
)

FIRST_MALE = (
    "Agus Andi Ahmad Arif Bambang Budi Dedi Dian Eko Fajar Hadi Hasan Hendra Imam Irwan Joko Kadir Komang "
    "Made Muhammad Nyoman Putu Rahmat Rudi Slamet Sugeng Supriyadi Teguh Wayan Yusuf La_Ode Andi_Baso Asep "
    "Ujang Dadang Ucok Togar Frans Yohanes Markus"
).split()
FIRST_FEMALE = (
    "Ani Dewi Endang Fitri Hartini Ika Indah Kartini Lestari Lina Maria Nur Nurhayati Puji Ratna Rina Sari "
    "Siti Sri Suharti Tri Wahyuni Wati Yuli Wa_Ode Ni_Luh Ni_Made Euis Neneng Butet Yohana Agustina Rosmini"
).split()
LAST = (
    "Saputra Susanto Wijaya Hidayat Santoso Pratama Nugroho Setiawan Kurniawan Gunawan Siregar Nasution "
    "Harahap Lubis Simanjuntak Sinaga Tambunan Wibowo Purnomo Rahman Hamid Saleh Tamburaka Lakidende Sanusi "
    "Halim Kasim Latif Musa Ridwan Sabara Tosepu Daeng Ibrahim Malik Sitompul Manurung Pane Hutapea Sembiring "
    "Ginting Tarigan Wenas Lumban Mandagi Rumengan Pattiasina Latuconsina Sulaiman Yunus Effendi Syahputra "
    "Suryadi Haryanto Firmansyah Kusuma Utomo Prasetyo Hakim Anwar Fauzi Ramadhan Permana Suganda Hasibuan"
).split()
NAME_WORDS = (
    "Jaya Makmur Sejahtera Berkah Mandiri Abadi Lestari Sentosa Barokah Bersama Utama Maju Indah Sumber Rezeki "
    "Karya Mulia Cahaya Baru Harapan Sehati Putra Putri Bunda Ibu Pak Mekar Sari Tunas Murni Sinar Rejeki "
    "Anugerah Amanah Prima Kencana Nusantara Bahari Timur Selatan Utara Barat Lancar Subur Tani Manunggal"
).split()
STREETS = (
    "Merdeka Sudirman Ahmad_Yani Diponegoro Gajah_Mada Pahlawan Veteran Pemuda Kartini Imam_Bonjol Poros "
    "Pasar Masjid Raya Pelabuhan Sisingamangaraja Hasanuddin Pattimura Cendrawasih Melati Mawar Kenanga"
).split()

# Trade words by KBLI golongan pokok: (name prefixes, commodity, raw materials, capacity unit).
TRADES: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    "10": (
        ("Olahan", "Kue", "Kerupuk", "Roti", "Abon", "Keripik", "Sambal", "Tahu", "Tempe", "Dodol"),
        "makanan olahan",
        "bahan pangan lokal",
        "kg",
    ),
    "11": (("Air Minum", "Minuman", "Sirup"), "minuman", "air, gula, buah", "liter"),
    "13": (("Tenun", "Songket", "Kain"), "kain tenun", "benang", "lembar"),
    "14": (("Konveksi", "Penjahit", "Bordir", "Batik"), "pakaian jadi", "kain", "potong"),
    "15": (("Kerajinan Kulit", "Sepatu", "Tas"), "alas kaki dan barang kulit", "kulit", "pasang"),
    "16": (("Kusen", "Ukiran", "Anyaman Bambu"), "barang dari kayu dan bambu", "kayu, bambu", "unit"),
    "17": (("Kertas",), "barang dari kertas", "kertas bekas", "kg"),
    "18": (("Percetakan", "Sablon"), "hasil cetakan", "kertas, tinta", "lembar"),
    "20": (("Sabun", "Minyak Atsiri"), "bahan kimia rumah tangga", "minyak nabati", "liter"),
    "22": (("Plastik", "Karet"), "barang dari plastik dan karet", "bijih plastik", "kg"),
    "23": (
        ("Gerabah", "Batako", "Genteng", "Batu Bata"),
        "bahan bangunan dari tanah liat dan semen",
        "tanah liat",
        "buah",
    ),
    "25": (("Las", "Pandai Besi", "Teralis"), "barang dari logam", "besi, baja ringan", "unit"),
    "28": (("Alat Pertanian", "Mesin"), "mesin dan alat pertanian", "besi", "unit"),
    "29": (("Karoseri",), "karoseri kendaraan", "plat besi", "unit"),
    "31": (("Mebel", "Meubel", "Furnitur", "Rotan"), "furnitur kayu dan rotan", "kayu, rotan", "unit"),
    "32": (("Kerajinan", "Perhiasan", "Souvenir"), "kerajinan tangan", "bahan lokal", "buah"),
    "33": (("Servis Mesin",), "reparasi mesin", "suku cadang", "unit"),
    "45": (("Bengkel Mobil", "Bengkel Motor"), "reparasi kendaraan", "suku cadang", "unit"),
}
GENERIC_TRADE = (("Industri", "Usaha", "Produksi"), "produk industri kecil", "bahan baku lokal", "unit")
# The trades most small industries work in (docs/domain.md §2: food, apparel, wood, furniture, metal, crafts).
DIVISION_WEIGHTS = {"10": 30, "11": 3, "13": 4, "14": 12, "15": 3, "16": 6, "23": 5, "25": 6, "31": 10, "32": 6}
NON_MANUFACTURING_SHARE = 0.04
NON_MANUFACTURING_CODES = ("45201", "45202", "45407", "95230", "95240")

LEGAL_FORMS = (
    (LegalForm.PERORANGAN, 62),
    (LegalForm.UD, 18),
    (LegalForm.CV, 10),
    (LegalForm.PT_PERORANGAN, 3),
    (LegalForm.PT, 2),
    (LegalForm.KOPERASI, 2),
    (LegalForm.KELOMPOK, 2),
    (LegalForm.FIRMA, 1),
)
STATUSES = ((BusinessStatus.ACTIVE, 88), (BusinessStatus.INACTIVE, 8), (BusinessStatus.CLOSED, 4))

BUSINESS_COLUMNS = (
    "id created_at updated_at region_id version deleted_at deleted_by_id name legal_form nib address village_id "
    "district_id latitude longitude kbli_id kbli_version commodity workforce_male workforce_female investment_value "
    "investment_land_buildings business_capital production_capacity installed_capacity capacity_unit "
    "production_value turnover raw_materials machinery year_started status size_class umkm_class created_by_id "
    "phone email website kbli_unmatched search_text"
).split()
OWNER_COLUMNS = (
    "id created_at updated_at region_id version deleted_at deleted_by_id full_name nik gender birth_date phone "
    "email address village_id user_id legal_basis anonymised_at"
).split()
OWNERSHIP_COLUMNS = ["business_id", "owner_id", "role"]

# NIB = (NIB_MULTIPLIER * id + offset) mod 10^13: a bijection on ids (the multiplier is coprime to 10), so NIBs
# are unique without a lookup and do not look sequential.
NIB_MODULUS = 10**13
NIB_MULTIPLIER = 7_368_787_231


# --- classification, column-wise ------------------------------------------------------------------------------


def industry_classes(workers: Sequence[int | None], investment: Sequence[Any]) -> list[str]:
    """:func:`~sentra.registry.classification.industry_size` for whole columns (``""`` when an input is missing)."""
    kecil, menengah, besar = SizeClass.KECIL.value, SizeClass.MENENGAH.value, SizeClass.BESAR.value
    ik, im, max_w = IK_INVESTMENT_LIMIT, IM_INVESTMENT_LIMIT, IK_MAX_WORKERS
    return [
        ""
        if w is None or inv is None
        else (kecil if inv < ik else menengah)
        if w <= max_w
        else (menengah if inv <= im else besar)
        for w, inv in zip(workers, investment, strict=True)
    ]


def umkm_classes(turnover: Sequence[Any], capital: Sequence[Any]) -> list[str]:
    """:func:`~sentra.registry.classification.umkm_size` for whole columns: sales when known, else capital."""
    sales = [(limit, klass.value) for limit, klass in UMKM_SALES_LIMITS]
    caps = [(limit, klass.value) for limit, klass in UMKM_CAPITAL_LIMITS]
    besar = UmkmClass.BESAR.value

    def one(amount: Any, limits: list[tuple[Decimal, str]]) -> str:
        for limit, klass in limits:
            if amount <= limit:
                return klass
        return besar

    return [
        one(t, sales) if t is not None else one(c, caps) if c is not None else ""
        for t, c in zip(turnover, capital, strict=True)
    ]


# --- reference data -------------------------------------------------------------------------------------------


@dataclass
class Geography:
    #: (village code, district code, regency code) of every village.
    villages: list[tuple[str, str, str]]
    #: one village index per regency/city, so that every regency gets businesses.
    first_per_regency: list[int]
    coordinates: dict[str, tuple[float, float]]


def load_geography() -> Geography:
    from sentra.regions.models import Region, RegionLevel

    villages: list[tuple[str, str, str]] = []
    by_regency: dict[str, list[int]] = defaultdict(list)
    rows = Region.objects.filter(level=RegionLevel.VILLAGE).order_by("code").values_list("code", "parent_id")
    for code, district in rows.iterator(chunk_size=20_000):
        regency = district[:5]
        by_regency[regency].append(len(villages))
        villages.append((code, district, regency))
    regencies = Region.objects.filter(level=RegionLevel.REGENCY).values_list("code", "latitude", "longitude")
    coordinates = {
        code: (float(lat), float(lon)) for code, lat, lon in regencies if lat is not None and lon is not None
    }
    if not villages:
        raise RuntimeError("Tabel wilayah kosong: jalankan `sentra load_regions` lebih dulu.")
    return Geography(villages, [v[0] for _, v in sorted(by_regency.items())], coordinates)


@dataclass
class KbliPool:
    ids: list[int]
    weights: list[float]
    divisions: list[str]


def load_kbli() -> KbliPool:
    from sentra.regions.models import Kbli

    rows = list(
        Kbli.objects.filter(version="2020", level=Kbli.Level.SUBCLASS).values_list("id", "code", "is_manufacturing")
    )
    manufacturing = [(i, c) for i, c, m in rows if m]
    other = [(i, c) for i, c, m in rows if not m and c in NON_MANUFACTURING_CODES]
    if not manufacturing:
        raise RuntimeError("Tabel KBLI kosong: jalankan `sentra migrate` (memuat KBLI 2020) lebih dulu.")
    ids, weights, divisions = [], [], []
    total_m = sum(DIVISION_WEIGHTS.get(c[:2], 1) for _, c in manufacturing)
    share_m = 1 - (NON_MANUFACTURING_SHARE if other else 0)
    for i, c in manufacturing:
        ids.append(i)
        weights.append(share_m * DIVISION_WEIGHTS.get(c[:2], 1) / total_m)
        divisions.append(c[:2])
    for i, c in other:
        ids.append(i)
        weights.append(NON_MANUFACTURING_SHARE / len(other))
        divisions.append(c[:2])
    return KbliPool(ids, weights, divisions)


# --- generation -----------------------------------------------------------------------------------------------


@dataclass
class Batch:
    owners: list[tuple]
    businesses: list[tuple]
    ownerships: list[tuple]


@dataclass
class Generator:
    geography: Geography
    kbli: KbliPool
    rng: random.Random
    owners_ratio: float = 0.9
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0))
    nik_serials: dict[str, int] = field(default_factory=dict)
    existing_niks: set[str] = field(default_factory=set)
    existing_nibs: set[str] = field(default_factory=set)
    nib_offset: int = 0
    regency_cursor: int = 0

    def __post_init__(self) -> None:
        self.nib_offset = self.rng.randrange(NIB_MODULUS)
        self._legal = [f.value for f, _ in LEGAL_FORMS], [w for _, w in LEGAL_FORMS]
        self._status = [s.value for s, _ in STATUSES], [w for _, w in STATUSES]
        start = int((self.now - dt.timedelta(days=4 * 365)).timestamp())
        end = int(self.now.timestamp())
        self._times = sorted(self.rng.randrange(start, end) for _ in range(50_000))

    def nik(self, district: str, birth: dt.date, female: bool) -> str | None:
        prefix = (
            f"{district.replace('.', '')}{birth.day + (40 if female else 0):02d}{birth.month:02d}{birth.year % 100:02d}"
        )
        while True:
            serial = self.nik_serials.get(prefix, 0) + 1
            if serial > 9999:
                return None
            self.nik_serials[prefix] = serial
            nik = f"{prefix}{serial:04d}"
            if nik not in self.existing_niks:
                return nik

    def nib(self, business_id: int) -> str | None:
        nib = f"{(NIB_MULTIPLIER * business_id + self.nib_offset) % NIB_MODULUS:013d}"
        return None if nib in self.existing_nibs else nib

    def batch(self, *, first_business_id: int, first_owner_id: int, count: int) -> Batch:
        rng = self.rng
        r = rng.random
        villages = self.geography.villages
        n_villages = len(villages)
        n_owners = max(1, round(count * self.owners_ratio))
        # Every regency/city gets businesses: the first rows walk through one village of each regency in turn.
        places = []
        for _ in range(count):
            if self.regency_cursor < len(self.geography.first_per_regency):
                places.append(villages[self.geography.first_per_regency[self.regency_cursor]])
                self.regency_cursor += 1
            else:
                places.append(villages[int(r() * n_villages)])

        # Owners: one per business for the first ``n_owners`` businesses; the rest belong to an earlier owner
        # of the batch (a second workshop, in the same village). Ratios above 1 add managers.
        owner_of = list(range(min(n_owners, count)))
        base = len(owner_of)
        for _ in range(count - base):
            owner_of.append(int(r() * base))
        owners: list[tuple] = []
        owner_places = []
        times = self._times
        n_times = len(times)
        for k in range(n_owners):
            place = places[k] if k < count else places[int(r() * count)]
            owner_places.append(place)
            female = r() < 0.38
            first = (FIRST_FEMALE if female else FIRST_MALE)[int(r() * (len(FIRST_FEMALE if female else FIRST_MALE)))]
            name = f"{first.replace('_', ' ')} {LAST[int(r() * len(LAST))]}"
            birth = dt.date(1950 + int(r() * 55), 1 + int(r() * 12), 1 + int(r() * 28))
            nik = self.nik(place[1], birth, female) if r() < 0.93 else None
            t = times[int(r() * n_times)]
            owners.append(
                (
                    first_owner_id + k,
                    t,
                    t,
                    place[2],
                    1,
                    None,
                    None,
                    name,
                    nik,
                    Gender.FEMALE.value if female else Gender.MALE.value,
                    birth,
                    f"+628{int(r() * 9) + 1}{int(r() * 10**9):09d}" if r() < 0.85 else "",
                    "",
                    f"Jl. {STREETS[int(r() * len(STREETS))].replace('_', ' ')} No. {1 + int(r() * 150)}",
                    place[0],
                    None,
                    "public_task",
                    None,
                )
            )
        kbli_idx = rng.choices(range(len(self.kbli.ids)), weights=self.kbli.weights, k=count)
        legal = rng.choices(self._legal[0], weights=self._legal[1], k=count)
        status = rng.choices(self._status[0], weights=self._status[1], k=count)
        businesses = []
        ownerships = []
        workers_col, invest_col, turnover_col, capital_col = [], [], [], []
        for i in range(count):
            bid = first_business_id + i
            owner_k = owner_of[i]
            place = places[i] if owner_k == i else owner_places[owner_k]
            division = self.kbli.divisions[kbli_idx[i]]
            prefixes, commodity, raw, unit = TRADES.get(division, GENERIC_TRADE)
            owner_last = owners[owner_k][7].split()[-1]
            word = NAME_WORDS[int(r() * len(NAME_WORDS))]
            roll = r()
            name = (
                f"{prefixes[int(r() * len(prefixes))]} {word} {NAME_WORDS[int(r() * len(NAME_WORDS))]}"
                if roll < 0.55
                else f"{prefixes[int(r() * len(prefixes))]} {owner_last}"
                if roll < 0.85
                else f"{word} {owner_last}"
            )
            size_roll = r()
            if size_roll < 0.02:
                workers = None
            elif size_roll < 0.57:
                workers = 1 + int(r() * 4)
            elif size_roll < 0.92:
                workers = 5 + int(r() * 15)
            elif size_roll < 0.99:
                workers = 20 + int(r() * 80)
            else:
                workers = 100 + int(r() * 400)
            big = workers is not None and workers >= 20
            investment = round(10 ** (8.3 + r() * 2.4 if big else 6.7 + r() * 2.6), -5) if r() < 0.97 else None
            capital = round((investment or 5 * 10**7) * (1 + r() * 0.6), -5) if r() < 0.9 else None
            turnover = round((investment or 5 * 10**7) * (0.4 + r() * 4), -5) if r() < 0.9 else None
            male = None if workers is None else int(workers * r())
            female_w = None if workers is None or male is None else workers - male
            workers_col.append(workers)
            invest_col.append(investment)
            turnover_col.append(turnover)
            capital_col.append(capital)
            capacity = round(50 + r() * 20_000, 0)
            created = times[int(r() * n_times)]
            updated = times[min(n_times - 1, int((r() ** 0.5) * n_times))]
            if updated < created:
                created, updated = updated, created
            deleted = updated if r() < 0.005 else None
            coords = self.geography.coordinates.get(place[2])
            lat = lon = None
            if coords and r() < 0.4:
                lat = round(coords[0] + (r() - 0.5) * 0.2, 6)
                lon = round(coords[1] + (r() - 0.5) * 0.2, 6)
            businesses.append(
                [
                    bid,
                    created,
                    updated,
                    place[2],
                    1,
                    deleted,
                    None,
                    name,
                    legal[i],
                    self.nib(bid) if r() < 0.78 else None,
                    f"Jl. {STREETS[int(r() * len(STREETS))].replace('_', ' ')} No. {1 + int(r() * 200)}",
                    place[0],
                    place[1],
                    lat,
                    lon,
                    self.kbli.ids[kbli_idx[i]],
                    "2020",
                    commodity,
                    male,
                    female_w,
                    investment,
                    round((investment or 10**8) * (0.2 + r() * 1.5), -5) if r() < 0.8 else None,
                    capital,
                    capacity,
                    round(capacity * (1 + r() * 0.6), 0),
                    unit,
                    None if turnover is None else round(turnover * (0.7 + r() * 0.25), -5),
                    turnover,
                    raw,
                    "",
                    1975 + int((r() ** 0.6) * 50),
                    status[i],
                    "",
                    "",
                    None,
                    "",  # the business's own phone, e-mail and website: unknown in a synthetic register
                    "",
                    "",
                    "",  # every synthetic KBLI code is a known KBLI 2020 code
                    "",  # search_text: below, once the owners of every business are known
                ]
            )
            ownerships.append((bid, first_owner_id + owner_k, OwnershipRole.OWNER.value))
        for k in range(count, n_owners):
            ownerships.append((first_business_id + int(r() * count), first_owner_id + k, OwnershipRole.MANAGER.value))
        # A manager and the owner may be drawn for the same business: keep (business, owner) unique.
        seen: set[tuple[int, int]] = set()
        unique_ownerships = []
        linked: dict[int, list[int]] = {}
        for o in ownerships:
            if (o[0], o[1]) not in seen:
                seen.add((o[0], o[1]))
                unique_ownerships.append(o)
                linked.setdefault(o[0], []).append(o[1])
        size_col = industry_classes(workers_col, invest_col)
        umkm_col = umkm_classes(turnover_col, capital_col)
        size_i, umkm_i = BUSINESS_COLUMNS.index("size_class"), BUSINESS_COLUMNS.index("umkm_class")
        name_i, search_i = BUSINESS_COLUMNS.index("name"), BUSINESS_COLUMNS.index("search_text")
        rows = []
        for row, size, umkm in zip(businesses, size_col, umkm_col, strict=True):
            row[size_i] = size
            row[umkm_i] = umkm
            people = sorted(linked.get(int(row[0]), ()))  # type: ignore[call-overload]
            row[search_i] = search_text.for_row(str(row[name_i]), (owners[o - first_owner_id][7] for o in people))
            rows.append(tuple(row))
        return Batch(owners, rows, unique_ownerships)


# --- writing --------------------------------------------------------------------------------------------------


def _sqlite_time(epoch: int | None) -> str | None:
    if epoch is None:
        return None
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _pg_time(epoch: int | None) -> dt.datetime | None:
    return None if epoch is None else dt.datetime.fromtimestamp(epoch, dt.UTC)


TIME_COLUMNS = ("created_at", "updated_at", "deleted_at")


def _convert_times(rows: list[tuple], columns: list[str], convert: Callable[[int | None], Any]) -> list[tuple]:
    idx = [columns.index(c) for c in TIME_COLUMNS if c in columns]
    out = []
    cache: dict[int, Any] = {}
    for original in rows:
        row = list(original)
        for i in idx:
            v = row[i]
            if v is not None:
                c = cache.get(v)
                if c is None:
                    c = cache[v] = convert(v)
                row[i] = c
        out.append(tuple(row))
    return out


def write_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Bulk insert: ``executemany`` on SQLite, ``COPY ... FROM STDIN`` on PostgreSQL."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        rows = _convert_times(rows, columns, _pg_time)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        rows = _convert_times(rows, columns, _sqlite_time)
        rows = [tuple(v.isoformat() if isinstance(v, dt.date) else v for v in row) for row in rows]
        placeholders = ", ".join("?" for _ in columns)
        connection.ensure_connection()
        raw = connection.connection.cursor()
        try:
            raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)  # noqa: S608 - table names from model metadata
        finally:
            raw.close()


def clear_registry() -> None:
    """Delete every business, owner and ownership, and the rows of other tables that point at them."""
    from sentra.registry.models import Business, Owner, Ownership

    tables = [Ownership._meta.db_table, Business.kbli_others.through._meta.db_table]
    dependents = []
    for model in (Business, Owner):
        for rel in model._meta.related_objects:
            table = rel.related_model._meta.db_table
            if table not in tables and table not in (Business._meta.db_table, Owner._meta.db_table):
                dependents.append(table)
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            if through is not None:
                tables.append(through._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {Business._meta.db_table}, {Owner._meta.db_table} RESTART IDENTITY CASCADE")
            return
        for table in dict.fromkeys(dependents + tables):
            cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 - table names from model metadata
        cursor.execute(f'DELETE FROM "{Business._meta.db_table}"')  # noqa: S608 - table names from model metadata
        cursor.execute(f'DELETE FROM "{Owner._meta.db_table}"')  # noqa: S608 - table names from model metadata


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - table names from model metadata
        return int(cursor.fetchone()[0]) + 1


def _reset_sequences(tables: list[str]) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows explicit ids by itself
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"  # noqa: S608 - table names from model metadata
            )


def _drop_secondary_indexes(tables: list[str]) -> list[tuple[str, str]]:
    """Drop the non-unique indexes of ``tables`` for a bulk load; returns their definitions for recreating.

    Maintaining a dozen B-tree indexes (and on PostgreSQL the pg_trgm GIN indexes) row by row in random key
    order costs several times more than the load itself once the table outgrows the cache; building each once
    at the end is a sorted bulk build. Unique indexes (NIB, NIK, ownership) stay, so constraints are enforced
    during the load.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                "WHERE t.relname = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary "
                "AND t.relnamespace = current_schema()::regnamespace",
                [tables],
            )
        elif connection.vendor == "sqlite":
            marks = ", ".join("%s" for _ in tables)
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
                f"AND upper(sql) NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN ({marks})",
                tables,
            )
        else:
            return []
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
        if connection.vendor == "postgresql":
            cursor.execute("SET synchronous_commit = off")
    return found


def _recreate_indexes(indexes: list[tuple[str, str]]) -> None:
    if not indexes:
        return
    with connection.cursor() as cursor:
        pending = connection.vendor == "postgresql" and connection.in_atomic_block
        if pending:
            # Inside an outer transaction (tests) the deferred foreign-key checks of the load are still pending,
            # and PostgreSQL refuses CREATE INDEX on a table with pending trigger events: run the checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        if pending:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        if connection.vendor == "postgresql":
            cursor.execute("RESET synchronous_commit")
            cursor.execute("RESET maintenance_work_mem")


@dataclass
class SeedResult:
    businesses: int
    owners: int
    ownerships: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return (self.businesses + self.owners + self.ownerships) / self.seconds if self.seconds else 0.0


def seed(
    businesses: int,
    *,
    owners_ratio: float = 0.9,
    seed: int = 2026,
    batch_size: int = 50_000,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Generate ``businesses`` businesses with owners and ownerships; returns counts and elapsed time."""
    from sentra.regions.models import Kbli, Region
    from sentra.registry.models import Business, Owner, Ownership

    start = time.perf_counter()
    generator = Generator(load_geography(), load_kbli(), random.Random(seed), owners_ratio=owners_ratio)
    generator.existing_niks = {n for n in Owner._base_manager.exclude(nik=None).values_list("nik", flat=True) if n}
    generator.existing_nibs = {n for n in Business._base_manager.exclude(nib=None).values_list("nib", flat=True) if n}
    for nik in generator.existing_niks:
        prefix, serial = nik[:12], int(nik[12:]) if nik[12:].isdigit() else 0
        generator.nik_serials[prefix] = max(generator.nik_serials.get(prefix, 0), serial)
    b_table, o_table, s_table = Business._meta.db_table, Owner._meta.db_table, Ownership._meta.db_table
    next_business, next_owner = _next_id(b_table), _next_id(o_table)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A large page cache keeps the indexes' hot pages in memory while millions of rows go in.
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB, this connection only
    done = owners = ownerships = 0
    # Rebuilding the indexes once is cheaper than maintaining them when the load at least doubles the table.
    existing = Business._base_manager.count()
    dropped = _drop_secondary_indexes([b_table, o_table, s_table]) if businesses >= existing else []
    if dropped and progress:
        progress(f"{len(dropped)} indeks sekunder dilepas selama pemuatan, dibangun ulang di akhir.")
    try:
        while done < businesses:
            count = min(batch_size, businesses - done)
            batch = generator.batch(first_business_id=next_business, first_owner_id=next_owner, count=count)
            with transaction.atomic():
                write_rows(o_table, OWNER_COLUMNS, batch.owners)
                write_rows(b_table, BUSINESS_COLUMNS, batch.businesses)
                write_rows(s_table, OWNERSHIP_COLUMNS, batch.ownerships)
            done += count
            owners += len(batch.owners)
            ownerships += len(batch.ownerships)
            next_business += count
            next_owner += len(batch.owners)
            if progress:
                elapsed = time.perf_counter() - start
                rows = done + owners + ownerships
                progress(
                    f"{format_number(done):>12} / {format_number(businesses)} usaha  "
                    f"({format_number(rows / elapsed)} baris/detik, {elapsed:.0f} dtk)"
                )
    finally:
        if dropped and progress:
            progress("Membangun ulang indeks …")
        _recreate_indexes(dropped)
    _reset_sequences([b_table, o_table, s_table])
    with connection.cursor() as cursor:
        # Fresh statistics for the planner, including the reference tables a new database has just loaded
        # (without them PostgreSQL guessed 16k regions instead of 92k and hash-joined whole tables).
        for table in (b_table, o_table, s_table, Region._meta.db_table, Kbli._meta.db_table):
            cursor.execute(f"ANALYZE {table}")
    return SeedResult(done, owners, ownerships, time.perf_counter() - start)
