"""A centre manager sees and edits their own centre only; officers their region."""

import pytest

from sentra.centres import services
from sentra.centres.models import Centre
from sentra.core.scope import OutOfScope
from sentra.registry.models import Business
from tests.centres.factories import CentreFactory, MembershipFactory, UnitFactory
from tests.registry.factories import BusinessFactory


@pytest.fixture
def two_centres(db, centre_manager):
    mine = CentreFactory(name="Sentra Saya")
    mine.managers.set([centre_manager])
    other = CentreFactory(name="Sentra Lain")
    return mine, other


def test_manager_sees_only_their_centre(client_for, centre_manager, two_centres):
    mine, other = two_centres
    assert list(Centre.objects.visible_to(centre_manager)) == [mine]
    client = client_for(centre_manager)
    body = client.get("/sentra/").content.decode()
    assert "Sentra Saya" in body and "Sentra Lain" not in body
    assert client.get(f"/sentra/{mine.pk}/").status_code == 200
    assert client.get(f"/sentra/{other.pk}/").status_code == 404
    assert client.get(f"/sentra/{other.pk}/ubah/").status_code == 404
    assert client.get(f"/sentra/{mine.pk}/ubah/").status_code == 200


def test_manager_edits_own_centre_but_not_its_region_or_managers(centre_manager, two_centres):
    mine, _ = two_centres
    services.centre_update(actor=centre_manager, centre=mine, commodity="kursi rotan", managers=[])
    mine.refresh_from_db()
    assert mine.commodity == "kursi rotan"
    assert list(mine.managers.all()) == [centre_manager]


def test_manager_can_let_units_of_their_centre_only(centre_manager, two_centres):
    mine, other = two_centres
    import datetime as dt

    member = BusinessFactory()
    MembershipFactory(centre=mine, business=member)
    services.tenancy_start(
        actor=centre_manager, unit=UnitFactory(centre=mine), business=member, start_date=dt.date(2024, 1, 1)
    )
    with pytest.raises(OutOfScope):
        services.tenancy_start(
            actor=centre_manager, unit=UnitFactory(centre=other), business=member, start_date=dt.date(2024, 1, 1)
        )


def test_manager_sees_the_member_businesses_of_their_centre(centre_manager, two_centres):
    mine, other = two_centres
    member = BusinessFactory(name="Anggota Saya")
    MembershipFactory(centre=mine, business=member)
    MembershipFactory(centre=other, business=BusinessFactory(name="Anggota Lain"))
    BusinessFactory(name="Bukan Anggota")
    assert list(Business.objects.visible_to(centre_manager)) == [member]


def test_officer_of_other_region_sees_nothing(client_for, officer_region_b, two_centres):
    mine, _ = two_centres
    client = client_for(officer_region_b)
    assert "Sentra Saya" not in client.get("/sentra/").content.decode()
    assert client.get(f"/sentra/{mine.pk}/").status_code == 404


def test_owner_has_no_centre_pages(client_for, owner_user, two_centres):
    mine, _ = two_centres
    client = client_for(owner_user)
    assert client.get("/sentra/").status_code == 403
    assert client.get(f"/sentra/{mine.pk}/").status_code == 404
