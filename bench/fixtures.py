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
