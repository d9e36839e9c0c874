"""One set of formats: money, percentages and dates go through the shared filters on every page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from sentra.core.formatting import format_compact, format_percent, format_rupiah_compact

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "sentra" / "templates"
#: Hand-written date formats kept on purpose: ISO for <time datetime>, and compact column heads of a schedule grid.
ALLOWED_DATE_FORMATS = {"c", "j M", "j/n", "H:i:s"}


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def _money_fields() -> set[str]:
    names = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DecimalField) and field.decimal_places == 2 and (field.max_digits or 0) >= 15:
                names.add(field.name)
    return names


def test_dates_use_the_shared_filters():
    hits = []
    for path in _templates():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for fmt in re.findall(r'\|date:"([^"]*)"', line):
                if fmt not in ALLOWED_DATE_FORMATS:
                    hits.append(
                        f"{path.relative_to(TEMPLATES)}:{number}: date:{fmt!r} (use tanggal, tanggal_pendek, hari or waktu)"
                    )
    assert not hits, "\n".join(hits)


def test_percentages_use_the_shared_filter():
    hits = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in _templates()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\}\}\s?%", line)
    ]
    assert not hits, "Write {{ value|persen }} instead of {{ value }}%:\n" + "\n".join(hits)


def test_money_is_never_printed_raw():
    money = _money_fields()
    assert {"amount", "ceiling", "turnover", "total"} <= money
    hits = []
    for path in _templates():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for expr in re.findall(r"\{\{\s*([^}|]+?)\s*(\|[^}]*)?\}\}", line):
                # A money field of a record (``allocation.amount``); ``.value`` is also every form field's value.
                if "." not in expr[0]:
                    continue
                name, filters = expr[0].split(".")[-1], expr[1] or ""
                formatted = re.search(r"\|(rupiah|rupiah_ringkas|angka|angka_ringkas|terbilang)\b", filters)
                if name in money - {"value"} and not formatted:
                    hits.append(f"{path.relative_to(TEMPLATES)}:{number}: {{{{ {expr[0]}{filters} }}}}")
    assert not hits, "Money printed without |rupiah:\n" + "\n".join(hits)


def test_filters_render_the_indonesian_way():
    rendered = Template(
        "{{ m|rupiah }}|{{ m|rupiah_ringkas }}|{{ p|persen }}|{{ whole|persen }}|{{ d|tanggal }}|{{ d|tanggal_pendek }}"
        "|{{ d|hari }}|{{ t|waktu }}|{{ none|tanggal }}"
    ).render(
        Context(
            {
                "m": Decimal("6750000000.00"),
                "p": Decimal("82.94"),
                "whole": 100,
                "d": dt.date(2022, 7, 19),
                "t": dt.datetime(2022, 7, 19, 9, 5),
                "none": None,
            }
        )
    )
    assert rendered.split("|") == [
        '<span class="text-nowrap">Rp6.750.000.000</span>',
        '<span class="text-nowrap" title="Rp6.750.000.000">Rp6,8 M</span>',
        "82,9%",
        "100%",
        "19 Juli 2022",
        "19 Jul 2022",
        "Selasa, 19 Juli 2022",
        "19 Jul 2022 09.05",
        "–",
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (999, "999"),
        (15_000, "15 rb"),
        (350_000_000, "350 jt"),
        (1_234_567_890, "1,2 M"),
        (5_000_000_000, "5 M"),
        (2_500_000_000_000, "2,5 T"),
        (-1_500_000, "-1,5 jt"),
    ],
)
def test_compact_amounts(value, text):
    assert format_compact(value) == text
    assert format_rupiah_compact(value) == (("-Rp" + text[1:]) if text.startswith("-") else "Rp" + text)


@given(st.decimals(min_value=-(10**15), max_value=10**15, allow_nan=False, allow_infinity=False, places=2))
def test_compact_never_says_billion_in_english_and_keeps_the_sign(value):
    text = format_compact(value)
    assert not re.search(r"[0-9][kKMGB]\b", text.replace(" M", ""))  # no 5B, 5G, 5k
    if value >= 0:
        assert not text.startswith("-")
    elif value <= -1:
        assert text.startswith("-")


@given(st.decimals(min_value=0, max_value=999, allow_nan=False, allow_infinity=False, places=3))
def test_percent_has_no_space_and_a_decimal_comma(value):
    text = format_percent(value)
    assert text.endswith("%") and " " not in text and "." not in text


def test_no_filter_inside_a_translated_block():
    """blocktranslate takes plain names only: ``{{ a|persen }}`` inside it renders nothing (format in ``with``)."""
    hits = []
    for path in _templates():
        text = path.read_text()
        for block in re.findall(r"\{% blocktranslate.*?%\}(.*?)\{% endblocktranslate %\}", text, re.S):
            if re.search(r"\{\{[^}]*\|", block):
                hits.append(f"{path.relative_to(TEMPLATES)}: {block[:80]}")
    assert not hits, "\n".join(hits)
