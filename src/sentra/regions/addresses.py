"""Free-text Indonesian addresses → Kemendagri region codes, for the whole country.

An address is one text naming street, village, district, regency/city and province in varying spellings. The
matcher reads it right to left the way a clerk would:

1. It splits the text into parts (commas, semicolons, lines) and words, skips street names (the words after
   ``Jl.``/``Gg.``/``Perum.``), and looks up every run of up to eight words in the names of the reference tables
   and in the aliases shipped in ``data/alamat`` (old and informal province names, abbreviations such as
   ``Jaksel``, ``Kukar``). A word before a run types it: ``Kab.``/``Kabupaten``, ``Kota`` (also ``Kota Adm.``),
   ``Kec.``, ``Kel.``/``Desa``, ``Prov.``.
2. Longest names first: ``Kepulauan Riau`` is not also ``Riau``, ``Papua Barat Daya`` not ``Papua Barat``,
   ``Aceh Besar`` not ``Aceh``, ``Lima Puluh Kota`` not the marker word ``Kota``.
3. The province is the rightmost province name (or one written after ``Prov.``). A province name allows the
   provinces split off from it later (``Kalimantan Timur`` still allows Kabupaten Bulungan in Kalimantan Utara).
4. Every other regency/city name is a candidate, scored by how it is written (with a type word that fits its kind,
   without one, cut off at the end). The best one wins if it is the only one; a tie (``Bekasi`` without
   ``Kab.``/``Kota``) is settled only by other evidence — a district or village of one of them — and otherwise
   reported with its candidates, never guessed.
5. Inside the regency, the words not used for its own name give the district and then the village; a district
   or village name that is ambiguous is left out rather than guessed.

The reference data is read from the database once per process (and again when the number of regions changes):
provinces, regencies and aliases at once, districts and villages per regency as addresses name them, and the
whole country in one query once a file spans more than a few regencies.
"""

from __future__ import annotations

import csv
import re
import threading
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy

from sentra.regions.models import Region, RegionLevel

ALIASES = Path(__file__).resolve().parent / "data" / "alamat"

CONFIDENCE = {
    "village": gettext_lazy("tinggi (desa/kelurahan)"),
    "district": gettext_lazy("sedang (kecamatan)"),
    "regency": gettext_lazy("rendah (hanya kabupaten/kota)"),
    "default": gettext_lazy("rendah (wilayah bawaan berkas)"),
    "code": gettext_lazy("pasti (kode wilayah)"),
}

