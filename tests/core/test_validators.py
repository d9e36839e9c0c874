"""Indonesian identifiers: NIK, NIB, phone and KBLI codes (docs/domain.md §7), by example and by property."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from sentra.core.validators import (
    mask_nik,
    mask_phone,
    nik_parse,
    normalize_kbli_code,
    normalize_nib,
    normalize_nik,
    normalize_phone,
    validate_nib,
    validate_nik,
)

PROPERTY = settings(max_examples=150, deadline=None)


def nik(region="747103", day=12, month=7, year=85, serial="0001"):
    return f"{region}{day:02d}{month:02d}{year:02d}{serial}"


# --- NIK --------------------------------------------------------------------------------------------------------


def test_nik_man_and_woman():
    man = nik_parse(nik(day=19, month=7, year=82))
    assert (man.birth_day, man.birth_month, man.birth_year_2, man.gender) == (19, 7, 82, "L")
    assert man.region_code == "74.71.03"
    woman = nik_parse(nik(day=59, month=7, year=82))  # women: day + 40
    assert (woman.birth_day, woman.gender) == (19, "P")


@pytest.mark.parametrize("day", [1, 31, 41, 71])
def test_nik_day_edges_accepted(day):
    assert normalize_nik(nik(day=day, month=1)) == nik(day=day, month=1)


@pytest.mark.parametrize("day", [0, 32, 40, 72, 99])
def test_nik_day_out_of_range(day):
    with pytest.raises(ValidationError) as exc:
        validate_nik(nik(day=day))
    assert exc.value.code == "nik_day"
    assert "tanggal lahir" in exc.value.messages[0]


@pytest.mark.parametrize("month", [0, 13, 99])
def test_nik_month_out_of_range(month):
    with pytest.raises(ValidationError) as exc:
        validate_nik(nik(month=month))
    assert exc.value.code == "nik_month"
    assert "bulan lahir" in exc.value.messages[0]


def test_nik_serial_0000_refused():
    with pytest.raises(ValidationError) as exc:
        validate_nik(nik(serial="0000"))
    assert exc.value.code == "nik_serial"
    assert "0000" in exc.value.messages[0]
    assert normalize_nik(nik(serial="9999")).endswith("9999")


def test_nik_29_february_for_both_genders_but_not_30():
    assert nik_parse(nik(day=29, month=2, year=84)).birth_day == 29
    assert nik_parse(nik(day=69, month=2, year=84)).gender == "P"
    for day in (30, 70, 31):
        with pytest.raises(ValidationError) as exc:
            validate_nik(nik(day=day, month=2))
        assert exc.value.code == "nik_date"
    with pytest.raises(ValidationError):
        validate_nik(nik(day=31, month=4))


def test_nik_birth_date_century():
    import datetime as dt

    today = dt.date(2026, 1, 1)
    assert nik_parse(nik(day=19, month=7, year=82)).birth_date(today) == dt.date(1982, 7, 19)
    assert nik_parse(nik(day=19, month=7, year=5)).birth_date(today) == dt.date(2005, 7, 19)
    # 29 February of a year that was not a leap year: no date, no crash.
    assert nik_parse(nik(day=29, month=2, year=83)).birth_date(today) is None


def test_nik_old_region_code_is_accepted():
    # The region part is only softly checked: a code no longer in the Kemendagri list is still a valid NIK.
    assert normalize_nik(nik(region="999999")) == nik(region="999999")


@pytest.mark.parametrize(
    "value", ["", "123", "74710312078500012", "7471031207850a01", "7471 0312 0785 000", None, "٧٤٧١٠٣١٢٠٧٨٥٠٠٠١"]
)
def test_nik_length_and_digits(value):
    with pytest.raises(ValidationError) as exc:
        validate_nik(value)
    assert exc.value.code == "nik_length"
    assert "16 angka" in exc.value.messages[0]


def test_nik_separators_are_removed():
    assert normalize_nik("7471.0312.0785.0001") == "7471031207850001"
    assert normalize_nik(" 7471 0312 0785 0001 ") == "7471031207850001"


def test_mask_nik_hides_the_birth_date():
    assert mask_nik("7471031207850001") == "7471********0001"
    assert mask_nik("") == ""
    assert mask_nik(None) == ""
    assert mask_nik("1234") == "****"


valid_niks = st.builds(
    lambda region, day, month, year, serial, female: nik(
        region=region, day=day + (40 if female else 0), month=month, year=year, serial=f"{serial:04d}"
    ),
    st.from_regex(r"\A[0-9]{6}\Z"),
    st.integers(1, 28),
    st.integers(1, 12),
    st.integers(0, 99),
    st.integers(1, 9999),
    st.booleans(),
)


@PROPERTY
@given(valid_niks)
def test_property_valid_nik_round_trips(value):
    info = nik_parse(value)
    assert info.nik == value
    assert normalize_nik(normalize_nik(value)) == value
    assert info.gender == ("P" if int(value[6:8]) > 40 else "L")
    masked = mask_nik(value)
    assert len(masked) == 16 and masked[:4] == value[:4] and masked[-4:] == value[-4:]
    assert value[6:12] not in masked


@PROPERTY
@given(st.one_of(st.text(max_size=24), st.from_regex(r"\A[0-9]{16}\Z"), st.none(), st.integers()))
def test_property_nik_never_crashes_and_output_is_16_digits(value):
    try:
        out = normalize_nik(value)
    except ValidationError as exc:
        assert exc.messages and exc.code and exc.code.startswith("nik_")
    else:
        assert re.fullmatch(r"[0-9]{16}", out)
        assert out[12:] != "0000"
        assert 1 <= int(out[8:10]) <= 12


# --- NIB --------------------------------------------------------------------------------------------------------


def test_nib():
    assert normalize_nib("9120 0012 3456 7") == "9120001234567"
    assert normalize_nib("9120.0012.34567") == "9120001234567"
    for bad in ("", "912000123456", "91200012345678", "912000123456A", None):
        with pytest.raises(ValidationError) as exc:
            validate_nib(bad)
        assert exc.value.code == "nib_format"
        assert "13 angka" in exc.value.messages[0]


@PROPERTY
@given(st.one_of(st.text(max_size=20), st.from_regex(r"\A[0-9]{13}\Z"), st.none()))
def test_property_nib(value):
    try:
        out = normalize_nib(value)
    except ValidationError:
        return
    assert re.fullmatch(r"[0-9]{13}", out)
    assert normalize_nib(out) == out


# --- Phone ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("081234567890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62-812-3456-789", "+628123456789"),
        ("0812.3456.78", "+62812345678"),
        ("(0401) 312345", "+62401312345"),
        ("0401-3123456", "+624013123456"),
        ("021 5551234", "+62215551234"),
        ("+62 21 5551234", "+62215551234"),
    ],
)
def test_phone_normalised_to_e164(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("081*******", "phone_masked"),
        ("+62812*****890", "phone_masked"),
        ("", "phone_empty"),
        ("   ", "phone_empty"),
        ("0812-3456-78x0", "phone_chars"),
        ("+60 12 345 6789", "phone_country"),
        ("812345678", "phone_prefix"),
        ("+6208123456789", "phone_prefix"),
        ("08123456", "phone_length"),  # too short for a mobile number
        ("08123456789012", "phone_length"),  # too long
        ("0401 123", "phone_length"),
    ],
)
def test_phone_refused(raw, code):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(raw)
    assert exc.value.code == code
    assert exc.value.messages[0]


def test_mask_phone():
    assert mask_phone("+6281234567890") == "+62812*****890"
    assert mask_phone("") == ""
    assert mask_phone("+62123") == "******"


@PROPERTY
@given(
    st.builds(
        lambda d, rest: f"8{d}{rest}", st.integers(1, 9), st.text(alphabet="0123456789", min_size=7, max_size=10)
    ),
    st.sampled_from(["0", "62", "+62", "+62 ", "(+62) "]),
)
def test_property_mobile_round_trip(national, prefix):
    out = normalize_phone(prefix + national)
    assert out == "+62" + national
    assert normalize_phone(out) == out
    assert re.fullmatch(r"\+628[0-9]{8,11}", out)
    masked = mask_phone(out)
    assert "*" in masked and len(masked) == len(out)
    with pytest.raises(ValidationError):
        normalize_phone(masked)


@PROPERTY
@given(st.one_of(st.text(max_size=20), st.text(alphabet="0123456789+-() .*", max_size=20), st.none()))
def test_property_phone_never_crashes_and_output_is_e164(value):
    try:
        out = normalize_phone(value)
    except ValidationError as exc:
        assert exc.code.startswith("phone_")
    else:
        assert re.fullmatch(r"\+62[1-9][0-9]{6,11}", out), out
        assert len(out) <= 16  # Owner.phone max_length
        assert normalize_phone(out) == out


# --- KBLI -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("31001", "31001"), ("31.001", "31001"), (" 45201 ", "45201"), ("1111", "01111"), (1111, "01111")],
)
def test_kbli_code(raw, expected):
    assert normalize_kbli_code(raw) == expected


@pytest.mark.parametrize("raw", ["", "310", "310011", "31A01", None, "C"])
def test_kbli_code_refused(raw):
    with pytest.raises(ValidationError) as exc:
        normalize_kbli_code(raw)
    assert exc.value.code == "kbli_format"
    assert "5 angka" in exc.value.messages[0]


@PROPERTY
@given(st.one_of(st.text(max_size=8), st.from_regex(r"\A[0-9]{4,5}\Z"), st.integers(0, 99999)))
def test_property_kbli(value):
    try:
        out = normalize_kbli_code(value)
    except ValidationError:
        return
    assert re.fullmatch(r"[0-9]{5}", out)
    assert normalize_kbli_code(out) == out
