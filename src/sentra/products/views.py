"""Product pages (signed in, scoped) and the public catalogue (no login, listed products only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sentra.core.errors import ConflictError
from sentra.core.formatting import format_rupiah
from sentra.core.forms import add_service_errors
from sentra.core.object_views import ObjectDeleteView, ObjectEditView
from sentra.core.pagination import keyset_paginate
from sentra.core.versioning import form_conflict
from sentra.core.views import ObjectHistoryView, require_model_perm
from sentra.products import selectors, services
from sentra.products.filters import CatalogueSearchForm, ProductFilterSet
from sentra.products.forms import ListingForm, ProductForm
from sentra.products.models import CatalogueListing, Product, ProductPhoto
from sentra.quality.models import Certification
from sentra.registry.models import Business

#: Products per catalogue page (cards).
CATALOGUE_PAGE_SIZE = 24
#: The catalogue's filter choices change only when a product is listed or unlisted (services clear them).
CHOICES_SECONDS = 600
ORDERING = ["name", "id"]


def _page(request: HttpRequest, qs: Any, *, page_size: int | None = None) -> Any:
    return keyset_paginate(
        qs, ordering=ORDERING, cursor=request.GET.get("cursor"), page_size=page_size or settings.SENTRA_PAGE_SIZE
    )


def _partial(request: HttpRequest) -> bool:
    """An htmx request for the list only (not a boosted page load)."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.boosted


def _serve(photo: ProductPhoto, *, public: bool) -> FileResponse:
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=photo.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, max-age=300"
    return response


def _certifications_for(user: Any, business: Business) -> Any:
    return Certification.objects.visible_to(user).filter(business=business).order_by("kind", "number", "id")


# --- Signed-in pages ---------------------------------------------------------------------------------------


def product_list(request: HttpRequest) -> HttpResponse:
    require_model_perm(request.user, Product, "view")
    filterset = ProductFilterSet(
        request.GET or None, queryset=selectors.product_list(user=request.user), request=request
    )
    page = _page(request, filterset.qs)
    template = "products/partials/product_table.html" if _partial(request) else "products/product_list.html"
    return render(request, template, {"form": filterset.form, "filterset": filterset, "page": page})


def business_products(request: HttpRequest, business_pk: int) -> HttpResponse:
    require_model_perm(request.user, Product, "view")
    business = selectors.business_get(user=request.user, pk=business_pk)
    products = list(selectors.business_products(user=request.user, business=business)[:100])
    return render(
        request,
        "products/business_products.html",
        {
            "business": business,
            "products": products,
            "listing": selectors.listing_for(business),
            "can_add": services.can_write(request.user, business, Product, "add"),
            "can_consent": services.can_write(request.user, business, CatalogueListing, "change"),
        },
    )


def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get(user=request.user, pk=pk)
    return render(
        request,
        "products/product_detail.html",
        {
            "product": product,
            "listing": selectors.listing_for(product.business),
            "can_change": Product.objects.visible_to(request.user, "change").filter(pk=pk).exists(),
            "can_delete": Product.objects.visible_to(request.user, "delete").filter(pk=pk).exists(),
        },
    )


