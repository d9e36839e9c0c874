import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sentra.centres import services
from sentra.centres.choices import STATUS_TRANSITIONS, CentreStatus
from sentra.centres.models import CentreStatusChange
from sentra.core.models import AuditEvent

D = dt.date


@pytest.fixture
def centre(officer_region_a):
    return services.centre_create(
        actor=officer_region_a,
        name="Sentra IKM Pengolahan Pangan",
        village_id="74.71.05.1007",
        status_date=D(2021, 9, 1),
    )


def test_new_centre_is_planned_with_dated_history(centre):
    assert centre.status == CentreStatus.PLANNED and centre.region_id == "74.71"
    assert list(centre.status_changes.values_list("to_status", "date")) == [("planned", D(2021, 9, 1))]
    assert AuditEvent.objects.filter(action="centres.centre.created", object_id=str(centre.pk)).exists()


def test_lifecycle_moves_forward_with_dates(centre, officer_region_a):
    services.centre_set_status(actor=officer_region_a, centre=centre, status="construction", date=D(2022, 8, 1))
    services.centre_set_status(actor=officer_region_a, centre=centre, status="operating", date=D(2024, 1, 15))
    services.centre_set_status(actor=officer_region_a, centre=centre, status="revitalisation", date=D(2025, 2, 1))
    services.centre_set_status(actor=officer_region_a, centre=centre, status="operating", date=D(2025, 9, 1))
    centre.refresh_from_db()
    assert centre.status == "operating" and centre.status_since == D(2025, 9, 1)
    assert list(CentreStatusChange.objects.filter(centre=centre).values_list("from_status", "to_status")) == [
        ("", "planned"),
        ("planned", "construction"),
        ("construction", "operating"),
        ("operating", "revitalisation"),
        ("revitalisation", "operating"),
    ]


@pytest.mark.parametrize("target", ["operating", "revitalisation", "planned"])
def test_skipping_steps_is_refused(centre, officer_region_a, target):
    assert target not in STATUS_TRANSITIONS[CentreStatus.PLANNED]
    with pytest.raises(ValidationError) as exc:
        services.centre_set_status(actor=officer_region_a, centre=centre, status=target, date=D(2022, 1, 1))
    assert "tidak dapat diubah" in exc.value.message_dict["status"][0]
    centre.refresh_from_db()
    assert centre.status == "planned" and centre.status_changes.count() == 1


def test_dates_must_not_go_back_or_into_the_future(centre, officer_region_a):
    with pytest.raises(ValidationError):
        services.centre_set_status(actor=officer_region_a, centre=centre, status="construction", date=D(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.centre_set_status(
            actor=officer_region_a, centre=centre, status="construction", date=D.today() + dt.timedelta(days=3)
        )


def test_centre_manager_may_not_move_the_lifecycle(centre, centre_manager, officer_region_a):
    services.centre_update(actor=officer_region_a, centre=centre, managers=[centre_manager])
    with pytest.raises(PermissionDenied):
        services.centre_set_status(actor=centre_manager, centre=centre, status="construction", date=D(2022, 8, 1))


def test_status_page_reports_refusal(client_for, centre, officer_region_a):
    client = client_for(officer_region_a)
    response = client.post(f"/sentra/{centre.pk}/status/", {"status": "operating", "date": "2022-01-01"}, follow=True)
    assert "tidak dapat diubah" in response.content.decode()
