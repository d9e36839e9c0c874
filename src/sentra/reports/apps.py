from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "sentra.reports"
    label = "reports"
    verbose_name = _("Laporan dan dasbor")

    def ready(self) -> None:
        from sentra.reports import permissions

        permissions.register()  # its role grants (accounts.roles)
        from sentra.core.dashboard import register_home
        from sentra.core.events import domain_changed
        from sentra.core.navigation import MenuItem, register_menu
        from sentra.core.panels import register_detail_panel
        from sentra.reports import views
        from sentra.reports.panels import assistance_panel, batch_double_panel, grant_double_panel
        from sentra.reports.receivers import on_domain_changed

        domain_changed.connect(on_domain_changed, dispatch_uid="reports_summary_refresh")
        from sentra.reports import evaluation_jobs

        evaluation_jobs.connect()
        from sentra.core.schedules import register_schedule
        from sentra.reports import jobs

        jobs.register()
        register_schedule("reports-summaries", _("Ringkasan dasbor"), "sentra.reports.jobs.refresh_all_daily", order=90)
        register_home(views.dashboard)
        register_menu(MenuItem(_("Dasbor"), "reports:dashboard", "reports.view_businesscube", order=1))
        register_menu(MenuItem(_("Hasil program"), "reports:outcomes", "reports.view_businesscube", order=2))
        register_menu(MenuItem(_("Penerima ganda"), "reports:double_recipients", "reports.view_businesscube", order=3))
        register_menu(
            MenuItem(_("Semua laporan dan profil IKM"), "reports:index", "reports.view_businesscube", order=4)
        )
        for model in ("registry.business", "registry.owner"):
            register_detail_panel(model, "reports/partials/assistance_panel.html", assistance_panel, order=50)
        # The double-recipient check where assistance is approved: participant selection and the BAST form.
        register_detail_panel("training.batch", "reports/partials/double_warning.html", batch_double_panel)
        register_detail_panel("centres.equipmentgrant", "reports/partials/double_warning.html", grant_double_panel)
