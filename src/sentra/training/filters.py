"""FilterSets of the training lists."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sentra.core.filters import NarrowingFilterSetMixin, RegionCodeFilter, YearFilter, chooses_area
from sentra.core.forms import BootstrapForm
from sentra.training.choices import BatchStatus, FundingSource, ProgrammeKind
from sentra.training.models import Batch, Programme

#: the status choice for "every batch but the cancelled ones" (the dashboard's trainings of a year)
NOT_CANCELLED = "bukan-batal"


class BatchFilterSet(NarrowingFilterSetMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Cari"))
    status = django_filters.ChoiceFilter(
        choices=[*BatchStatus.choices, (NOT_CANCELLED, _("Semua kecuali dibatalkan"))],
        method="filter_status",
        label=_("Status"),
        empty_label=_("Semua"),
    )
    funding_source = django_filters.ChoiceFilter(
        choices=FundingSource.choices, label=_("Sumber dana"), empty_label=_("Semua")
    )
    # A province code selects its regencies/cities; on top of visible_to, so it only narrows.
    region = RegionCodeFilter(field_name="region", label=_("Wilayah"))
    year = YearFilter(field_name="start_date", lookup_expr="year", label=_("Tahun"))

    class Meta:
        model = Batch
        fields = ["q", "status", "funding_source", "region", "year"]
        form = BootstrapForm

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        user = getattr(request, "user", None)
        if chooses_area(user):
            self.set_region_widget(user)
        else:
            self.drop_area_filters(user, "region")

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        if value == NOT_CANCELLED:
            return queryset.exclude(status=BatchStatus.CANCELLED)
        return queryset.filter(status=value)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(programme__title__icontains=value) | Q(venue__icontains=value)
        )


class ProgrammeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Cari"))
    kind = django_filters.ChoiceFilter(choices=ProgrammeKind.choices, label=_("Jenis"), empty_label=_("Semua"))

    class Meta:
        model = Programme
        fields = ["q", "kind"]
        form = BootstrapForm

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
