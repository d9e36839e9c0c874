"""FilterSets of the budget lists."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from sentra.budget.models import Allocation, Fund
from sentra.core.filters import (
    FastSelect,
    NarrowingFilterSetMixin,
    RegionCodeFilter,
    YearFilter,
    region_choices,
    scoped_provinces,
)
from sentra.core.forms import BootstrapForm


class AllocationFilterSet(NarrowingFilterSetMixin, django_filters.FilterSet):
    """Allocations by fiscal year, fund and area; the area filters only narrow ``visible_to``."""

    strict_filters = ("year", "province", "region")

    year = YearFilter(field_name="fund__fiscal_year__year", label=_("Tahun anggaran"))
    fund_kind = django_filters.ChoiceFilter(
        field_name="fund__kind",
        choices=Fund._meta.get_field("kind").choices,
        label=_("Dana"),
        empty_label=_("Semua dana"),
    )
    province = RegionCodeFilter(field_name="region", label=_("Provinsi"))
    region = RegionCodeFilter(field_name="region", label=_("Kabupaten/kota"))

    class Meta:
        model = Allocation
        form = BootstrapForm
        fields = ["year", "fund_kind", "province", "region"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(request, "user", None)
        provinces = [("", str(_("Semua provinsi"))), *scoped_provinces(user).values_list("code", "name")]
        self.filters["province"].extra["widget"] = FastSelect(choices=provinces)
        regions = region_choices(user)
        self.filters["region"].extra["widget"] = FastSelect(choices=regions)
        self.show_area = len(regions) > 3  # more than "all", one province and one regency
