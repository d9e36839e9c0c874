from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "sentra.budget"
    label = "budget"
    verbose_name = _("Anggaran DAK")

    def ready(self) -> None:
        from sentra.budget import permissions

        permissions.register()  # its role grants (accounts.roles)
        from sentra.budget import figures_dashboard, imports, selectors
        from sentra.core.years import register_year_source

        register_year_source(selectors.allocation_years)
        from sentra.core.navigation import MenuItem, register_menu

        register_menu(MenuItem(_("Anggaran DAK"), "budget:index", "budget.view_allocation", order=30))
        register_menu(MenuItem(_("Laporan triwulan DAK"), "budget:report_list", "budget.view_allocation", order=31))
        figures_dashboard.register()
        imports.register()  # the official allocation table (import engine, docs/importing.md)
        from sentra.budget import reports

        reports.register()  # the DAK quarterly report, a periodic report form (docs/periodic-reports.md)
        from sentra.budget import list_exports

        list_exports.register()
