"""The roles carry exactly the permissions they carried when the grants were read from a list in accounts.

Each app registers its own grants from its ``AppConfig.ready()`` (``<app>/permissions.py``); this fixes what the
roles end with, so moving a grant between modules cannot widen or narrow a role unnoticed. A deliberate change of
a role's rights changes this expectation in the same commit.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from sentra.accounts.roles import Role, group_name, role_permissions, second_factor_permissions

#: ``{role: {app label: "codename codename ..."}}``
EXPECTED: dict[str, dict[str, str]] = {
    Role.NATIONAL_ADMIN: {
        "accounts": "add_user change_user view_user",
        "budget": (
            "add_allocation approve_activityplan change_allocation delete_allocation import_allocation "
            "view_activityplan view_allocation view_budgetline view_contract view_payment view_progressphoto "
            "view_progressreport view_transfer"
        ),
        "centres": (
            "add_attachment add_centre add_centrefunding add_centremembership add_equipmentgrant add_facility "
            "add_tenancy add_workshopunit change_attachment change_centre change_centrefunding "
            "change_centremembership change_equipmentgrant change_facility change_status_centre change_tenancy "
            "change_workshopunit delete_attachment delete_centre delete_centrefunding delete_centremembership "
            "delete_facility delete_tenancy delete_workshopunit view_attachment view_centre view_centrefunding "
            "view_centremembership view_equipmentgrant view_facility view_tenancy view_workshopunit"
        ),
        "core": "export_list",
        "periodic": "add_submission change_submission review_submission view_submission",
        "products": (
            "add_cataloguelisting add_product add_productphoto change_cataloguelisting change_product "
            "change_productphoto delete_product delete_productphoto view_cataloguelisting view_product "
            "view_productphoto"
        ),
        "quality": (
            "add_assessment add_certification add_checklisttemplate add_correctiveaction add_finding "
            "add_indiassessment change_assessment change_certification change_checklisttemplate "
            "change_checklistversion change_correctiveaction change_finding change_indiassessment "
            "change_indiversion delete_assessment delete_certification delete_correctiveaction delete_finding "
            "delete_indiassessment verify_correctiveaction verify_indiassessment view_assessment "
            "view_certification view_checklisttemplate view_checklistversion view_correctiveaction view_finding "
            "view_indiassessment view_indiversion"
        ),
        "registry": (
            "add_business add_owner change_business change_owner delete_business delete_owner export_business "
            "import_business reveal_nik_owner view_business view_owner"
        ),
        "reports": "view_businesscube view_businessyearcube view_evaluationrow view_programmecube view_provincebusinessfigures",
        "training": (
            "add_attendance add_batch add_batchday add_certificate add_evaluationresponse add_externaltrainer "
            "add_followup add_module add_participant add_programme add_session change_attendance change_batch "
            "change_batchday change_certificate change_externaltrainer change_followup change_module "
            "change_participant change_programme change_session delete_attendance delete_batch delete_batchday "
            "delete_certificate delete_externaltrainer delete_followup delete_module delete_participant "
            "delete_programme delete_session issue_certificates_batch report_batch take_attendance_batch "
            "view_attendance view_batch view_batchday view_certificate view_evaluationresponse "
            "view_externaltrainer view_followup view_module view_participant view_programme view_session"
        ),
    },
    Role.PROVINCE_OFFICER: {
        "accounts": "add_user change_user view_user",
        "budget": (
            "verify_activityplan view_activityplan view_allocation view_budgetline view_contract view_payment "
            "view_progressphoto view_progressreport view_transfer"
        ),
        "centres": (
            "add_attachment add_centre add_centrefunding add_centremembership add_equipmentgrant add_facility "
            "add_tenancy add_workshopunit change_attachment change_centre change_centrefunding "
            "change_centremembership change_equipmentgrant change_facility change_status_centre change_tenancy "
            "change_workshopunit delete_attachment delete_centre delete_centrefunding delete_centremembership "
            "delete_facility delete_tenancy delete_workshopunit view_attachment view_centre view_centrefunding "
            "view_centremembership view_equipmentgrant view_facility view_tenancy view_workshopunit"
        ),
        "core": "export_list",
        "periodic": "add_submission change_submission review_submission view_submission",
        "products": (
            "add_cataloguelisting add_product add_productphoto change_cataloguelisting change_product "
            "change_productphoto delete_product delete_productphoto view_cataloguelisting view_product "
            "view_productphoto"
        ),
        "quality": (
            "add_assessment add_certification add_correctiveaction add_finding add_indiassessment "
            "change_assessment change_certification change_correctiveaction change_finding change_indiassessment "
            "delete_assessment delete_certification delete_correctiveaction delete_finding delete_indiassessment "
            "verify_correctiveaction verify_indiassessment view_assessment view_certification "
            "view_checklisttemplate view_correctiveaction view_finding view_indiassessment"
        ),
        "registry": (
            "add_business add_owner change_business change_owner delete_business delete_owner export_business "
            "import_business reveal_nik_owner view_business view_owner"
        ),
        "reports": "view_businesscube view_businessyearcube view_evaluationrow view_programmecube view_provincebusinessfigures",
        "training": (
            "add_attendance add_batch add_batchday add_certificate add_evaluationresponse add_externaltrainer "
            "add_followup add_module add_participant add_programme add_session change_attendance change_batch "
            "change_batchday change_certificate change_externaltrainer change_followup change_module "
            "change_participant change_programme change_session delete_attendance delete_batch delete_batchday "
            "delete_certificate delete_externaltrainer delete_followup delete_module delete_participant "
            "delete_programme delete_session issue_certificates_batch report_batch take_attendance_batch "
            "view_attendance view_batch view_batchday view_certificate view_evaluationresponse "
            "view_externaltrainer view_followup view_module view_participant view_programme view_session"
        ),
    },
    Role.REGENCY_OFFICER: {
        "accounts": "add_user change_user view_user",
        "budget": (
            "add_activityplan add_budgetline add_contract add_payment add_progressphoto add_progressreport "
            "add_transfer change_activityplan change_budgetline change_contract change_transfer delete_budgetline "
            "submit_activityplan view_activityplan view_allocation view_budgetline view_contract view_payment "
            "view_progressphoto view_progressreport view_transfer"
        ),
        "centres": (
            "add_attachment add_centre add_centrefunding add_centremembership add_equipmentgrant add_facility "
            "add_tenancy add_workshopunit change_attachment change_centre change_centrefunding "
            "change_centremembership change_equipmentgrant change_facility change_status_centre change_tenancy "
            "change_workshopunit delete_attachment delete_centre delete_centrefunding delete_centremembership "
            "delete_facility delete_tenancy delete_workshopunit view_attachment view_centre view_centrefunding "
            "view_centremembership view_equipmentgrant view_facility view_tenancy view_workshopunit"
        ),
        "core": "export_list",
        "periodic": "add_submission change_submission review_submission view_submission",
        "products": (
            "add_cataloguelisting add_product add_productphoto change_cataloguelisting change_product "
            "change_productphoto delete_product delete_productphoto view_cataloguelisting view_product "
            "view_productphoto"
        ),
        "quality": (
            "add_assessment add_certification add_correctiveaction add_finding add_indiassessment "
            "change_assessment change_certification change_correctiveaction change_finding change_indiassessment "
            "delete_assessment delete_certification delete_correctiveaction delete_finding delete_indiassessment "
            "verify_correctiveaction verify_indiassessment view_assessment view_certification "
            "view_checklisttemplate view_correctiveaction view_finding view_indiassessment"
        ),
        "registry": (
            "add_business add_owner change_business change_owner delete_business delete_owner export_business "
            "import_business reveal_nik_owner view_business view_owner"
        ),
        "reports": "view_businesscube view_businessyearcube view_evaluationrow view_programmecube view_provincebusinessfigures",
        "training": (
            "add_attendance add_batch add_batchday add_certificate add_evaluationresponse add_externaltrainer "
            "add_followup add_module add_participant add_programme add_session change_attendance change_batch "
            "change_batchday change_certificate change_externaltrainer change_followup change_module "
            "change_participant change_programme change_session delete_attendance delete_batch delete_batchday "
            "delete_certificate delete_externaltrainer delete_followup delete_module delete_participant "
            "delete_programme delete_session issue_certificates_batch report_batch take_attendance_batch "
            "view_attendance view_batch view_batchday view_certificate view_evaluationresponse "
            "view_externaltrainer view_followup view_module view_participant view_programme view_session"
        ),
    },
    Role.CENTRE_MANAGER: {
        "centres": (
            "add_attachment add_centremembership add_facility add_tenancy add_workshopunit change_attachment "
            "change_centre change_centremembership change_facility change_tenancy change_workshopunit "
            "delete_attachment delete_centremembership delete_facility delete_tenancy delete_workshopunit "
            "view_attachment view_centre view_centrefunding view_centremembership view_equipmentgrant "
            "view_facility view_tenancy view_workshopunit"
        ),
        "periodic": "add_submission change_submission view_submission",
        "products": "view_cataloguelisting view_product view_productphoto",
        "quality": "view_assessment view_certification view_correctiveaction view_indiassessment",
        "registry": "view_business view_owner",
    },
    Role.TRAINER: {
        "quality": (
            "add_assessment add_correctiveaction add_finding change_assessment view_assessment "
            "view_checklisttemplate view_correctiveaction view_finding"
        ),
        "registry": "view_business view_owner",
        "training": (
            "take_attendance_batch view_batch view_certificate view_evaluationresponse view_participant view_programme"
        ),
    },
    Role.BUSINESS_OWNER: {
        "periodic": "add_submission change_submission view_submission",
        "products": (
            "add_cataloguelisting add_product add_productphoto change_cataloguelisting change_product "
            "change_productphoto delete_product delete_productphoto view_cataloguelisting view_product "
            "view_productphoto"
        ),
        "quality": (
            "add_indiassessment change_correctiveaction change_indiassessment view_assessment view_certification "
            "view_correctiveaction view_finding view_indiassessment"
        ),
        "registry": "change_business change_owner view_business view_owner",
        "training": "add_evaluationresponse view_batch view_participant view_programme",
    },
}


def _expected(role: str) -> set[str]:
    return {f"{app}.{codename}" for app, codenames in EXPECTED[role].items() for codename in codenames.split()}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_role_grants_are_the_fixed_expectation(role):
    got = role_permissions().get(role, set())
    want = _expected(role)
    assert got == want, f"{role}: gained {sorted(got - want)}, lost {sorted(want - got)}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_role_groups_in_the_database_hold_the_grants(role):
    # sync_role_groups ran after the test database was migrated.
    group = Group.objects.get(name=group_name(role))
    got = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
    assert got == _expected(role)


def test_second_factor_permissions_come_from_the_apps():
    assert second_factor_permissions() == {
        "accounts.change_user",
        "budget.approve_activityplan",
        "registry.reveal_nik_owner",
    }


DOMAIN_APPS = ("registry", "budget", "centres", "training", "quality", "products", "reports", "periodic", "api")


def test_accounts_names_no_domain_app():
    """accounts sits below the domain apps: it neither imports them nor names their permissions; they register
    with it."""
    root = Path(__file__).resolve().parents[2] / "src" / "sentra" / "accounts"
    apps = "|".join(DOMAIN_APPS)
    pattern = re.compile(rf"sentra\.({apps})\b|[\"']({apps})\.\w+")
    offenders = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not offenders, offenders