class ProductEditView(ObjectEditView):
    """A product of one business: added from the business's product page, edited from the product's."""

    model = Product
    form_class = ProductForm
    template_name = "products/product_form.html"
    context_object_name = "product"
    add_permission = "add"
    created_message = gettext_lazy("Produk {name} tersimpan.")
    updated_message = gettext_lazy("Perubahan pada produk {name} tersimpan.")

    def get_object(self) -> Product | None:
        if "business_pk" in self.kwargs:
            self.business = selectors.business_get(user=self.request.user, pk=self.kwargs["business_pk"])
            return None
        product = selectors.product_get(user=self.request.user, pk=self.kwargs["pk"], action="change")
        self.business = product.business
        return product

    def get_initial(self) -> dict[str, Any]:
        product = self.object
        if product is None:
            return {}
        return {
            "name": product.name,
            "kbli_code": product.kbli.code,
            "description": product.description,
            "price_min": product.price_min,
            "price_max": product.price_max,
            "monthly_capacity": product.monthly_capacity,
            "capacity_unit": product.capacity_unit,
            "certifications": list(product.certifications.all()),
            "links": "\n".join(product.links or []),
            "published": product.published,
            "version": product.version,
        }

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"certifications": _certifications_for(self.request.user, self.business)}

    def save(self, form: Any) -> Product:
        photos = form.cleaned_data.get("photos") or []
        if self.creating:
            return services.product_create(
                actor=self.request.user, business=self.business, photos=photos, **form.service_data()
            )
        return services.product_update(
            actor=self.request.user,
            product=self.object,
            expected_version=form.expected_version,
            photos=photos,
            **form.service_data(),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(business=self.business, **kwargs)


class ProductDeleteView(ObjectDeleteView):
    selector = staticmethod(selectors.product_get)
    deleted_message = gettext_lazy("Produk {name} dihapus.")

    def delete(self, obj: Product) -> None:
        services.product_delete(actor=self.request.user, product=obj)

    def get_success_url(self, obj: Product) -> str:
        return reverse("products:business_products", kwargs={"business_pk": obj.business_id})


def photo(request: HttpRequest, pk: int) -> FileResponse:
    return _serve(selectors.photo_get(user=request.user, pk=pk), public=False)


def _photo_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    item = selectors.photo_get(user=request.user, pk=pk)
    product = selectors.product_get(user=request.user, pk=item.product_id, action="change")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        action(actor=request.user, photo=item, expected_version=version)
    except ConflictError:
        messages.error(request, _("Produk ini baru saja diubah orang lain. Muat ulang halaman lalu coba lagi."))
    else:
        messages.success(request, done)
    return redirect(product)


@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _photo_action(request, pk, services.photo_delete, _("Foto dihapus."))


@require_POST
def photo_cover(request: HttpRequest, pk: int) -> HttpResponse:
    return _photo_action(request, pk, services.photo_make_cover, _("Foto dijadikan sampul."))


class ProductHistoryView(ObjectHistoryView):
    model = Product


def listing_consent(request: HttpRequest, business_pk: int) -> HttpResponse:
    """The business's choice to appear in the public catalogue: the owner's own, or recorded by an officer."""
    require_model_perm(request.user, CatalogueListing, "view")
    business = selectors.business_get(user=request.user, pk=business_pk)
    listing = selectors.listing_for(business)
    if not services.can_write(request.user, business, CatalogueListing, "change" if listing else "add"):
        raise Http404
    user: Any = request.user
    for_owner = user.scope.kind == "owner" and not user.is_superuser
    initial = {"opted_in": listing.opted_in if listing else False, "version": listing.version if listing else None}
    form = ListingForm(request.POST or None, initial=initial, for_owner=for_owner)
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.listing_set(
                actor=request.user,
                business=business,
                opted_in=form.cleaned_data["opted_in"],
                consent_note=form.cleaned_data.get("consent_note") or "",
                expected_version=form.expected_version,
            )
        except ConflictError as exc:
            conflict, status = form_conflict(form, exc, user=request.user), 409
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if saved.opted_in:
                messages.success(request, _("{name} tampil di katalog publik.").format(name=business.name))
            else:
                messages.success(request, _("{name} tidak tampil di katalog publik.").format(name=business.name))
            return redirect("products:business_products", business_pk=business.pk)
    context = {"form": form, "business": business, "listing": listing, "conflict": conflict, "for_owner": for_owner}
    return render(request, "products/listing_form.html", context, status=status)


# --- The public catalogue ------------------------------------------------------------------------------------


def _choices(key: str, compute: Any) -> Any:
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CHOICES_SECONDS)
    return value


