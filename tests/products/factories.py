"""Factories of the products app: every object lands in region A (Kota Kendari) unless told otherwise."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from sentra.products import services
from sentra.products.models import CatalogueListing, Product, ProductPhoto
from sentra.regions.models import Kbli
from tests.registry.factories import BusinessFactory
from tests.upload_samples import PNG


def kbli(code: str = "31001") -> Kbli:
    return Kbli.objects.get(version="2020", level=5, code=code)


def png_upload(name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    business = factory.SubFactory(BusinessFactory)
    region_id = factory.LazyAttribute(lambda o: o.business.region_id)
    name = factory.Sequence(lambda n: f"Lemari jati {n}")
    kbli = factory.LazyFunction(kbli)
    price_min = Decimal("1500000")
    price_max = Decimal("2500000")
    monthly_capacity = Decimal("10")
    capacity_unit = "unit"
    published = True


def add_photo(product: Product, position: int = 0) -> ProductPhoto:
    photo = ProductPhoto(product=product, region_id=product.region_id, position=position, content_type="image/png")
    photo.image.save("foto.png", png_upload(), save=False)
    photo.size = len(PNG)
    photo.save()
    return photo


def list_business(business: Any, *, opted_in: bool = True) -> CatalogueListing:
    """Opt ``business`` in (as its owner would) and mark its published products listed, as the service does."""
    listing, _ = CatalogueListing.objects.update_or_create(
        business=business,
        defaults={"region_id": business.region_id, "opted_in": opted_in, "consent_via": "owner"},
    )
    Product.objects.filter(business=business, published=True).update(listed=opted_in)
    services.forget_catalogue_choices()
    return listing


def listed_product(**kwargs: Any) -> Product:
    product = ProductFactory(**kwargs)
    list_business(product.business)
    product.refresh_from_db()
    return product
