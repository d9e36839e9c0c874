from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sentra.accounts.models import User


def _superuser_only(request) -> bool:  # type: ignore[no-untyped-def]
    """The Django admin bypasses scopes and services, so only superusers may enter it (not staff with perms)."""
    return bool(request.user.is_active and request.user.is_superuser)


admin.site.has_permission = _superuser_only  # type: ignore[method-assign]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Sentra", {"fields": ("full_name", "role", "region", "institution", "phone", "must_change_password")}),
    )
    list_display = ("username", "full_name", "role", "region", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("region",)


# A device is removed through accounts.two_factor (the user's page: "Setel ulang verifikasi dua langkah"), which
# records it in the audit trail; the admin's own pages for django-otp's models would do it unrecorded.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
