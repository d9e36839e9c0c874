"""Officers manage the users of their own scope and never grant a role above their own."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sentra.accounts import services
from sentra.accounts.models import User
from sentra.accounts.roles import Role
from sentra.regions.models import Region
from tests.accounts.factories import UserFactory

TEMP = "Sementara-Kendari-77"


def region(code):
    return Region.objects.get(pk=code)


def test_regency_officer_creates_a_trainer_in_own_city(officer_region_a):
    user = services.user_create(
        actor=officer_region_a, password=TEMP, username="pelatih_baru", role=Role.TRAINER, region=region("74.71")
    )
    assert user.must_change_password and user.check_password(TEMP)


@pytest.mark.parametrize("role", [Role.NATIONAL_ADMIN, Role.PROVINCE_OFFICER])
def test_regency_officer_cannot_grant_a_higher_role(officer_region_a, role):
    with pytest.raises(PermissionDenied):
        services.user_create(actor=officer_region_a, password=TEMP, username="naik", role=role, region=region("74"))
    assert not User.objects.filter(username="naik").exists()


def test_regency_officer_cannot_create_in_another_city(officer_region_a):
    with pytest.raises(ValidationError):
        services.user_create(
            actor=officer_region_a, password=TEMP, username="baubau_user", role=Role.TRAINER, region=region("74.72")
        )
    assert not User.objects.filter(username="baubau_user").exists()


def test_province_officer_manages_both_cities_not_another_province(province_officer):
    services.user_create(
        actor=province_officer, password=TEMP, username="a1", role=Role.REGENCY_OFFICER, region=region("74.72")
    )
    with pytest.raises(ValidationError):
        services.user_create(
            actor=province_officer, password=TEMP, username="a2", role=Role.REGENCY_OFFICER, region=region("73.71")
        )
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=province_officer, password=TEMP, username="a3", role=Role.NATIONAL_ADMIN, region=None
        )


def test_officer_cannot_promote_a_user_above_own_role(officer_region_a):
    trainer = UserFactory(username="t1", role=Role.TRAINER, region_id="74.71")
    with pytest.raises(PermissionDenied):
        services.user_update(actor=officer_region_a, user=trainer, role=Role.NATIONAL_ADMIN, region=None)
    trainer.refresh_from_db()
    assert trainer.role == Role.TRAINER


def test_user_pages_are_scoped(client_for, officer_region_a, officer_region_b, province_officer, national_admin):
    in_a = UserFactory(username="di_kendari", role=Role.TRAINER, region_id="74.71")
    in_mks = UserFactory(username="di_makassar", role=Role.TRAINER, region_id="73.71")
    listing = client_for(officer_region_a).get(reverse("accounts:user_list")).content.decode()
    assert "di_kendari" in listing and "di_makassar" not in listing and "baubau_officer" not in listing
    assert client_for(officer_region_b).get(reverse("accounts:user_detail", args=[in_a.pk])).status_code == 404
    assert client_for(officer_region_b).get(reverse("accounts:user_edit", args=[in_a.pk])).status_code == 404
    assert client_for(province_officer).get(reverse("accounts:user_detail", args=[in_a.pk])).status_code == 200
    assert client_for(province_officer).get(reverse("accounts:user_detail", args=[in_mks.pk])).status_code == 404
    # Officers never see the national admin's account.
    assert (
        client_for(province_officer).get(reverse("accounts:user_detail", args=[national_admin.pk])).status_code == 404
    )


def test_user_form_offers_only_assignable_roles_and_regions(client_for, officer_region_a):
    response = client_for(officer_region_a).get(reverse("accounts:user_add"))
    form = response.context["form"]
    roles = {value for value, _label in form.fields["role"].choices}
    assert Role.NATIONAL_ADMIN not in roles and Role.PROVINCE_OFFICER not in roles
    assert Role.TRAINER in roles
    assert set(form.fields["region"].queryset.values_list("code", flat=True)) == {"74.71"}


def test_user_form_refuses_tampered_post(client_for, officer_region_a):
    data = {"username": "naik_pangkat", "role": Role.NATIONAL_ADMIN, "region": "", "password": TEMP, "is_active": "on"}
    response = client_for(officer_region_a).post(reverse("accounts:user_add"), data)
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    data.update(role=Role.TRAINER, region="74.72")
    response = client_for(officer_region_a).post(reverse("accounts:user_add"), data)
    assert "region" in response.context["form"].errors
    assert not User.objects.filter(username="naik_pangkat").exists()


def test_user_created_through_the_form(client_for, officer_region_a):
    data = {
        "username": "pemilik_baru",
        "full_name": "Wa Ode",
        "role": Role.BUSINESS_OWNER,
        "region": "74.71",
        "password": TEMP,
        "is_active": "on",
    }
    response = client_for(officer_region_a).post(reverse("accounts:user_add"), data)
    assert response.status_code == 302
    user = User.objects.get(username="pemilik_baru")
    assert user.must_change_password and user.region_id == "74.71"


def test_owner_and_trainer_cannot_manage_users(client_for, owner_user, trainer):
    for user in (owner_user, trainer):
        client = client_for(user)
        assert client.get(reverse("accounts:user_list")).status_code == 403
        assert client.get(reverse("accounts:user_add")).status_code == 403


def test_admin_is_superuser_only(client, client_for, national_admin):
    assert client_for(national_admin).get("/admin/").status_code == 302
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True, role=Role.NATIONAL_ADMIN, region_id=None)
    assert client_for(superuser).get("/admin/").status_code == 200
    staff = UserFactory(username="staf", is_staff=True, role=Role.NATIONAL_ADMIN, region_id=None)
    response = client_for(staff).get("/admin/accounts/user/")
    assert response.status_code in (302, 403)
