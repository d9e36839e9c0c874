"""Periodic reporting: states and locking, one per subject and period, pre-fill, jump flags, acceptance hooks,
completeness/timeliness and reminders."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sentra.centres.reports import BUSINESS_SEMESTER, CENTRE_MONTHLY
from sentra.core.errors import DomainError
from sentra.core.models import AuditEvent
from sentra.periodic import services
from sentra.periodic.models import Notice, Submission, SubmissionState
from sentra.periodic.periods import last_closed_period, parse_period
from sentra.periodic.registry import report_form
from sentra.periodic.reminders import send_reminders
from sentra.periodic.selectors import completeness
from tests.centres.factories import CentreFactory, TenancyFactory, UnitFactory
from tests.registry.factories import BusinessFactory, OwnerFactory

GOOD = {
    "production_volume": "200",
    "production_unit": "unit",
    "production_value": "500000000",
    "sales_value": "450000000",
    "workforce_male": 90,
    "workforce_female": 20,
    "problems": "",
}


@pytest.fixture
def centre(db, centre_manager):
    c = CentreFactory()
    c.managers.set([centre_manager])
    for i in range(4):
        unit = UnitFactory(centre=c, code=f"W-{i}")
        if i < 3:
            TenancyFactory(unit=unit, start_date=dt.date(2023, 1, 1))
    return c


def _start(actor, centre, code="202401"):
    return services.submission_start(
        actor=actor, form=report_form(CENTRE_MONTHLY), subject=centre, period=parse_period(code)
    )


def test_states_draft_submitted_accepted_then_locked(centre, centre_manager, officer_region_a):
    s = _start(centre_manager, centre)
    assert s.state == SubmissionState.DRAFT and s.due_date == dt.date(2024, 2, 10)
    assert (s.data["units_occupied"], s.data["units_total"], s.data["occupancy_rate"]) == (3, 4, "75.0")
    with pytest.raises(ValidationError) as exc:  # incomplete: required fields missing
        services.submission_submit(actor=centre_manager, submission=s)
    assert "wajib diisi" in " ".join(exc.value.messages)
    s = services.submission_save(actor=centre_manager, submission=s, data=GOOD)
    s = services.submission_submit(actor=centre_manager, submission=s)
    assert s.state == SubmissionState.SUBMITTED and s.submitted_by == centre_manager and not s.on_behalf
    with pytest.raises(DomainError):  # not editable while under review
        services.submission_save(actor=centre_manager, submission=s, data=GOOD)
    with pytest.raises(PermissionDenied):  # the reporter cannot accept their own report
        services.submission_accept(actor=centre_manager, submission=s)
    s = services.submission_accept(actor=officer_region_a, submission=s)
    assert s.state == SubmissionState.ACCEPTED and s.is_locked
    with pytest.raises(DomainError):
        services.submission_save(actor=officer_region_a, submission=s, data=GOOD)
    with pytest.raises(DomainError):
        services.submission_return(actor=officer_region_a, submission=s, reason="terlambat sekali")
    actions = set(AuditEvent.objects.filter(object_id=str(s.pk)).values_list("action", flat=True))
    assert {"periodic.submission.created", "periodic.submission.submitted", "periodic.submission.accepted"} <= actions


def test_return_needs_a_reason_then_the_reporter_fixes_and_resubmits(centre, centre_manager, officer_region_a):
    s = services.submission_save(actor=centre_manager, submission=_start(centre_manager, centre), data=GOOD)
    s = services.submission_submit(actor=centre_manager, submission=s)
    with pytest.raises(ValidationError):
        services.submission_return(actor=officer_region_a, submission=s, reason=" ")
    s.refresh_from_db()
    assert s.state == SubmissionState.SUBMITTED
    s = services.submission_return(
        actor=officer_region_a, submission=s, reason="Nilai penjualan belum termasuk Desember"
    )
    assert s.state == SubmissionState.RETURNED and s.is_editable
    s = services.submission_save(actor=centre_manager, submission=s, data={**GOOD, "sales_value": "470000000"})
    s = services.submission_submit(actor=centre_manager, submission=s)
    assert s.state == SubmissionState.SUBMITTED


def test_one_submission_per_subject_and_period(centre, centre_manager):
    first = _start(centre_manager, centre)
    assert _start(centre_manager, centre).pk == first.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(
            region_id="74.71",
            form_code=first.form_code,
            period_type="monthly",
            period="202401",
            period_start=first.period_start,
            period_end=first.period_end,
            due_date=first.due_date,
            subject_type=first.subject_type,
            subject_id=first.subject_id,
            subject_label="x",
        )


def test_bad_values_are_refused_and_change_nothing(centre, centre_manager):
    s = _start(centre_manager, centre)
    with pytest.raises(ValidationError) as exc:
        services.submission_save(
            actor=centre_manager, submission=s, data={**GOOD, "production_value": "-5", "workforce_male": "2.5"}
        )
    assert set(exc.value.message_dict) == {"production_value", "workforce_male"}
    s.refresh_from_db()
    assert s.data.get("production_value") is None and s.version == 1


def test_prefill_from_last_period_and_jump_flags(centre, centre_manager, officer_region_a):
    s = services.submission_save(actor=centre_manager, submission=_start(centre_manager, centre, "202401"), data=GOOD)
    services.submission_submit(actor=centre_manager, submission=s)
    feb = _start(centre_manager, centre, "202402")
    assert feb.prefilled_from_id == s.pk
    assert feb.data["production_value"] == "500000000.00" and feb.data["workforce_male"] == 90
    assert "problems" not in feb.data or not feb.data["problems"]
    feb = services.submission_save(
        actor=centre_manager,
        submission=feb,
        data={**GOOD, "production_value": "1600000000", "sales_value": "100000000"},
    )
    flagged = {f["field"]: f for f in feb.flags}
    assert set(flagged) == {"production_value", "sales_value"}
    assert flagged["production_value"]["factor"] == "3.20"
    feb = services.submission_save(actor=centre_manager, submission=feb, data=GOOD)  # back to plausible values
    assert feb.flags == []


def test_future_period_and_wrong_period_type_are_refused(centre, centre_manager):
    future = last_closed_period(timezone.localdate(), "monthly").next().next()
    with pytest.raises(ValidationError):
        services.submission_start(actor=centre_manager, form=report_form(CENTRE_MONTHLY), subject=centre, period=future)
    with pytest.raises(ValidationError):
        services.submission_start(
            actor=centre_manager, form=report_form(CENTRE_MONTHLY), subject=centre, period=parse_period("2024Q1")
        )


def test_business_report_updates_the_registry_when_accepted(db, owner_user, officer_region_a):
    business = BusinessFactory(owners=[OwnerFactory(user=owner_user)])
    form = report_form(BUSINESS_SEMESTER)
    s = services.submission_start(actor=owner_user, form=form, subject=business, period=parse_period("2024S1"))
    data = {
        "investment_value": "210000000",
        "production_capacity": "800",
        "capacity_unit": "unit",
        "production_volume": "300",
        "production_value": "250000000",
        "turnover": "240000000",
        "raw_materials": "kayu jati",
        "workforce_male": 6,
        "workforce_female": 3,
        "machinery": "ketam, gergaji",
    }
    s = services.submission_save(actor=owner_user, submission=s, data=data)
    s = services.submission_submit(actor=owner_user, submission=s)
    business.refresh_from_db()
    assert business.investment_value == Decimal("150000000")  # unchanged until accepted
    services.submission_accept(actor=officer_region_a, submission=s)
    business.refresh_from_db()
    assert business.investment_value == Decimal("210000000.00")
    assert (business.workforce_male, business.workforce_female) == (6, 3)
    assert business.turnover == Decimal("480000000.00")  # no previous semester: twice this one
    assert business.raw_materials == "kayu jati"
    assert AuditEvent.objects.filter(
        action="registry.business.updated", object_id=str(business.pk), actor=officer_region_a
    ).exists()


def test_business_report_refused_by_registry_rolls_back_acceptance(db, owner_user, officer_region_a, monkeypatch):
    from sentra.centres import reports

    business = BusinessFactory(owners=[OwnerFactory(user=owner_user)])
    s = services.submission_start(
        actor=owner_user, form=report_form(BUSINESS_SEMESTER), subject=business, period=parse_period("2024S1")
    )
    s.state = SubmissionState.SUBMITTED
    s.save()

    def boom(**kwargs):
        raise ValidationError("registri menolak")

    monkeypatch.setattr("sentra.registry.services.business_update", boom)
    assert reports  # the hook imports business_update at call time
    with pytest.raises(ValidationError):
        services.submission_accept(actor=officer_region_a, submission=s)
    s.refresh_from_db()
    assert s.state == SubmissionState.SUBMITTED


def test_officer_fills_on_behalf_of_the_owner_attributed(db, owner_user, officer_region_a):
    business = BusinessFactory(owners=[OwnerFactory(user=owner_user)])
    s = services.submission_start(
        actor=officer_region_a, form=report_form(BUSINESS_SEMESTER), subject=business, period=parse_period("2024S1")
    )
    s = services.submission_save(
        actor=officer_region_a,
        submission=s,
        data={
            "investment_value": "1",
            "production_capacity": "1",
            "capacity_unit": "u",
            "production_volume": "1",
            "production_value": "1",
            "turnover": "1",
            "raw_materials": "x",
            "workforce_male": 1,
            "workforce_female": 0,
            "machinery": "x",
        },
    )
    s = services.submission_submit(actor=officer_region_a, submission=s)
    assert s.on_behalf and s.submitted_by == officer_region_a
    assert AuditEvent.objects.get(action="periodic.submission.submitted", object_id=str(s.pk)).note


def test_scope_of_submissions(db, centre, centre_manager, owner_user, officer_region_b):
    s = _start(centre_manager, centre)
    assert list(Submission.objects.visible_to(centre_manager)) == [s]
    assert not Submission.objects.visible_to(owner_user).exists()
    assert not Submission.objects.visible_to(officer_region_b).exists()
    other = CentreFactory()
    assert not Submission.objects.visible_to(centre_manager).filter(subject_id=other.pk).exists()


def test_completeness_and_timeliness(db, centre, centre_manager, officer_region_a):
    CentreFactory()  # a second operating centre that never reports
    today = dt.date(2024, 4, 20)
    on_time = services.submission_save(
        actor=centre_manager, submission=_start(centre_manager, centre, "202403"), data=GOOD
    )
    services.submission_submit(actor=centre_manager, submission=on_time)
    Submission.objects.filter(pk=on_time.pk).update(submitted_at=timezone.make_aware(dt.datetime(2024, 4, 8, 9)))
    late = services.submission_save(
        actor=centre_manager, submission=_start(centre_manager, centre, "202402"), data=GOOD
    )
    services.submission_submit(actor=centre_manager, submission=late)
    Submission.objects.filter(pk=late.pk).update(submitted_at=timezone.make_aware(dt.datetime(2024, 3, 25, 9)))
    rows = {
        r.period.code: r for r in completeness(user=officer_region_a, form=report_form(CENTRE_MONTHLY), today=today)
    }
    assert (rows["202403"].expected, rows["202403"].submitted, rows["202403"].on_time) == (2, 1, 1)
    assert rows["202403"].completeness == 50.0 and rows["202403"].timeliness == 50.0
    assert (rows["202402"].submitted, rows["202402"].on_time) == (1, 0)
    assert rows["202401"].submitted == 0


def test_reminders_email_and_notice_once(db, centre, centre_manager, django_capture_on_commit_callbacks):
    today = dt.date(2024, 2, 7)  # January's report is due on 10 February
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is a job queued on commit
        assert send_reminders(today=today) == 1
    assert len(mail.outbox) == 1 and "Januari 2024" in mail.outbox[0].body
    notice = Notice.objects.get(user=centre_manager)
    assert "/laporan-berkala/mulai/centre-monthly/" in notice.url
    assert send_reminders(today=today) == 0  # once only
    assert send_reminders(today=dt.date(2024, 1, 20)) == 0  # too early for December? (due 10 Jan: passed)


def test_no_reminder_when_already_submitted(db, centre, centre_manager):
    s = services.submission_save(actor=centre_manager, submission=_start(centre_manager, centre, "202401"), data=GOOD)
    services.submission_submit(actor=centre_manager, submission=s)
    assert send_reminders(today=dt.date(2024, 2, 7)) == 0
