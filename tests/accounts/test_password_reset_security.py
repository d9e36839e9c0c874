"""A password reset by an officer ends the user's API tokens (the token cache included), and an officer manages
only roles below their own: a city officer resets trainers, centre managers and business owners of their city,
never a fellow city officer; a province officer, the national admin or a superuser may."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sentra.accounts import services
from sentra.accounts.models import User
from sentra.accounts.roles import Role
from sentra.api.models import ApiToken
from sentra.core.models import AuditEvent
from sentra.regions.models import Region
from tests.accounts.factories import UserFactory
from tests.api.conftest import ApiClient, make_token

NEW = "Sementara-Kendari-88"


@pytest.fixture
def colleague(db):
    """A second officer of Kota Kendari, the same level as ``officer_region_a``."""
    return UserFactory(username="rekan_kendari", role=Role.REGENCY_OFFICER, region_id="74.71")


@pytest.mark.parametrize("cache_seconds", [0, 10])
def test_a_reset_revokes_the_users_api_tokens(settings, officer_region_a, trainer, cache_seconds):
    settings.SENTRA_API_TOKEN_CACHE_SECONDS = cache_seconds  # 10: the lookup is cached between requests
    api = ApiClient(make_token(trainer, "read"))
    assert api.get("/batches").status_code == 200
    assert api.get("/batches").status_code == 200  # now served from the token cache when it is on
    services.user_reset_password(actor=officer_region_a, user=trainer, password=NEW)
    refused = api.get("/batches")
    assert refused.status_code == 401 and refused.json()["code"] == "token_revoked"
    token = ApiToken.objects.get(user=trainer)
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api.apitoken.revoked", actor=officer_region_a).count() == 1
    reset = AuditEvent.objects.get(action="accounts.user.password_reset")
    assert "1 token API dicabut" in reset.note


def test_the_reset_page_revokes_tokens_too(client_for, officer_region_a, trainer):
    api = ApiClient(make_token(trainer, "write"))
    response = client_for(officer_region_a).post(
        reverse("accounts:user_reset_password", args=[trainer.pk]), {"password": NEW}
    )
    assert response.status_code == 302
    assert api.get("/batches").status_code == 401
    trainer.refresh_from_db()
    assert trainer.check_password(NEW) and trainer.must_change_password


def test_a_refused_reset_leaves_the_tokens_alone(officer_region_a, colleague):
    api = ApiClient(make_token(colleague, "read"))
    with pytest.raises(PermissionDenied):
        services.user_reset_password(actor=officer_region_a, user=colleague, password=NEW)
    assert api.get("/batches").status_code == 200
    colleague.refresh_from_db()
    assert not colleague.check_password(NEW)


@pytest.mark.parametrize("role", [Role.TRAINER, Role.CENTRE_MANAGER, Role.BUSINESS_OWNER])
def test_a_city_officer_resets_the_roles_below_in_their_city(client_for, officer_region_a, role):
    user = UserFactory(username=f"u_{role}", role=role, region_id="74.71")
    detail = client_for(officer_region_a).get(reverse("accounts:user_detail", args=[user.pk]))
    assert reverse("accounts:user_reset_password", args=[user.pk]) in detail.content.decode()
    services.user_reset_password(actor=officer_region_a, user=user, password=NEW)
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_a_city_officer_cannot_reset_or_edit_a_fellow_officer(client_for, officer_region_a, colleague):
    with pytest.raises(PermissionDenied):
        services.user_reset_password(actor=officer_region_a, user=colleague, password=NEW)
    with pytest.raises(PermissionDenied):
        services.user_update(actor=officer_region_a, user=colleague, full_name="Diubah")
    client = client_for(officer_region_a)
    detail = client.get(reverse("accounts:user_detail", args=[colleague.pk]))
    assert detail.status_code == 200 and not detail.context["can_manage"]  # seen, not managed
    assert reverse("accounts:user_reset_password", args=[colleague.pk]) not in detail.content.decode()
    for name in ("accounts:user_reset_password", "accounts:user_edit"):
        url = reverse(name, args=[colleague.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"password": NEW}).status_code == 404
    colleague.refresh_from_db()
    assert not colleague.check_password(NEW) and colleague.full_name != "Diubah"


def test_a_city_officer_cannot_create_a_fellow_officer(client_for, officer_region_a):
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=officer_region_a,
            password=NEW,
            username="rekan_baru",
            role=Role.REGENCY_OFFICER,
            region=Region.objects.get(pk="74.71"),
        )
    form = client_for(officer_region_a).get(reverse("accounts:user_add")).context["form"]
    assert Role.REGENCY_OFFICER not in {value for value, _label in form.fields["role"].choices}
    assert not User.objects.filter(username="rekan_baru").exists()


def test_an_officer_cannot_reset_their_own_password_through_the_officers_page(national_admin):
    with pytest.raises(PermissionDenied):
        services.user_reset_password(actor=national_admin, user=national_admin, password=NEW)


def test_province_and_national_officers_reset_a_city_officer(client_for, province_officer, national_admin, colleague):
    services.user_reset_password(actor=province_officer, user=colleague, password=NEW)
    colleague.refresh_from_db()
    assert colleague.check_password(NEW)
    response = client_for(national_admin).post(
        reverse("accounts:user_reset_password", args=[colleague.pk]), {"password": NEW + "x"}
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password(NEW + "x")


def test_a_province_officer_cannot_reset_a_fellow_province_officer(province_officer):
    other = UserFactory(username="rekan_prov", role=Role.PROVINCE_OFFICER, region_id="74")
    with pytest.raises(PermissionDenied):
        services.user_reset_password(actor=province_officer, user=other, password=NEW)
    assert not User.objects.visible_to(province_officer, "change").filter(pk=other.pk).exists()
