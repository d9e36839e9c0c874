"""The demo logins (one per role, password ``DEMO_PASSWORD``) and their second factor.

The users whose role requires two-factor sign-in get an authenticator app already enrolled, with one published key,
so the demo (and its browser journeys) signs in without a phone in hand.
"""

from __future__ import annotations

import time
from base64 import b32decode
from typing import Any

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sentra.accounts import two_factor
from sentra.accounts.models import User
from sentra.accounts.roles import Role
from sentra.demo.context import DEMO_PASSWORD, KENDARI, DemoContext

#: The demo's TOTP key (base32, as an authenticator app takes it): documented in docs/configuration.md and printed by
#: ``load_demo`` and ``make demo``, like the demo password; load_demo refuses to run with production settings.
DEMO_TOTP_SECRET = "SENTRADEMOKENDARISULAWESITENGGAR"  # noqa: S105 - the documented demo key, as DEMO_PASSWORD

#: (login, role, region, full name, institution, other fields)
USERS: list[tuple[str, str, str | None, str, str, dict[str, Any]]] = [
    (
        "admin",
        Role.NATIONAL_ADMIN,
        None,
        "Admin Kementerian Perindustrian",
        "Direktorat Jenderal IKMA, Kementerian Perindustrian",
        {"is_staff": True, "is_superuser": True},
    ),
    (
        "sultra",
        Role.PROVINCE_OFFICER,
        "74",
        "Petugas Disperindag Sulawesi Tenggara",
        "Dinas Perindustrian dan Perdagangan Provinsi Sulawesi Tenggara",
        {},
    ),
    (
        "kendari",
        Role.REGENCY_OFFICER,
        KENDARI,
        "Petugas Disnaker Kota Kendari",
        "Dinas Tenaga Kerja dan Perindustrian Kota Kendari",
        {},
    ),
    ("mebel", Role.CENTRE_MANAGER, KENDARI, "Pengelola Sentra IKM Meubeler", "UPTD Sentra IKM Meubeler", {}),
    ("pelatih", Role.TRAINER, KENDARI, "Pelatih Manajemen Mutu", "Universitas Halu Oleo", {}),
    ("pemilik", Role.BUSINESS_OWNER, KENDARI, "La Ode Pemilik Mebel", "", {}),
]


def load_users(ctx: DemoContext) -> None:
    for username, role, region, full_name, institution, extra in USERS:
        user = User(
            username=username,
            role=role,
            region_id=region,
            full_name=full_name,
            email=f"{username}@sentra.local",
            institution=institution,
            **extra,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        ctx.users[username] = user


def demo_totp_key_hex() -> str:
    return b32decode(DEMO_TOTP_SECRET).hex()


def demo_code(at: float | None = None) -> str:
    """The demo key's current code (what an authenticator app holding ``DEMO_TOTP_SECRET`` shows)."""
    totp = TOTP(b32decode(DEMO_TOTP_SECRET))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def seed_two_factor(ctx: DemoContext) -> None:
    enrolled = []
    for username, user in ctx.users.items():
        if two_factor.is_required(user):
            TOTPDevice.objects.create(user=user, name=two_factor.APP_DEVICE, key=demo_totp_key_hex(), confirmed=True)
            enrolled.append(username)
    if enrolled:
        secret = " ".join(DEMO_TOTP_SECRET[i : i + 4] for i in range(0, len(DEMO_TOTP_SECRET), 4))
        ctx.log(f"  Verifikasi dua langkah untuk {', '.join(sorted(enrolled))}: kunci TOTP demo {secret}")
        ctx.log("  (tambahkan di aplikasi autentikator, atau lihat kodenya dengan `sentra demo_otp_code`)")
