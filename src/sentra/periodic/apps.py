from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeriodicConfig(AppConfig):
    """Periodic reporting (DHIS2's pattern): one mechanism for centre, business and DAK reports.

    It sits at the level of ``core``: it imports no domain app; domain apps register their report forms
    (``sentra.periodic.registry.register_report_form``) in their ``ready()``. See docs/periodic-reports.md.
    """

    name = "sentra.periodic"
    label = "periodic"
    verbose_name = _("Laporan berkala")

    def ready(self) -> None:
        from sentra.core.navigation import MenuItem, register_menu

        register_menu(MenuItem(_("Laporan berkala"), "periodic:todo", "periodic.view_submission", order=40))
        register_menu(MenuItem(_("Kelengkapan laporan"), "periodic:overview", "periodic.review_submission", order=41))
        from sentra.core.schedules import register_schedule
        from sentra.periodic import figures

        figures.register()
        from sentra.periodic import exports

        exports.register()
        register_schedule(
            "periodic-reminders", _("Pengingat laporan berkala"), "sentra.periodic.reminders.send_reminders", order=20
        )
