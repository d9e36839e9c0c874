"""A test corpus of free-text addresses, generated from the shipped Kemendagri tables.

For each of the 514 regencies/cities, addresses in many styles (official name, ``Kab.``/``Kota`` short, no type
word, with and without the province, old and informal province names, common abbreviations, truncated at 20
characters, with a phone tail, village and district before it), plus random villages (seeded) with their district
and regency. Every case carries what it names: the regency code, or — when the text itself cannot tell (``Bekasi``
without ``Kab.``/``Kota`` and nothing else to settle it; a truncated name that starts several names) — the
candidates, which the matcher must not guess between.

The expected answers are computed here from the tables, independently of the matcher.
"""

from __future__ import annotations

import csv
import random
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from sentra.regions.loader import DATA

# Informal and older names of provinces as registers write them, and the province each one covers. A province
# split off from another (Kalimantan Utara from Kalimantan Timur, ...) is still written with its parent's name in
# older registers: those are "old" names of the new province's regencies.
OLD_PROVINCE_NAMES = {
    "11": ["Nangroe Aceh Darussalam", "Nanggroe Aceh Darussalam", "NAD", "D.I. Aceh"],
    "12": ["Sumut"],
    "13": ["Sumbar"],
    "16": ["Sumsel"],
    "19": ["Bangka Belitung", "Babel", "Sumatera Selatan"],
    "21": ["Kepri", "Riau"],
    "31": ["DKI Jakarta", "DKI", "Jakarta"],
    "32": ["Jabar"],
    "33": ["Jateng"],
    "34": ["D.I. Yogyakarta", "DIY", "Jogja", "DI Yogyakarta", "Yogyakarta"],
    "35": ["Jatim"],
    "36": ["Jawa Barat"],
    "52": ["NTB"],
    "53": ["NTT"],
    "61": ["Kalbar"],
    "62": ["Kalteng"],
    "63": ["Kalsel"],
    "64": ["Kaltim"],
    "65": ["Kaltara", "Kalimantan Timur"],
    "71": ["Sulut"],
    "72": ["Sulteng"],
    "73": ["Sulsel"],
    "74": ["Sultra"],
    "75": ["Sulawesi Utara"],
    "76": ["Sulbar", "Sulawesi Selatan"],
    "82": ["Malut", "Maluku"],
    "93": ["Papua"],
    "94": ["Papua"],
    "95": ["Papua"],
    "96": ["Papua Barat"],
}
# Abbreviations of regency/city names in everyday use.
REGENCY_ABBREVIATIONS = {
    "31.71": "Jakpus",
    "31.72": "Jakut",
    "31.73": "Jakbar",
    "31.74": "Jaksel",
    "31.75": "Jaktim",
    "31.01": "Kep. Seribu",
    "73.10": "Pangkep",
    "64.02": "Kukar",
    "73.14": "Sidrap",
}
STREETS = ["Merdeka", "Ahmad Yani", "Diponegoro", "Mawar", "Pahlawan", "Kartini", "Cendana", "Poros"]
PHONES = ["Telp. 0274-512345", "HP 0812-3456-7890", "telp (0401) 312345", "Hp. 081*********", "WA 62813 1122 3344"]


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", text)


@dataclass
class Case:
    address: str
    style: str
    regency: str
    #: The regencies the text leaves open; one element = the address names the regency.
    candidates: frozenset[str]
    village: str | None = None
    district: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def names_regency(self) -> bool:
        return len(self.candidates) == 1

    @property
    def expected(self) -> str | None:
        """The regency the text names (not always ``regency``: a truncated name can be another's full name)."""
        return next(iter(self.candidates)) if len(self.candidates) == 1 else None


