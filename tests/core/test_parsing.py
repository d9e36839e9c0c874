"""Numbers and dates as Indonesians write them (sentra.core.parsing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from sentra.core.formatting import MONTH_NAMES, format_number
from sentra.core.parsing import parse_date, parse_number

PROPERTY = settings(max_examples=200, deadline=None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.234.567,50", Decimal("1234567.50")),
        ("Rp 2.500.000", Decimal("2500000")),
        ("Rp2.500.000,-", Decimal("2500000")),
        ("rp. 2.500.000", Decimal("2500000")),
        ("IDR 1.500", Decimal("1500")),
        ("105,915**", Decimal("105.915")),
        ("12,5", Decimal("12.5")),
        ("1.500", Decimal("1500")),  # a lone dot and three digits: thousands
        ("2.5", Decimal("2.5")),  # a spreadsheet decimal point
        ("0.125", Decimal("0.125")),
        ("-1.000", Decimal("-1000")),
        ("(1.000)", Decimal("-1000")),
        ("\u00a01 000 000 ", Decimal("1000000")),
        (1500, Decimal("1500")),
        (Decimal("7.25"), Decimal("7.25")),
        (2.5, Decimal("2.5")),
    ],
)
def test_parse_number(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["", "-", "–", "—", None, "   "])
def test_parse_number_empty(raw):
    assert parse_number(raw) is None


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("3,62012E+11", "number_scientific"),
        ("3.62E+11", "number_scientific"),
        ("1e5", "number_scientific"),
        ("abc", "number_invalid"),
        ("1,2,3", "number_invalid"),
        ("12.34.5", "number_grouping"),
        ("1.23,5", "number_grouping"),
        ("Rp", "number_invalid"),
        (True, "number_invalid"),
        ("NaN", "number_invalid"),
        ("Infinity", "number_invalid"),
    ],
)
def test_parse_number_refused(raw, code):
    with pytest.raises(ValidationError) as exc:
        parse_number(raw)
    assert exc.value.code == code
    assert exc.value.messages[0]


def test_scientific_message_is_indonesian_and_names_the_value():
    with pytest.raises(ValidationError) as exc:
        parse_number("3,62012E+11")
    assert "notasi ilmiah" in exc.value.messages[0]
    assert "3,62012E+11" in exc.value.messages[0]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_parse_number_refuses_non_finite_floats(value):
    with pytest.raises(ValidationError):
        parse_number(value)


amounts = st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=2, allow_nan=False)


@PROPERTY
@given(amounts)
def test_property_formatted_numbers_round_trip(value):
    assert parse_number(format_number(value, 2)) == value


@PROPERTY
@given(st.integers(min_value=0, max_value=10**15))
def test_property_rupiah_round_trip(value):
    text = "Rp " + f"{value:,}".replace(",", ".")
    assert parse_number(text) == Decimal(value)


@PROPERTY
@given(st.one_of(st.text(max_size=20), st.text(alphabet="0123456789.,-+eE Rp()*", max_size=16)))
def test_property_parse_number_never_crashes(value):
    try:
        out = parse_number(value)
    except ValidationError as exc:
        assert exc.code.startswith("number_")
    else:
        assert out is None or (isinstance(out, Decimal) and out.is_finite())


# --- Dates ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("19 Juli 2022", dt.date(2022, 7, 19)),
        ("19 juli 2022", dt.date(2022, 7, 19)),
        ("Selasa, 19 Juli 2022", dt.date(2022, 7, 19)),
        ("19-Jul-2022", dt.date(2022, 7, 19)),
        ("1 Agustus 2023", dt.date(2023, 8, 1)),
        ("5 Nopember 2021", dt.date(2021, 11, 5)),
        ("19/07/2022", dt.date(2022, 7, 19)),
        ("19-07-2022", dt.date(2022, 7, 19)),
        ("19.07.2022", dt.date(2022, 7, 19)),
        ("2022-07-19", dt.date(2022, 7, 19)),
        ("2022-07-19T10:30:00", dt.date(2022, 7, 19)),
        ("29/02/2024", dt.date(2024, 2, 29)),
        (dt.date(2022, 7, 19), dt.date(2022, 7, 19)),
        (dt.datetime(2022, 7, 19, 10, 0), dt.date(2022, 7, 19)),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "-", " "])
def test_parse_date_empty(raw):
    assert parse_date(raw) is None


@pytest.mark.parametrize("raw", ["29/02/2023", "31 April 2022", "2022-13-01", "00/01/2022"])
def test_parse_date_impossible_dates(raw):
    with pytest.raises(ValidationError) as exc:
        parse_date(raw)
    assert "tidak ada di kalender" in exc.value.messages[0]


@pytest.mark.parametrize("raw", ["19 Julai 2022", "kemarin", "07/19", "2022/07/19/1", "19 Juli"])
def test_parse_date_unknown_format(raw):
    with pytest.raises(ValidationError) as exc:
        parse_date(raw)
    assert "contoh: 19 Juli 2022" in exc.value.messages[0]


@PROPERTY
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_property_dates_round_trip(value):
    assert parse_date(value.isoformat()) == value
    assert parse_date(value.strftime("%d/%m/%Y")) == value
    assert parse_date(f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}") == value


@PROPERTY
@given(st.one_of(st.text(max_size=24), st.text(alphabet="0123456789/-. JuliAgs", max_size=16)))
def test_property_parse_date_never_crashes(value):
    try:
        out = parse_date(value)
    except ValidationError as exc:
        assert exc.code == "date_invalid"
    else:
        assert out is None or isinstance(out, dt.date)
