"""Legal forms in business names (registry.legal_forms): prefix or suffix, dots, commas, case; whole words only;
unknown form-like words stay in the name and are reported, never taken for perorangan."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from sentra.registry.choices import LegalForm
from sentra.registry.legal_forms import (
    _FIRST_WORDS,
    _LAST_WORDS,
    NOT_FORMS,
    PREFIXES,
    SUFFIXES,
    parse_legal_form,
    split_legal_form,
)

FORM_WORDS = _FIRST_WORDS | _LAST_WORDS | NOT_FORMS | {w for key in PREFIXES for w in key}

#: A name word: letters, capitalised (an all-capital short word would look like an abbreviation).
word = (
    st.text(alphabet="abcdefghijklmnoprstuwyz", min_size=2, max_size=9)
    .filter(lambda w: w not in FORM_WORDS)
    .map(str.capitalize)
)
name = st.lists(word, min_size=1, max_size=4).map(" ".join)
case = st.sampled_from([str.upper, str.lower, str.title, lambda s: s])


def written(key: tuple[str, ...], dotted: bool, style) -> str:  # type: ignore[no-untyped-def]
    """A form as registers write it: ``PT``, ``PT.``, ``P.T.``, ``P. T.``, any case."""
    if dotted and all(len(w) == 1 for w in key):
        return style(".".join(key) + ".")
    text = " ".join(key)
    if key[-1] in ("persero", "perseroda") and len(key) > 1:
        text = " ".join(key[:-1]) + f" ({key[-1]})"
    return style(text + ("." if dotted else ""))


PREFIX_ITEMS = sorted((k, v) for k, v in PREFIXES.items() if k not in {("ko",)})
SUFFIX_ITEMS = sorted(SUFFIXES.items())


@given(st.sampled_from(PREFIX_ITEMS), name, st.booleans(), case, st.sampled_from([" ", "  ", ", "]))
@example((("pt",), LegalForm.PT), "Maju Jaya", True, str.upper, " ")
@example((("p", "t"), LegalForm.PT), "Maju", True, str.upper, " ")
def test_a_form_before_the_name(item, base, dotted, style, sep):
    key, form = item
    result = split_legal_form(written(key, dotted, style) + sep + base)
    assert (result.name, result.form, result.unknown) == (base, form, None)


@given(st.sampled_from(SUFFIX_ITEMS), name, st.booleans(), case, st.sampled_from([", ", " ", " ,", ",  "]))
@example((("cv",), LegalForm.CV), "Ab Brother", False, str.upper, ", ")
@example((("persero", "tbk"), LegalForm.PT_PERSERO), "Semen Indonesia", False, str.title, " ")
def test_a_form_after_the_name(item, base, dotted, style, sep):
    key, form = item
    suffix = " ".join(f"({w})" if w in ("persero", "perseroda") else w for w in key)
    result = split_legal_form(base + sep + style(suffix + ("." if dotted else "")))
    assert (result.name, result.form) == (base, form)


@given(name, case)
def test_a_name_without_a_form_is_left_alone(base, style):
    text = style(base)
    result = split_legal_form(text)
    assert result.name == text
    assert result.form is None
    # An all-capital name of short words may look like an abbreviation only when written with a dot or comma.
    assert result.unknown is None


@given(
    st.sampled_from(["PTPN", "CVTech", "Udin", "Koperasinya", "Pteranodon", "Cvetka", "Perumahan", "Yayasanku"]),
    name,
)
def test_only_whole_words_are_forms(first, base):
    """ "PTPN XIV" is a name (PT Perkebunan Nusantara writes its PT separately when it does)."""
    result = split_legal_form(f"{first} {base}")
    assert (result.name, result.form, result.unknown) == (f"{first} {base}", None, None)


@given(st.sampled_from(["KSO", "BUMN", "K.S.O.", "PTP"]), name)
def test_an_unknown_abbreviation_stays_in_the_name_and_is_reported(abbreviation, base):
    dotted = abbreviation if abbreviation.endswith(".") else abbreviation + "."
    before = split_legal_form(f"{dotted} {base}")
    assert before.form is None
    assert before.name == f"{dotted} {base}".strip(" ,.-")
    assert before.unknown == abbreviation.rstrip(".")
    after = split_legal_form(f"{base}, {abbreviation.rstrip('.')}")
    assert (after.name, after.form, after.unknown) == (
        f"{base}, {abbreviation.rstrip('.')}",
        None,
        abbreviation.rstrip("."),
    )


@pytest.mark.parametrize(
    ("text", "name", "form"),
    [
        ("PT. Semen Indonesia (Persero) Tbk", "Semen Indonesia", "pt_persero"),
        ("PT Unilever Indonesia Tbk", "Unilever Indonesia", "pt_tbk"),
        ("Pelabuhan Indonesia (Persero)", "Pelabuhan Indonesia", "pt_persero"),
        ("PT Perorangan Budi Jaya", "Budi Jaya", "pt_perorangan"),
        ("CV.MAJU JAYA", "MAJU JAYA", "cv"),
        ("Ab Brother, CV", "Ab Brother", "cv"),
        ("UD. Sumber Rejeki", "Sumber Rejeki", "ud"),
        ("PR Sukun", "Sukun", "pr"),
        ("Fa. Tiga Saudara", "Tiga Saudara", "firma"),
        ("Koperasi Serba Usaha Maju", "Maju", "ksu"),
        ("KSP Sejahtera", "Sejahtera", "ksp"),
        ("KUD Mina Bahari", "Mina Bahari", "kud"),
        ("KO. Tani Makmur", "Tani Makmur", "koperasi"),
        ("Kopontren Al Ikhlas", "Al Ikhlas", "kopontren"),
        ("Perum Perhutani", "Perhutani", "perum"),
        ("Perumda Air Minum Tirta Anoa", "Air Minum Tirta Anoa", "perumda"),
        ("PUD Pasar", "Pasar", "perumda"),
        ("BUMDes Sejahtera", "Sejahtera", "bumdes"),
        ("BUM Desa Bersama Lestari", "Lestari", "bumdesma"),
        ("YYSN. Al Falah", "Al Falah", "yayasan"),
        ("UPTD Balai Kemasan", "Balai Kemasan", "upt"),
        ("BUT Chevron", "Chevron", "but"),
        ("KUB Anyaman Rotan", "Anyaman Rotan", "kelompok"),
    ],
)
def test_register_spellings(text, name, form):
    result = split_legal_form(text)
    assert (result.name, result.form) == (name, form)


def test_ko_is_a_cooperative_only_with_its_dot():
    assert split_legal_form("Ko Ahong Bakery").form is None  # "Ko": a form of address
    assert split_legal_form("KO. Ahong").form == LegalForm.KOPERASI


def test_trade_abbreviations_and_titles_are_not_reported():
    for text in ("RM. Padang Sederhana", "TB. Sinar Jaya", "H. Ahmad Mebel", "Dr. Herbal"):
        assert split_legal_form(text).unknown is None, text


def test_every_form_can_be_written_in_a_cell():
    for choice in LegalForm:
        assert parse_legal_form(choice.value) == choice.value
        assert parse_legal_form(str(choice.label)) == choice.value
    assert parse_legal_form("P.T.") == LegalForm.PT
    assert parse_legal_form("Koperasi Serba Usaha") == LegalForm.KSU
    assert parse_legal_form("") is None
    with pytest.raises(ValidationError):
        parse_legal_form("KSO")


def test_the_export_tells_perorangan_from_an_unknown_form_and_reads_both_back():
    from sentra.registry.exports import _legal_form

    assert _legal_form(LegalForm.PERORANGAN) == "Perorangan"
    assert _legal_form("") == "Tidak diketahui"
    assert _legal_form(LegalForm.PT) == "PT"
    assert parse_legal_form(_legal_form(LegalForm.PERORANGAN)) == LegalForm.PERORANGAN
    assert parse_legal_form(_legal_form("")) == ""  # unknown stays unknown, not perorangan
    assert parse_legal_form("") is None  # an empty cell: the import decides (perorangan unless the name says)
