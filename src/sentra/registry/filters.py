"""FilterSets shared by the list pages, exports and (later) the API [NetBox]."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from sentra.core.forms import BootstrapForm
from sentra.regions.models import Region, RegionLevel
from sentra.registry.choices import BusinessStatus, SizeClass, UmkmClass
from sentra.registry.models import Business, Owner

#: the filter value that selects businesses with the field left empty (size class or KBLI not determined yet)
NONE = "__none__"


class FastSelect(forms.Select):
    """A ``<select>`` that renders its options in Python, not with one template per option.

    Django renders every ``<option>`` through the form renderer's templates: the national user's choice list of
    514 regencies/cities cost ~80 ms per list page (bench: registry.list.first_page.national), more than the
    page's queries at 1M rows. Same markup, ~1 ms.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        selected_attr = mark_safe(" selected")
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            ((str(v), selected_attr if str(v) in selected else "", label) for v, label in self.choices),
        )
        return format_html("<select{}>\n{}\n</select>", flatatt(final_attrs), options)


def scoped_regencies(user: Any) -> QuerySet[Region]:
    regencies = Region.objects.regencies()
    scope = getattr(user, "scope", None)
    if scope is not None and scope.kind == "region":
        regencies = regencies.filter(code__in=scope.region_ids)
    return regencies.order_by("code")


def scoped_provinces(user: Any) -> QuerySet[Region]:
    provinces = Region.objects.provinces()
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

    def clean(self, value: Any) -> Region | None:  # type: ignore[override]
        code = (super().clean(value) or "").strip()
        if not code:
            return None
        region = Region.objects.filter(code=code, level__in=[RegionLevel.PROVINCE, RegionLevel.REGENCY]).first()
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
        if value.level == RegionLevel.PROVINCE:
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


class NarrowingFilterSetMixin:
    """A FilterSet whose area/year filters only ever narrow: a bad value lists nothing (its message is shown).

    django-filter ignores an invalid value (the other filters still apply), which for an area filter would mean
    "everything you may see" instead of "this region": so a bad ``strict_filters`` value empties the list.
    """

    strict_filters: tuple[str, ...] = ("region", "year")

    def set_region_widget(self, user: Any, name: str = "region") -> None:
        self.filters[name].extra["widget"] = FastSelect(choices=region_choices(user))  # type: ignore[attr-defined]

    @property
    def narrowed_to_nothing(self) -> bool:
        """A strict filter's value is bad: the list is empty, and the page shows the message saying why."""
        return bool(self.is_bound and any(name in self.form.errors for name in self.strict_filters))  # type: ignore[attr-defined]

    @property
    def qs(self) -> QuerySet:
        qs = super().qs  # type: ignore[misc]
        return qs.none() if self.narrowed_to_nothing else qs


class BusinessFilterSet(NarrowingFilterSetMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Cari"))
    province = django_filters.ModelChoiceFilter(
        queryset=Region.objects.none(),
        method="filter_province",
        label=_("Provinsi"),
        empty_label=_("Semua provinsi"),
        widget=FastSelect,
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.none(), label=_("Kabupaten/kota"), empty_label=_("Semua kab/kota"), widget=FastSelect
    )
    district = django_filters.ModelChoiceFilter(
        queryset=Region.objects.none(), label=_("Kecamatan"), empty_label=_("Semua kecamatan"), widget=FastSelect
    )
    kbli = django_filters.CharFilter(
        method="filter_kbli", label=_("KBLI"), widget=forms.TextInput(attrs={"placeholder": "31001 / 31 / 310"})
    )
    size_class = django_filters.ChoiceFilter(
        choices=[*SizeClass.choices, (NONE, _("Belum ditentukan"))],
        method="filter_blank_choice",
        label=_("Klasifikasi"),
        empty_label=_("Semua"),
    )
    umkm_class = django_filters.ChoiceFilter(
        choices=[*UmkmClass.choices, (NONE, _("Belum ditentukan"))],
        method="filter_blank_choice",
        label=_("Skala UMKM"),
        empty_label=_("Semua"),
    )
    # The dashboard's "new IKM per year" links here. A year outside 1900–2100 (the years a business may have) is
    # an error shown above an empty list, as in the other year filters, not a list that is silently empty.
    year_started = YearFilter(field_name="year_started", label=_("Tahun mulai usaha"))
    status = django_filters.ChoiceFilter(choices=BusinessStatus.choices, label=_("Status"), empty_label=_("Semua"))
    trash = django_filters.BooleanFilter(
        method="filter_trash", label=_("Tampilkan yang dihapus"), widget=forms.CheckboxInput
    )

    class Meta:
        model = Business
        form = BootstrapForm
        fields = ["q", "province", "region", "district", "kbli", "size_class", "umkm_class", "status", "year_started"]

    # Only the year empties the list when it is bad. The area selects keep django-filter's way (a stale regency
    # after the province changed is ignored): they are choice lists of the scope, not typed-in values.
    strict_filters = ("year_started",)

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(request, "user", None)
        self.filters["province"].queryset = scoped_provinces(user)
        regencies = scoped_regencies(user)
        province = self.data.get("province") if self.data else None
        if province:
            regencies = regencies.filter(parent_id=province)
        self.filters["region"].queryset = regencies
        regency = self.data.get("region") if self.data else None
        districts = (
            Region.objects.filter(level=RegionLevel.DISTRICT, parent_id=regency) if regency else Region.objects.none()
        )
        self.filters["district"].queryset = districts.order_by("code")

    @property
    def qs(self) -> QuerySet[Business]:
        qs = super().qs
        if not (self.form.is_valid() and self.form.cleaned_data.get("trash")):
            qs = qs.alive()
        return qs

    def filter_search(self, queryset: QuerySet[Business], name: str, value: str) -> QuerySet[Business]:
        return queryset.search(value)

    def filter_province(self, queryset: QuerySet[Business], name: str, value: Region) -> QuerySet[Business]:
        return queryset.in_province(value.code) if value else queryset

    def filter_kbli(self, queryset: QuerySet[Business], name: str, value: str) -> QuerySet[Business]:
        code = value.strip().replace(".", "")
        if not code:
            return queryset
        if code == NONE:
            return queryset.filter(kbli__isnull=True)
        if code.isdigit() and len(code) == 5:
            return queryset.filter(kbli__code=code)
        return queryset.filter(kbli__code__startswith=code)

    def filter_trash(self, queryset: QuerySet[Business], name: str, value: bool) -> QuerySet[Business]:
        return queryset.deleted() if value else queryset

    def filter_blank_choice(self, queryset: QuerySet[Business], name: str, value: str) -> QuerySet[Business]:
        """A class, or ``__none__`` for the businesses whose class is not determined yet (stored empty)."""
        if not value:
            return queryset
        return queryset.filter(**{name: "" if value == NONE else value})


class OwnerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Cari nama atau NIK"))
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.none(), label=_("Kabupaten/kota"), empty_label=_("Semua kab/kota"), widget=FastSelect
    )
    gender = django_filters.ChoiceFilter(
        choices=Owner._meta.get_field("gender").choices, label=_("Jenis kelamin"), empty_label=_("Semua")
    )

    class Meta:
        model = Owner
        form = BootstrapForm
        fields = ["q", "region", "gender"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = scoped_regencies(getattr(request, "user", None))

    @property
    def qs(self) -> QuerySet[Owner]:
        return super().qs.alive()

    def filter_search(self, queryset: QuerySet[Owner], name: str, value: str) -> QuerySet[Owner]:
        return queryset.search(value)
