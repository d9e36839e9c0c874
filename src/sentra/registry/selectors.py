"""Read use-cases of the registry."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from sentra.core.querysets import scoped_get_or_404
from sentra.registry.models import Business, Owner, Ownership


def business_list(*, user: Any) -> QuerySet[Business]:
    return Business.objects.visible_to(user).select_related("region", "district", "village", "kbli")


def business_get(*, user: Any, pk: Any, action: str = "view") -> Business:
    qs = Business.objects.select_related("region", "region__parent", "district", "village", "kbli").prefetch_related(
        Prefetch("ownerships", queryset=Ownership.objects.select_related("owner")), "kbli_others"
    )
    return scoped_get_or_404(qs, user, pk, action)


def owner_list(*, user: Any) -> QuerySet[Owner]:
    return Owner.objects.visible_to(user).select_related("region", "village")


def owner_get(*, user: Any, pk: Any, action: str = "view") -> Owner:
    qs = Owner.objects.select_related("region", "village").prefetch_related(
        Prefetch("ownerships", queryset=Ownership.objects.select_related("business"))
    )
    return scoped_get_or_404(qs, user, pk, action)
