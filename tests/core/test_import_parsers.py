"""Cell parsers of the import engine: numbers, dates and codes as Indonesian spreadsheets hold them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentra.core.importing import cells
from sentra.core.importing.kinds import Column, normalise_header
from sentra.core.parsing import MONTHS

ID_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]  # fmt: skip


def indonesian(number: Decimal) -> str:
    """Format like an Indonesian spreadsheet: dots group thousands, comma before the cents."""
    whole, frac = f"{number:.2f}".split(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return f"{groups},{frac}"


amounts = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(amounts)
def test_indonesian_money_round_trips(value):
    parse = cells.number()
    assert parse(indonesian(value)) == value
    assert parse("Rp " + indonesian(value)) == value
    assert parse(indonesian(value) + "\u00a0") == value


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(amounts, st.sampled_from(["*", "**", "***"]))
def test_footnote_marks_glued_to_numbers_are_ignored(value, mark):
    assert cells.number()(indonesian(value) + mark) == value


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_excel_floats_are_numbers(value):
    assert cells.number(decimal_places=2)(value) == Decimal(repr(value)).quantize(Decimal("0.01"))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2060, 12, 31)))
def test_indonesian_dates(value):
    parse = cells.date()
    assert parse(f"{value.day} {ID_MONTHS[value.month - 1]} {value.year}") == value
    assert parse(f"{value:%d/%m/%Y}") == value
    assert parse(f"{value:%d-%m-%Y}") == value
    assert parse(value.isoformat()) == value
    assert parse(dt.datetime.combine(value, dt.time(0))) == value


def test_month_names_cover_indonesian_spellings():
    assert MONTHS["pebruari"] == 2 and MONTHS["nopember"] == 11 and MONTHS["agt"] == 8


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=1000, max_value=99999))
def test_kbli_codes_stored_as_numbers_keep_the_digits_as_typed(code):
    """The cell gives its digits as typed (``31001.0`` is ``31001``); what 4 digits mean is decided against KBLI
    2020 (``KbliLookup``: a subgolongan, or a kelompok whose leading zero Excel dropped)."""
    from sentra.registry.imports import kbli_code

    expected = str(code)
    assert kbli_code(code) == expected
    assert kbli_code(float(code)) == expected
    assert kbli_code(str(code)) == expected


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=11, max_value=99), st.integers(min_value=1, max_value=99))
def test_region_codes_with_or_without_dots(province, regency):
    dotted = f"{province:02d}.{regency:02d}"
    assert cells.region_code(dotted) == dotted
    assert cells.region_code(dotted.replace(".", "")) == dotted
    assert cells.region_code(int(dotted.replace(".", ""))) == dotted
    assert cells.region_code(float(dotted)) == dotted  # Excel's 74.1 for 74.10


def test_region_code_levels():
    assert cells.region_code("7471031002") == "74.71.03.1002"
    assert cells.region_code(7471031002) == "74.71.03.1002"
    assert cells.region_code("74.71.03") == "74.71.03"
    with pytest.raises(ValidationError):
        cells.region_code("7,47103E+09")
    with pytest.raises(ValidationError):
        cells.region_code("747")


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=10**12, max_value=10**13 - 1))
def test_nib_as_number_or_text(nib):
    parse = cells.digits(13, label="NIB")
    assert parse(str(nib)) == str(nib)
    assert parse(float(nib)) == str(nib)  # 13 digits survive Excel's 15-digit precision


def test_excel_scientific_notation_is_refused_not_guessed():
    parse = cells.digits(13, label="NIB")
    for value in ("3,62012E+11", "3.62012E+11", "3,62012e+11"):
        with pytest.raises(ValidationError) as exc:
            parse(value)
        assert "notasi ilmiah" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        cells.number()("3,62012E+11")


def test_whole_numbers_from_excel_count_every_digit_before_the_point():
    # An Excel number cell of 1e20 arrives as the float 1e+20 and becomes Decimal("1E+20"): its single
    # stored digit must not hide the 21 digits it stands for (the column holds 18).
    parse = cells.number(decimal_places=0)
    with pytest.raises(ValidationError) as exc:
        parse(1e20)
    assert exc.value.code == "too_large"
    assert parse(1e17) == Decimal(10**17)


def test_a_sixteen_digit_nik_typed_as_a_number_is_refused():
    with pytest.raises(ValidationError) as exc:
        cells.digits(16, label="NIK")(7471031207850001.0)
    assert "format kolom sebagai Teks" in exc.value.messages[0]
    assert cells.digits(16, label="NIK")(" 7471 0312 0785 0001 ") == "7471031207850001"


def test_masked_and_messy_phones():
    assert cells.phone("081*******") is None
    assert cells.phone("0812-xxxx-7890") is None
    assert cells.phone("0812-3456-7890") == "081234567890"
    assert cells.phone("+62 812 3456 7890") == "+6281234567890"
    assert cells.phone(81234567890.0) == "081234567890"  # Excel dropped the leading zero
    assert cells.phone("0274 371932 / 0812 1111 2222") == "0274371932"


def test_not_filled_markers_and_per_column_zero():
    year = Column("year", "Tahun", parse=cells.integer(min_value=1900), empty=("0",))
    assert year.clean("-") is None
    assert year.clean("0") is None
    assert year.clean(0) is None
    assert year.clean(0.0) is None
    assert year.clean("2015") == 2015
    workers = Column("w", "TK", parse=cells.integer())
    assert workers.clean("0") == 0  # 0 is a value unless the column says otherwise
    assert workers.clean("\u00a0") is None


def test_non_breaking_and_trailing_spaces():
    assert cells.text()("  CV\u00a0Maju   Jaya \u00a0") == "CV Maju Jaya"
    assert normalise_header("\u00a0Nama  Usaha*) ") == "nama usaha"


def test_required_column_message_is_plain_indonesian():
    with pytest.raises(ValidationError) as exc:
        Column("name", "Nama", required=True).clean("  ")
    assert exc.value.messages == ["Wajib diisi."]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="0123456789.,Rp -*", max_size=20))
def test_number_parser_never_crashes(text):
    try:
        result = cells.number(min_value=None)(text)
    except ValidationError:
        return
    assert result is None or isinstance(result, Decimal)


_COLUMNS = (
    Column("name", "Nama", parse=cells.text(10), required=True),
    Column("nib", "NIB", parse=cells.digits(4, label="NIB")),
    Column("money", "Omzet", parse=cells.number()),
    Column("year", "Tahun", parse=cells.integer(min_value=1900), empty=("0",)),
    Column("gender", "JK", parse=cells.choice({"l": "m", "p": "f"}, label="JK"), required=True),
)
_CELLS = st.one_of(
    st.none(),
    st.text(alphabet="0129.,lpLP -\u00a0\t*naN/", max_size=12),
    st.sampled_from(["", "-", "n/a", "0", " 0", ".", "..", "1.250.000", "12345678901", "l", "P "]),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
    st.integers(min_value=0, max_value=3000),
)


def _one_by_one(column, values):
    results, errors = [], {}
    for i, value in enumerate(values):
        try:
            results.append(column.clean(value))
        except ValidationError as exc:
            results.append(None)
            errors[i] = " ".join(exc.messages)
    return results, errors


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_COLUMNS), st.lists(_CELLS, max_size=30))
def test_clean_many_gives_what_clean_gives_cell_by_cell(column, values):
    # clean_many parses each distinct cell once and skips the emptiness checks for plain filled texts: the
    # values and messages must still be exactly those of Column.clean on each cell.
    assert column.clean_many(values) == _one_by_one(column, values)
