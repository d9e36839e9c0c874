"""`sentra load_demo`: the Kendari demo (docs/domain.md §2d), refused with production settings, skipped when loaded."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sentra.accounts.models import User
from sentra.accounts.roles import Role
from sentra.demo.context import DEMO_PASSWORD
from sentra.registry.models import Business, Owner


def load():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_refused_with_production_settings(settings):
    settings.SENTRA_PRODUCTION = True
    with pytest.raises(CommandError, match="menolak berjalan dengan pengaturan produksi"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()


@pytest.mark.django_db
def test_refused_when_the_settings_module_is_prod(settings):
    settings.SETTINGS_MODULE = "sentra.settings.prod"
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
    assert not Business.objects.exists()


@pytest.mark.django_db
def test_loads_the_kendari_demo_then_skips(client):
    out = load()
    assert "Data demo Kota Kendari dimuat." in out

    expected = {
        "admin": (Role.NATIONAL_ADMIN, None),
        "sultra": (Role.PROVINCE_OFFICER, "74"),
        "kendari": (Role.REGENCY_OFFICER, "74.71"),
        "mebel": (Role.CENTRE_MANAGER, "74.71"),
        "pelatih": (Role.TRAINER, "74.71"),
        "pemilik": (Role.BUSINESS_OWNER, "74.71"),
    }
    for username, (role, region) in expected.items():
        user = User.objects.get(username=username)
        assert (user.role, user.region_id) == (role, region), username
        assert user.check_password(DEMO_PASSWORD)
        user.full_clean()  # role and region agree

    alive = Business.objects.alive()
    kendari = alive.filter(region_id="74.71").count()
    assert 140 <= kendari <= 200

    from sentra.registry import search_text

    stored = dict(Business._base_manager.values_list("pk", "search_text"))
    search_text.refresh()  # every business the demo made is findable by what its owners are called
    assert dict(Business._base_manager.values_list("pk", "search_text")) == stored
    for region in ("74.72", "74.02", "73.71"):
        assert alive.filter(region_id=region).exists(), region
    assert alive.filter(village_id="74.71.03.1002").count() >= 40  # the furniture workshops of Lepo Lepo
    districts = set(alive.filter(region_id="74.71").values_list("district_id", flat=True))
    assert len(districts) >= 8 and all(d.startswith("74.71.") for d in districts)
    assert all(b.size_class for b in alive.filter(region_id="74.71")[:50])
    # Every owner passes the validators the forms use.
    for owner in Owner.objects.all()[:200]:
        owner.full_clean()

    # `pemilik` owns exactly their own business; `kendari` sees Kendari only; `sultra` sees 74.72 too.
    pemilik = User.objects.get(username="pemilik")
    assert Business.objects.visible_to(pemilik).count() >= 1
    assert set(Business.objects.visible_to(pemilik).values_list("owners__user", flat=True)) == {pemilik.pk}
    assert set(
        Business.objects.visible_to(User.objects.get(username="kendari")).values_list("region_id", flat=True)
    ) == {"74.71"}
    sultra_regions = set(
        Business.objects.visible_to(User.objects.get(username="sultra")).values_list("region_id", flat=True)
    )
    assert {"74.71", "74.72", "74.02"} <= sultra_regions and "73.71" not in sultra_regions

    # The demo logins work through the login page.
    assert client.post("/akun/masuk/", {"username": "kendari", "password": DEMO_PASSWORD}).status_code == 302

    count = Business.objects.count()
    again = load()
    assert "lewati" in again
    assert Business.objects.count() == count
    assert User.objects.filter(username="kendari").count() == 1
