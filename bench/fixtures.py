"""Shared data for benchmarks: the generated registry and the users who look at it."""

from __future__ import annotations

import time

from django.core.management import call_command


def ensure_businesses(count: int, *, seed: int = 2026) -> None:
    """Exactly ``count`` generated businesses in the bench database; reseeds (replacing all) when it differs."""
    from sentra.registry.models import Business

    current = Business.objects.count()
    if current == count:
        print(f"  (bench database already holds {count:,} businesses)", flush=True)
        return
    start = time.perf_counter()
    call_command("seed_scale", businesses=count, seed=seed, replace=True, verbosity=1)
    print(f"  (seeded {count:,} businesses in {time.perf_counter() - start:.1f} s)", flush=True)


def bench_user(kind: str):  # type: ignore[no-untyped-def]
    """A user for page timings: ``"national"`` (national admin) or ``"regency"`` (officer of Kota Kendari 74.71).

    Created once per bench database; never a superuser, so scope and permission checks run as in production.
    """
    from sentra.accounts.models import User
    from sentra.accounts.roles import Role

    if kind == "national":
        defaults = {"role": Role.NATIONAL_ADMIN, "region_id": None, "full_name": "Bench Nasional"}
    elif kind == "regency":
        defaults = {"role": Role.REGENCY_OFFICER, "region_id": "74.71", "full_name": "Bench Kendari"}
    else:
        raise ValueError(kind)
    user, created = User.objects.get_or_create(username=f"bench_{kind}", defaults=defaults)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _second_factor_device(user):  # type: ignore[no-untyped-def]
    """A confirmed authenticator app of ``user`` when the account has or needs a second factor, else None."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sentra.accounts import two_factor

    if not (two_factor.has_second_factor(user) or two_factor.is_required(user)):
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)


def signed_in(client, user):  # type: ignore[no-untyped-def]
    """``client`` signed in as ``user`` as a completed sign-in leaves it, the second factor included (the
    benchmarks measure pages, not the sign-in)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    device = _second_factor_device(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def verified_session(user) -> str:  # type: ignore[no-untyped-def]
    """The key of a new signed-in session of ``user`` (second factor included), for load tests' cookies."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # the project's role-aware backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    device = _second_factor_device(user)
    if device is not None:
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    assert store.session_key
    return store.session_key
