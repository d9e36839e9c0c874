"""The allocation import kind: the official table, idempotent re-import, the ceiling, and scope."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sentra.budget.choices import AllocationSource
from sentra.budget.models import Allocation
from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import
from sentra.core.models import AuditEvent
from tests.budget.factories import make_fund
from tests.core.importing_helpers import csv_bytes

pytestmark = pytest.mark.django_db
HEADER = ["No", "Tahun", "Jenis DAK", "Kode", "Pemda", "Pagu"]


def _run(tmp_path, rows, user, **kw):
    path = tmp_path / "alokasi.csv"
    path.write_bytes(csv_bytes([HEADER, *rows], delimiter=";"))
    return run_import(path=path, filename="alokasi.csv", kind=get_kind("budget_allocation"), user=user, **kw)


def test_official_table_is_imported_and_reimport_changes_nothing(tmp_path, national_admin):
    fund = make_fund(year=2040, ceiling=Decimal(3_000_000_000))
    rows = [
        [1, "2040", "DAK Fisik", "7471", "Kota Kendari", "Rp 1.250.000.000"],
        [2, "2040", "dak fisik", "74.72", "Kota Bau Bau", "1.750.000.000"],
    ]
    outcome = _run(tmp_path, rows, national_admin)
    assert outcome.committed and outcome.stats.created == 2
    a = Allocation.objects.get(fund=fund, region_id="74.71")
    assert a.amount == Decimal(1_250_000_000) and a.source == AllocationSource.IMPORTED
    events = AuditEvent.objects.filter(action="budget.allocation.created").count()
    outcome = _run(tmp_path, rows, national_admin)
    assert outcome.stats.unchanged == 2 and outcome.stats.created == 0
    assert AuditEvent.objects.filter(action="budget.allocation.created").count() == events


def test_a_file_over_the_ceiling_is_refused_whole(tmp_path, national_admin):
    fund = make_fund(year=2041, ceiling=Decimal(3_000_000_000))
    rows = [
        [1, "2041", "DAK Fisik", "74.71", "Kota Kendari", "1.500.000.000"],
        [2, "2041", "DAK Fisik", "74.72", "Kota Bau Bau", "1.500.000.001"],
    ]
    outcome = _run(tmp_path, rows, national_admin)
    assert not outcome.committed and outcome.rejected == 1
    assert not Allocation.objects.filter(fund=fund).exists()


def test_unknown_fund_and_non_regency_codes_are_reported(tmp_path, national_admin):
    make_fund(year=2042)
    rows = [
        [1, "2042", "DAK Nonfisik", "74.71", "Kota Kendari", "100.000.000"],  # no nonfisik fund for 2042
        [2, "2042", "DAK Fisik", "74", "Sulawesi Tenggara", "100.000.000"],  # a province
    ]
    outcome = _run(tmp_path, rows, national_admin)
    assert outcome.rejected == 2 and not outcome.committed


def test_regency_officer_may_not_import_allocations(tmp_path, officer_region_a):
    from django.core.exceptions import PermissionDenied

    make_fund(year=2043)
    with pytest.raises(PermissionDenied):
        _run(tmp_path, [[1, "2043", "DAK Fisik", "74.71", "Kota Kendari", "1"]], officer_region_a)
