"""Report forms. Domain apps register theirs at start-up (``register_report_form``); core imports none of them.

A report form is DHIS2's *data set*: one period type, a list of fields, the kind of subject it is reported for
(a centre, a business, a DAK allocation ...), and hooks for what happens around a submission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from sentra.core.querysets import ScopedQuerySet
from sentra.periodic.periods import Period, PeriodType, parse_period, period_after_event


@dataclass(frozen=True)
class ReportField:
    name: str
    label: Any
    #: ``int``, ``decimal``, ``money`` or ``text``.
    kind: str = "decimal"
    required: bool = True
    help_text: Any = ""
    #: Compare with the previous period and flag changes above ``JUMP_FACTOR`` (or below its inverse).
    check_jump: bool = False
    #: Computed by the form's ``compute`` hook, shown read-only.
    computed: bool = False
    #: Copy the previous period's value into a new report (DHIS2's "pre-fill from last period").
    prefill: bool = True
    #: A text field for several lines (problems, notes); short text otherwise.
    multiline: bool = False


@dataclass(frozen=True)
class ReportForm:
    code: str
    title: Any
    period_type: str
    #: The subject model as an app label, e.g. ``"centres.centre"``.
    subject_model: str
    fields: tuple[ReportField, ...]
    #: Days after the period's end by which the report is due.
    due_days: int = 10
    #: Scope kinds (besides officers) who see and fill these reports, through the subject's own ``visible_to``.
    reporter_scopes: tuple[str, ...] = ("centre",)
    #: The subjects expected to report, within some regions: ``expected(region_ids) -> QuerySet``.
    expected: Callable[[list[str] | None], QuerySet] | None = None
    #: The users to remind about one subject.
    reporters: Callable[[Any], list[Any]] = lambda subject: []
    #: Values computed from the subject for a period (e.g. occupancy), merged into the data.
    compute: Callable[[Any, Any], dict[str, Any]] | None = None
    #: Called inside the acceptance transaction, e.g. to update the registry.
    on_accept: Callable[..., None] | None = None
    #: Fields the reporter may not leave empty, and other checks: ``validate(data) -> {field: message}``.
    validate: Callable[[dict[str, Any]], dict[str, str]] | None = None
    description: Any = ""
    extra: dict[str, Any] = field(default_factory=dict)
    #: When the subjects expected depend on the period (a DAK allocation reports the quarters of its own fiscal
    #: year): ``expected_for(region_ids, period) -> QuerySet``; it takes the place of ``expected``.
    expected_for: Callable[[list[str] | None, Any], QuerySet] | None = None
    #: When the deadline is data (a fiscal year's rule): ``due(period) -> date``; else period end + ``due_days``.
    due: Callable[[Any], dt.date] | None = None
    #: Refuse to start a report (``check_start(subject, period)`` raises a ValidationError), e.g. a DAK report
    #: before the activity plan is approved or outside the allocation's fiscal year.
    check_start: Callable[[Any, Any], None] | None = None
    #: Event-relative forms (``PeriodType.EVENT``): the day a subject's periods count from (a class's last day;
    #: None while it has not happened) and the months after it at which a report is asked for (3, 6, 12).
    event_date: Callable[[Any], dt.date | None] | None = None
    event_months: tuple[int, ...] = ()
    #: Reports recorded outside these pages (an officer typing an alumnus's answers), counted as done by the to-do
    #: list and the reminders: ``done_elsewhere(subjects) -> {(subject pk, period code)}``.
    done_elsewhere: Callable[[list[Any]], set[tuple[int, str]]] | None = None
    #: Called inside the submit transaction (``on_submit(actor=, submission=, subject=)``), e.g. to write the
    #: answers into the app's own record through its services; a ValidationError refuses the submission.
    on_submit: Callable[..., None] | None = None
    #: The region a subject's reports belong to, for subjects without their own ``region_id``.
    region_of: Callable[[Any], str] | None = None

    @property
    def is_event_relative(self) -> bool:
        return self.period_type == PeriodType.EVENT

    def subject_periods(self, subject: Any) -> list[Period]:
        """An event-relative form's periods for one subject (none before its event)."""
        event = self.event_date(subject) if self.event_date else None
        if event is None:
            return []
        return [period_after_event(event, months) for months in self.event_months]

    def resolve_period(self, code: str, subject: Any) -> Period:
        """The period ``code`` names for ``subject``: a calendar code, or an event-relative one (``B3``)."""
        if not self.is_event_relative:
            return parse_period(code)
        found = next((p for p in self.subject_periods(subject) if p.code == (code or "").strip().upper()), None)
        if found is None:
            raise ValidationError(_("Periode {code} tidak dikenal untuk laporan ini.").format(code=code))
        return found

    def subject_region(self, subject: Any) -> str:
        return self.region_of(subject) if self.region_of else subject.region_id

    def due_date(self, period: Any) -> dt.date:
        """The deadline of ``period``'s report: the one rule every page, reminder and count uses."""
        if self.due is not None:
            return self.due(period)
        return period.end + dt.timedelta(days=self.due_days)

    @property
    def has_expected(self) -> bool:
        return self.expected is not None or self.expected_for is not None

    def expected_subjects(self, region_ids: list[str] | None, period: Any) -> QuerySet:
        """The subjects expected to report ``period`` within these regions (None: everywhere)."""
        if self.expected_for is not None:
            return self.expected_for(region_ids, period)
        if self.expected is None:
            return self.model._default_manager.none()
        return self.expected(region_ids)

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.subject_model)

    def visible_subjects(self, user: Any, action: str = "view") -> QuerySet[Any]:
        """The subjects ``user`` may ``action``, by the subject model's own scoping."""
        # ``apps.get_model`` is typed as a plain Model; every subject model's manager is scoped (``visible_to``).
        return cast(ScopedQuerySet, self.model._default_manager).visible_to(user, action)

    def field(self, name: str) -> ReportField | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def input_fields(self) -> tuple[ReportField, ...]:
        return tuple(f for f in self.fields if not f.computed)


_FORMS: dict[str, ReportForm] = {}


def register_report_form(form: ReportForm) -> None:
    _FORMS[form.code] = form


def report_form(code: str) -> ReportForm | None:
    return _FORMS.get(code)


def report_forms() -> list[ReportForm]:
    return sorted(_FORMS.values(), key=lambda f: f.code)
