"""Filters and filter widgets every app's list pages share: the user's regions, area and year filters that only
narrow, and a fast ``<select>`` [NetBox]."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.apps import apps
from django.db.models import QuerySet
from django.forms.models import ModelChoiceField, ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from sentra.regions.models import Region, RegionQuerySet


class FastSelect(forms.Select):
    """A ``<select>`` that renders its options in Python, not with one template per option.

    Django renders every ``<option>`` through the form renderer's templates: the national user's choice list of
    514 regencies/cities cost ~80 ms per list page (bench: registry.list.first_page.national), more than the
    page's queries at 1M rows. Same markup, ~1 ms.

    The choices of a model choice field are read as plain values when the model can label a row from them
    (``choice_label_fields`` and ``choice_label``, as ``Region`` does): building 550 model instances only to
    print their names was a third of a national list page.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        options = []  # each value and label escaped by _escape
        for v, label in _plain_choices(self.choices):
            code = str(v)
            mark = " selected" if code in selected else ""
            options.append(f'<option value="{_escape(code)}"{mark}>{_escape(label)}</option>')
        return format_html("<select{}>\n{}\n</select>", flatatt(final_attrs), mark_safe("\n".join(options)))


def _escape(text: Any) -> str:
    """``conditional_escape`` without its per-call wrappers (550 options on a national list page)."""
    return str(text.__html__()) if hasattr(text, "__html__") else html.escape(str(text))


def _plain_choices(choices: Any) -> Any:
    """``choices`` as (value, label) pairs; a model choice field's read with ``values_list`` where it can be."""
    if not isinstance(choices, ModelChoiceIterator):
        return choices
    field, model = choices.field, choices.queryset.model
    fields = getattr(model, "choice_label_fields", None)
    if fields is None or type(field).label_from_instance is not ModelChoiceField.label_from_instance:
        return choices
    rows = choices.queryset.values_list("pk", *fields)
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    return [*empty, *((pk, model.choice_label(*values)) for pk, *values in rows)]


def _regions() -> RegionQuerySet:
    # core imports no domain app: the regions come from the installed reference data (the regions app)
    return apps.get_model("regions", "Region").objects.all()


def scoped_regencies(user: Any) -> QuerySet[Region]:
    regencies = _regions().regencies()
    scope = getattr(user, "scope", None)
    if scope is not None and scope.kind == "region":
        regencies = regencies.filter(code__in=scope.region_ids)
    return regencies.order_by("code")


def scoped_provinces(user: Any) -> QuerySet[Region]:
    provinces = _regions().provinces()
    scope = getattr(user, "scope", None)
    if scope is not None and scope.kind == "region":
        provinces = provinces.filter(code__in={code[:2] for code in scope.region_ids})
    return provinces.order_by("code")


# --- Area and year filters the dashboard links to -------------------------------------------------


class RegionCodeField(forms.CharField):
    """A province (``74``) or regency/city (``74.71``) code; cleaned to the ``Region``.

    Any existing province or regency is accepted, not only the user's: the filter narrows a list that already went
    through ``visible_to``, so a region outside the scope lists nothing (never more rows), whereas a choice
    restricted to the scope would be "invalid", ignored, and list everything the user may see.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Region | None:
        code = (super().clean(value) or "").strip()
        if not code:
            return None
        region = (_regions().provinces() | _regions().regencies()).filter(code=code).first()
        if region is None:
            raise forms.ValidationError(
                _(
                    "Kode wilayah “%(code)s” tidak dikenal. Pakai kode provinsi (mis. 74) "
                    "atau kode kabupaten/kota (mis. 74.71)."
                ),
                code="unknown_region",
                params={"code": code[:20]},
            )
        return region


class RegionCodeFilter(django_filters.Filter):
    """Narrows to one regency/city, or to every regency/city of a province (``field_name`` is the regency FK)."""

    field_class = RegionCodeField

    def filter(self, qs: QuerySet, value: Region | None) -> QuerySet:
        if value is None:
            return qs
        if value.regency_code is None:  # a province (the field cleans only provinces and regencies/cities)
            return qs.filter(**{f"{self.field_name}__parent_id": value.code})
        return qs.filter(**{f"{self.field_name}_id": value.code})


class YearField(forms.IntegerField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        message = _("Tahun harus angka empat digit antara 1900 dan 2100, mis. 2025.")
        kwargs.setdefault("error_messages", {"invalid": message, "min_value": message, "max_value": message})
        kwargs.setdefault("widget", forms.NumberInput(attrs={"min": 1900, "max": 2100, "placeholder": "2025"}))
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A calendar or fiscal year, ``field_name`` ending in ``__year`` (or a year field)."""

    field_class = YearField


def region_choices(user: Any) -> list[tuple[str, str]]:
    """The provinces and regencies/cities of the user's scope, for a ``RegionCodeField`` select."""
    provinces = list(scoped_provinces(user).values_list("code", "name"))
    regencies = list(scoped_regencies(user).values_list("code", "name"))
    choices: list[tuple[str, str]] = [("", str(_("Semua wilayah")))]
    by_province: dict[str, list[tuple[str, str]]] = {}
    for code, name in regencies:
        by_province.setdefault(code[:2], []).append((code, f"— {name}"))
    for code, name in provinces:
        choices.append((code, name))
        choices.extend(by_province.get(code, []))
    return choices


def chooses_area(user: Any) -> bool:
    """Whether the user picks among regions: officers do (national, or the regions of their scope); centre
    managers, trainers and owners see only their own records, so an area filter (which would offer all of
    Indonesia) is nothing they can use."""
    scope = getattr(user, "scope", None)
    return bool(getattr(user, "is_superuser", False)) or (scope is not None and scope.kind in ("national", "region"))


class NarrowingFilterSetMixin:
    """A FilterSet whose area/year filters only ever narrow: a bad value lists nothing (its message is shown).

    django-filter ignores an invalid value (the other filters still apply), which for an area filter would mean
    "everything you may see" instead of "this region": so a bad ``strict_filters`` value empties the list.
    """

    strict_filters: tuple[str, ...] = ("region", "year")

    def set_region_widget(self, user: Any, name: str = "region") -> None:
        self.filters[name].extra["widget"] = FastSelect(choices=region_choices(user))  # type: ignore[attr-defined]

    def drop_area_filters(self, user: Any, *names: str) -> None:
        """Remove the area filters for a user who does not choose among regions (``chooses_area``)."""
        if not chooses_area(user):
            for name in names:
                self.filters.pop(name, None)  # type: ignore[attr-defined]

    @property
    def narrowed_to_nothing(self) -> bool:
        """A strict filter's value is bad: the list is empty, and the page shows the message saying why."""
        return bool(self.is_bound and any(name in self.form.errors for name in self.strict_filters))  # type: ignore[attr-defined]

    @property
    def qs(self) -> QuerySet:
        qs = super().qs  # type: ignore[misc]
        return qs.none() if self.narrowed_to_nothing else qs
