"""Scope providers for every signed-in products URL that takes arguments (the URLconf walk). The public catalogue's
pages (``/katalog/...``) need no login; tests/products/test_catalogue.py covers what they may show."""

from sentra.core.testing import scope_provider
from tests.products.factories import ProductFactory, add_photo
from tests.registry.factories import BusinessFactory


@scope_provider(
    "products:product_detail",
    "products:product_edit",
    "products:product_delete",
    "products:product_history",
)
def product(world):
    return {"pk": ProductFactory(description="Lemari dua pintu").pk}


@scope_provider("products:photo", "products:photo_delete", "products:photo_cover")
def photo(world):
    return {"pk": add_photo(ProductFactory()).pk}


@scope_provider("products:business_products", "products:product_add", "products:listing_consent")
def business(world):
    return {"business_pk": BusinessFactory(region_id="74.71").pk}