_MARKERS = {
    "kab": "regency",
    "kabupaten": "regency",
    "kota": "city",
    "kotamadya": "city",
    "kodya": "city",
    "kec": "district",
    "kecamatan": "district",
    "kel": "village",
    "kelurahan": "village",
    "desa": "village",
    "ds": "village",
    "prov": "province",
    "provinsi": "province",
    "propinsi": "province",
}
#: Words between a type word and the name: ``Kota Adm. Jakarta Timur``, ``Kabupaten Administrasi ...``.
_MARKER_FILLERS = {"adm", "administrasi", "administratif"}
_STREET = {"jl", "jln", "jalan", "gg", "gang", "lr", "lorong", "perum", "perumahan", "komp", "kompleks", "blok"}
_STOP = {"no", "km", "rt", "rw", "kav", "dusun", "dsn", "dk", "kp", "kampung", "lingk", "lingkungan"}
_PART_SPLIT = re.compile(r"[,;\n]+")
_DOTTED = re.compile(r"([a-z])\.([a-z])")
_WORDS = re.compile(r"[a-z0-9]+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_TYPE_PREFIX = re.compile(r"^(kabupaten|kota)\s+(administrasi\s+)?", re.IGNORECASE)
#: A truncated name must keep at least this many letters to be read as the start of a name.
MIN_PREFIX = 5


_DELETE = {c: None for c in range(128) if not chr(c).isalnum()}


def fold(text: str) -> str:
    """``"Bau-Bau"``, ``"Bau Bau"`` and ``"Baubau"`` → ``"baubau"``."""
    if text.isascii():
        return text.lower().translate(_DELETE)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _NON_ALNUM.sub("", text)


def tokens(part: str) -> list[str]:
    """Lower-case ASCII words; ``"Kec.Depok"`` is two words."""
    if not part.isascii():
        part = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode()
    text = _DOTTED.sub(r"\1. \2", part.lower())
    return _WORDS.findall(text)


# --- Phone numbers at the end of an address ---------------------------------------------------------------------

_MASK = "*xX•"
_NUMBER = r"\+?\(?\d[\d\s().\-*xX•]{5,}[\d*xX•]\)?"
_PHONE_TAIL = re.compile(
    r"(?P<sep>[\s,;/(\-]*)"
    r"(?P<label>\b(?:no\.?\s*)?(?:telepon|telpon|telp|tlp|tel|phone|ph|handphone|hp|whatsapp|wa|fax|faks|kontak|cp)"
    r"\b\.?(?:\s*/\s*(?:hp|wa|fax|faks)\b\.?)?\s*[:.]?\s*)?"
    rf"(?P<number>{_NUMBER}(?:\s*(?:/|,|;|\batau\b)\s*{_NUMBER})*)"
    r"[\s.;,)]*$",
    re.IGNORECASE,
)


def split_phone_tail(address: str) -> tuple[str, str | None, bool]:
    """Split a phone number written at the end of an address off it.

    Returns ``(address without the phone, phone as written or None, masked)``. ``"Jl. Mawar 3, Klaten, Jawa Tengah
    Telp. 0274-512345"`` → (``"Jl. Mawar 3, Klaten, Jawa Tengah"``, ``"0274-512345"``, False). A masked number
    (``HP 081*********``) is removed too and reported as (…, None, True): the caller stores no phone. Several
    numbers (``0274-512345 / 0812…``) come back as written; the phone column parser takes the first. A number
    without a label (``Telp.``, ``HP``, ``WA``…) is split off only when it looks like a phone (starts with ``0``,
    ``62`` or ``+62`` and has 8–15 digits), so house numbers and postcodes stay.
    """
    text = address or ""
    if not _may_end_in_phone(text):
        return text, None, False
    return _search_phone_tail(text)


def _may_end_in_phone(text: str) -> bool:
    """Whether ``text`` can end in a phone number at all: past the closing marks the pattern allows after a number
    (white space and ``.;,)``), its last character must be a digit or a mask. Most addresses end in a place name
    and are answered here, in a few string operations, instead of by the pattern tried at every position."""
    end = text.rstrip()
    while end and end[-1] in ".;,)":
        end = end[:-1].rstrip()
    return bool(end) and (end[-1].isdecimal() or end[-1] in _MASK)


def _search_phone_tail(text: str) -> tuple[str, str | None, bool]:
    pos = 0
    while (m := _PHONE_TAIL.search(text, pos)) is not None:
        found = _phone_at(text, m)
        if found is not None:
            return found
        pos = m.start("number") + 1  # "No. 5 0812…": the number starts later
    return text, None, False


def _phone_at(text: str, m: re.Match[str]) -> tuple[str, str | None, bool] | None:
    number = m.group("number").strip()
    masked = any(c in _MASK for c in number)
    first = re.split(r"\s*(?:/|,|;|\batau\b)\s*", number)[0]
    if not m.group("label"):
        plain = re.sub(r"[^\d*xX•]", "", first)
        if not re.match(r"^(?:\+?62|\(?0)", first) or not 8 <= len(plain) <= 15:
            return None
        if m.group("sep") == "" and m.start() > 0:
            return None  # glued to the word before it: part of the address
    elif not masked and len(re.sub(r"\D", "", first)) < 6:
        return None
    rest = text[: m.start()].rstrip(" ,;:-/(")
    return rest, (None if masked else number), masked


# --- Reference data ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Regency:
    code: str
    kind: str  # "kabupaten" | "kota"


class Reference:
    """Every name the matcher knows, folded: provinces, regencies/cities and aliases at once; districts and villages
    of a regency when it is first needed, and of the whole country in one query once a file names more than
    ``LAZY_REGENCIES`` regencies. The set of every name (``known``) is read when signatures need it."""

    #: Regencies loaded one query each before the rest of the country is loaded in one.
    LAZY_REGENCIES = 8
    #: Window length while not every name is loaded (names have at most this many words).
    MAX_WORDS = 8

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        #: folded province name → the provinces it allows (itself and those split off from it).
        self.provinces: dict[str, frozenset[str]] = {}
        #: folded regency name (without type word) or alias → regencies.
        self.regencies: dict[str, tuple[_Regency, ...]] = {}
        #: folded start of a regency name cut inside a word / at a word boundary → regencies.
        self.prefix_mid: dict[str, frozenset[str]] = {}
        self.prefix_word: dict[str, frozenset[str]] = {}
        self.kinds: dict[str, str] = {}
        #: regency → folded name → codes (district, village); filled by ``tables``, read-only per regency.
        self.districts: dict[str, dict[str, list[str]]] = {}
        self.villages: dict[str, dict[str, list[str]]] = {}
        #: Every folded name of any level (``load_known``); None before: then every run of words is looked up.
        self.known: frozenset[str] | None = None
        self.longest = self.MAX_WORDS
        self._everything = False
        self._lock = threading.Lock()
        self._build()

    def tables(self, regency: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """(districts, villages) of one regency, by folded name."""
        if regency not in self.districts and not self._everything:
            with self._lock:
                if regency not in self.districts and not self._everything:
                    if len(self.districts) < self.LAZY_REGENCIES:
                        self._load(Region.objects.filter(code__startswith=regency + "."), {regency})
                    else:
                        self._load(Region.objects.filter(level__gt=RegionLevel.REGENCY), None)
                        self._everything = True
        return self.districts.get(regency, {}), self.villages.get(regency, {})

    def load_known(self) -> frozenset[str]:
        """The set of every folded name (one query over the distinct names), for signatures."""
        if self.known is None:
            with self._lock:
                if self.known is None:
                    known = set(self.provinces) | set(self.regencies)
                    words = max((len(f) for f in self._form_words), default=1)
                    for name in Region.objects.values_list("name", flat=True).distinct().order_by().iterator():
                        known.add(fold(name))
                        words = max(words, name.count(" ") + name.count("-") + 1)
                    self.longest = min(self.MAX_WORDS, words)
                    self.known = frozenset(known)
        return self.known

    def _load(self, queryset: Any, regencies: set[str] | None) -> None:
        """Districts and villages of ``regencies`` (None: all not loaded yet). The loop is kept plain: the whole
        country is 91,000 names."""
        districts: dict[str, dict[str, list[str]]] = {r: {} for r in regencies or ()}
        villages: dict[str, dict[str, list[str]]] = {r: {} for r in regencies or ()}
        names = self.names
        loaded = self.districts
        rows = queryset.values_list("code", "name", "level").order_by().iterator(chunk_size=20_000)
        for code, name, level in rows:
            regency = code[:5]
            if regency in loaded or level <= RegionLevel.REGENCY:
                continue
            names[code] = name
            folded = fold(name)
            table = (districts if level == RegionLevel.DISTRICT else villages).setdefault(regency, {})
            same = table.get(folded)
            if same is None:
                table[folded] = [code]
            else:
                same.append(code)
        for regency in set(districts) | set(villages):
            self.villages[regency] = villages.get(regency, {})
            self.districts[regency] = districts.get(regency, {})  # last: it marks the regency loaded
        if regencies is None:
            for regency in self.kinds:
                self.villages.setdefault(regency, {})
                self.districts.setdefault(regency, {})

    def _build(self) -> None:
        children: dict[str, set[str]] = defaultdict(set)
        for row in _csv("pemekaran.csv"):
            children[row["kode_induk"]].add(row["kode"])

        def descendants(code: str) -> frozenset[str]:
            found = {code}
            for child in children.get(code, ()):
                found |= descendants(child)
            return frozenset(found)

        regencies: dict[str, list[_Regency]] = defaultdict(list)
        forms_of: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        names = self.names
        for code, name, level, kind in Region.objects.filter(level__lte=RegionLevel.REGENCY).values_list(
            "code", "name", "level", "kind"
        ):
            name = names[code] = name.strip()
            if level == RegionLevel.PROVINCE:
                self.provinces[fold(name)] = descendants(code)
            else:
                kind = kind or ("kota" if name.lower().startswith("kota") else "kabupaten")
                self.kinds[code] = kind
                base = tokens(_TYPE_PREFIX.sub("", name))
                for form in _variants(base):
                    forms_of[code].add(form)
        for row in _csv("alias.csv"):
            code = row["kode"]
            if len(code) == 2:
                self.provinces.setdefault(fold(row["alias"]), descendants(code))
            elif code in self.kinds:
                forms_of[code].add((*tokens(row["alias"]), "\0alias"))
        prefix_mid: dict[str, set[str]] = defaultdict(set)
        prefix_word: dict[str, set[str]] = defaultdict(set)
        self._form_words: list[tuple[str, ...]] = []
        for code, forms in forms_of.items():
            entry = _Regency(code, self.kinds[code])
            for form in forms:
                alias = form[-1:] == ("\0alias",)
                words = form[:-1] if alias else form
                folded = "".join(words)
                self._form_words.append(words)
                if entry not in regencies[folded]:
                    regencies[folded].append(entry)
                if alias:
                    continue
                ends = set()
                total = 0
                for word in words:
                    total += len(word)
                    ends.add(total)
                for cut in range(MIN_PREFIX, len(folded)):
                    (prefix_word if cut in ends else prefix_mid)[folded[:cut]].add(code)
        self.regencies = {k: tuple(v) for k, v in regencies.items()}
        self.prefix_mid = {k: frozenset(v) for k, v in prefix_mid.items()}
        self.prefix_word = {k: frozenset(v) for k, v in prefix_word.items()}


def _csv(name: str) -> list[dict[str, str]]:
    with (ALIASES / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _variants(words: list[str]) -> set[tuple[str, ...]]:
    """Spellings of one regency name: ``Kepulauan X`` is also ``Kep. X``; ``X dan Y`` is also ``X & Y``."""
    forms = {tuple(words)}
    if "dan" in words:
        forms.add(tuple(w for w in words if w != "dan"))
    for form in list(forms):
        if form and form[0] == "kepulauan":
            forms.add(("kep", *form[1:]))
    return forms


_REFERENCE: dict[str, Any] = {}
_REFERENCE_LOCK = threading.Lock()


def reference() -> Reference:
    """The shared reference data, rebuilt when the regions table changes size (it is loaded, not edited)."""
    count = Region.objects.count()
    with _REFERENCE_LOCK:
        if _REFERENCE.get("count") != count:
            _PART_WINDOWS.clear()
            _REFERENCE.update(count=count, data=Reference())
        return _REFERENCE["data"]


# --- Reading one address ----------------------------------------------------------------------------------------

#: One run of words that names something: (folded, marker, part, start, n, prefix, marker position)
#: ``prefix`` is 0 for a whole name, 1 for a name cut at a word boundary, 2 for one cut inside a word.
Window = tuple[str, str | None, int, int, int, int, int]
_PART_WINDOWS: dict[tuple[str, int, bool], tuple[Window, ...]] = {}


def _part_windows(ref: Reference, words: list[str], index: int) -> tuple[Window, ...]:
    """The runs of words in one part that name a region (or start one, at the end of the part)."""
    skip = set()
    i = 0
    count = len(words)
    while i < count:
        if words[i] in _STREET and not (i and words[i - 1] in _MARKERS):
            j = i + 1
            while (
                j < count
                and words[j] not in _STOP
                and not words[j].isdigit()
                and words[j] not in _MARKERS
                and j - i <= 3
            ):
                skip.add(j)
                j += 1
            i = j
        else:
            i += 1
    known, prefix_mid, prefix_word, longest = ref.known, ref.prefix_mid, ref.prefix_word, ref.longest
    regencies = ref.regencies
    found: list[Window] = []
    for start in range(count):
        if start in skip:
            continue  # "Jl. Malang" is a street; but "Desa Alue Bu Jalan Baroh" is a village
        marker, marker_at = None, -1
        p = start - 1
        while p >= 0 and words[p] in _MARKER_FILLERS:
            p -= 1
        if p >= 0 and words[p] in _MARKERS:
            marker, marker_at = _MARKERS[words[p]], p
        folded = ""
        for n in range(1, longest + 1):
            end = start + n
            if end > count:
                break
            folded += words[end - 1]
            if known is None or folded in known:  # before every name is loaded, every run is looked up
                found.append((folded, marker, index, start, n, 0, marker_at))
            if end == count and len(folded) >= MIN_PREFIX and folded not in regencies:
                # Possibly a name cut off by a fixed-width column ("Pangkajene Dan Kepul").
                if folded in prefix_mid:
                    found.append((folded, marker, index, start, n, 2, marker_at))
                elif folded in prefix_word:
                    found.append((folded, marker, index, start, n, 1, marker_at))
    return tuple(found)


def _address_windows(ref: Reference, address: str) -> tuple[tuple[Window, ...], ...]:
    parts = [p for p in _PART_SPLIT.split(address or "") if p.strip()]
    out = []
    cache = _PART_WINDOWS
    everything = ref.known is None
    for index, part in enumerate(parts):
        key = (part, index, everything)
        found = cache.get(key)
        if found is None:
            found = _part_windows(ref, tokens(part), index)
            if len(cache) > 200_000:
                cache.clear()
            cache[key] = found
        out.append(found)
    return tuple(out)


_EMPTY: tuple[str, ...] = ()


class RegionMatcher:
    """Finds the Kemendagri codes named by a free-text address.

    ``match(address)`` returns ``({"region", "district", "village", "candidates"}, confidence)``: the codes found
    (``None`` where not found), the regencies/cities the address leaves open when it names more than one equally
    well (``candidates``, empty otherwise), and the confidence key (``CONFIDENCE``) or ``None`` when not even the
    regency/city is known. ``match_cached`` gives the same answer, computed once per distinct signature.
    """

    #: Distinct addresses matched one by one before matching switches to signatures.
    SIGNATURES_AFTER = 20_000

    def __init__(self) -> None:
        self.ref = reference()
        self.names = self.ref.names
        self._by_text: dict[tuple[str, str | None], tuple[dict[str, Any], str | None]] = {}
        self._matches: dict[Any, tuple[dict[str, Any], str | None]] = {}

    def _load(self, regency: str) -> None:
        """Make the names of a regency's districts and villages known (``names``, ``display``)."""
        self.ref.tables(regency)

    def display(self, code: str | None) -> str:
        return self.names.get(code or "", "")

    # --- entry points ---

    def match_cached(self, address: str, *, default_region: str | None = None) -> tuple[dict[str, Any], str | None]:
        """:meth:`match`, computed once per *signature*: the address's parts reduced to the runs of words that
        name (or start) some region anywhere, with their type words and positions. ``match`` reads nothing
        else, so two addresses with the same signature match the same way."""
        by_text = self._by_text.get((address, default_region))
        if by_text is not None:
            return dict(by_text[0]), by_text[1]
        if len(self._by_text) < self.SIGNATURES_AFTER:
            found = self._by_text[(address, default_region)] = self.match(address, default_region=default_region)
            return dict(found[0]), found[1]
        self.ref.load_known()  # a signature holds only the runs that name something: every name is needed
        key = (_address_windows(self.ref, address), default_region)
        found = self._matches.get(key)
        if found is None:
            if len(self._matches) > 200_000:
                self._matches.clear()
            found = self._matches[key] = self.match(address, default_region=default_region)
        return dict(found[0]), found[1]

    def match(self, address: str, *, default_region: str | None = None) -> tuple[dict[str, Any], str | None]:
        """Return ({region, district, village, candidates}, confidence key); see the class."""
        return self._resolve(_address_windows(self.ref, address), default_region)

    # --- the rules ---

    def _resolve(
        self, parts: tuple[tuple[Window, ...], ...], default_region: str | None
    ) -> tuple[dict[str, Any], str | None]:
        ref = self.ref
        result: dict[str, Any] = {"region": None, "district": None, "village": None, "candidates": _EMPTY}
        windows = [w for part in parts for w in part]
        # Province and regency names, longest first.
        spans = []
        for w in windows:
            folded, marker, _i, _s, _n, prefix, _m = w
            if marker in ("district", "village"):
                continue
            if prefix:
                regs: Any = (ref.prefix_mid if prefix == 2 else ref.prefix_word).get(folded)
                prov = None
            else:
                regs = ref.regencies.get(folded)
                prov = ref.provinces.get(folded)
            if marker == "province":
                regs = None
            elif marker in ("regency", "city"):
                prov = None
            if regs or prov:
                spans.append((w, regs, prov))
        spans.sort(key=lambda s: (-s[0][4], s[0][5], -s[0][2], -s[0][3]))
        covered: set[tuple[int, int]] = set()
        accepted = []
        for span in spans:
            _f, _m, index, start, n, _p, _ma = span[0]
            cells = [(index, k) for k in range(start, start + n)]
            if any(c in covered for c in cells):
                continue
            covered.update(cells)
            accepted.append(span)
        # The province: the rightmost province name, or one typed "Prov.".
        province: frozenset[str] | None = None
        province_span = None
        rightmost = max(accepted, key=lambda s: (s[0][2], s[0][3]), default=None)
        for span in sorted(accepted, key=lambda s: (s[0][2], s[0][3]), reverse=True):
            w, regs, prov = span
            if prov and (not regs or w[1] == "province" or span is rightmost):
                province, province_span = prov, span
                break
        # Regency/city candidates: code → (score, span).
        candidates: dict[str, tuple[int, Window]] = {}
        for span in accepted:
            if span is province_span:
                continue
            w, regs, _prov = span
            if not regs:
                continue
            folded, marker, _i, _s, _n, prefix, marker_at = w
            if marker_at >= 0 and (w[2], marker_at) in covered:
                marker = None  # the "Kota" of "Lima Puluh Kota" types nothing
            for reg in _regencies(regs, ref):
                if province is not None and reg.code[:2] not in province:
                    continue
                typed = marker in ("regency", "city")
                fits = (marker == "regency") == (reg.kind == "kabupaten")
                if prefix == 0:
                    score = (4 if fits else 1) if typed else 2
                elif prefix == 2:
                    score = (3 if fits else 0) if typed else 2
                else:
                    score = (2 if fits else 0) if typed else 1
                # The best-written mention names it; of equal ones the rightmost (the regency follows the village).
                current = candidates.get(reg.code)
                if score and (current is None or (score, w[2], w[3]) >= (current[0], current[1][2], current[1][3])):
                    candidates[reg.code] = (score, w)
        needs_evidence = False
        if not candidates and province_span is not None and province_span[1]:
            # "…, Gorontalo": the province, and perhaps also its city; only a district or village can tell.
            w = province_span[0]
            for reg in _regencies(province_span[1], ref):
                if reg.code[:2] in province:  # type: ignore[operator]
                    candidates[reg.code] = (1, w)
            needs_evidence = True
        exclude_province = province_span[0] if province_span is not None else None
        chosen = None
        inside: tuple[str | None, str | None, bool] = (None, None, False)
        if candidates:
            best = max(score for score, _w in candidates.values())
            top = sorted(code for code, (score, _w) in candidates.items() if score == best)
            if len(top) == 1 and not needs_evidence:
                chosen = top[0]
            else:
                found = {code: self._inside(code, windows, candidates[code][1], exclude_province) for code in top}
                # A district and a village in it beat a village alone, which beats a district alone.
                strength = {code: (2 if v else 0) + (1 if named else 0) for code, (_d, v, named) in found.items()}
                strongest = max(strength.values())
                winners = [code for code in top if strength[code] == strongest]
                if strongest and len(winners) == 1:
                    chosen = winners[0]
                    inside = found[chosen]
                elif not needs_evidence:
                    result["candidates"] = tuple(top)
            if chosen and inside == (None, None, False):
                inside = self._inside(chosen, windows, candidates[chosen][1], exclude_province)
        confidence = None
        if chosen is None and default_region:
            allowed = result["candidates"] or None
            if (allowed and default_region in allowed) or (
                not allowed and (province is None or default_region[:2] in province)
            ):
                chosen, confidence = default_region, "default"
                result["candidates"] = _EMPTY
                inside = self._inside(chosen, windows, None, exclude_province)
        if chosen is None:
            return result, None
        result["region"] = chosen
        district, village, _named = inside
        confidence = confidence or "regency"
        if village:
            result["district"], result["village"] = village[:8], village
            confidence = "village"
        elif district:
            result["district"] = district
            confidence = "district"
        return result, confidence

    def _inside(
        self, regency: str, windows: list[Window], name: Window | None, province: Window | None
    ) -> tuple[str | None, str | None, bool]:
        """(district, village, whether the district was named) from the words not used for the regency's own
        name or the province."""
        ref = self.ref
        districts, villages = ref.tables(regency)
        used: set[tuple[int, int]] = set()
        for w in (name, province):
            if w is not None:
                used.update((w[2], k) for k in range(w[3], w[3] + w[4]))
        spans = []
        for w in windows:
            folded, marker, index, start, n, prefix, marker_at = w
            if marker_at >= 0 and (index, marker_at) in used:
                marker = None  # "Kab. Lima Puluh Kota Payakumbuh": that "Kota" is part of the regency's name
            if prefix or marker in ("regency", "city", "province"):
                continue
            cells = [(index, k) for k in range(start, start + n)]
            if any(c in used for c in cells):
                continue
            d = districts.get(folded) if marker != "village" else None
            v = villages.get(folded) if marker != "district" else None
            if d or v:
                spans.append((cells, marker, d, v, index, start, n))
        if not spans:
            return None, None, False
        spans.sort(key=lambda s: (-s[6], s[1] is None, -s[4], -s[5]))
        covered: set[tuple[int, int]] = set()
        kept = []
        for span in spans:
            if any(c in covered for c in span[0]):
                continue
            covered.update(span[0])
            kept.append(span)
        marked = [s for s in kept if s[1] == "district"]
        district_spans = marked or [s for s in kept if s[2]]
        district = None
        district_span = None
        codes = {c for s in district_spans for c in s[2]}
        if len(codes) == 1:
            district = next(iter(codes))
            # Village before district: of several spans naming the district, the rightmost is the district.
            district_span = max(district_spans, key=lambda s: (s[4], s[5]))
        villages_found = {
            c
            for s in kept
            if s[3] and (s is not district_span or s[1] == "village")
            for c in s[3]
            if district is None or c.startswith(district + ".")
        }
        if len(villages_found) == 1:
            return district, next(iter(villages_found)), district is not None
        if district is None and len(codes) > 1:
            # Several districts named ("Bondoala, Sampara": both are districts, Bondoala also a village of
            # Sampara): the rightmost is the district when the words before it name one village in it.
            last = max(district_spans, key=lambda s: (s[4], s[5]))
            if len(last[2]) == 1:
                inner = last[2][0]
                within = {c for s in kept if s is not last and s[3] for c in s[3] if c.startswith(inner + ".")}
                if len(within) == 1:
                    return inner, next(iter(within)), True
        return district, None, district is not None


def _regencies(regs: Any, ref: Reference) -> list[_Regency]:
    if isinstance(regs, frozenset):
        return [_Regency(code, ref.kinds[code]) for code in sorted(regs)]
    return list(regs)
