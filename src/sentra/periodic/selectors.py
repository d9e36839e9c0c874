"""Reads of periodic reporting: submissions, the reporter's to-do list, completeness and timeliness."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from sentra.core.querysets import scoped_get_or_404
from sentra.periodic.models import Submission, SubmissionState
from sentra.periodic.periods import Period, last_closed_period, recent_periods
from sentra.periodic.registry import ReportForm, report_forms

DONE = (SubmissionState.SUBMITTED, SubmissionState.ACCEPTED)


def submission_list(*, user: Any) -> QuerySet[Submission]:
    return Submission.objects.visible_to(user).select_related("region", "submitted_by", "reviewed_by")


def submission_get(*, user: Any, pk: Any, action: str = "view") -> Submission:
    qs = Submission.objects.select_related("region", "submitted_by", "reviewed_by", "subject_type", "created_by")
    return scoped_get_or_404(qs, user, pk, action)


def forms_for(user: Any) -> list[ReportForm]:
    """The report forms this user fills or reviews."""
    scope = user.scope
    if user.is_superuser or scope.kind in ("national", "region"):
        return report_forms()
    return [f for f in report_forms() if scope.kind in f.reporter_scopes]


def reporting_forms_for(user: Any) -> list[ReportForm]:
    """The forms this user is the reporter of: officers report the forms no other role reports (e.g. DAK);
    they fill the others only on a reporter's behalf, from the subject's page."""
    scope = user.scope
    if user.is_superuser or scope.kind in ("national", "region"):
        return [f for f in report_forms() if not f.reporter_scopes]
    return [f for f in report_forms() if scope.kind in f.reporter_scopes]


@dataclass
class TodoItem:
    form: ReportForm
    subject: Any
    period: Period
    submission: Submission | None

    @property
    def due_date(self) -> dt.date:
        return self.form.due_date(self.period)


def todo(*, user: Any, today: dt.date | None = None, limit: int = 50) -> list[TodoItem]:
    """For each form and each subject the user may report for: the last closed period's report and its state."""
    today = today or timezone.localdate()
    items: list[TodoItem] = []
    for form in reporting_forms_for(user):
        if not form.has_expected:
            continue
        if form.is_event_relative:
            items.extend(
                TodoItem(form, subject, period, submission)
                for subject, period, submission in open_event_reports(
                    form,
                    form.expected_subjects(None, None).filter(pk__in=form.visible_subjects(user).values("pk"))[:limit],
                    today,
                )
            )
            continue
        period = last_closed_period(today, form.period_type)
        subjects = list(
            form.expected_subjects(None, period).filter(pk__in=form.visible_subjects(user).values("pk"))[:limit]
        )
        if not subjects:
            continue
        subs = {
            s.subject_id: s
            for s in Submission.objects.filter(
                form_code=form.code,
                subject_type=ContentType.objects.get_for_model(form.model),
                subject_id__in=[s.pk for s in subjects],
                period=period.code,
            )
        }
        items.extend(TodoItem(form, s, period, subs.get(s.pk)) for s in subjects)
    return items


def open_event_reports(form: ReportForm, subjects: Any, today: dt.date) -> list[tuple[Any, Period, Submission | None]]:
    """An event-relative form's reports still to send: each subject's periods that have begun by ``today``, not yet
    sent here nor recorded elsewhere (``done_elsewhere``), with the draft if one was started. Two queries."""
    subjects = list(subjects)
    if not subjects:
        return []
    subs = {
        (s.subject_id, s.period): s
        for s in Submission.objects.filter(
            form_code=form.code,
            subject_type=ContentType.objects.get_for_model(form.model),
            subject_id__in=[s.pk for s in subjects],
        )
    }
    elsewhere = form.done_elsewhere(subjects) if form.done_elsewhere else set()
    out = []
    for subject in subjects:
        for period in form.subject_periods(subject):
            key = (subject.pk, period.code)
            submission = subs.get(key)
            if period.start > today or key in elsewhere or (submission is not None and submission.state in DONE):
                continue
            out.append((subject, period, submission))
    return out


@dataclass
class CompletenessRow:
    region: Any
    period: Period
    expected: int
    submitted: int
    on_time: int
    accepted: int
    #: The period's deadline, and whether it has passed (only then is an unsent report late).
    due: dt.date | None = None
    is_due: bool = False

    @property
    def completeness(self) -> float | None:
        return round(100 * self.submitted / self.expected, 1) if self.expected else None

    @property
    def timeliness(self) -> float | None:
        return round(100 * self.on_time / self.expected, 1) if self.expected else None

    @property
    def late(self) -> int:
        """Reports not sent by the deadline once it has passed: sent after it, or not sent at all."""
        return max(self.expected - self.on_time, 0) if self.is_due else 0


def scope_region_ids(user: Any) -> list[str] | None:
    scope = user.scope
    return None if (user.is_superuser or scope.kind == "national") else sorted(scope.region_ids)


def _expected_by_period(
    form: ReportForm, region_ids: list[str] | None, period_list: list[Period]
) -> tuple[dict[str, QuerySet], Q]:
    """Per period the expected subjects, and the condition that keeps only their submissions (so a report of a
    subject no longer expected counts nowhere: expected, sent, on time and late stay one consistent set)."""
    if form.expected_for is None:
        qs = form.expected_subjects(region_ids, period_list[0]) if period_list else form.model._default_manager.none()
        return {p.code: qs for p in period_list}, Q(subject_id__in=qs.values("pk"))
    by_period = {p.code: form.expected_subjects(region_ids, p) for p in period_list}
    condition = Q(pk__in=[])
    for code, qs in by_period.items():
        condition |= Q(period=code, subject_id__in=qs.values("pk"))
    return by_period, condition