@dataclass
class Tables:
    provinces: dict[str, str]
    regencies: dict[str, tuple[str, str, str]]  # code → (official name, kind, base name)
    districts: dict[str, list[tuple[str, str]]]  # regency → [(code, name)]
    villages: dict[str, list[tuple[str, str]]]  # district → [(code, name)]


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / "wilayah" / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def tables() -> Tables:
    provinces = {r["kode"]: r["nama"].strip() for r in _rows("provinsi.csv")}
    regencies = {}
    for r in _rows("kabupaten_kota.csv"):
        name = r["nama"].strip()
        base = re.sub(r"^(Kabupaten|Kota)\s+(Administrasi\s+)?", "", name)
        regencies[r["kode"]] = (name, r["jenis"], base)
    districts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in _rows("kecamatan.csv"):
        districts[r["kode_kabupaten_kota"]].append((r["kode"], r["nama"].strip()))
    villages: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in _rows("desa_kelurahan.csv"):
        villages[r["kode_kecamatan"]].append((r["kode"], r["nama"].strip()))
    return Tables(provinces, regencies, dict(districts), dict(villages))


def _province_of_name(name: str) -> set[str]:
    """The provinces a written province name allows (official name, or any informal/old name above)."""
    t = tables()
    name = re.sub(r"^Prov\.\s*", "", name)
    codes = {code for code, official in t.provinces.items() if fold(official) == fold(name)}
    codes |= {code for code, names in OLD_PROVINCE_NAMES.items() if any(fold(n) == fold(name) for n in names)}
    return codes


def _candidates(
    name: str,
    *,
    kind: str | None,
    province: str | None,
    prefix: bool = False,
    district: str | None = None,
    village: str | None = None,
) -> frozenset[str]:
    """The regencies the text could mean: base name (or its start, for a truncated name) of the given kind, in
    the named province, holding the named district and village."""
    t = tables()
    provinces = _province_of_name(province) if province else None
    wanted = fold(name)
    found, exact = set(), set()
    for code, (_official, reg_kind, base) in t.regencies.items():
        forms = {fold(base), fold(_official)}
        if code in REGENCY_ABBREVIATIONS:
            forms.add(fold(REGENCY_ABBREVIATIONS[code]))
        hit = any(f.startswith(wanted) for f in forms) if prefix else wanted in forms
        if not hit or (kind and reg_kind != kind) or (provinces is not None and code[:2] not in provinces):
            continue
        if wanted in forms:
            exact.add(code)
        if district and not any(fold(n) == fold(district) for _c, n in t.districts.get(code, ())):
            continue
        if village and not any(
            fold(n) == fold(village) for d, _n in t.districts.get(code, ()) for _c, n in t.villages.get(d, ())
        ):
            continue
        found.add(code)
    # A name cut at a word boundary that is itself a full name names that regency ("Kabupaten Aceh Barat" cut
    # from "Kabupaten Aceh Barat Daya"): nobody can see the cut.
    return frozenset(exact & found or found)


