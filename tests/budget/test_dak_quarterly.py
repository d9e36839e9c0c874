"""The DAK quarterly report on the periodic-report mechanism: generated from the budget lines, started and
submitted by the regency/city officer, due by the fiscal year's deadline, late, reminded, and counted by
periodic's one completeness computation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sentra.budget import selectors, services
from sentra.budget.choices import PlanStatus
from sentra.budget.models import FiscalYear
from sentra.budget.reports import DAK_QUARTERLY, dak_form, quarter_period, year_periods
from sentra.core.errors import DomainError
from sentra.core.scope import OutOfScope
from sentra.periodic import services as periodic
from sentra.periodic.models import Notice, Submission, SubmissionState
from sentra.periodic.reminders import send_reminders
from sentra.periodic.selectors import completeness, due_reports
from tests.budget.factories import make_allocation, make_fund, make_line, make_plan

pytestmark = pytest.mark.django_db

M = Decimal(1_000_000)
YEAR = 2019  # a past year no seed uses: every quarter has started and ended


def _contract_fields(value, number="K-1"):
    return {
        "number": number,
        "signed_on": dt.date(YEAR, 2, 1),
        "vendor": "CV Maju",
        "value": value,
        "starts_on": dt.date(YEAR, 2, 1),
        "ends_on": dt.date(YEAR, 11, 30),
    }


@pytest.fixture
def allocation(officer_region_a):
    fund = make_fund(year=YEAR)
    allocation = make_allocation(fund=fund, amount=Decimal(2000) * M)
    plan = make_plan(allocation=allocation, status=PlanStatus.APPROVED)
    line = make_line(plan=plan, volume=Decimal(10), unit_cost=Decimal(100) * M)
    contract = services.contract_add(actor=officer_region_a, line=line, **_contract_fields(1000 * M))
    services.payment_record(actor=officer_region_a, contract=contract, paid_on=dt.date(YEAR, 3, 20), amount=100 * M)
    services.payment_record(actor=officer_region_a, contract=contract, paid_on=dt.date(YEAR, 4, 20), amount=50 * M)
    return allocation


def _sent_on(submission, day: dt.date) -> None:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    Submission.objects.filter(pk=submission.pk).update(submitted_at=at)


def test_the_report_is_a_periodic_submission_generated_from_the_lines_as_of_the_quarter_end(
    officer_region_a, allocation
):
    submission = services.report_start(actor=officer_region_a, allocation=allocation, quarter=1)
    assert (submission.form_code, submission.period, submission.state) == (DAK_QUARTERLY, f"{YEAR}Q1", "draft")
    assert submission.data["paid"] == "100000000.00"  # the April payment is not in Q1
    assert submission.data["as_of"] == f"{YEAR}-03-31" and len(submission.data["rows"]) == 1
    assert submission.due_date == dt.date(YEAR, 4, 10)  # quarter end + the year's report_due_days (10)
    assert submission.region_id == allocation.region_id and submission.on_behalf is False
    # Submitting needs the problems written.
    with pytest.raises(ValidationError):
        periodic.submission_submit(actor=officer_region_a, submission=submission)
    submission = periodic.submission_save(actor=officer_region_a, submission=submission, data={"problems": "Tidak ada"})
    assert submission.data["paid"] == "100000000.00"  # recomputed on save, still as of the quarter's end
    submission = periodic.submission_submit(actor=officer_region_a, submission=submission)
    assert submission.state == SubmissionState.SUBMITTED and submission.submitted_by == officer_region_a
    # Sent: frozen. Starting again opens it unchanged; no save is accepted.
    again = services.report_start(actor=officer_region_a, allocation=allocation, quarter=1)
    assert again.pk == submission.pk and again.state == SubmissionState.SUBMITTED
    with pytest.raises(DomainError):
        periodic.submission_save(actor=officer_region_a, submission=again, data={"problems": "lagi"})


def test_a_draft_follows_the_data_until_it_is_sent(officer_region_a, allocation):
    first = services.report_start(actor=officer_region_a, allocation=allocation, quarter=2)
    assert first.data["paid"] == "150000000.00"
    periodic.submission_save(actor=officer_region_a, submission=first, data={"problems": "Cuaca"})
    contract = allocation.plans.get().lines.get().contracts.get()
    services.payment_record(actor=officer_region_a, contract=contract, paid_on=dt.date(YEAR, 6, 1), amount=10 * M)
    again = services.report_start(actor=officer_region_a, allocation=allocation, quarter=2)
    assert again.pk == first.pk and again.data["paid"] == "160000000.00" and again.data["problems"] == "Cuaca"


def test_the_deadline_is_the_fiscal_years_data(officer_region_a, allocation):
    FiscalYear.objects.filter(year=YEAR).update(report_due_days=20)
    assert dak_form().due_date(quarter_period(YEAR, 3)) == dt.date(YEAR, 10, 20)
    submission = services.report_start(actor=officer_region_a, allocation=allocation, quarter=3)
    assert submission.due_date == dt.date(YEAR, 10, 20)


def test_refused_without_an_approved_plan_outside_the_year_or_the_scope(officer_region_a, officer_region_b):
    with pytest.raises(DomainError) as exc:
        services.report_start(actor=officer_region_a, allocation=make_allocation(fund=make_fund(year=2018)), quarter=1)
    assert exc.value.code == "no_plan"
    allocation = make_allocation(fund=make_fund(year=2017))
    make_plan(allocation=allocation, status=PlanStatus.APPROVED)
    with pytest.raises(DomainError) as exc:  # a 2017 allocation reports 2017's quarters only
        periodic.submission_start(
            actor=officer_region_a, form=dak_form(), subject=allocation, period=quarter_period(2016, 4)
        )
    assert exc.value.code == "other_year"
    with pytest.raises(ValidationError):
        services.report_start(actor=officer_region_a, allocation=allocation, quarter=5)
    with pytest.raises(OutOfScope):  # another city's officer
        services.report_start(actor=officer_region_b, allocation=allocation, quarter=1)
    assert not Submission.objects.filter(form_code=DAK_QUARTERLY).exists()


def test_due_late_and_missing_are_periodics_one_computation(officer_region_a, allocation):
    on_time = services.report_start(actor=officer_region_a, allocation=allocation, quarter=1)
    on_time = periodic.submission_save(actor=officer_region_a, submission=on_time, data={"problems": "-"})
    periodic.submission_submit(actor=officer_region_a, submission=on_time)
    _sent_on(on_time, dt.date(YEAR, 4, 10))  # on the deadline: on time
    late = services.report_start(actor=officer_region_a, allocation=allocation, quarter=2)
    late = periodic.submission_save(actor=officer_region_a, submission=late, data={"problems": "-"})
    periodic.submission_submit(actor=officer_region_a, submission=late)
    _sent_on(late, dt.date(YEAR, 7, 11))  # a day late
    services.report_start(actor=officer_region_a, allocation=allocation, quarter=3)  # a draft is not sent
    today = dt.date(YEAR, 10, 11)  # Q3 due on 10 October has passed; Q4 has not ended
    flags = selectors.report_flags(allocation, selectors.reports_of(allocation), today=today)
    assert [f["state"] for f in flags] == ["on_time", "late", "missing", "open"]
    listed = selectors.late_reports(user=officer_region_a, year=YEAR, today=today)
    assert [(r.subject.pk, r.period.code, r.state) for r in listed] == [
        (allocation.pk, f"{YEAR}Q2", "late"),
        (allocation.pk, f"{YEAR}Q3", "missing"),
    ]
    rows = {
        r.period.code: r
        for r in completeness(user=officer_region_a, form=dak_form(), period_list=year_periods(YEAR), today=today)
    }
    assert [
        (rows[f"{YEAR}Q{q}"].expected, rows[f"{YEAR}Q{q}"].on_time, rows[f"{YEAR}Q{q}"].late) for q in range(1, 5)
    ] == [
        (1, 1, 0),
        (1, 0, 1),
        (1, 0, 1),
        (1, 0, 0),  # not due yet: not late
    ]
    assert sum(r.late for r in rows.values()) == len(listed)
    # The same rule for centres: the list and the counts come from the same expected subjects.
    all_due = due_reports(form=dak_form(), region_ids=None, periods=year_periods(YEAR), today=today)
    assert len(all_due) == 3


def test_an_allocation_without_approved_plan_is_not_expected(officer_region_a):
    allocation = make_allocation(fund=make_fund(year=2016))
    make_plan(allocation=allocation, status=PlanStatus.DRAFT)
    assert selectors.late_reports(user=officer_region_a, year=2016, today=dt.date(2017, 6, 1)) == []


def test_reminders_go_to_the_regions_officers_once_by_job_mail(
    officer_region_a, officer_region_b, allocation, django_capture_on_commit_callbacks
):
    officer_region_a.email = "petugas@example.test"
    officer_region_a.save()
    officer_region_b.email = "lain@example.test"
    officer_region_b.save()
    today = dt.date(YEAR, 4, 7)  # Q1 is due on 10 April
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today=today) == 1
        assert send_reminders(today=today) == 0  # once only
    notice = Notice.objects.get(user=officer_region_a)
    assert f"/laporan-berkala/mulai/{DAK_QUARTERLY}/{allocation.pk}/{YEAR}Q1/" in notice.url
    assert [m.to for m in mail.outbox] == [["petugas@example.test"]]
    assert not Notice.objects.filter(user=officer_region_b).exists()  # another city's officer


def test_no_reminder_once_sent(officer_region_a, allocation):
    submission = services.report_start(actor=officer_region_a, allocation=allocation, quarter=1)
    submission = periodic.submission_save(actor=officer_region_a, submission=submission, data={"problems": "-"})
    periodic.submission_submit(actor=officer_region_a, submission=submission)
    assert send_reminders(today=dt.date(YEAR, 4, 7)) == 0


def test_pages_start_fill_submit_and_export(client_for, officer_region_a, province_officer, allocation):
    import io

    import openpyxl

    client = client_for(officer_region_a)
    response = client.post(reverse("budget:report_generate", args=[allocation.pk]), {"quarter": "2"})
    submission = Submission.objects.get(form_code=DAK_QUARTERLY, subject_id=allocation.pk, period=f"{YEAR}Q2")
    assert response.status_code == 302 and response.url == reverse("budget:report_detail", args=[submission.pk])
    page = client.get(response.url).content.decode()
    assert reverse("periodic:submission_edit", args=[submission.pk]) in page and 'data-testid="report-rows"' in page
    edit = reverse("periodic:submission_edit", args=[submission.pk])
    refused = client.post(edit, {"problems": "", "version": submission.version, "submit": "1"})
    assert refused.status_code == 400
    submission.refresh_from_db()  # the draft was saved before the submission was refused
    sent = client.post(edit, {"problems": "Cuaca <buruk>", "version": submission.version, "submit": "1"})
    submission.refresh_from_db()
    assert sent.status_code == 302 and submission.state == SubmissionState.SUBMITTED
    xlsx = client.get(reverse("budget:report_xlsx", args=[submission.pk]))
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "Cuaca <buruk>" in values
    pdf = client.get(reverse("budget:report_pdf", args=[submission.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # The province accepts it on the periodic page; it is then locked.
    accepted = client_for(province_officer).post(
        reverse("periodic:submission_accept", args=[submission.pk]), {"version": submission.version}
    )
    submission.refresh_from_db()
    assert accepted.status_code == 302 and submission.state == SubmissionState.ACCEPTED
    listed = client.get(reverse("budget:report_list") + f"?tahun={YEAR}&state=accepted").content.decode()
    assert reverse("budget:report_detail", args=[submission.pk]) in listed


def test_the_dak_form_is_offered_to_officers_only(client_for, officer_region_a, centre_manager, allocation):
    todo = client_for(officer_region_a).get(reverse("periodic:todo"))
    assert todo.status_code == 200
    start = reverse("periodic:submission_start", args=[DAK_QUARTERLY, allocation.pk, f"{YEAR}Q1"])
    assert client_for(centre_manager).get(start).status_code == 404


def test_report_list_query_count_does_not_grow(client_for, officer_region_a, allocation, django_assert_max_num_queries):
    client = client_for(officer_region_a)
    services.report_start(actor=officer_region_a, allocation=allocation, quarter=1)
    url = reverse("budget:report_list") + f"?tahun={YEAR}"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for quarter in (2, 3, 4):
        services.report_start(actor=officer_region_a, allocation=allocation, quarter=quarter)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_history_shows_what_was_reported_not_the_recomputed_rows(officer_region_a, allocation):
    from sentra.core.models import AuditEvent

    submission = services.report_start(actor=officer_region_a, allocation=allocation, quarter=1)
    periodic.submission_save(actor=officer_region_a, submission=submission, data={"problems": "Cuaca buruk"})
    events = {
        e.action: e.changes
        for e in AuditEvent.objects.filter(object_id=str(submission.pk), action__startswith="periodic")
    }
    created, updated = events["periodic.submission.created"], events["periodic.submission.updated"]
    assert set(created["data"][1]) <= {f.name for f in dak_form().fields} and "rows" not in created["data"][1]
    assert updated["data"] == [{"problems": None}, {"problems": "Cuaca buruk"}]
