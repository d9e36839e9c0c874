"""FastSelect prints the same options as Django's own Select, model choices included, in a few queries."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from sentra.core.filters import FastSelect
from sentra.regions.models import Region, RegionLevel

OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


def options(html: str) -> list[tuple[str, bool, str]]:
    return [(value, bool(selected), label) for value, selected, label in OPTION.findall(html)]


def both(field: forms.Field, value: object) -> tuple[list, list]:
    plain = field.widget.render("region", value)
    field.widget = FastSelect(choices=field.widget.choices)
    field.widget.choices = field.choices  # as a form field hands its choices to its widget
    return options(plain), options(field.widget.render("region", value))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("regions", "selected"),
    [
        (Region.objects.filter(level=RegionLevel.REGENCY, parent_id="74"), "74.71"),
        (Region.objects.filter(level=RegionLevel.DISTRICT, parent_id="74.71"), None),
        (Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith="74.71.01"), None),
    ],
    ids=["regencies", "districts", "villages"],
)
def test_region_choices_read_as_values_print_as_the_model_does(regions, selected):
    field = forms.ModelChoiceField(queryset=regions.order_by("code"), empty_label="Semua")
    expected, fast = both(field, selected)
    assert len(fast) > 1
    assert fast == expected
    with CaptureQueriesContext(connection) as queries:
        field.widget.render("region", selected)
    assert len(queries) == 1


@pytest.mark.django_db
def test_a_field_with_its_own_labels_keeps_them():
    class Coded(forms.ModelChoiceField):
        def label_from_instance(self, obj: Region) -> str:
            return f"{obj.code} {obj.name}"

    expected, fast = both(Coded(queryset=Region.objects.filter(parent_id="74").order_by("code")), None)
    assert fast == expected
    assert fast[1][2].startswith("74.")


@given(st.lists(st.tuples(st.text(max_size=8), st.text(max_size=12)), max_size=5), st.text(max_size=8))
def test_plain_choices_are_escaped_as_django_escapes_them(choices, value):
    fast = FastSelect(choices=choices).render("x", value)
    plain = forms.Select(choices=choices).render("x", value)
    assert [label for _, _, label in options(fast)] == [label for _, _, label in options(plain)]
    assert [v for v, _, _ in options(fast)] == [v for v, _, _ in options(plain)]
