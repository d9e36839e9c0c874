"""Permissions the products app grants to roles."""

from sentra.accounts.roles import OFFICERS, Role, grant

ACTIONS = ("view", "add", "change", "delete")


def register() -> None:
    grant(OFFICERS, *[f"products.{a}_{m}" for m in ("product", "productphoto") for a in ACTIONS])
    # Officers record an owner's consent to the catalogue (with the proof); they cannot decide it themselves.
    grant(
        OFFICERS, "products.view_cataloguelisting", "products.add_cataloguelisting", "products.change_cataloguelisting"
    )
    # Owners keep their own businesses' products and decide whether their business is in the public catalogue.
    grant((Role.BUSINESS_OWNER,), *[f"products.{a}_{m}" for m in ("product", "productphoto") for a in ACTIONS])
    grant(
        (Role.BUSINESS_OWNER,),
        "products.view_cataloguelisting",
        "products.add_cataloguelisting",
        "products.change_cataloguelisting",
    )
    # Centre managers see their member businesses' products (to promote the centre); they do not edit them.
    grant(
        (Role.CENTRE_MANAGER,), "products.view_product", "products.view_productphoto", "products.view_cataloguelisting"
    )
