"""Personas and the two-region world every scope test uses [healthchecks' Alice/Bob, STYLE E].

Region A is Kota Kendari (74.71), region B is Kota Baubau (74.72), both in Sulawesi Tenggara (74); a third
province (Sulawesi Selatan, 73) is outside the province officer's scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from sentra.accounts.roles import Role
from tests.accounts.factories import UserFactory

REGION_A = "74.71"
REGION_B = "74.72"
PROVINCE = "74"


@pytest.fixture
def national_admin(db):
    return UserFactory(username="nasional", role=Role.NATIONAL_ADMIN, region_id=None)


@pytest.fixture
def province_officer(db):
    return UserFactory(username="sultra_officer", role=Role.PROVINCE_OFFICER, region_id=PROVINCE)


@pytest.fixture
def officer_region_a(db):
    return UserFactory(username="kendari_officer", role=Role.REGENCY_OFFICER, region_id=REGION_A)


@pytest.fixture
def officer_region_b(db):
    return UserFactory(username="baubau_officer", role=Role.REGENCY_OFFICER, region_id=REGION_B)


@pytest.fixture
def owner_user(db):
    """A business owner in region A who owns nothing until a test links an Owner record to them."""
    return UserFactory(username="pemilik_a", role=Role.BUSINESS_OWNER, region_id=REGION_A)


@pytest.fixture
def centre_manager(db):
    return UserFactory(username="manager_a", role=Role.CENTRE_MANAGER, region_id=REGION_A)


@pytest.fixture
def trainer(db):
    return UserFactory(username="trainer_a", role=Role.TRAINER, region_id=REGION_A)


@dataclass
class World:
    """Users of both regions plus a bag for objects that scope providers create."""

    officer_a: Any
    officer_b: Any
    owner_a: Any
    national: Any
    objects: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def world(db, officer_region_a, officer_region_b, owner_user, national_admin):
    return World(officer_a=officer_region_a, officer_b=officer_region_b, owner_a=owner_user, national=national_admin)


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client logged in as ``user`` (axes needs no request for force_login)."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _force_login_gives_the_second_factor(monkeypatch):
    """``client.force_login(user)`` stands for a whole sign-in: the password and, for a user who has or must have
    one, the second factor too (an authenticator app is made for them). Tests of the sign-in itself post to the
    login page instead (tests/accounts/test_two_factor.py)."""
    from django.test.client import ClientMixin
    from django_otp import DEVICE_ID_SESSION_KEY

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        from sentra.accounts import two_factor
        from tests.accounts.factories import authenticator_for

        original(self, user, backend)
        needed = two_factor.has_second_factor(user) or two_factor.is_required(user)
        for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
            user.__dict__.pop(cache, None)  # is_required's has_perm must not outlive a role the test changes later
        if needed:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
            session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests flush every table when they end, the migration-loaded regions and KBLI included.

    pytest-django runs them after all other database tests (as Django does), so only they can start on an
    empty database: give them the reference data back (bulk, a few seconds).
    """
    if not _is_transactional(request):
        return
    request.getfixturevalue("transactional_db")
    from sentra.regions.loader import load_kbli, load_regions
    from sentra.regions.models import Kbli, Region

    if not Region.objects.filter(code="74.71").exists():
        load_regions(Region)
    if not Kbli.objects.exists():
        load_kbli(Kbli)
