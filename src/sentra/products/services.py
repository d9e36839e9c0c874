"""Write use-cases of the products app: every change goes through here, checks the actor's scope and is audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.audit import audit_record
from sentra.core.events import notify_changed
from sentra.core.querysets import has_model_perm
from sentra.core.scope import OutOfScope, ensure_in_scope
from sentra.core.uploads import PHOTOS, save_file, storing, validate_upload
from sentra.core.versioning import claim_version, save_versioned
from sentra.products.choices import MAX_LINKS, MAX_PHOTOS, ConsentVia
from sentra.products.models import CatalogueListing, Product, ProductPhoto
from sentra.quality.models import Certification
from sentra.registry.models import Business

PRODUCT_FIELDS = (
    "name",
    "kbli",
    "description",
    "price_min",
    "price_max",
    "monthly_capacity",
    "capacity_unit",
    "links",
    "published",
)
#: Photo uploads: the site's one upload check, images only.
PHOTO_MAX_BYTES = 5 * 1024 * 1024
MAX_LINK_LENGTH = 300
#: Cache keys of the catalogue's filter choices (regions and KBLI that have listed products).
CATALOGUE_CACHE_KEYS = ("products:catalogue:regions", "products:catalogue:kbli")

_url = URLValidator(schemes=["http", "https"])


def check_links(values: Iterable[Any]) -> list[str]:
    """The marketplace/social links as stored: trimmed, http(s) only, without repeats, at most ``MAX_LINKS``.

    Raises a ValidationError on ``links`` that names the bad address, so a form or the API shows where.
    """
    links: list[str] = []
    for raw in values:
        text = str(raw or "").replace("\x00", "").strip()
        if not text:
            continue
        if len(text) > MAX_LINK_LENGTH:
            raise ValidationError(
                {"links": _("Tautan terlalu panjang (paling banyak {n} karakter).").format(n=MAX_LINK_LENGTH)}
            )
        try:
            _url(text)
        except ValidationError:
            raise ValidationError(
                {
                    "links": _(
                        "“{link}” bukan alamat web yang sah. Tulis lengkap dengan https://, misalnya "
                        "https://shopee.co.id/tokoanda."
                    ).format(link=text[:80])
                }
            ) from None
        if text not in links:
            links.append(text)
    if len(links) > MAX_LINKS:
        raise ValidationError({"links": _("Paling banyak {n} tautan per produk.").format(n=MAX_LINKS)})
    return links


def _check_prices(product: Product) -> None:
    low, high = product.price_min, product.price_max
    if low is not None and low < 0:
        raise ValidationError({"price_min": _("Harga tidak boleh negatif.")})
    if low is not None and high is not None and low > high:
        raise ValidationError(
            {"price_max": _("Harga tertinggi tidak boleh lebih kecil dari harga terendah. Tukar kedua angkanya.")}
        )
    if product.monthly_capacity is not None and product.monthly_capacity < 0:
        raise ValidationError({"monthly_capacity": _("Kapasitas tidak boleh negatif.")})
    if product.monthly_capacity is not None and not product.capacity_unit:
        raise ValidationError({"capacity_unit": _("Tulis satuan kapasitasnya, misalnya unit, set atau m³.")})


def _check_kbli(product: Product) -> None:
    if product.kbli_id is None:
        raise ValidationError({"kbli": _("Pilih KBLI produk (kelompok 5 angka).")})
    if product.kbli.level != 5:
        raise ValidationError({"kbli": _("KBLI produk harus kelompok 5 angka, misalnya 31001.")})


def _allowed(actor: Any, model: type, action: str) -> None:
    if actor is None or actor.is_superuser:
        return
    if not has_model_perm(actor, model, action):
        raise PermissionDenied(_("Anda tidak memiliki izin untuk tindakan ini."))


def _require_business(actor: Any, business: Business, model: type, action: str) -> None:
    """``actor`` may ``action`` ``model`` rows of ``business``: officers within their regions, owners their own."""
    _allowed(actor, model, action)
    if actor is None or actor.is_superuser:
        return
    if business.deleted_at is not None:
        raise OutOfScope(_("Usaha ini sudah dihapus."), field="business")
    kind = actor.scope.kind
    if kind == "owner":
        if Business.objects.visible_to(actor).filter(pk=business.pk).exists():
            return
        raise OutOfScope(_("Usaha ini berada di luar cakupan Anda."), field="business")
    if kind not in ("national", "region"):
        raise PermissionDenied(_("Anda tidak memiliki izin untuk tindakan ini."))
    ensure_in_scope(actor, business.region_id, action, model=model, field="business")


def _check_certifications(business: Business, certifications: Iterable[Certification] | None) -> list[Certification]:
    chosen = list(certifications or [])
    if any(c.business_id != business.pk for c in chosen):
        raise ValidationError({"certifications": _("Pilih hanya sertifikat milik usaha ini.")})
    return chosen


def _is_opted_in(business: Business) -> bool:
    return business.deleted_at is None and CatalogueListing.objects.filter(business=business, opted_in=True).exists()


def forget_catalogue_choices() -> None:
    cache.delete_many(list(CATALOGUE_CACHE_KEYS))


def _store_photos(actor: Any, product: Product, photos: Sequence[Any]) -> int:
    """Check every photo by its content first (nothing is stored when one is refused), then store them in order."""
    if not photos:
        return 0
    if product.pk is not None:
        existing = product.photos.count()
    else:
        existing = 0
    if existing + len(photos) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("Paling banyak {n} foto per produk; hapus foto lama dulu.").format(n=MAX_PHOTOS)}
        )
    kinds = []
    for photo in photos:
        try:
            kinds.append(validate_upload(photo, PHOTOS, max_bytes=PHOTO_MAX_BYTES))
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from None
    start = (product.photos.aggregate(m=Max("position"))["m"] or 0) + 1 if existing else 0
    with storing() as keep:
        for offset, (photo, kind) in enumerate(zip(photos, kinds, strict=True)):
            stored = ProductPhoto(
                product=product,
                region_id=product.region_id,
                position=start + offset,
                content_type=kind.content_type,
                size=photo.size,
            )
            save_file(stored.image, f"foto.{kind.ext}", photo)  # the name comes from the content, not the client
            keep(stored.image)
            stored.save()
    return len(photos)


# --- Products ------------------------------------------------------------------------------------------------


@transaction.atomic
def product_create(
    *,
    actor: Any,
    business: Business,
    photos: Sequence[Any] = (),
    certifications: Iterable[Certification] | None = None,
    **fields: Any,
) -> Product:
    _require_business(actor, business, Product, "add")
    product = Product(business=business, region_id=business.region_id)
    for name in PRODUCT_FIELDS:
        if name in fields:
            setattr(product, name, fields[name])
    product.links = check_links(product.links or [])
    product.description = product.description or ""
    product.capacity_unit = (product.capacity_unit or "").strip()
    product.created_by = actor if getattr(actor, "is_authenticated", False) else None
    _check_kbli(product)
    _check_prices(product)
    chosen = _check_certifications(business, certifications)
    product.listed = bool(product.published) and _is_opted_in(business)
    product.full_clean()
    product.save()
    product.certifications.set(chosen)
    stored = _store_photos(actor, product, photos)
    changes = product.audit_changes()
    if chosen:
        changes["certifications"] = [None, ", ".join(str(c) for c in chosen)]
    if stored:
        changes["photos"] = [None, stored]
    audit_record(actor=actor, action="products.product.created", obj=product, changes=changes)
    notify_changed(Product, [product.region_id])
    if product.listed:
        forget_catalogue_choices()
    product.audit_reset()
    return product


@transaction.atomic
def product_update(
    *,
    actor: Any,
    product: Product,
    expected_version: int | None = None,
    photos: Sequence[Any] = (),
    certifications: Iterable[Certification] | None = None,
    **fields: Any,
) -> Product:
    _require_business(actor, product.business, Product, "change")
    for name in PRODUCT_FIELDS:
        if name in fields:
            setattr(product, name, fields[name])
    product.links = check_links(product.links or [])
    product.capacity_unit = (product.capacity_unit or "").strip()
    product.region_id = product.business.region_id
    _check_kbli(product)
    _check_prices(product)
    was_listed = product.listed
    product.listed = bool(product.published) and _is_opted_in(product.business)
    product.full_clean()
    changes = product.audit_changes()
    if certifications is not None:
        chosen = _check_certifications(product.business, certifications)
        before = sorted(str(c) for c in product.certifications.all())
        after = sorted(str(c) for c in chosen)
        if before != after:
            changes["certifications"] = [", ".join(before), ", ".join(after)]
    save_versioned(product, expected_version)
    if certifications is not None:
        product.certifications.set(chosen)
    stored = _store_photos(actor, product, photos)
    if stored:
        changes["photos"] = [None, stored]
    if changes:
        audit_record(actor=actor, action="products.product.updated", obj=product, changes=changes)
        notify_changed(Product, [product.region_id])
    if was_listed != product.listed:
        forget_catalogue_choices()
    product.audit_reset()
    return product


@transaction.atomic
def product_delete(*, actor: Any, product: Product) -> None:
    _require_business(actor, product.business, Product, "delete")
    audit_record(actor=actor, action="products.product.deleted", obj=product)
    notify_changed(Product, [product.region_id])
    files = [p.image for p in product.photos.all()]
    product.delete()

    def remove_files() -> None:
        for stored in files:
            stored.delete(save=False)

    transaction.on_commit(remove_files)
    forget_catalogue_choices()


@transaction.atomic
def photo_delete(*, actor: Any, photo: ProductPhoto, expected_version: int | None = None) -> None:
    product = photo.product
    _require_business(actor, product.business, Product, "change")
    claim_version(product, expected_version)
    audit_record(actor=actor, action="products.product.updated", obj=product, changes={"photos": [photo.pk, None]})
    image = photo.image
    photo.delete()
    transaction.on_commit(lambda: image.delete(save=False))


@transaction.atomic
def photo_make_cover(*, actor: Any, photo: ProductPhoto, expected_version: int | None = None) -> None:
    """Show ``photo`` first (the cover on the catalogue and in shared links); the others keep their order."""
    product = photo.product
    _require_business(actor, product.business, Product, "change")
    claim_version(product, expected_version)
    ordered = [p for p in product.photos.order_by("position", "id") if p.pk != photo.pk]
    for position, item in enumerate([photo, *ordered]):
        if item.position != position:
            ProductPhoto.objects.filter(pk=item.pk).update(position=position)
    audit_record(actor=actor, action="products.product.updated", obj=product, changes={"cover": [None, photo.pk]})


# --- The catalogue opt-in -----------------------------------------------------------------------------------


@transaction.atomic
def listing_set(
    *,
    actor: Any,
    business: Business,
    opted_in: bool,
    consent_note: str = "",
    expected_version: int | None = None,
) -> CatalogueListing:
    """Put the business in the public catalogue, or take it out.

    The owner decides; an officer may record the decision only with a note of the owner's consent (a letter, a
    signed form). Who recorded it and when is kept on the listing and in the audit trail.
    """
    consent_note = (consent_note or "").replace("\x00", "").strip()
    listing = CatalogueListing.objects.select_for_update().filter(business=business).first()
    action = "change" if listing is not None else "add"
    _require_business(actor, business, CatalogueListing, action)
    if actor is None or actor.is_superuser or actor.scope.kind != "owner":
        via = ConsentVia.RECORDED
        if not consent_note:
            raise ValidationError(
                {
                    "consent_note": _(
                        "Hanya pemilik yang memutuskan tampil di katalog. Tuliskan bukti persetujuan pemilik "
                        "(misalnya surat atau formulir bertanda tangan dan tanggalnya)."
                    )
                }
            )
    else:
        via = ConsentVia.OWNER
    creating = listing is None
    if listing is None:
        listing = CatalogueListing(business=business, region_id=business.region_id)
    listing.opted_in = bool(opted_in)
    listing.consent_via = via
    listing.consent_note = consent_note[:300]
    listing.consent_by = actor if getattr(actor, "is_authenticated", False) else None
    listing.consent_at = timezone.now()
    listing.region_id = business.region_id
    listing.full_clean(exclude=["business"])
    changes = listing.audit_changes()
    if creating:
        listing.save()
        audit_record(actor=actor, action="products.cataloguelisting.created", obj=listing, changes=changes)
    else:
        save_versioned(listing, expected_version)
        audit_record(actor=actor, action="products.cataloguelisting.updated", obj=listing, changes=changes)
    products = Product.objects.filter(business=business)
    if listing.opted_in and business.deleted_at is None:
        products.filter(published=True, listed=False).update(listed=True)
        products.filter(published=False, listed=True).update(listed=False)
    else:
        products.filter(listed=True).update(listed=False)
    notify_changed(Product, [business.region_id])
    forget_catalogue_choices()
    listing.audit_reset()
    return listing


def can_write(actor: Any, business: Business, model: type, action: str) -> bool:
    """Whether ``actor`` may ``action`` ``model`` rows of ``business`` (the pages show or hide their buttons)."""
    try:
        _require_business(actor, business, model, action)
    except (PermissionDenied, OutOfScope):
        return False
    return True


def listing_resync(region_ids: Iterable[str]) -> int:
    """Bring ``listed`` in line with the businesses of these regions after the registry changed them.

    A business moved to the trash (or restored) is written by the registry, which knows nothing of products; it
    announces the change through ``core.events``, and this takes its products out of (or back into) the
    catalogue. Returns how many products changed.
    """
    regions = [r for r in region_ids if r]
    if not regions:
        return 0
    products = Product.objects.filter(region_id__in=regions)
    with transaction.atomic():
        hidden = products.filter(listed=True, business__deleted_at__isnull=False).update(listed=False)
        shown = products.filter(
            listed=False,
            published=True,
            business__deleted_at__isnull=True,
            business__catalogue_listing__opted_in=True,
        ).update(listed=True)
    if hidden or shown:
        forget_catalogue_choices()
    return hidden + shown
