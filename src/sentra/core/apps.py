from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sentra.core"
    label = "core"
    verbose_name = _("Inti")

    def ready(self) -> None:
        from sentra.core import (
            retention,  # noqa: F401 - registers core's retention rules
            staticstorage,  # noqa: F401 - registers the static manifest's deploy check
        )
        from sentra.core.navigation import MenuItem, may_start_jobs, register_menu
        from sentra.core.schedules import register_schedule

        register_schedule(
            "retention", _("Retensi data pribadi"), "sentra.core.schedules.apply_retention_daily", order=80
        )

        # The user's own background jobs (imports, exports), in the user menu of roles that start them.
        register_menu(MenuItem(_("Tugas latar"), "core:job_list", None, order=90, visible=may_start_jobs))