def _catalogue(
    request: HttpRequest, *, title: str, heading: Any = None, region: str = "", centre: Any = None
) -> HttpResponse:
    regions_key, kbli_key = services.CATALOGUE_CACHE_KEYS
    form = CatalogueSearchForm(
        request.GET or None,
        kbli=_choices(kbli_key, selectors.catalogue_kbli),
        regions=_choices(regions_key, selectors.catalogue_regions),
    )
    values = form.values()
    if region:
        del form.fields["wilayah"]
    if values is None:
        qs = Product.objects.none()
    else:
        qs = selectors.catalogue_products(
            q=values["q"],
            kbli=values["kbli"],
            region=region or values["region"],
            centre_id=centre.pk if centre else None,
        )
    page = _page(request, qs, page_size=CATALOGUE_PAGE_SIZE)
    template = "products/partials/catalogue_results.html" if _partial(request) else "products/catalogue.html"
    # No shared caching: the page carries the visitor's CSRF token (the language switch), like every page.
    return render(
        request,
        template,
        {"form": form, "page": page, "title": title, "heading": heading, "centre": centre, "region_code": region},
    )


@login_not_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """``/katalog/``: published products of the businesses that chose to be listed, for everyone."""
    return _catalogue(request, title=_("Katalog produk IKM"))


@login_not_required
def catalogue_region(request: HttpRequest, code: str) -> HttpResponse:
    from sentra.regions.models import Region

    region = Region.objects.filter(code=code, level=2).first()
    if region is None:
        raise Http404
    return _catalogue(request, title=_("Produk IKM {region}").format(region=region.name), heading=region, region=code)


@login_not_required
def catalogue_centre(request: HttpRequest, pk: int) -> HttpResponse:
    from sentra.centres.models import Centre

    centre = (
        Centre.objects.select_related("region").filter(pk=pk).only("id", "name", "commodity", "region__name").first()
    )
    if centre is None:
        raise Http404
    return _catalogue(request, title=_("Produk {centre}").format(centre=centre.name), heading=centre, centre=centre)


def _price_text(product: Product) -> str:
    """The price range as plain text, for the link preview (the page itself uses the ``rupiah`` filter)."""
    low, high = product.price_min, product.price_max
    if low is not None and high is not None and low != high:
        return f"{format_rupiah(low)} – {format_rupiah(high)}"
    if low is not None or high is not None:
        return format_rupiah(low if low is not None else high)
    return _("Harga sesuai pesanan")


def _share_description(product: Product) -> str:
    business = product.business
    parts = [_price_text(product), f"{business.name}, {product.region.name}"]
    if product.description:
        parts.append(product.description)
    return " · ".join(parts)[:300]


@login_not_required
def catalogue_product(request: HttpRequest, pk: int) -> HttpResponse:
    """One product's public page, made to be shared (Open Graph: title, description, absolute image and URL)."""
    try:
        product = selectors.catalogue_product(pk=pk)
    except Product.DoesNotExist:
        raise Http404 from None
    photos = product.ordered_photos  # type: ignore[attr-defined]
    cover = photos[0] if photos else None
    return render(
        request,
        "products/catalogue_product.html",
        {
            "product": product,
            "business": product.business,
            "photos": photos,
            "centres": selectors.catalogue_business_centres(product.business),
            # An expired certificate would mislead a buyer: the public page names only those valid today.
            "certificates": [
                c for c in product.certifications.all() if c.expires_on is None or c.expires_on >= timezone.localdate()
            ],
            "og_url": request.build_absolute_uri(product.get_public_url()),
            "og_description": _share_description(product),
            "og_image": request.build_absolute_uri(cover.get_public_url()) if cover else "",
        },
    )


@login_not_required
def catalogue_photo(request: HttpRequest, pk: int) -> FileResponse:
    try:
        item = selectors.catalogue_photo(pk=pk)
    except ProductPhoto.DoesNotExist:
        raise Http404 from None
    return _serve(item, public=True)
