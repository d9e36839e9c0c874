"""The dashboard's programme figures (trainings, DAK, certifications, INDI 4.0, centres) per region and year come
from ``reports.ProgrammeCube``; each equals a direct computation on the raw tables for the national admin, the
province (74), Kota Kendari (74.71) and stays correct when drilling and changing the year."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sentra.budget.choices import PlanStatus, TransferStatus
from sentra.budget.figures import allocation_figures
from sentra.budget.models import Allocation, Fund, Payment, ProgressReport, Transfer
from sentra.budget.reports import DAK_QUARTERLY, dak_form, quarter_period
from sentra.centres.models import Tenancy, WorkshopUnit
from sentra.periodic.models import Submission
from sentra.quality.models import Certification, IndiAssessment
from sentra.quality.scoring import indi_level
from sentra.reports.charts import dashboard_charts
from sentra.reports.models import ProgrammeCube
from sentra.reports.programme import programme_refresh
from sentra.reports.selectors import dashboard_get
from sentra.reports.services import summary_refresh_all
from sentra.training.models import Batch, Participant
from tests.budget.factories import make_contract, make_dak_report, make_fund, make_line, make_plan
from tests.centres.factories import CentreFactory, TenancyFactory, UnitFactory, submit_centre_report
from tests.quality.factories import CertificationFactory, make_indi
from tests.registry.factories import BusinessFactory
from tests.training.factories import make_batch, make_participant

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
Y = TODAY.year
REGIONS = ("74.71", "74.72", "73.71")


def _fund(year: int) -> Fund:
    return Fund.objects.filter(fiscal_year__year=year, kind="fisik").first() or make_fund(year=year)


def _training(region: str, year: int, n: int, k: int) -> None:
    batch = make_batch(region_id=region, start=dt.date(year, 1, 10 + k), end=dt.date(year, 1, 15 + k))
    for i in range(n):
        p = make_participant(batch, name=f"Peserta {region} {year} {k} {i}")
        result = ("passed", "failed", "")[i % 3]
        Participant.objects.filter(pk=p.pk).update(
            result=result, pre_test=Decimal(40 + i), post_test=Decimal(60 + 3 * i) if i != 1 else None
        )
    make_participant(batch, accept=False, name=f"Pendaftar {region} {k}")  # applied, not accepted


def _dak(region: str, year: int, amount: str, paid: str, physical: str, late: bool) -> None:
    allocation = Allocation.objects.create(fund=_fund(year), region_id=region, amount=Decimal(amount))
    plan = make_plan(allocation=allocation, status=PlanStatus.APPROVED)
    line = make_line(plan=plan)
    contract = make_contract(line=line, value=Decimal(paid) * 2, number=f"K-{region}-{year}")
    Payment.objects.create(contract=contract, region_id=region, paid_on=dt.date(year, 6, 1), amount=Decimal(paid))
    Transfer.objects.create(
        allocation=allocation,
        region_id=region,
        amount=Decimal(amount) / 2,
        status=TransferStatus.RECEIVED,
        requested_on=dt.date(year, 3, 1),
        received_on=dt.date(year, 3, 10),
    )
    ProgressReport.objects.create(
        line=line, region_id=region, reported_on=dt.date(year, 5, 1), physical_pct=Decimal(10), output_achieved=1
    )
    ProgressReport.objects.create(
        line=line, region_id=region, reported_on=dt.date(year, 7, 1), physical_pct=Decimal(physical), output_achieved=2
    )
    due = dt.date(year, 4, 10)
    make_dak_report(
        allocation,
        1,
        state="submitted",
        due=due,
        submitted_at=timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=5 if late else -1), dt.time(9))),
    )


@pytest.fixture
def programme(db):
    for k, region in enumerate(REGIONS):
        _training(region, Y, 4 + k, k)
        _training(region, Y - 1, 2, k)
    _dak("74.71", Y, "2000000000", "300000000", "45", late=True)
    _dak("74.72", Y, "1500000000", "100000000", "20", late=False)
    _dak("73.71", Y, "900000000", "50000000", "70", late=True)
    _dak("74.71", Y - 1, "1000000000", "400000000", "100", late=False)
    for i, region in enumerate(REGIONS * 2):
        business = BusinessFactory(region_id=region)
        CertificationFactory(
            business=business, issued_on=dt.date(Y - 3, 1, 1), expires_on=TODAY + dt.timedelta(days=30 * i)
        )
        if i % 2:
            CertificationFactory(business=business, issued_on=dt.date(Y - 2, 1, 1), expires_on=None)
        make_indi(business=business, score=i % 5)
    CertificationFactory(business=BusinessFactory(region_id="74.71"), expires_on=TODAY - dt.timedelta(days=1))
    for region in ("74.71", "74.71", "74.72"):
        centre = CentreFactory(region_id=region, village_id=None)
        units = [UnitFactory(centre=centre, code=f"W{i}") for i in range(3)]
        TenancyFactory(
            unit=units[0], business=BusinessFactory(region_id=region), start_date=TODAY - dt.timedelta(days=9)
        )
        TenancyFactory(
            unit=units[1],
            business=BusinessFactory(region_id=region),
            start_date=dt.date(2020, 1, 1),
            end_date=dt.date(2021, 1, 1),
        )
    summary_refresh_all()
    programme_refresh()


def _ids(scope: str | None) -> list[str]:
    if scope is None:
        return list(REGIONS)
    return [r for r in REGIONS if r.startswith(scope)]


def _direct(ids: list[str], year: int) -> dict:
    """The figures straight from the raw tables, each the obvious way (per object where the apps compute so)."""
    out: dict = {}
    batches = Batch.objects.filter(region_id__in=ids, start_date__year=year).exclude(status="cancelled")
    out["batches"] = batches.count()
    people = list(Participant.objects.filter(batch__in=batches, status="accepted"))
    out["participants"] = len(people)
    assessed = [p for p in people if p.result in ("passed", "failed")]
    passed = [p for p in people if p.result == "passed"]
    out["completion"] = (Decimal(len(passed) * 100) / len(assessed)).quantize(Decimal("0.1")) if assessed else None
    gains = [p.gain for p in people if p.gain is not None]
    out["gain"] = (sum(gains) / len(gains)).quantize(Decimal("0.1")) if gains else None
    allocations = list(Allocation.objects.filter(region_id__in=ids, fund__fiscal_year__year=year))
    figures = [allocation_figures(a) for a in allocations]
    out["pagu"] = sum((a.amount for a in allocations), Decimal(0))
    paid = sum((f.paid for f in figures), Decimal(0))
    received = sum((f.received for f in figures), Decimal(0))
    plan_total = sum((f.plan_total for f in figures), Decimal(0))
    out["absorption"] = (paid * 100 / received).quantize(Decimal("0.01")) if received else None
    weighted = sum((lf.physical_pct * lf.line.total for f in figures for lf in f.lines), Decimal(0))
    out["physical"] = (weighted / plan_total).quantize(Decimal("0.01")) if plan_total else None
    # Late: every quarter past its deadline, of an allocation with an approved plan, whose report was not sent by it
    # (sent late, or not sent; a quarter with no report at all counts too).
    late = 0
    for allocation in allocations:
        if not allocation.plans.filter(status=PlanStatus.APPROVED).exists():
            continue
        for quarter in (1, 2, 3, 4):
            period = quarter_period(allocation.fund.fiscal_year.year, quarter)
            report = Submission.objects.filter(
                form_code=DAK_QUARTERLY,
                subject_id=allocation.pk,
                period=period.code,
                state__in=["submitted", "accepted"],
            ).first()
            due = report.due_date if report else dak_form().due_date(period)
            sent_on = timezone.localdate(report.submitted_at) if report and report.submitted_at else None
            if TODAY > due and (sent_on is None or sent_on > due):
                late += 1
    out["late"] = late
    certs = Certification.objects.filter(region_id__in=ids)
    out["held"] = certs.valid(TODAY).count() if year == Y else None
    out["expiring"] = certs.expiring(TODAY).count() if year == Y else None
    levels = [0] * 5
    latest: dict = {}
    for a in IndiAssessment.objects.filter(region_id__in=ids, status__in=["submitted", "verified"]).order_by(
        "submitted_at", "pk"
    ):
        if a.submitted_at and timezone.localtime(a.submitted_at).year == year and a.overall is not None:
            latest[a.business_id] = a
    for a in latest.values():
        levels[indi_level(a.overall)] += 1
    out["indi"] = levels
    units = WorkshopUnit.objects.filter(centre__region_id__in=ids, kind="workshop")
    out["units"] = units.count()
    ref = min(dt.date(year, 12, 31), TODAY)
    out["let"] = len(
        {
            t.unit_id
            for t in Tenancy.objects.filter(unit__in=units)
            if t.start_date <= ref and (t.end_date is None or t.end_date >= ref)
        }
    )
    return out


def _assert_programme(dash, ids: list[str], year: int) -> None:
    p = dash.programme
    d = _direct(ids, year)
    assert p.year == year
    assert p.totals["batches"] == d["batches"] > 0
    assert p.totals["participants"] == d["participants"]
    assert p.completion_pct == d["completion"]
    assert p.score_gain == d["gain"]
    assert p.totals["dak_pagu"] == d["pagu"]
    assert p.absorption_pct == d["absorption"]
    assert p.physical_pct == d["physical"]
    assert p.totals["dak_reports_late"] == d["late"]
    if d["held"] is not None:
        assert p.totals["certs_held"] == d["held"] > 0
        assert p.totals["certs_expiring"] == d["expiring"]
    assert [n for _level, n in p.indi_levels] == d["indi"]
    assert p.totals["units"] == d["units"]
    assert p.totals["units_let"] == d["let"]
    charts = {c.key: c for c in dashboard_charts(dash)}
    row = next(r for r in charts["training"].rows if r.label == str(year))
    assert row.values[:2] == [d["batches"], d["participants"]]
    assert [r.values[0] for r in charts["indi"].rows] == d["indi"]


@pytest.mark.parametrize("year", [Y, Y - 1])
def test_national_admin_programme_equals_raw(programme, national_admin, year):
    _assert_programme(dashboard_get(user=national_admin, year=year), _ids(None), year)
    _assert_programme(dashboard_get(user=national_admin, code="74", year=year), _ids("74"), year)
    _assert_programme(dashboard_get(user=national_admin, code="74.71", year=year), _ids("74.71"), year)


def test_province_and_city_officers_programme_equals_raw(programme, province_officer, officer_region_a):
    dash = dashboard_get(user=province_officer)
    _assert_programme(dash, _ids("74"), Y)
    # The DAK figure and chart bars open the allocation list of the province and year.
    assert dash.programme.links["dak"].endswith(f"?year={Y}&province=74")
    dak = next(c for c in dashboard_charts(dash) if c.key == "dak")
    assert all(r.url.endswith(f"?year={r.label}&province=74") for r in dak.rows)
    _assert_programme(dashboard_get(user=province_officer, code="74.72"), _ids("74.72"), Y)
    _assert_programme(dashboard_get(user=officer_region_a), _ids("74.71"), Y)
    _assert_programme(dashboard_get(user=officer_region_a, year=Y - 1), _ids("74.71"), Y - 1)


def test_refresh_of_one_region_equals_the_full_rebuild(programme):
    full = {(c.region_id, c.year): c for c in ProgrammeCube.objects.all()}
    programme_refresh(region_ids=["74.71", "74"])
    again = {(c.region_id, c.year): c for c in ProgrammeCube.objects.all()}
    assert full.keys() == again.keys()
    for key, row in full.items():
        assert {f.name: getattr(row, f.name) for f in row._meta.fields if f.name != "id"} == {
            f.name: getattr(again[key], f.name) for f in row._meta.fields if f.name != "id"
        }


def test_a_change_is_refreshed_after_commit(programme, national_admin, django_capture_on_commit_callbacks):
    """Saving a participant (a post_save the reports app listens to) queues the regency's refresh."""
    before = dashboard_get(user=national_admin, code="74.72").programme.totals["participants"]
    batch = Batch.objects.filter(region_id="74.72", start_date__year=Y).first()
    with django_capture_on_commit_callbacks(execute=True):
        make_participant(batch, name="Peserta baru")
    assert dashboard_get(user=national_admin, code="74.72").programme.totals["participants"] == before + 1


