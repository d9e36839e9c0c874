"""Reminders before the deadline: an e-mail and an on-site notice to each reporter of a missing report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.mail import queue_mail
from sentra.periodic.models import Notice, Submission, SubmissionState
from sentra.periodic.periods import Period, last_closed_period
from sentra.periodic.registry import ReportForm, report_forms
from sentra.periodic.selectors import open_event_reports

#: Remind this many days before the due date (and on it).
REMIND_DAYS_BEFORE = 5


def send_reminders(*, today: dt.date | None = None) -> int:
    """Remind the reporters of every expected report that is due within ``REMIND_DAYS_BEFORE`` days and not yet
    sent. Each user gets one reminder per report (the notice's key); returns the number of reminders sent."""
    today = today or timezone.localdate()
    sent = 0
    for form in report_forms():
        if not form.has_expected:
            continue
        if form.is_event_relative:
            due_soon = [
                (subject, period)
                for subject, period, _draft in open_event_reports(form, form.expected_subjects(None, None), today)
                if today <= form.due_date(period) <= today + dt.timedelta(days=REMIND_DAYS_BEFORE)
            ]
            sent += remind(form, due_soon)
            continue
        period = last_closed_period(today, form.period_type)
        due = form.due_date(period)
        if not (due - dt.timedelta(days=REMIND_DAYS_BEFORE) <= today <= due):
            continue
        subjects = list(form.expected_subjects(None, period))
        if not subjects:
            continue
        ctype = ContentType.objects.get_for_model(form.model)
        done = set(
            Submission.objects.filter(
                form_code=form.code,
                subject_type=ctype,
                period=period.code,
                state__in=[SubmissionState.SUBMITTED, SubmissionState.ACCEPTED],
            ).values_list("subject_id", flat=True)
        )
        for subject in subjects:
            if subject.pk in done:
                continue
            url = reverse("periodic:submission_start", args=[form.code, subject.pk, period.code])
            message = _("{form} {subject} periode {period} belum dikirim; batas waktu {due}.").format(
                form=form.title, subject=subject, period=period.label, due=due.strftime("%d-%m-%Y")
            )
            for user in form.reporters(subject):
                if _notify(user, f"{form.code}:{subject.pk}:{period.code}", message, url):
                    sent += 1
    return sent


def remind(form: ReportForm, reports: list[tuple[Any, Period]]) -> int:
    """Remind the reporters of these reports (subject, period) now, e.g. an officer chasing a class's missing
    follow-ups. The same once-only key as the daily reminders: a report is never reminded twice to one user.
    Returns the number of reminders sent."""
    sent = 0
    for subject, period in reports:
        url = reverse("periodic:submission_start", args=[form.code, subject.pk, period.code])
        message = _("{form} {subject} ({period}) belum dikirim; batas waktu {due}.").format(
            form=form.title, subject=subject, period=period.label, due=form.due_date(period).strftime("%d-%m-%Y")
        )
        for user in form.reporters(subject):
            if _notify(user, f"{form.code}:{subject.pk}:{period.code}", message, url):
                sent += 1
    return sent


def _notify(user: Any, key: str, message: str, url: str) -> bool:
    try:
        with transaction.atomic():
            Notice.objects.create(user=user, key=key[:120], message=message[:300], url=url)
    except IntegrityError:
        return False  # already reminded
    if user.email:
        queue_mail(
            subject=_("Pengingat laporan berkala Sentra"),
            body=f"{message}\n\n{getattr(settings, 'SENTRA_SITE_URL', '')}{url}",
            to=[user.email],
        )
    return True
