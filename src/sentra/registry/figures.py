"""Registry figures on the dashboard (the dashboards issue replaces these with summary tables)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from sentra.core.dashboard import Figure, register_figures
from sentra.registry.choices import BusinessStatus, SizeClass
from sentra.registry.models import Business


def registry_figures(user: Any) -> list[Figure]:
    if user.has_perm("reports.view_businesscube"):
        return []  # officers see these on the drill-down dashboard, from the summary tables
    qs = Business.objects.visible_to(user).alive()
    counts = qs.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status=BusinessStatus.ACTIVE)),
        small=Count("id", filter=Q(size_class=SizeClass.KECIL)),
        medium=Count("id", filter=Q(size_class=SizeClass.MENENGAH)),
    )
    url = reverse("registry:business_list")
    return [
        Figure(_("Usaha IKM terdaftar"), counts["total"], url),
        Figure(_("Usaha aktif"), counts["active"], f"{url}?status={BusinessStatus.ACTIVE}"),
        Figure(_("Industri kecil"), counts["small"], f"{url}?size_class={SizeClass.KECIL}"),
        Figure(_("Industri menengah"), counts["medium"], f"{url}?size_class={SizeClass.MENENGAH}"),
    ]


def register() -> None:
    register_figures(registry_figures)
