"""Shipped reference data: Kemendagri regions and KBLI 2020, loaded by migrate and by `sentra load_regions`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from sentra.regions.models import Kbli, Region, RegionLevel


def run():
    out = StringIO()
    call_command("load_regions", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_counts_after_migrate():
    counts = {level: Region.objects.filter(level=level).count() for level in RegionLevel.values}
    assert counts == {1: 38, 2: 514, 3: 7285, 4: 83762}
    assert Kbli.objects.filter(version="2020", level=Kbli.Level.SUBCLASS).count() == 1790
    assert Kbli.objects.filter(version="2020", level=Kbli.Level.SUBCLASS, is_manufacturing=True).count() == 475


@pytest.mark.django_db
def test_load_regions_is_idempotent():
    out = run()
    assert "Wilayah: 0 baru, 0 diperbarui, 91599 total." in out
    assert "KBLI: 0 baru" in out


@pytest.mark.django_db
def test_load_regions_repairs_what_is_missing_or_changed():
    Region.objects.filter(parent_id="74.71.03").delete()  # Baruga's kelurahan
    Region.objects.filter(pk="74.71").update(name="Kendari (lama)")
    Kbli.objects.filter(version="2020", code="31001").delete()
    out = run()
    assert "Wilayah: 6 baru, 1 diperbarui" in out or "baru, 1 diperbarui" in out
    assert "KBLI: 1 baru" in out
    assert Region.objects.get(pk="74.71").name == "Kota Kendari"
    assert Region.objects.get(pk="74.71.03.1002").name == "Lepo Lepo"
    assert Kbli.objects.get(version="2020", code="31001").parent.code == "3100"
    assert "0 baru, 0 diperbarui" in run()


@pytest.mark.django_db
def test_kendari_facts():
    kendari = Region.objects.get(pk="74.71")
    assert (kendari.name, kendari.level, kendari.kind, kendari.parent_id) == ("Kota Kendari", 2, "kota", "74")
    districts = list(Region.objects.filter(parent=kendari).order_by("code").values_list("code", "name"))
    assert len(districts) == 11
    assert districts[0] == ("74.71.01", "Mandonga") and districts[-1] == ("74.71.11", "Nambo")
    lepo = Region.objects.get(pk="74.71.03.1002")
    assert (lepo.name, lepo.kind, lepo.parent_id) == ("Lepo Lepo", "kelurahan", "74.71.03")
    assert str(lepo) == "Kel. Lepo Lepo"
    assert str(Region.objects.get(pk="74.71.03")) == "Kec. Baruga"
    assert Region.objects.get(pk="74.72").name == "Kota Bau Bau"
    assert Region.objects.filter(parent_id="74", level=2).count() == 17


@pytest.mark.django_db
def test_kbli_hierarchy_and_flags():
    furniture = Kbli.objects.get(version="2020", code="31001")
    assert furniture.is_manufacturing and furniture.category == "C" and furniture.division == "31"
    car_repair = Kbli.objects.get(version="2020", code="45201")
    assert not car_repair.is_manufacturing and car_repair.category == "G"
    assert Kbli.objects.get(version="2020", code="C").level == Kbli.Level.CATEGORY
