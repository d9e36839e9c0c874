"""A phone number at the end of an address is split off it (and a masked one is reported, not kept)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sentra.regions.addresses import _may_end_in_phone, _search_phone_tail, split_phone_tail


@pytest.mark.parametrize(
    ("address", "rest", "phone", "masked"),
    [
        (
            "Jl. Mawar 3, Klaten, Jawa Tengah Telp. 0274-512345",
            "Jl. Mawar 3, Klaten, Jawa Tengah",
            "0274-512345",
            False,
        ),
        ("Jl. Mawar 3, Sleman, DIY, telp: (0274) 512345", "Jl. Mawar 3, Sleman, DIY", "(0274) 512345", False),
        (
            "Jl. Mawar 3, Kendari HP 0812-3456-7890 / 0401 312345",
            "Jl. Mawar 3, Kendari",
            "0812-3456-7890 / 0401 312345",
            False,
        ),
        ("Jl. Mawar 3, Kendari, No. HP: +62 812 3456 7890", "Jl. Mawar 3, Kendari", "+62 812 3456 7890", False),
        ("Jl. Mawar 3, Kendari Telp/HP. 081234567890", "Jl. Mawar 3, Kendari", "081234567890", False),
        ("Jl. Mawar 3, Kendari, 081234567890", "Jl. Mawar 3, Kendari", "081234567890", False),
        ("Jl. Mawar 3, Kendari, Sulawesi Tenggara 081*********", "Jl. Mawar 3, Kendari, Sulawesi Tenggara", None, True),
        ("Jl. Mawar 3, Kendari Hp. 0812xxxxxxx", "Jl. Mawar 3, Kendari", None, True),
        # Not phones: house numbers, postcodes, RT/RW, kilometres, a number glued to a word.
        ("Jl. Kaliurang Km. 9,3 No. 77, Sleman 55581", "Jl. Kaliurang Km. 9,3 No. 77, Sleman 55581", None, False),
        ("Perum Griya Asri Blok C No. 12, RT 02/RW 05", "Perum Griya Asri Blok C No. 12, RT 02/RW 05", None, False),
        ("Jl. Mawar No. 1234567", "Jl. Mawar No. 1234567", None, False),
        ("Jl. Mawar Telp. 12", "Jl. Mawar Telp. 12", None, False),
        ("", "", None, False),
    ],
)
def test_examples(address, rest, phone, masked):
    assert split_phone_tail(address) == (rest, phone, masked)


_LABELS = {"no", "telepon", "telpon", "telp", "tlp", "tel", "phone", "ph", "handphone", "hp", "whatsapp", "wa", "fax",
           "faks", "kontak", "cp", "atau"}  # fmt: skip
# A word of x's alone is how registers mask digits ("0812 xxxx"), so it belongs to a masked phone, not an address.
_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=10).filter(
    lambda w: w.lower() not in _LABELS and set(w.lower()) != {"x"}
)
_address = st.lists(
    st.one_of(_word, st.sampled_from(["Jl.", "Kab.", "Kota", "Kec.", "No. 5", "RT 02", "Km. 9,3", "Blok C"])),
    min_size=1,
    max_size=8,
).map(" ".join)
_address_parts = st.lists(_address, min_size=1, max_size=4).map(", ".join).filter(lambda a: not a[-1].isdigit())
_mobile = st.integers(min_value=8, max_value=11).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n).map(lambda d: "08" + d)
)
_landline = st.builds(
    lambda area, number: f"0{area}-{number}",
    st.sampled_from(["21", "274", "401", "411", "361"]),
    st.text(alphabet="0123456789", min_size=6, max_size=7),
)
_label = st.sampled_from(["Telp.", "telp:", "Tlp", "HP", "Hp.", "No. HP", "WA", "Telp/HP", "Phone:", "Fax"])
_separator = st.sampled_from([" ", ", ", " - ", "; ", " / "])


@given(_address_parts, _separator, st.one_of(st.none(), _label), st.one_of(_mobile, _landline))
def test_a_phone_tail_is_split_off_whole(address, separator, label, phone):
    text = f"{address}{separator}{label + ' ' if label else ''}{phone}"
    rest, found, masked = split_phone_tail(text)
    assert (rest, found, masked) == (address.rstrip(" ,;:-/("), phone, False)
    # What is left has no phone any more.
    assert split_phone_tail(rest) == (rest, None, False)


@given(_address_parts, _separator, _label, st.integers(min_value=2, max_value=4), st.integers(min_value=5, max_value=9))
def test_a_masked_phone_is_removed_and_reported(address, separator, label, shown, hidden):
    text = (
        f"{address}{separator}{label} 0812345"[: len(address) + len(separator) + len(label) + 1 + shown] + "*" * hidden
    )
    rest, found, masked = split_phone_tail(text)
    assert (rest, found, masked) == (address.rstrip(" ,;:-/("), None, True)


@given(_address_parts)
def test_an_address_without_a_phone_is_left_alone(address):
    assert split_phone_tail(address) == (address, None, False)


@given(st.text(max_size=80))
def test_the_rest_is_always_the_start_of_the_address(text):
    rest, found, masked = split_phone_tail(text)
    assert text.startswith(rest)
    assert not (found and masked)
    if found:
        assert len(re.sub(r"\D", "", found)) >= 6


# Text that ends the way addresses and phone tails do: digits, masks, closing marks, Unicode spaces and digits.
_tail_text = st.text(alphabet=st.sampled_from(list("0123456789*xX•aZ .;,)(-/+:\u00a0\u2003\u0663\t")), max_size=30)


@given(st.one_of(st.text(max_size=60), st.builds(lambda a, b: a + b, st.text(max_size=30), _tail_text)))
def test_the_quick_check_only_answers_for_texts_the_pattern_would_leave(text):
    """The check that spares most addresses the pattern never turns away a text that ends in a phone."""
    if not _may_end_in_phone(text):
        assert _search_phone_tail(text) == (text, None, False)
