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
        return self.period.end + dt.timedelta(days=self.form.due_days)


def todo(*, user: Any, today: dt.date | None = None, limit: int = 50) -> list[TodoItem]:
    """For each form and each subject the user may report for: the last closed period's report and its state."""
    today = today or timezone.localdate()
    items: list[TodoItem] = []
    for form in reporting_forms_for(user):
        if form.expected is None:
            continue
        subjects = form.expected(None).filter(pk__in=form.model.objects.visible_to(user, "view").values("pk"))
        subjects = list(subjects[:limit])
        if not subjects:
            continue
        period = last_closed_period(today, form.period_type)
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


@dataclass
class CompletenessRow:
    region: Any
    period: Period
    expected: int
    submitted: int
    on_time: int
    accepted: int

    @property
    def completeness(self) -> float | None:
        return round(100 * self.submitted / self.expected, 1) if self.expected else None

    @property
    def timeliness(self) -> float | None:
        return round(100 * self.on_time / self.expected, 1) if self.expected else None


def completeness(
    *, user: Any, form: ReportForm, periods: int = 6, today: dt.date | None = None
) -> list[CompletenessRow]:
    """DHIS2's reporting rate: per region and period, reports expected / sent / sent on time / accepted.

    Two grouped queries whatever the number of regions, periods or subjects.
    """
    from sentra.regions.models import Region

    today = today or timezone.localdate()
    scope = user.scope
    region_ids = None if (user.is_superuser or scope.kind == "national") else sorted(scope.region_ids)
    if form.expected is None:
        return []
    expected_qs = form.expected(region_ids)
    expected = dict(expected_qs.order_by().values_list("region_id").annotate(n=Count("pk")))
    period_list = recent_periods(today, form.period_type, periods)
    counts = (
        Submission.objects.visible_to(user)
        .filter(form_code=form.code, period__in=[p.code for p in period_list])
        .order_by()
        .values("region_id", "period")
        .annotate(
            submitted=Count("pk", filter=Q(state__in=DONE)),
            on_time=Count("pk", filter=Q(state__in=DONE, submitted_at__date__lte=F("due_date"))),
            accepted=Count("pk", filter=Q(state=SubmissionState.ACCEPTED)),
        )
    )
    by_key = {(c["region_id"], c["period"]): c for c in counts}
    regions = {r.code: r for r in Region.objects.filter(code__in=set(expected) | {k[0] for k in by_key})}
    rows = []
    for code in sorted(regions):
        for period in period_list:
            c = by_key.get((code, period.code), {})
            rows.append(
                CompletenessRow(
                    regions[code],
                    period,
                    expected.get(code, 0),
                    c.get("submitted", 0),
                    c.get("on_time", 0),
                    c.get("accepted", 0),
                )
            )
    return rows
