"""The DAK quarterly reports move onto the periodic-report mechanism (``budget.reports``, form ``dak-quarterly``).

Each ``QuarterlyReport`` becomes a ``periodic.Submission`` of its allocation for ``<year>Q<n>``: the generated
figures and rows stay in ``data`` with the problems written by the officer; a submitted report is a submitted
submission with the same time, sender and deadline (so it stays on time or late as it was), a draft stays a draft.
Its audit events move with it (content type and id), so the report's history ("Riwayat") is kept whole.
"""

import datetime as dt

from django.db import migrations

FORM = "dak-quarterly"


def _quarter(year, quarter):  # type: ignore[no-untyped-def]
    start = dt.date(year, 3 * quarter - 2, 1)
    end = (dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)) - dt.timedelta(days=1)
    return f"{year}Q{quarter}", start, end


def to_submissions(apps, schema_editor):  # type: ignore[no-untyped-def]
    QuarterlyReport = apps.get_model("budget", "QuarterlyReport")
    Submission = apps.get_model("periodic", "Submission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    old_type = ContentType.objects.filter(app_label="budget", model="quarterlyreport").first()
    new_type, _ = ContentType.objects.get_or_create(app_label="periodic", model="submission")
    allocation_type, _ = ContentType.objects.get_or_create(app_label="budget", model="allocation")
    reports = QuarterlyReport.objects.select_related("allocation__fund__fiscal_year", "allocation__region")
    for report in reports.order_by("pk").iterator():
        allocation = report.allocation
        fund = allocation.fund
        code, start, end = _quarter(fund.fiscal_year.year, report.quarter)
        sent = report.status == "submitted"
        data = dict(report.data or {})
        data["problems"] = report.problems
        data.setdefault("as_of", report.as_of.isoformat())
        submission, created = Submission.objects.get_or_create(
            form_code=FORM,
            subject_type=allocation_type,
            subject_id=allocation.pk,
            period=code,
            defaults={
                "region_id": report.region_id,
                "period_type": "quarterly",
                "period_start": start,
                "period_end": end,
                "due_date": report.due_on,
                "subject_label": f"{fund.get_kind_display()} TA {fund.fiscal_year.year} — {allocation.region.name}"[
                    :255
                ],
                "state": "submitted" if sent else "draft",
                "data": data,
                "submitted_at": report.submitted_at if sent else None,
                "submitted_by_id": report.submitted_by_id if sent else None,
                "version": report.version,
            },
        )
        if not created:
            continue  # already reported on periodic: that one stands, the old row goes
        Submission.objects.filter(pk=submission.pk).update(created_at=report.created_at, updated_at=report.updated_at)
        if old_type is not None:
            AuditEvent.objects.filter(content_type=old_type, object_id=str(report.pk)).update(
                content_type=new_type, object_id=str(submission.pk)
            )
    reports.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0004_budget_line_centre"),
        ("periodic", "0001_initial"),
        ("core", "0003_audit_event_version"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(to_submissions, migrations.RunPython.noop)]
