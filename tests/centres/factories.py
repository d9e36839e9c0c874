import datetime as dt
from decimal import Decimal

import factory

from sentra.centres.choices import CentreStatus, FacilityCategory, FundingSource, UnitKind
from sentra.centres.models import (
    Centre,
    CentreMembership,
    CentreStatusChange,
    EquipmentGrant,
    Facility,
    Tenancy,
    WorkshopUnit,
)


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Sentra IKM Uji {n}")
    region_id = "74.71"
    village_id = "74.71.03.1002"
    commodity = "furnitur kayu"
    status = CentreStatus.OPERATING
    status_since = dt.date(2020, 1, 1)
    latitude = Decimal("-4.0120")
    longitude = Decimal("122.5100")

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create:
            CentreStatusChange.objects.create(centre=obj, to_status=obj.status, date=obj.status_since)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopUnit

    centre = factory.SubFactory(CentreFactory)
    code = factory.Sequence(lambda n: f"W-{n:02d}")
    kind = UnitKind.WORKSHOP
    size_m2 = Decimal("48")


class TenancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenancy

    unit = factory.SubFactory(UnitFactory)
    centre = factory.LazyAttribute(lambda o: o.unit.centre)
    business = factory.SubFactory("tests.registry.factories.BusinessFactory")
    start_date = dt.date(2022, 1, 1)
    annual_fee = Decimal("10000000")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CentreMembership

    centre = factory.SubFactory(CentreFactory)
    business = factory.SubFactory("tests.registry.factories.BusinessFactory")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    centre = factory.SubFactory(CentreFactory)
    name = "Oven pengering kayu (kiln)"
    category = FacilityCategory.BUILDING
    funding_source = FundingSource.DAK_FISIK
    value = Decimal("350000000")


class GrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquipmentGrant

    name = "Mesin ketam kayu"
    region_id = "74.71"
    value = Decimal("45000000")
    funding_source = FundingSource.DAK_FISIK
    year = 2023


def submit_centre_report(centre: Centre, month_start: dt.date, **fields):
    """The centre's monthly report for the month starting ``month_start``, submitted (periodic mechanism)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from sentra.periodic.models import Submission
    from sentra.periodic.periods import Period

    period = Period(month_start, "monthly")
    values = {
        "form_code": "centre-monthly",
        "period_type": "monthly",
        "period": period.code,
        "period_start": period.start,
        "period_end": period.end,
        "due_date": period.end + dt.timedelta(days=10),
        "subject_type": ContentType.objects.get_for_model(Centre),
        "subject_id": centre.pk,
        "subject_label": centre.name,
        "region_id": centre.region_id,
        "state": "submitted",
        "submitted_at": timezone.now(),
    }
    return Submission.objects.create(**{**values, **fields})
