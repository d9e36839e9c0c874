"""FilterSets of the quality lists (the dashboard's drilled figures open them narrowed to the area)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.core.filters import FastSelect, NarrowingFilterSetMixin, RegionCodeFilter, YearFilter, region_choices
from sentra.core.forms import BootstrapForm
from sentra.quality.choices import ActionStatus, CertificationKind, IndiStatus
from sentra.quality.models import Assessment, Certification, CorrectiveAction, IndiAssessment

CERT_STATUS = [
    ("akan-habis", _("Akan habis (90 hari)")),
    ("habis", _("Sudah habis")),
    ("berlaku", _("Masih berlaku")),
]


class CertificationFilterSet(NarrowingFilterSetMixin, django_filters.FilterSet):
    """``region`` takes a regency/city or a province code; ``province`` is the same filter under the name the
    other lists use for a province. Both only narrow ``visible_to``."""

    strict_filters = ("region", "province", "pada")

    q = django_filters.CharFilter(method="filter_search", label=_("Cari"))
    kind = django_filters.ChoiceFilter(
        choices=CertificationKind.choices, label=_("Jenis"), empty_label=_("Semua jenis")
    )
    status = django_filters.ChoiceFilter(
        choices=CERT_STATUS, method="filter_status", label=_("Masa berlaku"), empty_label=_("Semua")
    )
    province = RegionCodeFilter(field_name="region", label=_("Provinsi"), widget=forms.HiddenInput)
    region = RegionCodeFilter(field_name="region", label=_("Wilayah"))
    # The day the validity is judged on (default today): the dashboard's figure for a past year counts the
    # certifications held on 31 December of that year, and its link must list exactly those.
    pada = django_filters.DateFilter(method="filter_nothing", label=_("Pada tanggal"), widget=forms.HiddenInput)

    class Meta:
        model = Certification
        form = BootstrapForm
        fields = ["q", "kind", "status", "province", "region", "pada"]

    def __init__(self, *args: Any, request: Any = None, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.set_region_widget(getattr(request, "user", None))

    @property
    def status_value(self) -> str:
        return (self.form.cleaned_data.get("status") or "") if self.is_bound and self.form.is_valid() else ""

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(business__name__icontains=value))

    def filter_nothing(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # read by filter_status as its reference day

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        day = self.form.cleaned_data.get("pada") or self.today
        if value == "akan-habis":
            return queryset.expiring(day)
        if value == "habis":
            return queryset.expired(day)
        if value == "berlaku":
            return queryset.valid(day)  # held on that day, as the dashboard counts them
        return queryset


class IndiFilterSet(NarrowingFilterSetMixin, django_filters.FilterSet):
    """The INDI 4.0 overview's list: status, area and the year the assessment was submitted (the dashboard's year)."""

    status = django_filters.ChoiceFilter(choices=IndiStatus.choices, label=_("Status"), empty_label=_("Semua"))
    region = RegionCodeFilter(field_name="region", label=_("Wilayah"))
    year = YearFilter(field_name="submitted_at", lookup_expr="year", label=_("Tahun dikirim"))

    class Meta:
        model = IndiAssessment
        form = BootstrapForm
        fields = ["status", "region", "year"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["region"].extra["widget"] = FastSelect(choices=region_choices(getattr(request, "user", None)))


class AssessmentFilterSet(django_filters.FilterSet):
    """The quality assessments list: search by business name (the page and its export share it)."""

    q = django_filters.CharFilter(field_name="business__name", lookup_expr="icontains", label=_("Cari usaha"))

    class Meta:
        model = Assessment
        fields = ["q"]


class ActionFilterSet(django_filters.FilterSet):
    """The corrective actions list: ``terlambat=1`` (overdue today; it wins over ``status``), ``status`` and
    ``saya=1`` (the actions the user is responsible for). The page and its export share it."""

    terlambat = django_filters.CharFilter(method="filter_overdue")
    status = django_filters.CharFilter(method="filter_status")
    saya = django_filters.CharFilter(method="filter_mine")

    class Meta:
        model = CorrectiveAction
        fields = ["terlambat", "status", "saya"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        self.overdue = (self.data or {}).get("terlambat") == "1"

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.overdue(timezone.localdate()) if value == "1" else queryset  # type: ignore[attr-defined]

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if self.overdue or value not in ActionStatus.values:
            return queryset
        return queryset.filter(status=value)

    def filter_mine(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        user = getattr(self.request, "user", None)
        return queryset.filter(responsible=user) if value == "1" and user is not None else queryset