def sent_on_time() -> Q:
    """A report counts as on time when it is sent (or accepted) by its due date, in local days."""
    return Q(state__in=DONE, submitted_at__date__lte=F("due_date"))


def completeness_rows(
    *, form: ReportForm, region_ids: list[str] | None, periods: list[Period], today: dt.date, user: Any = None
) -> list[CompletenessRow]:
    """The one computation of completeness and timeliness (DHIS2's reporting rate): per region and period, the
    reports expected / sent / sent on time / accepted / late. The periodic page, the DAK pages and the dashboard
    all count from here. Grouped queries: one for the submissions, one per distinct set of expected subjects."""
    from sentra.regions.models import Region

    if not form.has_expected or not periods or form.is_event_relative:
        return []
    by_period, only_expected = _expected_by_period(form, region_ids, periods)
    expected: dict[tuple[str, str], int] = {}
    if form.expected_for is None:
        counted = dict(by_period[periods[0].code].order_by().values_list("region_id").annotate(n=Count("pk")))
        expected = {(r, p.code): n for r, n in counted.items() for p in periods}
    else:
        for code, qs in by_period.items():
            for region_id, n in qs.order_by().values_list("region_id").annotate(n=Count("pk")):
                expected[(region_id, code)] = n
    submissions = Submission.objects.visible_to(user) if user is not None else Submission.objects.all()
    if region_ids is not None:
        submissions = submissions.filter(region_id__in=region_ids)
    counts = (
        submissions.filter(
            only_expected,
            form_code=form.code,
            subject_type=ContentType.objects.get_for_model(form.model),
            period__in=[p.code for p in periods],
        )
        .order_by()
        .values("region_id", "period")
        .annotate(
            submitted=Count("pk", filter=Q(state__in=DONE)),
            # not ``on_time``: that is a property of a submission
            sent_on_time=Count("pk", filter=sent_on_time()),
            accepted=Count("pk", filter=Q(state=SubmissionState.ACCEPTED)),
        )
    )
    by_key: dict[tuple[str, str], Any] = {(c["region_id"], c["period"]): c for c in counts}
    dues = {p.code: form.due_date(p) for p in periods}
    codes = {k[0] for k in expected} | {k[0] for k in by_key}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    rows = []
    for code in sorted(regions):
        for period in periods:
            c = by_key.get((code, period.code), {})
            n = expected.get((code, period.code), 0)
            if form.expected_for is not None and not n and not c:
                continue  # nothing expected of this region in this period (no allocation that year)
            due = dues[period.code]
            rows.append(
                CompletenessRow(
                    regions[code],
                    period,
                    n,
                    c.get("submitted", 0),
                    c.get("sent_on_time", 0),
                    c.get("accepted", 0),
                    due=due,
                    is_due=today > due,
                )
            )
    return rows


def completeness(
    *,
    user: Any,
    form: ReportForm,
    periods: int = 6,
    today: dt.date | None = None,
    period_list: list[Period] | None = None,
) -> list[CompletenessRow]:
    """Completeness and timeliness within the user's scope: the last ``periods`` closed periods, or the given
    ``period_list`` (e.g. the quarters of one year)."""
    today = today or timezone.localdate()
    if form.is_event_relative:
        return []  # counted per event by the owning app (a class's answer rates), not per calendar period
    if period_list is None:
        period_list = recent_periods(today, form.period_type, periods)
    return completeness_rows(form=form, region_ids=scope_region_ids(user), periods=period_list, today=today, user=user)


@dataclass(frozen=True)
class DueReport:
    """One expected report whose deadline has passed, with the day it was sent (None while unsent)."""

    subject: Any
    period: Period
    due: dt.date
    submitted_on: dt.date | None
    submission_id: int | None

    @property
    def late(self) -> bool:
        return self.submitted_on is None or self.submitted_on > self.due

    @property
    def state(self) -> str:
        if self.submitted_on is None:
            return "missing"
        return "late" if self.late else "on_time"


def due_reports(
    *, form: ReportForm, region_ids: list[str] | None, periods: list[Period], today: dt.date | None = None
) -> list[DueReport]:
    """Every expected report of these periods whose deadline has passed, one per subject and period: the list
    behind ``completeness_rows``' ``late`` (the same expected subjects, the same on-time rule), for pages that
    name the reports. One query per period for the subjects, one for the submissions."""
    today = today or timezone.localdate()
    dues = {p.code: form.due_date(p) for p in periods}
    due_periods = [p for p in periods if today > dues[p.code]]
    if not form.has_expected or not due_periods or form.is_event_relative:
        return []
    by_period, only_expected = _expected_by_period(form, region_ids, due_periods)
    sent = {
        (s.subject_id, s.period): s
        for s in Submission.objects.filter(
            only_expected,
            form_code=form.code,
            subject_type=ContentType.objects.get_for_model(form.model),
            period__in=[p.code for p in due_periods],
            state__in=DONE,
        ).only("id", "subject_id", "period", "submitted_at", "due_date")
    }
    out = []
    for period in sorted(due_periods):
        for subject in by_period[period.code]:
            s = sent.get((subject.pk, period.code))
            sent_on = timezone.localdate(s.submitted_at) if s is not None and s.submitted_at else None
            due = s.due_date if s is not None else dues[period.code]
            out.append(DueReport(subject, period, due, sent_on, s.pk if s is not None else None))
    return out
