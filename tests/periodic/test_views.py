import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sentra.centres.reports import CENTRE_MONTHLY
from sentra.periodic import services
from sentra.periodic.models import Submission, SubmissionState
from sentra.periodic.periods import parse_period
from sentra.periodic.registry import report_form
from tests.centres.factories import CentreFactory


def test_manager_files_and_officer_accepts_through_the_pages(client_for, centre_manager, officer_region_a):
    centre = CentreFactory()
    centre.managers.set([centre_manager])
    client = client_for(centre_manager)
    assert client.get("/laporan-berkala/").status_code == 200
    start = f"/laporan-berkala/mulai/{CENTRE_MONTHLY}/{centre.pk}/202401/"
    assert client.get(start).status_code == 200
    response = client.post(start)
    s = Submission.objects.get()
    assert response.url == f"/laporan-berkala/{s.pk}/isi/"
    data = {
        "production_volume": "1.200",
        "production_unit": "unit",
        "production_value": "Rp 450.000.000",
        "sales_value": "400.000.000",
        "workforce_male": "90",
        "workforce_female": "21",
        "version": s.version,
    }
    response = client.post(f"/laporan-berkala/{s.pk}/isi/", {**data, "submit": "1"})
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.state == SubmissionState.SUBMITTED and s.data["production_value"] == "450000000.00"
    assert client.post(f"/laporan-berkala/{s.pk}/terima/").status_code in (302, 403, 404)
    s.refresh_from_db()
    assert s.state == SubmissionState.SUBMITTED
    officer = client_for(officer_region_a)
    assert "menunggu pemeriksaan" in officer.get("/laporan-berkala/kelengkapan/").content.decode()
    officer.post(f"/laporan-berkala/{s.pk}/terima/", {"version": s.version})
    s.refresh_from_db()
    assert s.state == SubmissionState.ACCEPTED
    response = client_for(centre_manager).get(f"/laporan-berkala/{s.pk}/isi/")
    assert response.status_code == 302  # locked: back to the detail page


def test_return_without_reason_shows_error(client_for, centre_manager, officer_region_a):
    centre = CentreFactory()
    s = services.submission_start(
        actor=officer_region_a, form=report_form(CENTRE_MONTHLY), subject=centre, period=parse_period("202401")
    )
    Submission.objects.filter(pk=s.pk).update(state=SubmissionState.SUBMITTED)
    response = client_for(officer_region_a).post(f"/laporan-berkala/{s.pk}/kembalikan/", {"reason": ""})
    assert response.status_code == 400
    s.refresh_from_db()
    assert s.state == SubmissionState.SUBMITTED


def test_list_and_overview_queries_do_not_grow(client_for, officer_region_a):
    client = client_for(officer_region_a)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def add(n):
        for _ in range(n):
            centre = CentreFactory()
            for code in ("202401", "202402"):
                services.submission_start(
                    actor=officer_region_a, form=report_form(CENTRE_MONTHLY), subject=centre, period=parse_period(code)
                )

    add(1)
    count("/laporan-berkala/semua/")
    small_list, small_overview = count("/laporan-berkala/semua/"), count("/laporan-berkala/kelengkapan/")
    add(6)
    assert count("/laporan-berkala/semua/") == small_list
    assert count("/laporan-berkala/kelengkapan/") == small_overview
    assert dt.date.today()


def test_entry_form_shows_prefilled_numbers_the_indonesian_way(client_for, centre_manager):
    centre = CentreFactory()
    centre.managers.set([centre_manager])
    first = services.submission_start(
        actor=centre_manager, form=report_form(CENTRE_MONTHLY), subject=centre, period=parse_period("202401")
    )
    services.submission_save(
        actor=centre_manager,
        submission=first,
        data={
            "production_volume": "1200",
            "production_unit": "unit",
            "production_value": "450000000",
            "sales_value": "400000000",
            "workforce_male": 90,
            "workforce_female": 21,
        },
    )
    services.submission_submit(actor=centre_manager, submission=first)
    second = services.submission_start(
        actor=centre_manager, form=report_form(CENTRE_MONTHLY), subject=centre, period=parse_period("202402")
    )
    body = client_for(centre_manager).get(f"/laporan-berkala/{second.pk}/isi/").content.decode()
    assert 'value="450.000.000"' in body and 'value="1.200"' in body
    assert '<input type="text" name="production_unit"' in body and 'value="unit"' in body
