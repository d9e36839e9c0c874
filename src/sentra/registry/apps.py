from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "sentra.registry"
    label = "registry"
    verbose_name = _("Registri IKM")

    def ready(self) -> None:
        from sentra.registry import permissions

        permissions.register()  # its role grants (accounts.roles)
        from sentra.core.navigation import MenuItem, register_menu
        from sentra.core.scope import register_scope_path

        # A business owner sees their own businesses and their own owner record.
        register_scope_path("registry.business", "owner", "owners__user")
        register_scope_path("registry.owner", "owner", "user")
        self._register_home()
        register_menu(MenuItem(_("Usaha (IKM)"), "registry:business_list", "registry.view_business", order=10))
        register_menu(MenuItem(_("Pelaku usaha"), "registry:owner_list", "registry.view_owner", order=11))
        from sentra.registry import imports as registry_imports
        from sentra.registry import personal_data  # noqa: F401 -- registers the owner's data-subject provider

        registry_imports.register()
        from sentra.registry import owner_imports

        owner_imports.register()
        from sentra.registry import exports as registry_exports

        registry_exports.register()
        from sentra.registry import figures

        register_dashboard = figures.register
        register_dashboard()

    def _register_home(self) -> None:
        from sentra.accounts.roles import Role
        from sentra.core.dashboard import register_home_section
        from sentra.registry import home

        register_home_section((Role.BUSINESS_OWNER,), home.SECTION)
