"""The registry's card on a business owner's home page: their businesses, and keeping them up to date."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.dashboard import HomeSection
from sentra.registry import selectors

#: businesses listed on the card; more are behind the list page
LIMIT = 10


def owner_businesses(user: Any) -> dict[str, Any]:
    businesses = list(selectors.business_list(user=user).alive().order_by("name", "id")[: LIMIT + 1])
    card: dict[str, Any] = {"businesses": businesses[:LIMIT], "more": len(businesses) > LIMIT}
    if not businesses:
        card["hint"] = _(
            "Belum ada usaha yang tercatat atas nama Anda. Hubungi petugas dinas perindustrian di daerah Anda "
            "untuk mencatatkan usaha Anda."
        )
    elif user.has_perm("registry.change_business"):
        first = businesses[0]
        card["next"] = {
            "label": _("Perbarui data {name}").format(name=first.name)
            if len(businesses) == 1
            else _("Perbarui data usaha"),
            "url": reverse("registry:business_edit", args=[first.pk])
            if len(businesses) == 1
            else reverse("registry:business_list"),
        }
    return card


SECTION = HomeSection(
    "businesses", gettext_lazy("Usaha saya"), "registry/home/businesses.html", owner_businesses, order=10
)
