from collections.abc import Iterable, Mapping
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "sentra.products"
    label = "products"
    verbose_name = _("Produk dan katalog IKM")

    def ready(self) -> None:
        from sentra.products import permissions

        permissions.register()  # its role grants (accounts.roles)
        from sentra.accounts.roles import Role
        from sentra.core.dashboard import register_home_section
        from sentra.core.navigation import MenuItem, register_menu
        from sentra.core.panels import register_detail_panel
        from sentra.core.scope import register_scope_path
        from sentra.products import home

        owner = "business__owners__user"
        centre = "business__centre_memberships__centre__managers"
        register_scope_path("products.product", "owner", owner)
        register_scope_path("products.productphoto", "owner", f"product__{owner}")
        register_scope_path("products.cataloguelisting", "owner", owner)
        register_scope_path("products.product", "centre", centre)
        register_scope_path("products.productphoto", "centre", f"product__{centre}")
        register_scope_path("products.cataloguelisting", "centre", centre)
        register_menu(MenuItem(_("Produk IKM"), "products:product_list", "products.view_product", order=15))
        register_detail_panel(
            "registry.business", "products/partials/business_panel.html", home.business_panel, order=30
        )
        register_home_section((Role.BUSINESS_OWNER,), home.PRODUCTS)
        from sentra.products import exports

        exports.register()
        from sentra.core.events import domain_changed

        domain_changed.connect(_business_changed, dispatch_uid="products_listing_resync")


def _business_changed(sender: Any, changes: Mapping[str, Iterable[str]], **kwargs: Any) -> None:
    """A business moved to or out of the trash leaves or rejoins the catalogue (``services.listing_resync``)."""
    regions = changes.get("registry.business")
    if regions:
        from sentra.products.services import listing_resync

        listing_resync(regions)
