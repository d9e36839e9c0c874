from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "sentra.training"
    label = "training"
    verbose_name = _("Pelatihan")

    def ready(self) -> None:
        from sentra.training import permissions

        permissions.register()  # its role grants (accounts.roles)
        from sentra.core.dashboard import register_figures
        from sentra.core.navigation import MenuItem, register_menu
        from sentra.core.scope import register_scope_path
        from sentra.core.years import register_year_source
        from sentra.training import figures, followup_reports, personal_data, retention, selectors

        register_year_source(selectors.batch_years)

        # Trainers see the classes they teach; business owners their own participation.
        register_scope_path("training.batch", "trainer", "trainers")
        register_scope_path("training.batch", "owner", "participants__owner__user")
        register_scope_path("training.participant", "trainer", "batch__trainers")
        register_scope_path("training.participant", "owner", "owner__user")
        register_scope_path("training.programme", "trainer", "batches__trainers")
        register_scope_path("training.programme", "owner", "batches__participants__owner__user")
        register_menu(MenuItem(_("Pelatihan"), "training:batch_list", "training.view_batch", order=30))
        register_menu(MenuItem(_("Program pelatihan"), "training:programme_list", "training.add_programme", order=31))
        register_menu(
            MenuItem(_("Tindak lanjut alumni"), "training:followup_overview", "training.add_followup", order=32)
        )
        register_figures(figures.training_figures)
        retention.register()
        personal_data.register()
        followup_reports.register()
        from sentra.training import exports

        exports.register()
        self._register_import_kind()
        self._register_home()

    def _register_home(self) -> None:
        """The trainer's home page (classes, today's roll call, missing scores) and the owner's training card."""
        from sentra.accounts.roles import Role
        from sentra.core.dashboard import register_home_section
        from sentra.training import home

        for section in (home.TRAINER_CLASSES, home.TRAINER_ROLL_CALL, home.TRAINER_SCORES):
            register_home_section((Role.TRAINER,), section)
        register_home_section((Role.BUSINESS_OWNER,), home.OWNER_TRAININGS)
        register_home_section((Role.BUSINESS_OWNER,), home.OWNER_FOLLOWUPS)

    def _register_import_kind(self) -> None:
        """The attendance-and-scores sheet import, once the import engine exists."""
        try:
            from sentra.training import imports
        except ImportError:
            return
        imports.register()
        imports.register_followups()