def _links(html: str) -> list[str]:
    return [u.replace("&amp;", "&") for u in re.findall(r'href="([^"#]+)"', html)]


def test_drill_down_and_downloads_keep_the_year(client, programme, province_officer):
    client.force_login(province_officer)
    year = Y - 1
    response = client.get(reverse("reports:dashboard"), {"tahun": year})
    assert response.context["dash"].year == year
    html = response.content.decode()
    dashboard = reverse("reports:dashboard")
    drills = 0
    for url in _links(html):
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        if (parts.path == dashboard and "wilayah" in query) or parts.path.startswith(dashboard + "grafik/"):
            assert query.get("tahun") == [str(year)], url
            drills += 1
    assert drills >= 5
    drilled = client.get(dashboard, {"wilayah": "74.71", "tahun": year})
    assert drilled.context["dash"].programme.year == year
    assert 'name="tahun"' in drilled.content.decode() and f'value="{year}" selected' in drilled.content.decode()
    xlsx = client.get(reverse("reports:chart_xlsx", args=["74.71", "training"]), {"tahun": year})
    assert xlsx.status_code == 200
    assert client.get(reverse("reports:chart_xlsx", args=["73.71", "training"]), {"tahun": year}).status_code == 404
    # A year that is not a year: a message and this year's figures.
    bad = client.get(dashboard, {"tahun": "20x4"}, follow=True)
    assert bad.context["dash"].year == Y


