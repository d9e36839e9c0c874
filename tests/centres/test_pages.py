import datetime as dt

from sentra.centres.models import Centre, CentreFunding, CentreMembership, EquipmentGrant, Facility, WorkshopUnit
from sentra.periodic.figures import periodic_figures
from tests.centres.factories import CentreFactory, TenancyFactory, UnitFactory
from tests.registry.factories import BusinessFactory


def test_officer_creates_a_centre_with_kbli_and_manager(client_for, officer_region_a, centre_manager):
    client = client_for(officer_region_a)
    assert client.get("/sentra/baru/").status_code == 200
    data = {
        "name": "Sentra IKM Rotan",
        "sector": "kerajinan",
        "region": "74.71",
        "village": "74.71.03.1002",
        "managing_body": "uptd",
        "report_period": "monthly",
        "kbli_codes": "31002, 3100",
        "managers": [centre_manager.pk],
        "inside_kpi": "unknown",
    }
    response = client.post("/sentra/baru/", data)
    assert response.status_code == 200
    assert "Kode KBLI" in response.content.decode()
    assert not Centre.objects.exists()
    response = client.post("/sentra/baru/", {**data, "kbli_codes": "31002", "land_area_m2": "1.000,5"})
    centre = Centre.objects.get()
    assert response.url == f"/sentra/{centre.pk}/"
    assert [k.code for k in centre.kbli.all()] == ["31002"]
    assert list(centre.managers.all()) == [centre_manager]
    assert str(centre.land_area_m2) == "1000.50"
    assert centre.status_changes.count() == 1


def test_officer_of_other_region_cannot_create_there(client_for, officer_region_b):
    response = client_for(officer_region_b).post(
        "/sentra/baru/",
        {"name": "X", "sector": "lainnya", "region": "74.71", "managing_body": "uptd", "report_period": "monthly"},
    )
    assert response.status_code == 200 and not Centre.objects.exists()


def test_manager_form_has_no_managers_or_region_choice(client_for, centre_manager):
    centre = CentreFactory()
    centre.managers.set([centre_manager])
    body = client_for(centre_manager).get(f"/sentra/{centre.pk}/ubah/").content.decode()
    assert 'name="managers"' not in body


def test_members_add_and_remove_with_active_tenant_refused(client_for, officer_region_a):
    centre = CentreFactory()
    business = BusinessFactory()
    client = client_for(officer_region_a)
    assert client.post(f"/sentra/{centre.pk}/anggota/", {"business": business.pk}).status_code == 302
    assert CentreMembership.objects.filter(centre=centre, business=business).exists()
    tenant = TenancyFactory(unit=UnitFactory(centre=centre), start_date=dt.date(2022, 1, 1))
    CentreMembership.objects.create(centre=centre, business=tenant.business)
    m = CentreMembership.objects.get(centre=centre, business=tenant.business)
    response = client.post(f"/sentra/{centre.pk}/anggota/{m.pk}/keluar/", follow=True)
    assert "masih menyewa" in response.content.decode()
    assert CentreMembership.objects.filter(pk=m.pk).exists()
    plain = CentreMembership.objects.get(centre=centre, business=business)
    client.post(f"/sentra/{centre.pk}/anggota/{plain.pk}/keluar/")
    assert not CentreMembership.objects.filter(pk=plain.pk).exists()


def test_units_facilities_funding_and_grants_pages(client_for, officer_region_a):
    centre = CentreFactory()
    client = client_for(officer_region_a)
    client.post(
        f"/sentra/{centre.pk}/unit/baru/", {"code": "W-01", "kind": "workshop", "size_m2": "48", "condition": "baik"}
    )
    response = client.post(f"/sentra/{centre.pk}/unit/baru/", {"code": "W-01", "kind": "workshop", "condition": "baik"})
    assert response.status_code == 200  # duplicate code refused
    assert WorkshopUnit.objects.filter(centre=centre).count() == 1
    client.post(
        f"/sentra/{centre.pk}/sarana/baru/",
        {"name": "Kiln", "category": "bangunan", "quantity": "2", "condition": "baik", "value": "Rp 350.000.000"},
    )
    assert Facility.objects.get(centre=centre).value == 350_000_000
    bad = {"year": "2023", "source": "apbd", "menu": "Revitalisasi", "ceiling": "100", "realised": "150"}
    assert client.post(f"/sentra/{centre.pk}/pendanaan/baru/", bad).status_code == 200
    assert not CentreFunding.objects.exists()
    # DAK money is read from the DAK lines that name the centre: it cannot be typed here.
    dak = client.post(f"/sentra/{centre.pk}/pendanaan/baru/", {**bad, "source": "dak_fisik", "realised": "90"})
    assert dak.status_code == 200 and not CentreFunding.objects.exists()
    client.post(f"/sentra/{centre.pk}/pendanaan/baru/", {**bad, "realised": "90"})
    assert CentreFunding.objects.get().realised == 90
    grant = {
        "name": "Mesin ketam",
        "quantity": "1",
        "value": "45.000.000",
        "funding_source": "dak_fisik",
        "year": "2023",
        "region": "74.71",
    }
    response = client.post("/sentra/hibah/baru/", grant)
    g = EquipmentGrant.objects.get()
    assert response.url == f"/sentra/hibah/{g.pk}/"
    response = client.post(
        f"/sentra/hibah/{g.pk}/serah-terima/",
        {"bast_number": "BAST/1", "date": "2023-10-12", "recipient_centre": centre.pk},
    )
    assert response.status_code == 302
    assert client.get(f"/sentra/{centre.pk}/").status_code == 200


def test_dashboard_figure_counts_reports_waiting(officer_region_a, centre_manager):
    from sentra.centres.reports import CENTRE_MONTHLY
    from sentra.periodic.models import Submission, SubmissionState
    from sentra.periodic.periods import parse_period
    from sentra.periodic.registry import report_form
    from sentra.periodic.services import submission_start

    centre = CentreFactory()
    centre.managers.set([centre_manager])
    s = submission_start(
        actor=officer_region_a, form=report_form(CENTRE_MONTHLY), subject=centre, period=parse_period("202401")
    )
    Submission.objects.filter(pk=s.pk).update(state=SubmissionState.SUBMITTED)
    assert periodic_figures(officer_region_a)[0].value == 1
    assert periodic_figures(centre_manager)[0].value == 1  # last month's report still to file


def test_trend_chart_geometry_is_not_localised(client_for, officer_region_a, centre_manager):
    """Indonesian number formatting must not reach SVG attributes (``x="38,2"`` breaks the chart)."""
    import re

    from sentra.centres.reports import CENTRE_MONTHLY
    from sentra.periodic.models import Submission, SubmissionState
    from sentra.periodic.periods import parse_period
    from sentra.periodic.registry import report_form
    from sentra.periodic.services import submission_start

    centre = CentreFactory()
    for code, value in (("202401", "123456789"), ("202402", "98765432"), ("202403", "55555555")):
        s = submission_start(
            actor=officer_region_a, form=report_form(CENTRE_MONTHLY), subject=centre, period=parse_period(code)
        )
        Submission.objects.filter(pk=s.pk).update(state=SubmissionState.ACCEPTED, data={"production_value": value})
    body = client_for(officer_region_a).get(f"/sentra/{centre.pk}/").content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert len(re.findall(r"<rect ", svg)) == 3
    assert not re.search(r'(x|y|width|height)="[^"]*,', svg), svg[:500]
    assert "Rp123.456.789" in body  # the table view
