from sentra.core.testing import scope_provider
from tests.centres.factories import (
    CentreFactory,
    FacilityFactory,
    GrantFactory,
    MembershipFactory,
    TenancyFactory,
    UnitFactory,
)
from tests.registry.factories import BusinessFactory
from tests.upload_samples import PNG


@scope_provider(
    "centres:centre_detail",
    "centres:business_search",
    "centres:centre_edit",
    "centres:centre_status",
    "centres:centre_history",
    "centres:unit_add",
    "centres:members",
    "centres:facility_add",
    "centres:funding_add",
    "centres:centre_reports",
)
def centre(world):
    return {"pk": CentreFactory(region_id="74.71").pk}


@scope_provider("centres:unit_detail", "centres:unit_edit", "centres:tenancy_add")
def unit(world):
    u = UnitFactory(centre=CentreFactory(region_id="74.71"))
    return {"pk": u.centre_id, "unit_pk": u.pk}


@scope_provider("centres:tenancy_end")
def tenancy(world):
    t = TenancyFactory(unit=UnitFactory(centre=CentreFactory(region_id="74.71")))
    return {"pk": t.centre_id, "tenancy_pk": t.pk}


@scope_provider("centres:member_remove")
def member(world):
    m = MembershipFactory(centre=CentreFactory(region_id="74.71"))
    return {"pk": m.centre_id, "member_pk": m.pk}


@scope_provider("centres:facility_detail", "centres:facility_edit", "centres:facility_upload")
def facility(world):
    f = FacilityFactory(centre=CentreFactory(region_id="74.71"))
    return {"pk": f.centre_id, "facility_pk": f.pk}


@scope_provider("centres:attachment_download")
def attachment(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sentra.centres.services import attachment_add

    f = FacilityFactory(centre=CentreFactory(region_id="74.71"))
    upload = SimpleUploadedFile("foto.png", PNG, content_type="image/png")
    a = attachment_add(actor=None, centre=f.centre, facility=f, upload=upload, kind="photo")
    return {"pk": f.centre_id, "attachment_pk": a.pk}


@scope_provider("centres:business_report")
def business(world):
    return {"business_pk": BusinessFactory(region_id="74.71").pk}


@scope_provider(
    "centres:grant_detail",
    "centres:grant_handover",
    "centres:grant_check",
    "centres:grant_history",
    "centres:grant_business_search",
)
def grant(world):
    return {"pk": GrantFactory(region_id="74.71").pk}
