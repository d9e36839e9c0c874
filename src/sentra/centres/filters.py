from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sentra.centres.choices import CentreStatus, GrantStatus, Sector
from sentra.centres.models import Centre, EquipmentGrant
from sentra.core.filters import NarrowingFilterSetMixin, RegionCodeFilter
from sentra.core.forms import BootstrapForm


class CentreFilterSet(NarrowingFilterSetMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Cari nama atau komoditas"))
    # A province code selects its regencies/cities; on top of visible_to, so it only narrows.
    region = RegionCodeFilter(field_name="region", label=_("Wilayah"))
    status = django_filters.ChoiceFilter(choices=CentreStatus.choices, label=_("Status"), empty_label=_("Semua"))
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Sektor"), empty_label=_("Semua"))

    class Meta:
        model = Centre
        form = BootstrapForm
        fields = ["q", "region", "status", "sector"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.set_region_widget(getattr(request, "user", None))

    def filter_search(self, queryset: QuerySet[Centre], name: str, value: str) -> QuerySet[Centre]:
        return queryset.search(value)


class GrantFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Cari nama mesin"))
    status = django_filters.ChoiceFilter(choices=GrantStatus.choices, label=_("Status"), empty_label=_("Semua"))
    year = django_filters.NumberFilter(label=_("Tahun"))

    class Meta:
        model = EquipmentGrant
        form = BootstrapForm
        fields = ["q", "status", "year"]