def test_programme_figures_shown_on_every_level(client, programme, national_admin):
    client.force_login(national_admin)
    for params in ({}, {"wilayah": "74"}, {"wilayah": "74.71"}):
        html = client.get(reverse("reports:dashboard"), params).content.decode()
        assert 'data-testid="programme-figures"' in html, params
        for key in ("training", "dak", "certs", "indi"):
            assert f'data-testid="chart-card-{key}"' in html, (params, key)


def test_dashboard_queries_do_not_grow_with_programme_rows(client, programme, national_admin):
    client.force_login(national_admin)
    url = reverse("reports:dashboard")
    client.get(url, {"wilayah": "74"})
    with CaptureQueriesContext(connection) as before:
        client.get(url, {"wilayah": "74"})
    for k in range(3):
        _training("74.72", Y, 3, 10 + k)
    CertificationFactory.create_batch(4, business=BusinessFactory(region_id="74.72"))
    programme_refresh()
    with CaptureQueriesContext(connection) as after:
        response = client.get(url, {"wilayah": "74"})
    assert len(after) == len(before)
    assert response.context["dash"].programme.totals["batches"] == _direct(_ids("74"), Y)["batches"]


def _closed_months(today: dt.date) -> list[dt.date]:
    return [dt.date(today.year, m, 1) for m in range(1, today.month)]  # months of this year that have ended


