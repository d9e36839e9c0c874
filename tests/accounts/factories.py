import factory

from sentra.accounts.models import User
from sentra.accounts.roles import Role

PASSWORD = "sentra-test-pass"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="id_ID")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    role = Role.REGENCY_OFFICER
    region_id = "74.71"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def authenticator_for(user, key_hex: str | None = None):
    """A confirmed authenticator app for ``user`` (the one they have, or a new one with ``key_hex``)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        extra = {"key": key_hex} if key_hex else {}
        device = TOTPDevice.objects.create(user=user, name="aplikasi", confirmed=True, **extra)
    return device


def totp_now(device, offset: int = 0) -> str:
    """The code ``device``'s app shows now (``offset`` steps later), computed as the app does."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():06d}"
