"""Products of a business (IKM) and the business's opt-in to the public catalogue (e-Smart IKM: profile, products,
centre membership). Both belong to the business's regency/city, like the business itself."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sentra.core.models import RegionOwnedModel, kbli_field, user_field
from sentra.products.choices import ConsentVia
from sentra.products.querysets import CatalogueListingQuerySet, ProductPhotoQuerySet, ProductQuerySet

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2, "null": True, "blank": True}


def product_photo_path(instance: ProductPhoto, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    ext = ext if ext in ("jpg", "png", "webp") else "bin"
    return f"produk/{instance.region_id or 'x'}/{uuid.uuid4().hex}.{ext}"


class Product(RegionOwnedModel):
    """One product a business makes, with what a buyer needs to know: price range, capacity, certificates."""

    business = models.ForeignKey(
        "registry.Business", verbose_name=_("usaha"), on_delete=models.CASCADE, related_name="products"
    )
    name = models.CharField(_("nama produk"), max_length=200)
    kbli = kbli_field(_("KBLI"), optional=False)
    description = models.TextField(_("uraian"), max_length=2000, blank=True)
    price_min = models.DecimalField(_("harga terendah (Rp)"), **MONEY)
    price_max = models.DecimalField(_("harga tertinggi (Rp)"), **MONEY)
    monthly_capacity = models.DecimalField(
        _("kapasitas per bulan"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    capacity_unit = models.CharField(_("satuan kapasitas"), max_length=30, blank=True)
    certifications = models.ManyToManyField(
        "quality.Certification", verbose_name=_("sertifikat"), blank=True, related_name="products"
    )
    #: Marketplace and social media addresses (http/https), at most ``choices.MAX_LINKS``.
    links = models.JSONField(_("tautan marketplace & media sosial"), default=list, blank=True)
    published = models.BooleanField(_("tampil di katalog"), default=False)
    #: ``published`` and the business opted in to the catalogue; kept by the services (the catalogue's filter).
    listed = models.BooleanField(default=False, editable=False)
    created_by = user_field(editable=False)

    # ClassVar: the base model declares ``objects`` on the class (django-stubs), the subclass narrows it.
    objects: ClassVar[Any] = ProductQuerySet.as_manager()

    audit_exclude = (*RegionOwnedModel.audit_exclude, "listed")

    class Meta:
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_min__isnull=True) | Q(price_max__isnull=True) | Q(price_min__lte=F("price_max")),
                name="product_price_min_lte_max",
            ),
            models.CheckConstraint(
                condition=Q(price_min__isnull=True) | Q(price_min__gte=0), name="product_price_min_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(monthly_capacity__isnull=True) | Q(monthly_capacity__gte=0),
                name="product_capacity_not_negative",
            ),
        ]
        indexes = [
            # The catalogue: listed products by name, narrowed by regency or KBLI. Partial (only listed rows): the
            # catalogue's filter is exactly the condition, so even SQLite without statistics walks these in order.
            models.Index(fields=["name", "id"], condition=Q(listed=True), name="product_listed_name_idx"),
            models.Index(fields=["region", "name", "id"], condition=Q(listed=True), name="product_listed_region_idx"),
            models.Index(fields=["kbli", "name", "id"], condition=Q(listed=True), name="product_listed_kbli_idx"),
            # Officers' list and the business's panel.
            models.Index(fields=["region", "name", "id"], name="product_region_name_idx"),
            models.Index(fields=["business", "name", "id"], name="product_business_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("products:product_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("products:catalogue_product", args=[self.pk])

    def audit_snapshot(self) -> dict[str, Any]:
        data = super().audit_snapshot()
        if "links" in data:
            data["links"] = ", ".join(data["links"] or [])
        return data


class ProductPhoto(RegionOwnedModel):
    """A photo of a product, checked by its content when uploaded; shown in ``position`` order (first = cover)."""

    product = models.ForeignKey(Product, verbose_name=_("produk"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("foto"), upload_to=product_photo_path, max_length=300)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    content_type = models.CharField(max_length=50, editable=False)
    size = models.PositiveIntegerField(editable=False, default=0)

    objects: ClassVar[Any] = ProductPhotoQuerySet.as_manager()

    audit_exclude = (*RegionOwnedModel.audit_exclude, "image")

    class Meta:
        verbose_name = _("foto produk")
        verbose_name_plural = _("foto produk")
        ordering = ["product", "position", "id"]
        indexes = [models.Index(fields=["product", "position", "id"], name="productphoto_order_idx")]

    def __str__(self) -> str:
        return self.caption or str(self.image.name or "")

    def get_public_url(self) -> str:
        return reverse("products:catalogue_photo", args=[self.pk])


class CatalogueListing(RegionOwnedModel):
    """A business's choice to appear in the public catalogue, and who recorded it when.

    Kept here, not on the registry's business, so the registry stays unaware of the catalogue. Only the owner
    sets it, or an officer who records the owner's consent (``consent_via``, ``consent_note``).
    """

    business = models.OneToOneField(
        "registry.Business", verbose_name=_("usaha"), on_delete=models.CASCADE, related_name="catalogue_listing"
    )
    opted_in = models.BooleanField(_("tampil di katalog publik"), default=False)
    consent_via = models.CharField(_("cara persetujuan"), max_length=10, choices=ConsentVia.choices)
    consent_note = models.CharField(
        _("bukti persetujuan pemilik"),
        max_length=300,
        blank=True,
        help_text=_("Misalnya: surat persetujuan bertanggal 3 Desember 2026, disimpan di arsip dinas."),
    )
    consent_by = user_field(_("dicatat oleh"), editable=False)
    consent_at = models.DateTimeField(_("dicatat pada"), null=True, blank=True, editable=False)

    objects: ClassVar[Any] = CatalogueListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("keikutsertaan katalog")
        verbose_name_plural = _("keikutsertaan katalog")
        ordering = ["business", "id"]
        indexes = [models.Index(fields=["opted_in", "region"], name="listing_optin_region_idx")]

    def __str__(self) -> str:
        return str(self.business)

    def get_absolute_url(self) -> str:
        return reverse("products:business_products", args=[self.business_id])
