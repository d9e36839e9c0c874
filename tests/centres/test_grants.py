import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sentra.centres import services
from sentra.centres.choices import GrantStatus
from sentra.core.models import AuditEvent
from tests.centres.factories import CentreFactory, GrantFactory
from tests.registry.factories import BusinessFactory

D = dt.date


def test_handover_check_idle_then_reallocate(officer_region_a):
    grant = GrantFactory()
    business = BusinessFactory()
    centre = CentreFactory()
    services.grant_handover(
        actor=officer_region_a, grant=grant, bast_number="BAST/1", date=D(2023, 10, 12), recipient_business=business
    )
    grant.refresh_from_db()
    assert grant.business == business and grant.status == GrantStatus.HANDED_OVER
    # Not idle: no reallocation.
    with pytest.raises(ValidationError):
        services.grant_handover(
            actor=officer_region_a,
            grant=grant,
            bast_number="BAST/2",
            date=D(2024, 1, 1),
            recipient_centre=centre,
            reason="x",
        )
    services.grant_check(actor=officer_region_a, grant=grant, date=D(2024, 4, 2), utilisation="idle", condition="baik")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.IDLE
    with pytest.raises(ValidationError):  # a reason is required
        services.grant_handover(
            actor=officer_region_a, grant=grant, bast_number="BAST/2", date=D(2024, 5, 6), recipient_centre=centre
        )
    services.grant_handover(
        actor=officer_region_a,
        grant=grant,
        bast_number="BAST/2",
        date=D(2024, 5, 6),
        recipient_centre=centre,
        reason="menganggur",
    )
    grant.refresh_from_db()
    assert grant.centre == centre and grant.business is None and grant.status == GrantStatus.HANDED_OVER
    assert list(grant.handovers.values_list("is_reallocation", flat=True)) == [False, True]
    actions = list(AuditEvent.objects.filter(object_id=str(grant.pk)).values_list("action", flat=True))
    assert "centres.equipmentgrant.reallocated" in actions and "centres.equipmentgrant.checked" in actions


def test_handover_needs_exactly_one_recipient_in_the_region(officer_region_a):
    grant = GrantFactory()
    with pytest.raises(ValidationError):
        services.grant_handover(actor=officer_region_a, grant=grant, bast_number="B", date=D(2023, 1, 1))
    with pytest.raises(ValidationError):
        services.grant_handover(
            actor=officer_region_a,
            grant=grant,
            bast_number="B",
            date=D(2023, 1, 1),
            recipient_business=BusinessFactory(region_id="74.72", district_id=None, village_id=None),
        )
    with pytest.raises(Exception):  # noqa: B017 - a check before the first handover is refused
        services.grant_check(
            actor=officer_region_a, grant=grant, date=D(2023, 1, 1), utilisation="active", condition="baik"
        )
    assert grant.handovers.count() == 0
