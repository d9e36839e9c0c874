from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sentra.accounts"
    label = "accounts"
    verbose_name = _("Akun dan peran")

    def ready(self) -> None:
        from sentra.accounts.roles import sync_role_groups
        from sentra.core.navigation import MenuItem, register_menu

        post_migrate.connect(sync_role_groups, dispatch_uid="sentra_sync_role_groups")
        # In the user menu (officers manage the accounts below their own role).
        register_menu(MenuItem(_("Kelola pengguna"), "accounts:user_list", "accounts.view_user", order=95))
