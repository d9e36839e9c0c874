"""The DAK plan-line kind (``budget_line``) and the realisation kind (``budget_realisation``): rows through the
budget services (audited), their rules reported per row in Indonesian (the allocation's ceiling, a locked plan,
payments within the contract value, progress that does not go down), re-imports unchanged, and scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from sentra.budget.choices import PlanStatus
from sentra.budget.models import ActivityPlan, BudgetLine, Payment, ProgressReport
from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import
from sentra.core.models import AuditEvent, Job
from tests.budget.factories import make_allocation, make_contract, make_fund, make_line, make_plan
from tests.centres.factories import CentreFactory
from tests.core.importing_helpers import csv_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


LINE_HEADER = ["No", "Tahun", "Jenis DAK", "Kode", "Sub Menu", "Uraian Kegiatan", "Vol", "Satuan", "Harga Satuan",
               "Jumlah", "Sentra"]  # fmt: skip


def _run(tmp_path, kind, header, rows, user, **kwargs):
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(csv_bytes([header, *rows], delimiter=";"))
    return run_import(path=path, filename=path.name, kind=get_kind(kind), user=user, error_dir=tmp_path, **kwargs)


@pytest.fixture
def allocation():
    fund = make_fund(year=2044, ceiling=Decimal("9000000000"))
    return make_allocation(fund=fund, amount=Decimal("1000000000"))


def _line_rows(year=2044, centre=""):
    return [
        [1, year, "DAK Fisik", "74.71", "A.1", "Revitalisasi rumah produksi mebel", "100", "m²", "2.500.000",
         "250.000.000", centre],
        [2, year, "DAK Fisik", "74.71", "Mesin", "Pengadaan mesin pengering kayu", "2", "unit", "150.000.000",
         "", ""],
    ]  # fmt: skip


def test_plan_lines_are_added_through_the_services_to_a_new_draft_and_a_reimport_changes_nothing(
    tmp_path, officer_region_a, allocation
):
    centre = CentreFactory(name="Mebel Puuwatu")
    rows = _line_rows(centre="Sentra IKM Mebel Puuwatu")
    outcome = _run(tmp_path, "budget_line", LINE_HEADER, rows, officer_region_a)
    assert outcome.committed and outcome.stats.created == 2, outcome.messages
    plan = ActivityPlan.objects.get(allocation=allocation)
    assert plan.status == PlanStatus.DRAFT
    lines = {line.description: line for line in BudgetLine.objects.filter(plan=plan)}
    mebel = lines["Revitalisasi rumah produksi mebel"]
    assert (mebel.total, mebel.centre_id, mebel.sub_menu.code, mebel.output_name) == (
        Decimal("250000000.00"), centre.pk, "1", "Rumah produksi",
    )  # fmt: skip
    assert lines["Pengadaan mesin pengering kayu"].sub_menu.code == "2"
    assert AuditEvent.objects.filter(action="budget.budgetline.created").count() == 2
    assert AuditEvent.objects.filter(action="budget.activityplan.created").count() == 1
    events = AuditEvent.objects.count()
    again = _run(tmp_path, "budget_line", LINE_HEADER, rows, officer_region_a)
    assert again.committed and again.stats.unchanged == 2 and again.stats.created == again.stats.updated == 0
    assert AuditEvent.objects.count() == events and BudgetLine.objects.count() == 2


def test_a_changed_line_is_updated_and_the_ceiling_is_checked_per_row(tmp_path, officer_region_a, allocation):
    plan = make_plan(allocation=allocation)
    line = make_line(plan=plan, description="Pengadaan mesin pengering kayu", volume=Decimal(1),
                     unit_cost=Decimal(100_000_000), sub_menu=plan.allocation.fund.menus.get().sub_menus.get(code="2"))  # fmt: skip
    rows = _line_rows()
    rows.append([3, 2044, "DAK Fisik", "74.71", "A1", "Rumah kemasan", "1", "unit", "500.000.000", "", ""])
    outcome = _run(tmp_path, "budget_line", LINE_HEADER, rows, officer_region_a, partial=True)
    # 250 M + 300 M (the stored line, changed) = 550 M; the third row would make 1,05 M > 1 M.
    assert outcome.stats.created == 1 and outcome.stats.updated == 1 and outcome.rejected == 1, outcome.messages
    line.refresh_from_db()
    assert line.total == Decimal("300000000.00")
    [message] = outcome.messages
    assert message["line"] == 4 and message["errors"]["unit_cost"] == (
        "Jumlah rencana kegiatan akan menjadi Rp1.050.000.000, melebihi pagu alokasi Rp1.000.000.000. "
        "Sisa pagu Rp450.000.000."
    )


def test_a_locked_plan_takes_no_new_or_changed_line_but_an_unchanged_one_is_fine(
    tmp_path, officer_region_a, allocation
):
    plan = make_plan(allocation=allocation, status=PlanStatus.SUBMITTED)
    line = make_line(plan=plan, description="Pengadaan mesin pengering kayu", volume=Decimal(2),
                     unit_cost=Decimal(150_000_000), sub_menu=plan.allocation.fund.menus.get().sub_menus.get(code="2"))  # fmt: skip
    BudgetLine.objects.filter(pk=line.pk).update(output_name="Mesin", unit="unit")  # as the sub-menu names them
    outcome = _run(tmp_path, "budget_line", LINE_HEADER, _line_rows(), officer_region_a, partial=True)
    assert outcome.stats.unchanged == 1 and outcome.rejected == 1 and outcome.stats.created == 0
    [message] = outcome.messages
    assert message["line"] == 2 and message["errors"][""].startswith(
        "Rencana DAK Fisik bidang IKM TA 2044 Kota Kendari (74.71) "
    )
    assert "berstatus Diajukan kabupaten/kota dan terkunci" in message["errors"][""]


def test_bad_line_rows_are_reported_and_nothing_is_saved(tmp_path, officer_region_a, allocation):
    rows = [
        [1, 2044, "DAK Fisik", "74.71", "Z.9", "Kegiatan X", "1", "", "1.000", "", ""],
        [2, 2044, "DAK Fisik", "74.71", "A.1", "Kegiatan Y", "2", "", "1.000", "5.000", ""],
        [3, 2044, "DAK Fisik", "74.71", "A.1", "Kegiatan Z", "1", "", "1.000", "", "Sentra Entah"],
        [4, 2044, "DAK Nonfisik", "74.71", "A.1", "Kegiatan W", "1", "", "1.000", "", ""],
        [5, 2044, "DAK Fisik", "74.71", "A.1", "kegiatan  y", "2", "", "1.000", "", ""],
    ]
    outcome = _run(tmp_path, "budget_line", LINE_HEADER, rows, officer_region_a)
    assert not outcome.committed and not BudgetLine.objects.exists() and not ActivityPlan.objects.exists()
    errors = {m["line"]: m["errors"] for m in outcome.messages}
    assert errors[2]["sub_menu"] == "Sub-menu 'Z.9' tidak ada pada DAK Fisik bidang IKM TA 2044. Pilihan: A.1, A.2."
    assert errors[3]["total"] == "Jumlah Rp5.000 tidak sama dengan volume × harga satuan (Rp2.000)."
    assert errors[4]["centre"] == "Sentra 'Sentra Entah' tidak ada di Kota Kendari (74.71), wilayah rencana ini."
    assert errors[5]["fund"].startswith("Dana ini belum ada untuk TA 2044")
    assert 6 not in errors  # "kegiatan  y" is row 3's line: the duplicate is only refused once row 3 is valid
    reasons = {r["column"]: r["count"] for r in outcome.as_result()["reasons"]}
    assert reasons["Sub-menu"] == 1 and reasons["Jumlah (Rp)"] == 1


def test_a_duplicate_line_in_the_file_is_refused(tmp_path, officer_region_a, allocation):
    rows = [_line_rows()[1], [*_line_rows()[1][:5], "PENGADAAN mesin pengering-kayu", *_line_rows()[1][6:]]]
    rows[1][0] = 2
    outcome = _run(tmp_path, "budget_line", LINE_HEADER, rows, officer_region_a)
    assert not outcome.committed
    assert outcome.messages[0]["errors"][""] == "Sama dengan baris 2 (kunci identitas yang sama)."


def test_lines_of_another_regency_refuse_the_file(tmp_path, officer_region_a, allocation):
    make_allocation(fund=allocation.fund, region="74.72", amount=Decimal("1000000000"))
    rows = _line_rows()
    rows[1][3] = "74.72"
    outcome = _run(tmp_path, "budget_line", LINE_HEADER, rows, officer_region_a, partial=True)
    assert not outcome.committed and outcome.out_of_scope == 1 and not BudgetLine.objects.exists()
    assert "Kota Bau Bau (74.72), di luar wilayah kewenangan Anda (Kota Kendari (74.71))" in outcome.messages[0]["text"]


def test_the_province_may_not_import_plan_lines(tmp_path, province_officer, allocation):
    with pytest.raises(PermissionDenied):
        _run(tmp_path, "budget_line", LINE_HEADER, _line_rows(), province_officer)


REAL_HEADER = ["Kode", "No Kontrak", "Tgl Bayar", "Jumlah Bayar", "No SP2D", "Tanggal Laporan", "Realisasi Fisik",
               "Capaian Keluaran"]  # fmt: skip


@pytest.fixture
def contract():
    return make_contract(value=Decimal(500_000_000), number="027/SPK/2024")


def test_payments_and_progress_go_through_the_services_and_a_reimport_changes_nothing(
    tmp_path, officer_region_a, contract
):
    rows = [
        ["74.71", "027/spk/2024", "15/04/2024", "150.000.000", "SP2D-1", "30/04/2024", "40", "0"],
        ["74.71", "027/SPK/2024", "15/06/2024", "200.000.000", "SP2D-2", "", "", ""],
        ["", "027/SPK/2024", "", "", "", "30/06/2024", "75,5", "1"],
    ]
    outcome = _run(tmp_path, "budget_realisation", REAL_HEADER, rows, officer_region_a,
                   options={"default_region": "74.71"})  # fmt: skip
    assert outcome.committed and outcome.stats.created == 3, outcome.messages
    assert sorted(Payment.objects.values_list("reference", "amount")) == [
        ("SP2D-1", Decimal("150000000.00")), ("SP2D-2", Decimal("200000000.00")),
    ]  # fmt: skip
    assert list(ProgressReport.objects.order_by("reported_on").values_list("physical_pct", flat=True)) == [
        Decimal("40.00"), Decimal("75.50"),
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="budget.payment.created").count() == 2
    assert AuditEvent.objects.filter(action="budget.progressreport.created").count() == 2
    events = AuditEvent.objects.count()
    again = _run(tmp_path, "budget_realisation", REAL_HEADER, rows, officer_region_a,
                 options={"default_region": "74.71"})  # fmt: skip
    assert again.committed and again.stats.unchanged == 3 and again.stats.created == 0
    assert AuditEvent.objects.count() == events


def test_realisation_rules_are_reported_per_row(tmp_path, officer_region_a, contract):
    future = (dt.date.today() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    rows = [
        ["74.71", "027/SPK/2024", "15/04/2024", "400.000.000", "SP2D-1", "30/04/2024", "60", "0"],
        ["74.71", "027/SPK/2024", "16/04/2024", "100.000.001", "SP2D-2", "", "", ""],
        ["74.71", "027/SPK/2024", "", "", "", "31/05/2024", "50", "0"],
        ["74.71", "027/SPK/2024", "01/01/2024", "1.000", "SP2D-3", "", "", ""],
        ["74.71", "999/SPK/2024", "15/04/2024", "1.000", "", "", "", ""],
        ["74.71", "027/SPK/2024", "", "", "", future, "70", "1"],
        ["74.71", "027/SPK/2024", "", "", "", "", "", ""],
    ]
    outcome = _run(tmp_path, "budget_realisation", REAL_HEADER, rows, officer_region_a, partial=True)
    assert outcome.stats.created == 1 and outcome.rejected == 6
    errors = {m["line"]: m["errors"] for m in outcome.messages}
    assert errors[3]["amount"] == (
        "Pembayaran akan menjadi Rp500.000.001, melebihi nilai kontrak Rp500.000.000. Sisa yang dapat dibayar "
        "Rp100.000.000."
    )
    assert errors[4]["physical_pct"] == "Realisasi fisik tidak boleh turun dari laporan sebelumnya (60 persen)."
    assert errors[5]["paid_on"] == "Tanggal bayar tidak boleh sebelum tanggal kontrak."
    assert errors[6]["contract"] == (
        "Kontrak 999/SPK/2024 tidak ditemukan di Kota Kendari (74.71). Catat kontraknya lebih dulu di halaman baris "
        "anggaran."
    )
    assert errors[7]["reported_on"] == "Tanggal laporan tidak boleh di masa depan."
    assert errors[8][""].startswith("Isi pembayaran (tanggal bayar dan jumlah)")
    assert Payment.objects.get().amount == Decimal("400000000.00")


def test_a_plan_that_is_not_approved_takes_no_realisation(tmp_path, officer_region_a):
    line = make_line(plan=make_plan(status=PlanStatus.DRAFT))
    make_contract(line=line, number="K-DRAF")
    rows = [["74.71", "K-DRAF", "15/04/2024", "1.000", "", "", "", ""]]
    outcome = _run(tmp_path, "budget_realisation", REAL_HEADER, rows, officer_region_a)
    assert not outcome.committed
    assert outcome.messages[0]["errors"]["contract"].startswith("Kontrak, pembayaran dan kemajuan hanya dicatat")


def test_a_stored_payment_with_other_figures_is_not_changed(tmp_path, officer_region_a, contract):
    Payment.objects.create(contract=contract, region_id="74.71", paid_on=dt.date(2024, 4, 15),
                           amount=Decimal(1000), reference="SP2D-1")  # fmt: skip
    rows = [["74.71", "027/SPK/2024", "15/04/2024", "2.000", "SP2D-1", "", "", ""]]
    outcome = _run(tmp_path, "budget_realisation", REAL_HEADER, rows, officer_region_a)
    assert "SP2D SP2D-1 sudah tercatat untuk kontrak 027/SPK/2024" in outcome.messages[0]["errors"]["reference"]


def test_realisation_of_another_regency_refuses_the_file_without_reading_its_contracts(
    tmp_path, officer_region_a, contract
):
    other = make_contract(line=make_line(plan=make_plan(status=PlanStatus.APPROVED, region="74.72")), number="B-1")
    rows = [["74.72", other.number, "15/04/2024", "1.000", "", "", "", ""],
            ["74.72", "tidak-ada", "15/04/2024", "1.000", "", "", "", ""]]  # fmt: skip
    outcome = _run(tmp_path, "budget_realisation", REAL_HEADER, rows, officer_region_a, partial=True)
    assert not outcome.committed and outcome.out_of_scope == 2 and not Payment.objects.exists()
    # An unknown and a stored contract of another region get the same answer.
    assert outcome.messages[0]["text"] == outcome.messages[1]["text"]


def test_the_preview_of_each_budget_kind_says_what_rows_will_do(client, officer_region_a, allocation, contract):
    client.force_login(officer_region_a)
    for kind, header, rows, expected in (
        ("budget_line", LINE_HEADER, _line_rows()[1:], "Baris baru; rencana kegiatan dibuat sebagai draf."),
        ("budget_realisation", REAL_HEADER, [["74.71", "027/SPK/2024", "15/04/2024", "1.000", "S1", "", "", ""]],
         "Pembayaran baru."),
    ):  # fmt: skip
        content = csv_bytes([header, *rows], delimiter=";")
        response = client.post(reverse("core:import_kind") + f"?jenis={kind}", {"file": upload("f.csv", content)})
        assert response.status_code == 302, response.content.decode()[:800]
        page = client.get(reverse("core:import_preview", args=[Job.objects.latest("id").pk])).content.decode()
        assert expected in page, kind


def _preview_queries(tmp_path, kind_key, header, rows, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sentra.core.importing.engine import Layout, find_header, preview, suggest_mapping
    from sentra.core.importing.kinds import ImportContext
    from sentra.core.importing.readers import inspect_file

    path = tmp_path / f"q{kind_key}{len(rows)}.csv"
    path.write_bytes(csv_bytes([header, *rows], delimiter=";"))
    kind = get_kind(kind_key)
    table = inspect_file(path, path.name)
    line, headers = find_header(table, kind)
    with CaptureQueriesContext(connection) as queries:
        results = preview(table, Layout(line, headers, suggest_mapping(headers, kind)), ImportContext(user, kind))
    assert all(r.ok for r in results), [r.errors for r in results if not r.ok]
    return len(queries)


def test_checking_lines_and_realisation_reads_the_same_number_of_queries_for_few_and_many_rows(
    tmp_path, officer_region_a, contract
):
    fund = make_fund(year=2045, ceiling=Decimal("90000000000"))
    make_allocation(fund=fund, amount=Decimal("50000000000"))

    def lines(n):
        return [[i, 2045, "DAK Fisik", "74.71", "A.2", f"Mesin {i}", "1", "unit", "1.000.000", "", ""]
                for i in range(1, n + 1)]  # fmt: skip

    def payments(n):
        return [
            ["74.71", "027/SPK/2024", f"{i:02d}/05/2024", "1.000", f"SP2D-{i}", "", "", ""] for i in range(1, n + 1)
        ]

    _preview_queries(tmp_path, "budget_line", LINE_HEADER, lines(1), officer_region_a)  # process-wide caches
    few = _preview_queries(tmp_path, "budget_line", LINE_HEADER, lines(3), officer_region_a)
    assert few == _preview_queries(tmp_path, "budget_line", LINE_HEADER, lines(28), officer_region_a)
    _preview_queries(tmp_path, "budget_realisation", REAL_HEADER, payments(1), officer_region_a)
    few = _preview_queries(tmp_path, "budget_realisation", REAL_HEADER, payments(3), officer_region_a)
    assert few == _preview_queries(tmp_path, "budget_realisation", REAL_HEADER, payments(28), officer_region_a)
