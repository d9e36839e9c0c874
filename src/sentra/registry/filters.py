"""The registry's FilterSets (businesses, owners), shared by its list pages, exports and the API [NetBox]."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sentra.core.filters import (
    FastSelect,
    NarrowingFilterSetMixin,
    YearFilter,
    chooses_area,
    scoped_provinces,
    scoped_regencies,
)
from sentra.core.forms import BootstrapForm
from sentra.regions.models import Region, RegionLevel
from sentra.registry.choices import BusinessStatus, SizeClass, UmkmClass
from sentra.registry.models import Business, Owner

#: the filter value that selects businesses with the field left empty (size class or KBLI not determined yet)
NONE = "__none__"


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
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if not chooses_area(user):
            self.drop_area_filters(user, "province", "region", "district")
            return
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
        return queryset.search(value, one_regency=self._one_regency())

    def _one_regency(self) -> bool:
        """Whether the list is limited to one regency/city: by the user's scope or by a region or district chosen
        (a valid one: only those are applied)."""
        data = self.form.cleaned_data
        if data.get("region") or data.get("district"):
            return True
        scope = getattr(getattr(self.request, "user", None), "scope", None)
        return scope is not None and scope.kind == "region" and len(scope.region_ids) == 1

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
