"""P-IRT numbers (docs/domain.md §5): 15 digits, region part and expiry year derived; mismatches warn, never refuse."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sentra.quality.numbers import check_number, pirt_parse

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@given(
    packaging=st.sampled_from("12345678"),
    rest=st.text(alphabet="0123456789", min_size=14, max_size=14),
    prefix=st.sampled_from(["", "P-IRT No. ", "PIRT ", "SPP-IRT No ", "p-irt no."]),
    dashed=st.booleans(),
)
def test_any_well_formed_number_parses_into_its_parts(packaging, rest, prefix, dashed):
    raw = packaging + rest
    text = prefix + (f"{raw[:13]}-{raw[13:]}" if dashed else raw)
    parsed = pirt_parse(text)
    assert parsed.digits == raw
    assert parsed.packaging_code == packaging
    assert parsed.food_type == raw[1:3]
    assert parsed.region_code == f"{raw[3:5]}.{raw[5:7]}"
    assert parsed.product_sequence == raw[7:9]
    assert parsed.irtp_sequence == raw[9:13]
    assert parsed.expiry_year == 2000 + int(raw[13:15])
    assert parsed.formatted == f"{raw[:13]}-{raw[13:]}"
    assert pirt_parse(parsed.formatted) == parsed  # the normal form parses to itself


@given(st.text(alphabet="0123456789", min_size=0, max_size=30).filter(lambda s: len(s) != 15))
def test_wrong_length_is_refused(text):
    with pytest.raises(ValidationError) as exc:
        pirt_parse(text)
    assert exc.value.code == "pirt_length"


@given(rest=st.text(alphabet="0123456789", min_size=14, max_size=14), first=st.sampled_from("09"))
def test_unknown_packaging_code_is_refused(rest, first):
    with pytest.raises(ValidationError) as exc:
        pirt_parse(first + rest)
    assert exc.value.code == "pirt_packaging"


def test_letters_are_refused():
    with pytest.raises(ValidationError):
        pirt_parse("21074710101AB-29")


def test_example_from_domain():
    p = pirt_parse("P-IRT No. 1234567890123-45")
    assert p.packaging == "gelas"
    assert p.region_code == "45.67"
    assert p.expiry_year == 2045


def test_matching_number_has_no_warnings():
    result = check_number("pirt", "2107471010123-29", region_id="74.71", expires_on=dt.date(2029, 3, 1))
    assert result.warnings == ()
    assert result.number == "2107471010123-29"


def test_region_and_year_mismatch_warn_but_are_accepted():
    result = check_number("pirt", "210747201012329", region_id="74.71", expires_on=dt.date(2028, 3, 1))
    assert len(result.warnings) == 2
    assert "74.72" in result.warnings[0]
    assert "2029" in result.warnings[1] and "2028" in result.warnings[1]


def test_other_kinds_are_free_text_but_not_empty():
    assert check_number("halal", " ID123 ", region_id="74.71", expires_on=None).number == "ID123"
    with pytest.raises(ValidationError):
        check_number("sni", "  ", region_id="74.71", expires_on=None)


def test_bpom_md_is_normalised_or_warned():
    assert check_number("bpom_md", "md 123456789012", region_id=None, expires_on=None).number == "MD 123456789012"
    assert check_number("bpom_md", "MD 12345", region_id=None, expires_on=None).warnings