def regency_cases(seed: int = 514) -> list[Case]:
    """At least ten styles for every regency/city."""
    t = tables()
    rnd = random.Random(seed)
    cases = []
    for code, (official, kind, base) in sorted(t.regencies.items()):
        province = t.provinces[code[:2]]
        short = f"{'Kab.' if kind == 'kabupaten' else 'Kota'} {base}"
        bare_type = "Kab" if kind == "kabupaten" else "Kota"
        street = f"Jl. {rnd.choice(STREETS)} No. {rnd.randint(1, 200)}"
        old = OLD_PROVINCE_NAMES.get(code[:2], [f"Prov. {province}"])
        district_code, district = rnd.choice(t.districts[code])
        village_code, village = rnd.choice(t.villages[district_code])

        def add(style: str, address: str, candidates: frozenset[str], code: str = code, **extra: str) -> None:
            cases.append(Case(address, style, code, candidates, extra=extra))

        add("official+province", f"{street}, {official}, {province}", _candidates(base, kind=kind, province=province))
        add("official", f"{street}, {official}", _candidates(base, kind=kind, province=None))
        add("short+province", f"{street}, {short}, {province}", _candidates(base, kind=kind, province=province))
        add(
            "short-nodot",
            f"{street} {bare_type} {base}",
            _candidates(base, kind=kind, province=None),
        )
        add("bare+province", f"{street}, {base}, {province}", _candidates(base, kind=None, province=province))
        bare = _candidates(base, kind=None, province=None)
        if _province_of_name(base):
            bare = bare | {"province"}  # "Jl. Merdeka, Jambi" names the province, perhaps also its city
        add("bare", f"{street}, {base}", bare)
        old_name = rnd.choice(old)
        add("old-province", f"{street}, {short}, {old_name}", _candidates(base, kind=kind, province=old_name))
        abbreviation = REGENCY_ABBREVIATIONS.get(code)
        if abbreviation:
            add("abbreviation", f"{street}, {abbreviation}", frozenset({code}))
        else:
            informal = rnd.choice(OLD_PROVINCE_NAMES.get(code[:2], [province]))
            add(
                "abbreviation",
                f"{street} Kab {base} {informal}" if kind == "kabupaten" else f"{street} Kota {base} {informal}",
                _candidates(base, kind=kind, province=informal),
            )
        truncated = base[:20].rstrip()
        cut = _candidates(truncated, kind=None, province=None, prefix=True)
        add("truncated", f"{street}, {truncated}", cut | ({"province"} if _province_of_name(truncated) else set()))
        truncated_official = official[:20].rstrip()
        typeless = re.sub(r"^(Kabupaten|Kota)\s+(Administrasi\s*)?", "", truncated_official)
        add(
            "truncated-official+province",
            f"{street}, {truncated_official}, {province}",
            _candidates(typeless, kind=kind, province=province)
            or (
                _candidates(typeless, kind=kind, province=province, prefix=True) if len(typeless) >= 5 else frozenset()
            ),
        )
        phone = rnd.choice(PHONES)
        add(
            "phone-tail",
            f"{street}, {short}, {province} {phone}",
            _candidates(base, kind=kind, province=province),
            phone=phone,
        )
        add(
            "village-district-short",
            f"{street}, Desa {village}, Kec. {district}, {short}, {province}",
            _candidates(base, kind=kind, province=province),
        )
        add(
            "village-district-bare",
            f"{village}, {district}, {base}",
            _candidates(base, kind=None, province=None, district=district, village=village),
        )
        cases[-1].village, cases[-1].district = village_code, district_code
        same_name = [c for c, n in t.villages[district_code] if fold(n) == fold(village)]
        cases[-1].extra["village_unique"] = "1" if len(same_name) == 1 else ""
    return cases


def village_cases(count: int = 5000, seed: int = 2026) -> list[Case]:
    """Random villages named with their district and regency, in four styles."""
    t = tables()
    rnd = random.Random(seed)
    all_villages = [
        (v_code, v_name, d_code, d_name)
        for districts in t.districts.values()
        for d_code, d_name in districts
        for v_code, v_name in t.villages.get(d_code, ())
    ]
    cases = []
    for i, (v_code, v_name, d_code, d_name) in enumerate(rnd.sample(all_villages, count)):
        code = v_code[:5]
        official, kind, base = t.regencies[code]
        province = t.provinces[code[:2]]
        short = f"{'Kab.' if kind == 'kabupaten' else 'Kota'} {base}"
        village_word = "Kel." if v_code[9] == "1" else "Desa"
        style = i % 4
        if style == 0:
            address = f"Jl. {rnd.choice(STREETS)} {rnd.randint(1, 99)}, {village_word} {v_name}, Kec. {d_name}, {short}"
            candidates = _candidates(base, kind=kind, province=None)
        elif style == 1:
            address = f"{village_word} {v_name} Kec. {d_name} {official} {province}"
            candidates = _candidates(base, kind=kind, province=province)
        elif style == 2:
            address = f"{v_name}, {d_name}, {short}, {province}"
            candidates = _candidates(base, kind=kind, province=province)
        else:
            address = f"RT 02 RW 03 Ds. {v_name}, Kecamatan {d_name}, {official}"
            candidates = _candidates(base, kind=kind, province=None)
        same_name = [c for c, n in t.villages[d_code] if fold(n) == fold(v_name)]
        case = Case(address, f"random-village-{style}", code, candidates, village=v_code, district=d_code)
        case.extra["village_unique"] = "1" if len(same_name) == 1 else ""
        cases.append(case)
    return cases
