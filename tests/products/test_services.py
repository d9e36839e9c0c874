"""Product and catalogue opt-in services: scope, validation, locking, audit, and what the catalogue lists."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentra.core.errors import ConflictError
from sentra.core.models import AuditEvent
from sentra.core.scope import OutOfScope
from sentra.products import services
from sentra.products.choices import MAX_LINKS
from sentra.products.models import CatalogueListing, Product
from tests.products.factories import ProductFactory, add_photo, kbli, png_upload
from tests.quality.factories import CertificationFactory
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db

FIELDS = {"name": "Kusen jendela", "price_min": Decimal("500000"), "price_max": Decimal("900000")}


def create(actor, business, **extra):
    return services.product_create(actor=actor, business=business, kbli=kbli("16221"), **{**FIELDS, **extra})


def test_owner_creates_a_product_of_their_business_with_photos_and_audit(owner_user, owned_business):
    product = create(owner_user, owned_business, photos=[png_upload(), png_upload("b.png")], published=True)
    assert product.region_id == owned_business.region_id
    assert [p.position for p in product.photos.order_by("position")] == [0, 1]
    assert all(p.image.name.endswith(".png") for p in product.photos.all())
    event = AuditEvent.objects.get(action="products.product.created", object_id=str(product.pk))
    assert event.changes["photos"] == [None, 2]
    assert product.listed is False  # published, but the business has not opted in


def test_owner_cannot_create_for_someone_elses_business(owner_user):
    other = BusinessFactory(region_id="74.71")
    with pytest.raises(OutOfScope):
        create(owner_user, other)
    assert not Product.objects.exists()


def test_officer_of_another_region_is_refused(officer_region_b):
    business = BusinessFactory(region_id="74.71")
    with pytest.raises(OutOfScope):
        create(officer_region_b, business)


def test_centre_manager_cannot_write_products(centre_manager):
    with pytest.raises(PermissionDenied):
        create(centre_manager, BusinessFactory())


def test_price_min_above_max_is_refused_with_a_message(officer_region_a):
    with pytest.raises(ValidationError) as exc:
        create(officer_region_a, BusinessFactory(), price_min=Decimal("2000000"), price_max=Decimal("1000000"))
    assert "price_max" in exc.value.message_dict
    assert not Product.objects.exists()


def test_the_database_refuses_min_above_max_too():
    product = ProductFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(price_min=Decimal("9"), price_max=Decimal("1"))


def test_capacity_needs_a_unit(officer_region_a):
    with pytest.raises(ValidationError) as exc:
        create(officer_region_a, BusinessFactory(), monthly_capacity=Decimal("10"), capacity_unit="")
    assert "capacity_unit" in exc.value.message_dict


def test_kbli_must_be_level_five(officer_region_a):
    from sentra.regions.models import Kbli

    division = Kbli.objects.filter(version="2020", level=2).first()
    with pytest.raises(ValidationError) as exc:
        services.product_create(actor=officer_region_a, business=BusinessFactory(), kbli=division, **FIELDS)
    assert "kbli" in exc.value.message_dict


def test_a_non_image_photo_is_refused_and_nothing_is_saved(officer_region_a):
    fake = SimpleUploadedFile("foto.png", b"%PDF-1.4\n" + b"0" * 200, content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        create(officer_region_a, BusinessFactory(), photos=[fake])
    assert "photos" in exc.value.message_dict
    assert not Product.objects.exists()


def test_too_many_photos_are_refused(officer_region_a):
    product = ProductFactory()
    for i in range(6):
        add_photo(product, i)
    with pytest.raises(ValidationError) as exc:
        services.product_update(actor=officer_region_a, product=product, photos=[png_upload()])
    assert "photos" in exc.value.message_dict


def test_certifications_of_another_business_are_refused(officer_region_a):
    business = BusinessFactory()
    foreign = CertificationFactory()
    with pytest.raises(ValidationError) as exc:
        create(officer_region_a, business, certifications=[foreign])
    assert "certifications" in exc.value.message_dict
    own = CertificationFactory(business=business)
    product = create(officer_region_a, business, certifications=[own])
    assert list(product.certifications.all()) == [own]


def test_stale_update_is_refused(officer_region_a):
    product = ProductFactory()
    services.product_update(actor=officer_region_a, product=product, expected_version=1, description="baru")
    stale = Product.objects.get(pk=product.pk)
    stale.version = 1
    with pytest.raises(ConflictError):
        services.product_update(actor=officer_region_a, product=stale, expected_version=1, description="lama")
    assert Product.objects.get(pk=product.pk).description == "baru"


def test_update_records_the_diff(officer_region_a):
    product = Product.objects.get(pk=ProductFactory(name="Lemari").pk)  # loaded: the diff starts from the stored values
    services.product_update(actor=officer_region_a, product=product, name="Lemari jati")
    event = AuditEvent.objects.get(action="products.product.updated", object_id=str(product.pk))
    assert event.changes["name"] == ["Lemari", "Lemari jati"]


def test_make_cover_reorders_photos(officer_region_a):
    product = ProductFactory()
    first, second = add_photo(product, 0), add_photo(product, 1)
    services.photo_make_cover(actor=officer_region_a, photo=second, expected_version=product.version)
    assert list(product.photos.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]
    with pytest.raises(ConflictError):
        services.photo_make_cover(actor=officer_region_a, photo=first, expected_version=1)


def test_delete_is_audited_and_scoped(officer_region_a, officer_region_b):
    product = ProductFactory()
    pk = product.pk
    with pytest.raises(OutOfScope):
        services.product_delete(actor=officer_region_b, product=product)
    services.product_delete(actor=officer_region_a, product=product)
    assert not Product.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action="products.product.deleted", object_id=str(pk)).exists()


# --- Links ----------------------------------------------------------------------------------------------------


def test_links_keep_http_addresses_once():
    assert services.check_links([" https://shopee.co.id/a ", "", "https://shopee.co.id/a", "http://ig.me/x"]) == [
        "https://shopee.co.id/a",
        "http://ig.me/x",
    ]


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://x.id/a", "shopee", "https://", "data:text/html,x"])
def test_links_refuse_what_is_not_a_web_address(bad):
    with pytest.raises(ValidationError) as exc:
        services.check_links([bad])
    assert "links" in exc.value.message_dict


def test_links_are_limited():
    with pytest.raises(ValidationError):
        services.check_links([f"https://toko.id/{i}" for i in range(MAX_LINKS + 1)])


ADDRESSES = st.from_regex(r"https?://[a-z]{1,12}\.(id|com)/[a-z0-9_]{0,10}", fullmatch=True)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.one_of(st.text(max_size=60), ADDRESSES), max_size=8))
def test_links_either_refuse_or_return_only_http_addresses(values):
    try:
        links = services.check_links(values)
    except ValidationError as exc:
        assert list(exc.message_dict) == ["links"]
        return
    assert len(links) <= MAX_LINKS
    assert len(set(links)) == len(links)
    assert all(link.startswith(("http://", "https://")) for link in links)


# --- Catalogue opt-in -----------------------------------------------------------------------------------------


def test_owner_opts_in_and_published_products_become_listed(owner_user, owned_business):
    shown = ProductFactory(business=owned_business, published=True)
    hidden = ProductFactory(business=owned_business, published=False)
    listing = services.listing_set(actor=owner_user, business=owned_business, opted_in=True)
    assert listing.consent_via == "owner" and listing.consent_by == owner_user and listing.consent_at
    shown.refresh_from_db()
    hidden.refresh_from_db()
    assert (shown.listed, hidden.listed) == (True, False)
    assert set(Product.objects.public()) == {shown}
    services.listing_set(actor=owner_user, business=owned_business, opted_in=False, expected_version=listing.version)
    assert not Product.objects.public().exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="products.cataloguelisting").values_list("action", flat=True)
    )
    assert sorted(actions) == ["products.cataloguelisting.created", "products.cataloguelisting.updated"]


def test_officer_needs_the_owners_recorded_consent(officer_region_a):
    business = BusinessFactory()
    with pytest.raises(ValidationError) as exc:
        services.listing_set(actor=officer_region_a, business=business, opted_in=True)
    assert "consent_note" in exc.value.message_dict
    assert not CatalogueListing.objects.exists()
    listing = services.listing_set(
        actor=officer_region_a, business=business, opted_in=True, consent_note="Surat persetujuan 1 Desember 2026"
    )
    assert listing.consent_via == "recorded" and listing.consent_by == officer_region_a


def test_other_roles_cannot_opt_a_business_in(centre_manager, officer_region_b, owner_user):
    business = BusinessFactory()
    with pytest.raises(PermissionDenied):
        services.listing_set(actor=centre_manager, business=business, opted_in=True, consent_note="x")
    with pytest.raises(OutOfScope):
        services.listing_set(actor=officer_region_b, business=business, opted_in=True, consent_note="x")
    with pytest.raises(OutOfScope):
        services.listing_set(actor=owner_user, business=business, opted_in=True)


def test_publishing_after_opt_in_lists_the_product(owner_user, owned_business):
    services.listing_set(actor=owner_user, business=owned_business, opted_in=True)
    product = create(owner_user, owned_business, published=False)
    assert not product.listed
    services.product_update(actor=owner_user, product=product, published=True)
    assert Product.objects.public().filter(pk=product.pk).exists()


def test_a_deleted_business_leaves_the_catalogue(owner_user, owned_business):
    services.listing_set(actor=owner_user, business=owned_business, opted_in=True)
    create(owner_user, owned_business, published=True)
    assert Product.objects.public().count() == 1
    from django.utils import timezone

    type(owned_business).objects.filter(pk=owned_business.pk).update(deleted_at=timezone.now())
    assert services.listing_resync(["74.71"]) == 1
    assert Product.objects.public().count() == 0
