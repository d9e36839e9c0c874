from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sentra.accounts"
    label = "accounts"
    verbose_name = _("Akun dan peran")

    def ready(self) -> None:
        from sentra.accounts import permissions

        permissions.register()  # its role grants (accounts.roles)
        from django.contrib.auth.signals import user_logged_in

        from sentra.accounts.roles import sync_role_groups
        from sentra.core.navigation import MenuItem, register_menu

        post_migrate.connect(sync_role_groups, dispatch_uid="sentra_sync_role_groups")
        # Whether the second factor is due is worked out afresh for each sign-in (TwoFactorMiddleware).
        user_logged_in.connect(_forget_two_factor_state, dispatch_uid="sentra_two_factor_state")
        # In the user menu (officers manage the accounts below their own role).
        register_menu(MenuItem(_("Kelola pengguna"), "accounts:user_list", "accounts.view_user", order=95))
        from sentra.accounts import exports

        exports.register()


def _forget_two_factor_state(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from sentra.accounts.two_factor import forget_session_state

    if request is not None and hasattr(request, "session"):
        forget_session_state(request)
