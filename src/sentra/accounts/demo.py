"""The demo's second factor: the demo users whose role requires it get an authenticator app already enrolled,
with one published key, so the demo (and its browser journeys) signs in without a phone in hand."""

from __future__ import annotations

from base64 import b32decode

from django_otp.plugins.otp_totp.models import TOTPDevice

from sentra.accounts import two_factor
from sentra.core.demo import DemoContext

#: The demo's TOTP key (base32, as an authenticator app takes it): documented in docs/configuration.md and printed by
#: ``load_demo`` and ``make demo``, like the demo password; load_demo refuses to run with production settings.
DEMO_TOTP_SECRET = "SENTRADEMOKENDARISULAWESITENGGAR"  # noqa: S105 - the documented demo key, as DEMO_PASSWORD


def demo_totp_key_hex() -> str:
    return b32decode(DEMO_TOTP_SECRET).hex()


def demo_code(at: float | None = None) -> str:
    """The demo key's current code (what an authenticator app holding ``DEMO_TOTP_SECRET`` shows)."""
    import time

    from django_otp.oath import TOTP

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
