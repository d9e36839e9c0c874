"""FilterSets of the accounts lists."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sentra.accounts.models import User
from sentra.core.forms import BootstrapForm


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Cari nama pengguna"))

    class Meta:
        model = User
        fields = ["q"]
        form = BootstrapForm

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def filter_search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value))
