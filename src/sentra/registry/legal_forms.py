"""Legal forms (bentuk usaha) as Indonesian registers write them inside business names.

``split_legal_form("PT. Maju Jaya Tbk")`` → ``Split(name="Maju Jaya", form="pt_tbk", unknown=None)``. A form is
recognised before the name (``PT``, ``P.T.``, ``CV.``, ``Koperasi Serba Usaha``) or after it (``Maju, CV``,
``Maju Jaya Tbk``, ``Pelabuhan (Persero)``), in any case, with or without dots and commas. The rules, and why,
are in docs/domain.md ("Bentuk usaha"). In short:

- only whole words count: ``PTPN``, ``CVTech``, ``Udin`` and ``Koperasinya`` are names, not forms;
- ``Tbk``, ``(Persero)``, ``(Perseroda)`` and ``Perorangan`` refine a PT; (Persero) wins over Tbk;
- a word written like a legal form (``KSO.`` before the name, ``, KSO`` after it) that is not one stays in the
  name and is reported as ``unknown``: the caller shows it as a notice; it is never taken to mean perorangan;
- abbreviations of trades and titles (``RM.`` rumah makan, ``TB.`` toko bangunan, ``H.``, ``Dr.``) are not forms
  and are not reported.

Called for every imported row, so the common case (a name that starts and ends with no form word) costs two
dictionary look-ups.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.registry.choices import LegalForm

F = LegalForm

#: Words before the name, as lower-case words without dots, commas or brackets → form.
PREFIXES: dict[tuple[str, ...], str] = {
    ("pt",): F.PT,
    ("p", "t"): F.PT,
    ("perseroan", "terbatas"): F.PT,
    ("pt", "tbk"): F.PT_TBK,
    ("pt", "persero"): F.PT_PERSERO,
    ("persero",): F.PT_PERSERO,
    ("pt", "perseroda"): F.PERSERODA,
    ("perseroda",): F.PERSERODA,
    ("pt", "perorangan"): F.PT_PERORANGAN,
    ("perseroan", "perorangan"): F.PT_PERORANGAN,
    ("cv",): F.CV,
    ("c", "v"): F.CV,
    ("persekutuan", "komanditer"): F.CV,
    ("ud",): F.UD,
    ("u", "d"): F.UD,
    ("usaha", "dagang"): F.UD,
    ("pr",): F.PR,
    ("perusahaan", "perorangan"): F.PR,
    ("fa",): F.FIRMA,
    ("firma",): F.FIRMA,
    ("pd",): F.PD,
    ("p", "d"): F.PD,
    ("perusahaan", "dagang"): F.PD,
    ("koperasi",): F.KOPERASI,
    ("kop",): F.KOPERASI,
    ("ko",): F.KOPERASI,
    ("kopwan",): F.KOPERASI,
    ("kopkar",): F.KOPERASI,
    ("kpri",): F.KOPERASI,
    ("koperasi", "wanita"): F.KOPERASI,
    ("koperasi", "karyawan"): F.KOPERASI,
    ("koperasi", "produsen"): F.KOPERASI,
    ("koperasi", "konsumen"): F.KOPERASI,
    ("ksu",): F.KSU,
    ("koperasi", "serba", "usaha"): F.KSU,
    ("ksp",): F.KSP,
    ("koperasi", "simpan", "pinjam"): F.KSP,
    ("kspps",): F.KSPPS,
    ("kjks",): F.KSPPS,
    ("koperasi", "syariah"): F.KSPPS,
    ("kud",): F.KUD,
    ("koperasi", "unit", "desa"): F.KUD,
    ("kopontren",): F.KOPONTREN,
    ("koperasi", "pondok", "pesantren"): F.KOPONTREN,
    ("perum",): F.PERUM,
    ("perusahaan", "umum"): F.PERUM,
    ("perumda",): F.PERUMDA,
    ("pud",): F.PERUMDA,
    ("bumd",): F.PERUMDA,
    ("perusahaan", "umum", "daerah"): F.PERUMDA,
    ("perusahaan", "daerah"): F.PERUMDA,
    ("bumdes",): F.BUMDES,
    ("bum", "desa"): F.BUMDES,
    ("badan", "usaha", "milik", "desa"): F.BUMDES,
    ("bumdesma",): F.BUMDESMA,
    ("bum", "desa", "bersama"): F.BUMDESMA,
    ("yayasan",): F.YAYASAN,
    ("yysn",): F.YAYASAN,
    ("yys",): F.YAYASAN,
    ("perkumpulan",): F.PERKUMPULAN,
    ("upt",): F.UPT,
    ("uptd",): F.UPT,
    ("unit", "pelaksana", "teknis"): F.UPT,
    ("unit", "pelaksana", "teknis", "daerah"): F.UPT,
    ("but",): F.BUT,
    ("bentuk", "usaha", "tetap"): F.BUT,
    ("kub",): F.KELOMPOK,
    ("kelompok", "usaha", "bersama"): F.KELOMPOK,
    ("kelompok",): F.KELOMPOK,
}
#: Forms that count only when written with a dot (``KO. Tani Makmur``): "Ko" is also a form of address.
DOTTED_ONLY = frozenset({("ko",)})
#: Words after the name → form (``Maju, CV``; ``Semen Indonesia (Persero) Tbk``).
SUFFIXES: dict[tuple[str, ...], str] = {
    ("pt",): F.PT,
    ("cv",): F.CV,
    ("ud",): F.UD,
    ("fa",): F.FIRMA,
    ("pd",): F.PD,
    ("tbk",): F.PT_TBK,
    ("pt", "tbk"): F.PT_TBK,
    ("persero",): F.PT_PERSERO,
    ("persero", "tbk"): F.PT_PERSERO,
    ("perseroda",): F.PERSERODA,
    ("ksu",): F.KSU,
    ("ksp",): F.KSP,
    ("kud",): F.KUD,
    ("bumdes",): F.BUMDES,
}
#: A PT refined by what follows the name.
PT_REFINED = {F.PT_TBK, F.PT_PERSERO, F.PERSERODA}
#: Abbreviations of trades, titles and addresses: written like forms, but never one, and not worth a notice.
NOT_FORMS = frozenset(
    {"rm", "tb", "tk", "rs", "h", "hj", "kh", "dr", "drs", "dra", "ir", "st", "sh", "se", "jl", "no", "ikm", "ukm"}
)

_FIRST_WORDS = frozenset(key[0] for key in PREFIXES)
_LAST_WORDS = frozenset(key[-1] for key in SUFFIXES)
#: Prefixes by their first word, longest first; suffixes by their last word, longest first.
_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _key, _form in sorted(PREFIXES.items(), key=lambda item: -len(item[0])):
    _BY_FIRST.setdefault(_key[0], []).append((_key, _form))
_SINGLE_FIRST = frozenset(key[0] for key in PREFIXES if len(key) == 1)
_SECOND_WORDS: dict[str, frozenset[str]] = {
    word: frozenset(key[1] for key in PREFIXES if key[0] == word and len(key) > 1) for word in _FIRST_WORDS
}
_BY_LAST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _key, _form in sorted(SUFFIXES.items(), key=lambda item: -len(item[0])):
    _BY_LAST.setdefault(_key[-1], []).append((_key, _form))
_STRIP = ".,;:()[]"
_ABBREVIATION = re.compile(r"^(?:[A-Z]{2,6}|(?:[A-Z]\.){2,5})$")


class Split(NamedTuple):
    name: str
    #: A ``LegalForm`` value, or None when the name carries no known form.
    form: str | None = None
    #: A word written like a legal form that is not a known one (left in the name), for a notice.
    unknown: str | None = None


_new = tuple.__new__  # a Split without NamedTuple's keyword handling: this runs for every imported row


def _canon(word: str) -> str:
    return word.strip(_STRIP).replace(".", "").lower()


def split_legal_form(text: str) -> Split:
    """The name without its legal form, the form, and an unknown form-like word (see the module docstring)."""
    stripped = text.strip()
    space = stripped.find(" ")
    if space < 0:
        return _new(Split, (stripped.strip(" ,.-"), None, None))  # one word: a name, never a form
    first = stripped[:space]
    marked = "," in stripped or first[-1] == "."  # written like a form: "KSO. Maju", "Maju, KSO"
    head = _canon(first)
    if head in _BY_FIRST and head not in _SINGLE_FIRST:
        # "Usaha Bench": a word that starts only longer forms ("usaha dagang") needs its next word to match.
        after = stripped[space + 1 :].lstrip()
        end = after.find(" ")
        if _canon(after if end < 0 else after[:end]) not in _SECOND_WORDS[head]:
            head = ""
    if head not in _BY_FIRST and _canon(stripped[stripped.rfind(" ") + 1 :]) not in _BY_LAST and "." not in first[:-1]:
        # Most names: no form word at either end.
        if not marked:
            name = stripped if "  " not in stripped else " ".join(stripped.split())
            return _new(Split, (name.strip(" ,.-"), None, None))
        words = stripped.split()
        return _new(Split, (" ".join(words).strip(" ,.-"), None, _unknown(words)))
    words = stripped.split()
    head, dot, rest = words[0].partition(".")
    if rest and len(head) > 1 and head.lower() in _FIRST_WORDS:
        words = [head + dot, rest, *words[1:]]  # "CV.MAJU JAYA": the form glued to the name by its dot
    first = _canon(words[0])
    form = None
    for key, found in _BY_FIRST.get(first, ()):
        n = len(key)
        if n < len(words) and all(_canon(words[k]) == key[k] for k in range(1, n)):
            if key not in DOTTED_ONLY or words[n - 1].endswith("."):
                form, words = found, words[n:]
                break
    for key, found in _BY_LAST.get(_canon(words[-1]), ()) if len(words) > 1 else ():
        n = len(key)
        if n < len(words) and all(_canon(words[-n + k]) == key[k] for k in range(n - 1)):
            if found in PT_REFINED and form in (None, F.PT):
                form = found
            elif form is None:
                form = found
            words = words[:-n]
            break
    name = " ".join(words).strip(" ,.-")
    if form is None:
        return _new(Split, (name, None, _unknown(words) if marked else None))
    return _new(Split, (name, str(form), None))


def _unknown(words: list[str]) -> str | None:
    """A first word like ``KSO.``/``K.S.O.``, or a last word after a comma like ``, KSO``, that no rule knows."""
    if len(words) < 2:
        return None
    head = words[0]
    if head.endswith(".") and _ABBREVIATION.match(head[:-1] if head.count(".") == 1 else head):
        word = head.rstrip(".")
        if _canon(word) not in NOT_FORMS:
            return word
    if not words[-2].endswith(","):
        return None
    tail = words[-1].rstrip(".")
    looks_like = _ABBREVIATION.match(tail) or _ABBREVIATION.match(tail + ".")
    if looks_like and _canon(tail) not in NOT_FORMS:
        return tail
    return None


#: What the export writes for a business whose legal form is not known (stored empty).
UNKNOWN_LEGAL_FORM = gettext_lazy("Tidak diketahui")


def legal_form_spellings() -> dict[str, str]:
    """Every spelling a "Bentuk usaha" cell may hold (lower case, words joined by spaces, no dots) → form."""
    out: dict[str, str] = {}
    for table in (PREFIXES, SUFFIXES):
        for key, form in table.items():
            out.setdefault(" ".join(key), str(form))
            out.setdefault("".join(key), str(form))
    for choice in LegalForm:
        out.setdefault(str(choice.label).lower(), choice.value)
        out.setdefault(choice.value, choice.value)
        out.setdefault(choice.value.replace("_", " "), choice.value)
    out["perorangan"] = F.PERORANGAN
    # The export writes an unknown form in words; it reads back as unknown (empty), not as perorangan.
    out["tidak diketahui"] = ""
    out["unknown"] = ""
    out["usaha perorangan"] = F.PERORANGAN
    out["lainnya"] = F.LAINNYA
    return out


_SPELLINGS: dict[str, str] = {}


def parse_legal_form(value: Any) -> str | None:
    """A "Bentuk usaha" cell (``PT``, ``P.T.``, ``Koperasi Serba Usaha``, ``pt_tbk``, a label) → form; empty →
    None; anything else is refused with the list of accepted values."""
    text = " ".join(str(value or "").split())
    if text in ("", "-"):
        return None
    if not _SPELLINGS:
        _SPELLINGS.update(legal_form_spellings())
    key = " ".join(w for w in (_canon(w) for w in text.split()) if w)
    found = _SPELLINGS.get(key)
    if found is None:
        found = _SPELLINGS.get(text.lower().rstrip("."))
    if found is None:
        raise ValidationError(
            _(
                "Bentuk usaha '{value}' tidak dikenali. Contoh yang diterima: PT, CV, UD, Koperasi, KSU, BUMDes, Yayasan."
            ).format(value=text),
            code="legal_form",
        )
    return found
