from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "sentra.quality"
    label = "quality"
    verbose_name = _("Mutu dan Industri 4.0")

    def ready(self) -> None:
        from sentra.quality import permissions

        permissions.register()  # its role grants (accounts.roles)
        from sentra.core.navigation import MenuItem, register_menu
        from sentra.core.scope import register_scope_path
        from sentra.quality import figures

        owner = "business__owners__user"
        # Owners: their own business's certifications, assessments, actions and INDI 4.0.
        register_scope_path("quality.certification", "owner", owner)
        register_scope_path("quality.assessment", "owner", owner)
        register_scope_path("quality.finding", "owner", f"assessment__{owner}")
        register_scope_path("quality.correctiveaction", "owner", f"finding__assessment__{owner}")
        register_scope_path("quality.indiassessment", "owner", owner)
        # Trainers: the assessments they made.
        register_scope_path("quality.assessment", "trainer", "assessor")
        register_scope_path("quality.finding", "trainer", "assessment__assessor")
        register_scope_path("quality.correctiveaction", "trainer", "finding__assessment__assessor")
        # ... and the businesses they assess (the assessment's breadcrumb, the business's quality page).
        register_scope_path("registry.business", "trainer", "quality_assessments__assessor")
        register_scope_path("registry.owner", "trainer", "businesses__quality_assessments__assessor")
        # Centre managers: the quality data of their centre's member businesses (sentra.centres, docs/domain.md §2).
        centre = "business__centre_memberships__centre__managers"
        register_scope_path("quality.certification", "centre", centre)
        register_scope_path("quality.assessment", "centre", centre)
        register_scope_path("quality.correctiveaction", "centre", f"finding__assessment__{centre}")
        register_scope_path("quality.indiassessment", "centre", centre)
        register_menu(MenuItem(_("Mutu & INDI 4.0"), "quality:index", "quality.view_certification", order=40))
        register_menu(MenuItem(_("Penilaian mutu"), "quality:assessment_list", "quality.add_assessment", order=41))
        figures.register()
        from sentra.quality import imports as quality_imports

        quality_imports.register()
        from sentra.quality import exports as quality_exports

        quality_exports.register()
        from sentra.accounts.roles import Role
        from sentra.core.dashboard import register_home_section
        from sentra.quality import home

        register_home_section((Role.BUSINESS_OWNER,), home.CERTIFICATIONS)
        register_home_section((Role.BUSINESS_OWNER,), home.INDI)
        from sentra.core.schedules import register_schedule

        register_schedule(
            "quality-expiry-notices",
            _("Pengingat masa berlaku sertifikat"),
            "sentra.quality.services.send_expiry_notices",
            order=20,
        )
