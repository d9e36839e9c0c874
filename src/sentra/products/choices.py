"""Choices of the products app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentVia(models.TextChoices):
    """How the owner's agreement to be listed in the public catalogue was given."""

    OWNER = "owner", _("Diatur sendiri oleh pemilik")
    RECORDED = "recorded", _("Persetujuan pemilik dicatat petugas")


#: Monthly capacity units offered in the form (free text is allowed too; these are the common ones).
CAPACITY_UNITS = ("unit", "set", "buah", "pcs", "m³", "m²", "kg", "lembar", "pasang", "paket")

#: At most this many marketplace/social links per product, and photos per product.
MAX_LINKS = 5
MAX_PHOTOS = 6
