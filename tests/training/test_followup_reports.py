"""The alumni follow-up on the periodic-report mechanism: event-relative due points, the owner's own answers
through the one follow-up service, answer rates per class, and reminders for the missing ones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sentra.core.models import AuditEvent
from sentra.periodic import services as periodic_services
from sentra.periodic.models import Notice, Submission, SubmissionState
from sentra.periodic.periods import PeriodType, add_months, period_after_event
from sentra.periodic.reminders import send_reminders
from sentra.training import selectors, services
from sentra.training.followup_reports import FORM_CODE, followup_form
from sentra.training.models import FollowUp, Participant
from tests.training.factories import make_batch, make_participant

pytestmark = pytest.mark.django_db

TODAY = dt.date(2023, 9, 1)


@pytest.mark.parametrize(
    ("end", "months", "point"),
    [
        (dt.date(2022, 7, 25), 3, dt.date(2022, 10, 25)),
        (dt.date(2022, 7, 25), 12, dt.date(2023, 7, 25)),
        (dt.date(2022, 8, 31), 6, dt.date(2023, 2, 28)),  # a shorter month: its last day
        (dt.date(2023, 8, 31), 6, dt.date(2024, 2, 29)),  # leap year
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2022, 11, 30), 3, dt.date(2023, 2, 28)),
        (dt.date(2022, 10, 31), 3, dt.date(2023, 1, 31)),
    ],
)
def test_due_points_are_months_after_the_class_end(end, months, point):
    period = period_after_event(end, months)
    assert add_months(end, months) == point
    assert (period.start, period.end, period.code, period.period_type) == (point, point, f"B{months}", "event")
    assert followup_form().due_date(period) == point + dt.timedelta(days=30)


def test_form_resolves_its_periods_from_the_subject():
    batch = make_batch(end=dt.date(2022, 8, 31))
    p = make_participant(batch)
    form = followup_form()
    assert [x.code for x in form.subject_periods(p)] == ["B3", "B6", "B12"]
    assert form.resolve_period("b6", p).start == dt.date(2023, 2, 28)
    with pytest.raises(Exception, match="tidak dikenal"):
        form.resolve_period("B4", p)
    assert form.period_type == PeriodType.EVENT


def _owner_of(participant, user):
    participant.owner.user = user
    participant.owner.save(update_fields=["user"])
    return participant


def _answer(actor, participant, code="B3", **data):
    form = followup_form()
    period = form.resolve_period(code, participant)
    sub = periodic_services.submission_start(actor=actor, form=form, subject=participant, period=period)
    values = {"turnover": "250000000", "workforce": 4, "nib": "", "products": "Keripik"} | data
    sub = periodic_services.submission_save(actor=actor, submission=sub, data=values)
    return periodic_services.submission_submit(actor=actor, submission=sub)


def test_owner_submits_and_the_followup_is_stored_with_source_pemilik(owner_user):
    batch = make_batch()
    p = _owner_of(make_participant(batch), owner_user)
    sub = _answer(owner_user, p, nib="9120001234567")
    assert sub.state == SubmissionState.SUBMITTED and not sub.on_behalf
    f = FollowUp.objects.get(participant=p, months=3)
    assert f.source == "pemilik" and f.recorded_by == owner_user
    assert f.turnover == Decimal(250_000_000) and f.workforce == 4 and f.products == "Keripik" and f.nib_registered
    # The same audit event as the officer's entry, with the channel as its note.
    event = AuditEvent.objects.get(action="training.followup.created", object_id=str(f.pk))
    assert event.actor_id == owner_user.pk and event.note == "laporan berkala"
    p.business.refresh_from_db()
    assert p.business.turnover == Decimal(250_000_000) and p.business.workforce_total == 4


def test_officer_entry_records_petugas(officer_region_a):
    p = make_participant(make_batch())
    f = services.followup_record(
        actor=officer_region_a, participant=p, months=3, contacted_on=dt.date(2022, 10, 30), turnover=Decimal(1)
    )
    assert f.source == "petugas"
    assert AuditEvent.objects.filter(action="training.followup.created", object_id=str(f.pk)).exists()


def test_owner_cannot_answer_for_another_business(owner_user):
    batch = make_batch()
    mine = _owner_of(make_participant(batch), owner_user)
    other = make_participant(batch)
    with pytest.raises(PermissionDenied):
        services.followup_record(
            actor=owner_user, participant=other, source="pemilik", months=3, contacted_on=dt.date(2022, 11, 1)
        )
    # The periodic pages do not even show the other alumnus to them.
    url = reverse("periodic:submission_start", args=[FORM_CODE, other.pk, "B3"])
    from django.test import Client

    client = Client()
    client.force_login(owner_user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("periodic:submission_start", args=[FORM_CODE, mine.pk, "B3"])).status_code == 200
    assert not FollowUp.objects.filter(participant=other).exists()


def test_answer_rates_count_due_and_answered(officer_region_a, owner_user):
    batch = make_batch(end=dt.date(2022, 7, 25))
    a, b, c = (make_participant(batch) for _ in range(3))
    make_participant(batch, accept=False)  # not an alumnus: not asked
    _owner_of(a, owner_user)
    _answer(owner_user, a, "B3")
    services.followup_record(actor=officer_region_a, participant=b, months=3, contacted_on=dt.date(2022, 10, 26))
    services.followup_record(actor=officer_region_a, participant=b, months=6, contacted_on=dt.date(2023, 1, 26))
    rates = {r.months: r for r in selectors.batch_answer_rates(user=officer_region_a, batch=batch, today=TODAY)}
    assert (rates[3].due, rates[3].answered, rates[3].percent) == (3, 2, 66.7)
    assert (rates[6].due, rates[6].answered) == (3, 1)
    assert (rates[12].due, rates[12].answered, rates[12].percent) == (3, 0, 0.0)
    early = {
        r.months: r
        for r in selectors.batch_answer_rates(user=officer_region_a, batch=batch, today=dt.date(2022, 10, 1))
    }
    assert early[3].due == 2 and early[3].answered == 2  # only the early answers count before the point
    missing = selectors.followup_missing(user=officer_region_a, batch=batch, today=TODAY)
    assert {(r["participant"].pk, r["months"]) for r in missing} == {
        (c.pk, 3),
        (a.pk, 6),
        (c.pk, 6),
        (a.pk, 12),
        (b.pk, 12),
        (c.pk, 12),
    }


def test_reminders_are_sent_once(officer_region_a, owner_user, client_for, django_capture_on_commit_callbacks):
    batch = make_batch(end=dt.date(2022, 7, 25))
    p = _owner_of(make_participant(batch), owner_user)
    make_participant(batch)  # an alumnus without an account: listed, not reminded
    client = client_for(officer_region_a)
    url = reverse("training:followup_remind", args=[batch.pk])
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post(url).status_code == 302
    first = Notice.objects.filter(user=owner_user).count()
    assert first == 3  # the 3, 6 and 12-month points, all due and unanswered
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url)
    assert Notice.objects.filter(user=owner_user).count() == first
    assert send_reminders(today=dt.date(2022, 10, 26)) == 0  # the daily job uses the same once-only keys
    assert all(n.url.startswith(f"/laporan-berkala/mulai/{FORM_CODE}/{p.pk}/") for n in Notice.objects.all())


def test_daily_reminders_cover_event_relative_points(owner_user):
    batch = make_batch(end=dt.date(2022, 7, 25))
    _owner_of(make_participant(batch), owner_user)
    assert send_reminders(today=dt.date(2022, 11, 20)) == 1  # five days before the 3-month deadline
    assert send_reminders(today=dt.date(2022, 11, 21)) == 0
    assert Notice.objects.get(user=owner_user).key == f"{FORM_CODE}:{Participant.objects.get().pk}:B3"


def test_owner_home_shows_the_due_followup(client_for, owner_user):
    batch = make_batch(end=dt.date(2022, 7, 25))
    _owner_of(make_participant(batch), owner_user)
    page = client_for(owner_user).get("/").content.decode()
    assert 'data-testid="followups-due"' in page and "3 bulan sesudah kegiatan" in page


def test_class_page_answer_rates_and_query_count(client_for, officer_region_a, django_assert_max_num_queries):
    batch = make_batch(end=dt.date(2022, 7, 25))
    people = [make_participant(batch) for _ in range(3)]
    services.followup_record(
        actor=officer_region_a, participant=people[0], months=12, contacted_on=dt.date(2023, 7, 26)
    )
    client = client_for(officer_region_a)
    client.get(batch.get_absolute_url())
    with django_assert_max_num_queries(60) as few:
        page = client.get(batch.get_absolute_url()).content.decode()
    assert 'data-testid="answer-rate-12-percent">33,3%' in page
    for _ in range(5):
        make_participant(batch)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(batch.get_absolute_url())


def test_submission_of_a_followup_is_refused_when_an_officer_recorded_it(owner_user, officer_region_a):
    batch = make_batch(end=dt.date(2022, 7, 25))
    p = _owner_of(make_participant(batch), owner_user)
    services.followup_record(actor=officer_region_a, participant=p, months=3, contacted_on=dt.date(2022, 10, 26))
    with pytest.raises(Exception, match="sudah dicatat"):
        _answer(owner_user, p, "B3")
    assert not Submission.objects.filter(state=SubmissionState.SUBMITTED).exists()


def test_overview_shows_rates_per_class_in_scope_with_few_queries(
    client_for, officer_region_a, officer_region_b, django_assert_max_num_queries
):
    first = make_batch(end=dt.date(2022, 7, 25))
    people = [make_participant(first) for _ in range(2)]
    services.followup_record(
        actor=officer_region_a, participant=people[0], months=3, contacted_on=dt.date(2022, 10, 26)
    )
    other = make_batch(region_id="74.72", end=dt.date(2022, 7, 25))
    make_participant(other)
    client = client_for(officer_region_a)
    url = reverse("training:followup_overview")
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        page = client.get(url).content.decode()
    assert f'data-testid="overview-{first.pk}-3">50%' in page
    assert f"overview-{other.pk}" not in page
    for _ in range(3):
        batch = make_batch(end=dt.date(2023, 1, 10))
        make_participant(batch)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('data-testid="overview-') >= 4
    assert client_for(officer_region_b).get(url).content.decode().count(f"overview-{first.pk}") == 0
