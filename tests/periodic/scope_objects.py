from sentra.core.testing import scope_provider
from tests.centres.factories import CentreFactory


@scope_provider(
    "periodic:submission_detail",
    "periodic:submission_edit",
    "periodic:submission_accept",
    "periodic:submission_return",
    "periodic:submission_history",
)
def submission(world):
    from sentra.centres.reports import CENTRE_MONTHLY
    from sentra.periodic.periods import parse_period
    from sentra.periodic.registry import report_form
    from sentra.periodic.services import submission_start

    centre = CentreFactory(region_id="74.71")
    s = submission_start(
        actor=world.national, form=report_form(CENTRE_MONTHLY), subject=centre, period=parse_period("202401")
    )
    return {"pk": s.pk}


@scope_provider("periodic:submission_start")
def start(world):
    centre = CentreFactory(region_id="74.71")
    return {"form_code": "centre-monthly", "subject_pk": centre.pk, "period": "202401"}