def test_missing_centre_reports_for_officers_and_the_centre_manager(client, centre_manager, officer_region_a):
    """Monthly reports of the year's ended months: the cube (officers) and the centre manager's own figure equal a
    direct count of months without a sent report."""

    mine = CentreFactory(region_id="74.71", village_id=None, report_period="monthly")
    mine.managers.set([centre_manager])
    other = CentreFactory(region_id="74.71", village_id=None, report_period="monthly")
    CentreFactory(region_id="74.71", village_id=None, status="planned")  # not reporting yet
    months = _closed_months(TODAY)
    sent = months[: len(months) // 2]
    for start in sent:
        submit_centre_report(mine, start, region_id="74.71")
    programme_refresh(region_ids=["74.71"])
    totals = dashboard_get(user=officer_region_a).programme.totals
    assert totals["reports_expected"] == 2 * len(months)
    assert totals["reports_missing"] == 2 * len(months) - len(sent)

    client.force_login(centre_manager)
    figures = {f.label: f for f in client.get(reverse("reports:dashboard")).context["figures"]}
    figure = figures[f"Laporan sentra belum dikirim TA {Y}"]
    assert figure.value == len(months) - len(sent)
    assert figure.hint == f"dari {len(months)} laporan periode yang sudah berakhir"
    assert other.pk  # the other centre's missing reports are not the manager's


# --- each drilled programme figure links to a list that shows exactly its rows ------------------------

#: the figure behind each programme link, and how to count it from the cube's totals
LINKED = {
    "batches": lambda t: t["batches"],
    "dak": lambda t: t["dak_allocations"],
    "certs": lambda t: t["certs_held"],
    "certs_expiring": lambda t: t["certs_expiring"],
    "indi": lambda t: sum(t[f"indi_{level}"] for level in range(5)),
    "centres": lambda t: t["centres"],
}


def _listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.context["page"]
    assert not page.has_next, url  # the fixture's lists fit on one page
    return len(page.object_list)


@pytest.mark.parametrize("code", [None, "74", "74.71", "74.72", "73.71"])
def test_drilled_programme_links_list_exactly_the_figure(programme, national_admin, client, code):
    # A cancelled batch is not a training of the year: the list the figure opens must leave it out too.
    make_batch(region_id="74.71", start=dt.date(Y, 2, 1), end=dt.date(Y, 2, 3), status="cancelled")
    programme_refresh()
    client.force_login(national_admin)
    url = reverse("reports:dashboard") + (f"?wilayah={code}" if code else "")
    dash = client.get(url).context["dash"]
    p = dash.programme
    assert p.totals["batches"] > 0 and p.totals["certs_held"] > 0
    html = client.get(url).content.decode()
    for key, figure in LINKED.items():
        link = p.links[key]
        if key in ("batches", "dak", "certs", "certs_expiring"):
            assert link.replace("&", "&amp;") in html, key  # the page links to it
        if code:
            assert code in parse_qs(urlsplit(link).query).get("region", []) + parse_qs(urlsplit(link).query).get(
                "province", []
            ), key
        assert _listed(client, link) == figure(p.totals), (key, link)


def test_drilled_links_of_a_city_officer_list_only_their_city(programme, officer_region_a, client):
    """The same links for Kota Kendari's officer; the same lists asked for Bau Bau give nothing (narrowing only)."""
    client.force_login(officer_region_a)
    p = client.get(reverse("reports:dashboard")).context["dash"].programme
    for key, figure in LINKED.items():
        assert _listed(client, p.links[key]) == figure(p.totals), key
        other = p.links[key].replace("74.71", "74.72")
        assert "74.72" in other, key
        assert _listed(client, other) == 0, key


def test_a_past_years_certification_links_list_those_held_on_its_last_day(programme, national_admin, client):
    """Held on 31 December of last year but expired since, or issued only this year: the figure and its list agree."""
    expired_since = CertificationFactory(
        business=BusinessFactory(region_id="74.71"),
        issued_on=dt.date(Y - 2, 6, 1),
        expires_on=dt.date(Y, 1, 1) if TODAY > dt.date(Y, 1, 1) else dt.date(Y - 1, 12, 31),
    )
    issued_this_year = CertificationFactory(
        business=BusinessFactory(region_id="74.71"), issued_on=dt.date(Y, 1, 1), expires_on=None
    )
    programme_refresh()
    client.force_login(national_admin)
    p = client.get(reverse("reports:dashboard") + f"?wilayah=74.71&tahun={Y - 1}").context["dash"].programme
    assert f"pada={Y - 1}-12-31" in p.links["certs"]
    for key in ("certs", "certs_expiring"):
        assert _listed(client, p.links[key]) == LINKED[key](p.totals), key
    listed = {c.pk for c in client.get(p.links["certs"]).context["page"].object_list}
    assert expired_since.pk in listed and issued_this_year.pk not in listed
    bad = client.get(reverse("quality:certification_list") + "?status=berlaku&pada=2024-13-45")
    assert bad.status_code == 200 and list(bad.context["page"].object_list) == []
