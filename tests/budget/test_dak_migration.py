"""The data migration that moves the DAK quarterly reports onto periodic reporting (budget 0005, then 0006 drops
the old table): run with Django's migration executor on rows written through the historical models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = ("budget", "0004_budget_line_centre")

pytestmark = pytest.mark.django_db(transaction=True)


def _aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_quarterly_reports_become_submissions_with_their_history():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "budget"]
    old = executor.loader.project_state([*others, BEFORE]).apps
    FiscalYear = old.get_model("budget", "FiscalYear")
    Fund = old.get_model("budget", "Fund")
    Allocation = old.get_model("budget", "Allocation")
    QuarterlyReport = old.get_model("budget", "QuarterlyReport")
    AuditEvent = old.get_model("core", "AuditEvent")
    ContentType = old.get_model("contenttypes", "ContentType")
    User = old.get_model("accounts", "User")

    officer = User.objects.create(username="petugas-migrasi", role="regency_officer", region_id="74.71")
    fy = FiscalYear.objects.create(year=2015, report_due_days=12)
    fund = Fund.objects.create(fiscal_year=fy, kind="fisik", name="DAK Fisik 2015", ceiling=Decimal(10**10))
    allocation = Allocation.objects.create(fund=fund, region_id="74.71", amount=Decimal(10**9))
    sent = QuarterlyReport.objects.create(
        allocation=allocation,
        region_id="74.71",
        quarter=2,
        status="submitted",
        due_on=dt.date(2015, 7, 12),
        as_of=dt.date(2015, 6, 30),
        problems="Hujan deras",
        data={"paid": "100.00", "rows": [{"line_id": 1, "description": "Mesin"}]},
        submitted_at=_aware(dt.date(2015, 7, 14)),  # two days late
        submitted_by=officer,
        version=3,
    )
    draft = QuarterlyReport.objects.create(
        allocation=allocation,
        region_id="74.71",
        quarter=3,
        due_on=dt.date(2015, 10, 12),
        as_of=dt.date(2015, 9, 30),
        data={"paid": "150.00", "rows": []},
    )
    report_type, _ = ContentType.objects.get_or_create(app_label="budget", model="quarterlyreport")
    for action in ("budget.quarterlyreport.created", "budget.quarterlyreport.submitted"):
        AuditEvent.objects.create(
            action=action, content_type=report_type, object_id=str(sent.pk), object_repr="TW2", region_id="74.71"
        )
    AuditEvent.objects.create(
        action="budget.quarterlyreport.created",
        content_type=report_type,
        object_id=str(draft.pk),
        object_repr="TW3",
        region_id="74.71",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.contenttypes.models import ContentType as CurrentContentType

    from sentra.budget.models import Allocation as CurrentAllocation
    from sentra.budget.reports import DAK_QUARTERLY
    from sentra.core.models import AuditEvent as CurrentAuditEvent
    from sentra.periodic.models import Submission

    assert "budget_quarterlyreport" not in connection.introspection.table_names()
    rows = {s.period: s for s in Submission.objects.filter(form_code=DAK_QUARTERLY, subject_id=allocation.pk)}
    assert sorted(rows) == ["2015Q2", "2015Q3"]
    q2, q3 = rows["2015Q2"], rows["2015Q3"]
    assert q2.subject_type == CurrentContentType.objects.get_for_model(CurrentAllocation)
    assert (q2.state, q2.due_date, q2.submitted_at, q2.submitted_by_id) == (
        "submitted",
        dt.date(2015, 7, 12),
        _aware(dt.date(2015, 7, 14)),
        officer.pk,
    )
    assert (q2.period_start, q2.period_end, q2.region_id, q2.version) == (
        dt.date(2015, 4, 1),
        dt.date(2015, 6, 30),
        "74.71",
        3,
    )
    assert q2.on_time is False  # late before, late after
    assert q2.data["problems"] == "Hujan deras" and q2.data["paid"] == "100.00" and q2.data["as_of"] == "2015-06-30"
    assert q2.data["rows"] == [{"line_id": 1, "description": "Mesin"}]
    assert q2.subject_label == str(CurrentAllocation.objects.get(pk=allocation.pk))  # as a new report names it
    assert (q3.state, q3.submitted_at, q3.data["problems"]) == ("draft", None, "")
    # The history moved with each report.
    submission_type = CurrentContentType.objects.get_for_model(Submission)
    history = CurrentAuditEvent.objects.filter(content_type=submission_type)
    assert sorted(history.filter(object_id=str(q2.pk)).values_list("action", flat=True)) == [
        "budget.quarterlyreport.created",
        "budget.quarterlyreport.submitted",
    ]
    assert list(history.filter(object_id=str(q3.pk)).values_list("action", flat=True)) == [
        "budget.quarterlyreport.created"
    ]
    assert not CurrentAuditEvent.objects.filter(content_type__model="quarterlyreport").exists()
