from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    name = "sentra.centres"
    label = "centres"
    verbose_name = _("Sentra IKM")

    def ready(self) -> None:
        from sentra.centres import permissions

        permissions.register()  # its role grants (accounts.roles)
        from sentra.centres import selectors
        from sentra.core.navigation import MenuItem, register_menu
        from sentra.core.scope import register_scope_path
        from sentra.core.years import register_year_source

        register_year_source(selectors.centre_years)

        # A centre manager sees and edits their own centre(s) only, and the businesses that are its members.
        register_scope_path("centres.centre", "centre", "managers")
        for model in ("workshopunit", "tenancy", "centremembership", "facility", "attachment", "centrefunding"):
            register_scope_path(f"centres.{model}", "centre", "centre__managers")
        register_scope_path("centres.equipmentgrant", "centre", "centre__managers")
        register_scope_path("registry.business", "centre", "centre_memberships__centre__managers")
        register_scope_path("registry.owner", "centre", "businesses__centre_memberships__centre__managers")
        register_menu(MenuItem(_("Sentra IKM"), "centres:centre_list", "centres.view_centre", order=20))
        register_menu(MenuItem(_("Hibah mesin"), "centres:grant_list", "centres.view_equipmentgrant", order=21))
        register_menu(MenuItem(_("Pertukaran SIINas"), "centres:siinas", "periodic.review_submission", order=42))

        from django.db.models.signals import post_migrate

        from sentra.centres import figures, reports
        from sentra.centres.dbguards import install_tenancy_guards

        post_migrate.connect(install_tenancy_guards, sender=self, dispatch_uid="centres_tenancy_guards")

        reports.register()
        figures.register()
        from sentra.centres import imports as centre_imports

        centre_imports.register()
        from sentra.centres import exports as centre_exports
        from sentra.centres import siinas

        centre_exports.register()
        siinas.register()  # the SIINas exchange of the business semester reports (export and import)
