"""FilterSets of the product lists: the officers' list (within ``visible_to``) and the public catalogue."""

from __future__ import annotations

import hashlib
from typing import Any

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from sentra.core.filters import FastSelect, NarrowingFilterSetMixin, RegionCodeFilter
from sentra.core.forms import BootstrapForm
from sentra.products.models import Product

PUBLISHED = [("ya", _("Tampil di katalog")), ("tidak", _("Belum tampil"))]


class ProductFilterSet(NarrowingFilterSetMixin, django_filters.FilterSet):
    """Narrows the products the user may see (never widens ``visible_to``)."""

    strict_filters = ("region",)

    q = django_filters.CharFilter(method="filter_search", label=_("Cari"), max_length=100)
    region = RegionCodeFilter(field_name="region", label=_("Wilayah"))
    tampil = django_filters.ChoiceFilter(
        choices=PUBLISHED, method="filter_listed", label=_("Katalog"), empty_label=_("Semua")
    )

    class Meta:
        model = Product
        form = BootstrapForm
        fields = ["q", "region", "tampil"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_region_widget(getattr(request, "user", None))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.replace("\x00", "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(business__name__icontains=value))

    def filter_listed(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(listed=(value == "ya"))


class CachedSelect(FastSelect):
    """A ``FastSelect`` whose markup is kept in the cache: the catalogue's lists (every regency and KBLI group that
    has a listed product, a thousand options) are the same for every visitor, and escaping them is most of the
    page's cost. The key covers the choices, the value and the attributes, so a changed list renders anew."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        digest = hashlib.sha1(repr((name, value, attrs, self.attrs, list(self.choices))).encode()).hexdigest()
        key = f"products:select:{digest}"
        html = cache.get(key)
        if html is None:
            html = str(super().render(name, value, attrs, renderer))
            cache.set(key, html, 600)
        return mark_safe(html)  # FastSelect escaped it before it was cached


class CatalogueSearchForm(BootstrapForm):
    """The public catalogue's search: free text, commodity (KBLI) and regency/city, all optional.

    The lists offer what is listed (so a visitor never picks a filter that shows nothing), but a value is checked by
    its form, not against those lists: a shared link keeps working after the lists change.
    """

    q = forms.CharField(label=_("Cari produk atau komoditas"), max_length=100, required=False)
    kbli = forms.RegexField(
        label=_("Komoditas (KBLI)"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("KBLI ditulis 5 angka, misalnya 31001.")},
    )
    wilayah = forms.RegexField(
        label=_("Kabupaten/kota"),
        regex=r"^\d{2}\.\d{2}$",
        required=False,
        error_messages={"invalid": _("Kode kabupaten/kota ditulis seperti 74.71.")},
    )

    def __init__(self, *args: Any, kbli: list[tuple[str, str]], regions: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        # FastSelect: hundreds of regencies and KBLI groups rendered one template per option cost ~1 s per page.
        self.fields["kbli"].widget = CachedSelect(
            choices=[("", _("Semua komoditas")), *[(c, f"{c} {t}") for c, t in kbli]], attrs={"class": "form-select"}
        )
        self.fields["wilayah"].widget = CachedSelect(
            choices=[("", _("Semua wilayah")), *regions], attrs={"class": "form-select"}
        )

    def values(self) -> dict[str, str] | None:
        """The search, or None when a value is malformed (the page then lists nothing and says why)."""
        if not self.is_bound:
            return {"q": "", "kbli": "", "region": ""}
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return {"q": data.get("q") or "", "kbli": data.get("kbli") or "", "region": data.get("wilayah") or ""}
