from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from sentra.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Sentra", {"fields": ("full_name", "role", "region", "institution", "phone", "must_change_password")}),
    )
    list_display = ("username", "full_name", "role", "region", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("region",)
