"""Permissions the quality app grants to roles."""

from sentra.accounts.roles import OFFICERS, Role, grant

DOMAIN_MODELS = ("certification", "assessment", "finding", "correctiveaction", "indiassessment")


def register() -> None:
    grant(OFFICERS, *[f"quality.{a}_{m}" for m in DOMAIN_MODELS for a in ("view", "add", "change", "delete")])
    grant(
        OFFICERS, "quality.verify_correctiveaction", "quality.verify_indiassessment", "quality.view_checklisttemplate"
    )
    # Checklist templates and INDI questionnaires are national data, maintained by the national admin.
    grant(
        (Role.NATIONAL_ADMIN,),
        "quality.add_checklisttemplate",
        "quality.change_checklisttemplate",
        "quality.view_checklistversion",
        "quality.change_checklistversion",
        "quality.view_indiversion",
        "quality.change_indiversion",
    )
    # Trainers assess the businesses of their classes and see the assessments they made.
    grant(
        (Role.TRAINER,),
        "quality.view_assessment",
        "quality.add_assessment",
        "quality.change_assessment",
        "quality.view_finding",
        "quality.add_finding",
        "quality.view_correctiveaction",
        "quality.add_correctiveaction",
        "quality.view_checklisttemplate",
    )
    # Owners see their own certifications, assessments and corrective actions, work on their actions (not verify),
    # and fill their own INDI 4.0 self-assessment.
    grant(
        (Role.BUSINESS_OWNER,),
        "quality.view_certification",
        "quality.view_assessment",
        "quality.view_finding",
        "quality.view_correctiveaction",
        "quality.change_correctiveaction",
        "quality.view_indiassessment",
        "quality.add_indiassessment",
        "quality.change_indiassessment",
    )
    # Centre managers follow their tenants (scoped through the centre path when the centres app registers one).
    grant(
        (Role.CENTRE_MANAGER,),
        "quality.view_certification",
        "quality.view_assessment",
        "quality.view_correctiveaction",
        "quality.view_indiassessment",
    )
