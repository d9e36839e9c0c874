"""Budget services: every sum rule at its edge, the workflow, versions, the optimistic lock, stage conditions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sentra.budget import figures as fig
from sentra.budget import services
from sentra.budget.choices import PlanStatus, TransferStatus
from sentra.budget.models import ActivityPlan, Allocation, BudgetLine, Contract, FiscalYear, Fund, PlanStep, Transfer
from sentra.core.audit import audit_history
from sentra.core.errors import ConflictError, DomainError
from sentra.core.scope import OutOfScope
from tests.budget.factories import (
    REGION_A,
    REGION_B,
    make_allocation,
    make_contract,
    make_fund,
    make_line,
    make_plan,
    sub_menu,
)
from tests.budget.scope_objects import PNG

pytestmark = pytest.mark.django_db
M = Decimal(1_000_000)


def actions(obj) -> list[str]:
    return list(audit_history(obj).order_by("id").values_list("action", flat=True))


# --- Seed ---------------------------------------------------------------------------------------------------


def test_seed_has_the_pmk_198_stages_as_data():
    fund = Fund.objects.get(fiscal_year__year=2022, kind="fisik")
    stages = {s.number: s for s in fund.stages.all()}
    assert stages[1].percent == 25 and stages[2].percent == 45 and stages[3].is_remainder
    assert stages[2].min_absorption_pct == 75 and stages[3].min_absorption_pct == 90 and stages[3].min_output_pct == 70
    assert fund.single_transfer_limit == Decimal(1_000_000_000)
    assert Fund.objects.get(fiscal_year__year=2022, kind="nonfisik").target_centre_min_pct == 70
    assert not Fund.objects.filter(fiscal_year__year=2021, kind="nonfisik").exists()  # DAK Nonfisik from 2022
    assert FiscalYear.objects.filter(year=2023).exists()


# --- Allocation vs national ceiling ----------------------------------------------------------------------------


def test_allocations_may_reach_the_ceiling_exactly_but_not_one_rupiah_more(national_admin):
    fund = make_fund(ceiling=Decimal(1000) * M)
    services.allocation_set(actor=national_admin, fund=fund, region=REGION_A, amount=Decimal(600) * M)
    services.allocation_set(actor=national_admin, fund=fund, region=REGION_B, amount=Decimal(400) * M)
    with pytest.raises(DomainError) as exc:
        services.allocation_set(actor=national_admin, fund=fund, region="73.71", amount=Decimal("0.01"))
    assert exc.value.code == "over_ceiling"
    assert "melebihi pagu nasional" in exc.value.messages[0]
    assert Allocation.objects.filter(fund=fund).count() == 2


def test_changing_an_allocation_counts_only_the_other_regions(national_admin):
    fund = make_fund(ceiling=Decimal(1000) * M)
    services.allocation_set(actor=national_admin, fund=fund, region=REGION_A, amount=Decimal(600) * M)
    services.allocation_set(actor=national_admin, fund=fund, region=REGION_B, amount=Decimal(300) * M)
    a = services.allocation_set(actor=national_admin, fund=fund, region=REGION_A, amount=Decimal(700) * M)
    assert a.amount == Decimal(700) * M and a.version == 2
    with pytest.raises(DomainError):
        services.allocation_set(actor=national_admin, fund=fund, region=REGION_A, amount=Decimal("700000000.01"))
    assert actions(a) == ["budget.allocation.created", "budget.allocation.updated"]


def test_allocation_cannot_fall_below_its_plan(national_admin):
    allocation = make_allocation(amount=Decimal(1000) * M)
    make_line(plan=make_plan(allocation=allocation), volume=Decimal(8), unit_cost=Decimal(100) * M)
    with pytest.raises(DomainError) as exc:
        services.allocation_set(
            actor=national_admin, fund=allocation.fund, region=REGION_A, amount=Decimal("799999999.99")
        )
    assert exc.value.code == "below_plan"
    services.allocation_set(actor=national_admin, fund=allocation.fund, region=REGION_A, amount=Decimal(800) * M)


def test_regency_officer_cannot_set_a_pagu(officer_region_a):
    fund = make_fund()
    with pytest.raises(PermissionDenied):
        services.allocation_set(actor=officer_region_a, fund=fund, region=REGION_A, amount=M)


def test_allocation_must_be_positive(national_admin):
    with pytest.raises(ValidationError):
        services.allocation_set(actor=national_admin, fund=make_fund(), region=REGION_A, amount=Decimal(0))


# --- Plan lines vs allocation ----------------------------------------------------------------------------------


def _line_fields(fund, volume, unit_cost, **extra):
    return {
        "sub_menu": sub_menu(fund),
        "description": "Rumah produksi",
        "output_name": "Rumah produksi",
        "unit": "m²",
        "volume": Decimal(volume),
        "unit_cost": Decimal(unit_cost),
        **extra,
    }


def test_line_total_is_volume_times_unit_cost_and_plan_may_reach_the_pagu_exactly(officer_region_a):
    allocation = make_allocation(amount=Decimal(1000) * M)
    plan = services.plan_create(actor=officer_region_a, allocation=allocation, title="RK")
    line = services.line_add(actor=officer_region_a, plan=plan, **_line_fields(allocation.fund, "2.5", "400000000"))
    assert line.total == Decimal(1000) * M
    with pytest.raises(DomainError) as exc:
        services.line_add(actor=officer_region_a, plan=plan, **_line_fields(allocation.fund, "1", "0.01"))
    assert exc.value.code == "over_allocation"
    assert BudgetLine.objects.filter(plan=plan).count() == 1


def test_editing_a_line_over_the_allocation_is_refused_and_changes_nothing(officer_region_a):
    allocation = make_allocation(amount=Decimal(1000) * M)
    plan = make_plan(allocation=allocation)
    line = make_line(plan=plan, volume=Decimal(5), unit_cost=Decimal(100) * M)
    make_line(plan=plan, volume=Decimal(5), unit_cost=Decimal(100) * M)
    with pytest.raises(DomainError):
        services.line_update(actor=officer_region_a, line=line, volume=Decimal("5.01"))
    line.refresh_from_db()
    assert line.volume == 5 and line.version == 1


def test_sub_menu_of_another_fund_is_refused(officer_region_a):
    plan = make_plan()
    other = make_fund()
    with pytest.raises(ValidationError):
        services.line_add(actor=officer_region_a, plan=plan, **_line_fields(other, 1, 1))


def test_officer_of_region_b_cannot_add_lines_to_region_a(officer_region_b):
    plan = make_plan()
    with pytest.raises(OutOfScope):
        services.line_add(actor=officer_region_b, plan=plan, **_line_fields(plan.allocation.fund, 1, 1))


def test_a_second_plan_for_the_same_allocation_is_refused(officer_region_a):
    plan = make_plan()
    with pytest.raises(DomainError):
        services.plan_create(actor=officer_region_a, allocation=plan.allocation, title="lagi")


# --- Workflow --------------------------------------------------------------------------------------------------


@pytest.fixture
def draft(officer_region_a):
    allocation = make_allocation(amount=Decimal(1000) * M)
    plan = services.plan_create(actor=officer_region_a, allocation=allocation, title="RK")
    services.line_add(actor=officer_region_a, plan=plan, **_line_fields(allocation.fund, 5, "100000000"))
    return plan


def test_full_workflow_with_comments_and_audit(draft, officer_region_a, province_officer, national_admin):
    plan = services.plan_advance(actor=officer_region_a, plan=draft, action="submit", comment="mohon")
    plan = services.plan_advance(actor=province_officer, plan=plan, action="verify", comment="ok prov")
    plan = services.plan_advance(actor=national_admin, plan=plan, action="approve", comment="setuju")
    assert plan.status == PlanStatus.APPROVED and plan.approved_at and plan.verified_at and plan.submitted_at
    steps = list(PlanStep.objects.filter(plan=plan).values_list("to_status", "comment", "actor_name"))
    assert steps[1:] == [
        ("submitted", "mohon", "kendari_officer"),
        ("verified", "ok prov", "sultra_officer"),
        ("approved", "setuju", "nasional"),
    ]
    assert actions(plan) == [
        "budget.activityplan.created",
        "budget.activityplan.submitted",
        "budget.activityplan.verified",
        "budget.activityplan.approved",
    ]


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (PlanStatus.DRAFT, "verify"),
        (PlanStatus.DRAFT, "approve"),
        (PlanStatus.SUBMITTED, "submit"),
        (PlanStatus.SUBMITTED, "approve"),
        (PlanStatus.VERIFIED, "verify"),
        (PlanStatus.APPROVED, "submit"),
        (PlanStatus.APPROVED, "approve"),
        (PlanStatus.SUPERSEDED, "submit"),
        (PlanStatus.RETURNED, "verify"),
        (PlanStatus.DRAFT, "publish"),
    ],
)
def test_illegal_transitions_are_refused(status, action):
    from tests.accounts.factories import UserFactory

    # A superuser bypasses roles, never the state machine.

    root = UserFactory(username="root", is_superuser=True, region_id=None)
    plan = make_plan(status=status)
    make_line(plan=plan)
    with pytest.raises(DomainError) as exc:
        services.plan_advance(actor=root, plan=plan, action=action)
    assert exc.value.code == "illegal_transition"
    plan.refresh_from_db()
    assert plan.status == status


def test_roles_keep_their_own_steps(draft, officer_region_a, province_officer, national_admin):
    with pytest.raises(PermissionDenied):
        services.plan_advance(actor=province_officer, plan=draft, action="submit")
    plan = services.plan_advance(actor=officer_region_a, plan=draft, action="submit")
    with pytest.raises(PermissionDenied):
        services.plan_advance(actor=officer_region_a, plan=plan, action="verify")
    with pytest.raises(PermissionDenied):
        services.plan_advance(actor=national_admin, plan=plan, action="verify")
    plan = services.plan_advance(actor=province_officer, plan=plan, action="verify")
    with pytest.raises(PermissionDenied):
        services.plan_advance(actor=province_officer, plan=plan, action="approve")


def test_province_officer_of_another_province_cannot_verify(draft, officer_region_a):
    from tests.accounts.factories import UserFactory

    sulsel = UserFactory(username="sulsel", role="province_officer", region_id="73")
    plan = services.plan_advance(actor=officer_region_a, plan=draft, action="submit")
    with pytest.raises(OutOfScope):
        services.plan_advance(actor=sulsel, plan=plan, action="verify")


def test_return_needs_a_reason_and_goes_back_to_the_regency(draft, officer_region_a, province_officer):
    plan = services.plan_advance(actor=officer_region_a, plan=draft, action="submit")
    with pytest.raises(ValidationError):
        services.plan_return(actor=province_officer, plan=plan, reason="  ")
    plan = services.plan_return(actor=province_officer, plan=plan, reason="Harga satuan mesin terlalu tinggi")
    assert plan.status == PlanStatus.RETURNED
    assert plan.steps.last().comment == "Harga satuan mesin terlalu tinggi"
    # Returned plans are editable again and can be resubmitted.
    line = plan.lines.first()
    services.line_update(actor=officer_region_a, line=line, unit_cost=Decimal(90) * M)
    plan = services.plan_advance(actor=officer_region_a, plan=plan, action="submit")
    assert plan.status == PlanStatus.SUBMITTED


def test_draft_cannot_be_returned(draft, province_officer):
    with pytest.raises(DomainError):
        services.plan_return(actor=province_officer, plan=draft, reason="x")


def test_submitted_and_approved_plans_are_frozen(draft, officer_region_a):
    plan = services.plan_advance(actor=officer_region_a, plan=draft, action="submit")
    line = plan.lines.first()
    for call in (
        lambda: services.line_update(actor=officer_region_a, line=line, volume=Decimal(1)),
        lambda: services.line_add(actor=officer_region_a, plan=plan, **_line_fields(plan.allocation.fund, 1, 1)),
        lambda: services.line_delete(actor=officer_region_a, line=line),
        lambda: services.plan_update(actor=officer_region_a, plan=plan, title="baru"),
    ):
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.code == "frozen"


def test_empty_plan_cannot_be_submitted(officer_region_a):
    plan = services.plan_create(actor=officer_region_a, allocation=make_allocation(), title="RK")
    with pytest.raises(DomainError) as exc:
        services.plan_advance(actor=officer_region_a, plan=plan, action="submit")
    assert exc.value.code == "empty"


# --- DAK Nonfisik: ≥ 70 % to the target centre ----------------------------------------------------------------


@pytest.mark.parametrize(("target", "other", "ok"), [(70, 30, True), ("69.99", "30.01", False)])
def test_nonfisik_plan_needs_70_percent_for_the_target_centre(officer_region_a, target, other, ok):
    fund = make_fund(kind="nonfisik")
    allocation = make_allocation(fund=fund, amount=Decimal(100) * M)
    plan = make_plan(allocation=allocation)
    make_line(plan=plan, volume=Decimal(1), unit_cost=Decimal(target) * M, for_target_centre=True)
    make_line(plan=plan, volume=Decimal(1), unit_cost=Decimal(other) * M, for_target_centre=False)
    if ok:
        assert services.plan_advance(actor=officer_region_a, plan=plan, action="submit").status == "submitted"
    else:
        with pytest.raises(DomainError) as exc:
            services.plan_advance(actor=officer_region_a, plan=plan, action="submit")
        assert exc.value.code == "target_centre_share"


# --- Revisions -----------------------------------------------------------------------------------------------


def _approved(officer, province, national, allocation=None):
    allocation = allocation or make_allocation(amount=Decimal(1000) * M)
    plan = services.plan_create(actor=officer, allocation=allocation, title="RK")
    services.line_add(actor=officer, plan=plan, **_line_fields(allocation.fund, 5, "100000000"))
    services.line_add(actor=officer, plan=plan, **_line_fields(allocation.fund, 2, "100000000"))
    for actor, action in ((officer, "submit"), (province, "verify"), (national, "approve")):
        plan = services.plan_advance(actor=actor, plan=plan, action=action)
    return plan


def test_revision_keeps_the_old_version_and_moves_realisation_on_approval(
    officer_region_a, province_officer, national_admin
):
    v0 = _approved(officer_region_a, province_officer, national_admin)
    first = v0.lines.order_by("id").first()
    contract = services.contract_add(
        actor=officer_region_a,
        line=first,
        vendor="CV A",
        number="K1",
        signed_on=dt.date(2024, 3, 1),
        value=Decimal(400) * M,
        starts_on=dt.date(2024, 3, 1),
        ends_on=dt.date(2024, 6, 1),
    )
    v1 = services.plan_revise(actor=officer_region_a, plan=v0, reason="Tambah volume mesin")
    assert v1.revision == 1 and v1.previous_id == v0.pk and v1.status == PlanStatus.DRAFT
    assert v1.lines.count() == 2
    v0.refresh_from_db()
    assert v0.status == PlanStatus.APPROVED  # the approved version stays valid until the revision is approved
    copy = v1.lines.get(origin=first)
    # The copy may not fall below what is already contracted (400 M).
    with pytest.raises(DomainError) as exc:
        services.line_update(actor=officer_region_a, line=copy, volume=Decimal("3.99"))
    assert exc.value.code == "below_contracts"
    with pytest.raises(DomainError):
        services.line_delete(actor=officer_region_a, line=copy)
    services.line_update(actor=officer_region_a, line=copy, volume=Decimal(4))
    for actor, action in ((officer_region_a, "submit"), (province_officer, "verify"), (national_admin, "approve")):
        v1 = services.plan_advance(actor=actor, plan=v1, action=action)
    v0.refresh_from_db()
    contract.refresh_from_db()
    assert v0.status == PlanStatus.SUPERSEDED and v1.status == PlanStatus.APPROVED
    assert contract.line_id == copy.pk
    assert ActivityPlan.objects.filter(allocation=v0.allocation).count() == 2
    assert BudgetLine.objects.filter(plan=v0).count() == 2  # history kept
    assert "budget.activityplan.superseded" in actions(v0)


def test_only_one_open_revision_and_a_reason_is_required(officer_region_a, province_officer, national_admin):
    v0 = _approved(officer_region_a, province_officer, national_admin)
    with pytest.raises(ValidationError):
        services.plan_revise(actor=officer_region_a, plan=v0, reason="")
    services.plan_revise(actor=officer_region_a, plan=v0, reason="alasan")
    with pytest.raises(DomainError):
        services.plan_revise(actor=officer_region_a, plan=v0, reason="lagi")


# --- Optimistic lock ------------------------------------------------------------------------------------------


def test_second_save_of_the_same_line_is_refused_with_what_changed(officer_region_a):
    from tests.accounts.factories import UserFactory

    other = UserFactory(username="kendari2", role="regency_officer", region_id=REGION_A)
    line = make_line()
    loaded_version = line.version
    mine = BudgetLine.objects.get(pk=line.pk)
    theirs = BudgetLine.objects.get(pk=line.pk)
    services.line_update(actor=other, line=theirs, expected_version=loaded_version, unit_cost=Decimal(90) * M)
    with pytest.raises(ConflictError) as exc:
        services.line_update(actor=officer_region_a, line=mine, expected_version=loaded_version, volume=Decimal(3))
    changed = exc.value.changed
    assert changed["unit_cost"] == ["90000000.00", "100000000.00"]
    assert "kendari2" in exc.value.messages[0]
    line.refresh_from_db()
    assert line.volume == 10 and line.unit_cost == 90 * M and line.version == 2


def test_second_save_of_the_plan_title_is_refused(officer_region_a):
    plan = make_plan()
    services.plan_update(
        actor=officer_region_a, plan=ActivityPlan.objects.get(pk=plan.pk), expected_version=1, title="A"
    )
    with pytest.raises(ConflictError) as exc:
        services.plan_update(
            actor=officer_region_a, plan=ActivityPlan.objects.get(pk=plan.pk), expected_version=1, title="B"
        )
    assert exc.value.changed["title"] == ["A", "B"]
    plan.refresh_from_db()
    assert plan.title == "A"


def test_a_workflow_step_on_a_stale_page_is_refused(draft, officer_region_a, province_officer):
    stale = draft.version
    services.plan_update(actor=officer_region_a, plan=draft, expected_version=stale, title="Judul baru")
    # The officer who opened the page before that change submits it: refused, nothing moves.
    with pytest.raises(ConflictError):
        services.plan_advance(
            actor=officer_region_a, plan=ActivityPlan.objects.get(pk=draft.pk), action="submit", expected_version=stale
        )
    assert ActivityPlan.objects.get(pk=draft.pk).status == PlanStatus.DRAFT


# --- Contracts and payments -----------------------------------------------------------------------------------


def _approved_line(amount=Decimal(1000) * M):
    plan = make_plan(status=PlanStatus.APPROVED)
    return make_line(plan=plan, volume=Decimal(1), unit_cost=amount)


def _contract_fields(value, number="K-1"):
    return {
        "vendor": "CV Uji",
        "number": number,
        "signed_on": dt.date(2024, 3, 1),
        "value": Decimal(value),
        "starts_on": dt.date(2024, 3, 2),
        "ends_on": dt.date(2024, 9, 30),
    }


def test_contracts_may_reach_the_line_amount_exactly(officer_region_a):
    line = _approved_line()
    services.contract_add(actor=officer_region_a, line=line, **_contract_fields(600 * M, "K-1"))
    services.contract_add(actor=officer_region_a, line=line, **_contract_fields(400 * M, "K-2"))
    with pytest.raises(DomainError) as exc:
        services.contract_add(actor=officer_region_a, line=line, **_contract_fields("0.01", "K-3"))
    assert exc.value.code == "over_line"
    assert Contract.objects.filter(line=line).count() == 2


def test_contract_update_over_the_line_is_refused(officer_region_a):
    line = _approved_line()
    c = services.contract_add(actor=officer_region_a, line=line, **_contract_fields(600 * M))
    services.contract_add(actor=officer_region_a, line=line, **_contract_fields(400 * M, "K-2"))
    with pytest.raises(DomainError):
        services.contract_update(actor=officer_region_a, contract=c, value=Decimal("600000000.01"))


def test_contract_needs_an_approved_plan_and_sane_dates(officer_region_a):
    with pytest.raises(DomainError) as exc:
        services.contract_add(actor=officer_region_a, line=make_line(), **_contract_fields(M))
    assert exc.value.code == "plan_not_approved"
    bad = _contract_fields(M) | {"ends_on": dt.date(2024, 3, 1)}
    with pytest.raises(ValidationError):
        services.contract_add(actor=officer_region_a, line=_approved_line(), **bad)


def test_payments_may_reach_the_contract_value_exactly(officer_region_a):
    contract = make_contract(value=Decimal(500) * M)
    services.payment_record(actor=officer_region_a, contract=contract, paid_on=dt.date(2024, 4, 1), amount=300 * M)
    services.payment_record(actor=officer_region_a, contract=contract, paid_on=dt.date(2024, 5, 1), amount=200 * M)
    with pytest.raises(DomainError) as exc:
        services.payment_record(
            actor=officer_region_a, contract=contract, paid_on=dt.date(2024, 5, 2), amount=Decimal("0.01")
        )
    assert exc.value.code == "over_contract"
    with pytest.raises(ValidationError):
        services.payment_record(actor=officer_region_a, contract=contract, paid_on=dt.date(2024, 2, 1), amount=M)


def test_contract_value_cannot_drop_below_payments(officer_region_a):
    contract = make_contract(value=Decimal(500) * M)
    services.payment_record(actor=officer_region_a, contract=contract, paid_on=dt.date(2024, 4, 1), amount=300 * M)
    with pytest.raises(DomainError):
        services.contract_update(actor=officer_region_a, contract=contract, value=Decimal("299999999.99"))


# --- Disbursement stages (PMK 198/2021, docs/domain.md §3c) --------------------------------------------------------


def _staged(officer, pagu=Decimal(2000) * M):
    """An allocation with an approved plan: one 1 000 M line with a 1 000 M contract, one 1 000 M line."""
    fund = make_fund()
    allocation = make_allocation(fund=fund, amount=pagu)
    plan = make_plan(allocation=allocation, status=PlanStatus.APPROVED)
    line = make_line(plan=plan, volume=Decimal(10), unit_cost=Decimal(100) * M)
    line2 = make_line(plan=plan, volume=Decimal(10), unit_cost=Decimal(100) * M)
    contract = services.contract_add(actor=officer, line=line, **_contract_fields(1000 * M))
    contract2 = services.contract_add(actor=officer, line=line2, **_contract_fields(1000 * M, "K-2"))
    return allocation, line, line2, contract, contract2


def _stage(allocation, n):
    return allocation.fund.stages.get(number=n)


def _on(allocation, month, day=1):
    return dt.date(allocation.fund.fiscal_year.year, month, day)


def _receive(officer, allocation, n, month):
    t = services.transfer_request(
        actor=officer, allocation=allocation, stage=_stage(allocation, n), requested_on=_on(allocation, month)
    )
    return services.transfer_receive(actor=officer, transfer=t, received_on=_on(allocation, month, 10))


def test_stage_one_is_25_percent_of_the_pagu(officer_region_a):
    allocation, *_ = _staged(officer_region_a)
    t = _receive(officer_region_a, allocation, 1, 3)
    assert t.amount == Decimal(500) * M and t.status == TransferStatus.RECEIVED
    assert {c["key"] for c in t.conditions} >= {"approved_plan", "contracts", "deadline"}


def test_stage_one_after_its_document_deadline_is_refused(officer_region_a):
    allocation, *_ = _staged(officer_region_a)
    with pytest.raises(DomainError) as exc:
        services.transfer_request(
            actor=officer_region_a,
            allocation=allocation,
            stage=_stage(allocation, 1),
            requested_on=_on(allocation, 7, 22),
        )
    assert "21-07" in exc.value.messages[0]


def _pay(officer, contract, amount, allocation):
    services.payment_record(actor=officer, contract=contract, paid_on=dt.date(2024, 4, 1), amount=Decimal(amount))


def _progress(officer, line, pct, output):
    services.progress_record(
        actor=officer,
        line=line,
        reported_on=dt.date(2024, 5, 1),
        physical_pct=Decimal(pct),
        output_achieved=Decimal(output),
    )


def test_stage_two_needs_75_percent_absorption_at_the_edge(officer_region_a):
    allocation, line, line2, contract, _ = _staged(officer_region_a)
    _receive(officer_region_a, allocation, 1, 3)  # 500 M received
    _progress(officer_region_a, line, 30, 3)
    _progress(officer_region_a, line2, 0, 0)
    _pay(officer_region_a, contract, "374999999.99", allocation)  # 74.99…%
    check = fig.stage_check(allocation, _stage(allocation, 2), on=_on(allocation, 5))
    assert [c.key for c in check.missing] == ["absorption"]
    assert "Kurang Rp0,01" in check.missing[0].detail
    with pytest.raises(DomainError) as exc:
        services.transfer_request(
            actor=officer_region_a, allocation=allocation, stage=_stage(allocation, 2), requested_on=_on(allocation, 5)
        )
    assert exc.value.code == "conditions_unmet"
    _pay(officer_region_a, contract, "0.01", allocation)  # exactly 75 %
    t = services.transfer_request(
        actor=officer_region_a, allocation=allocation, stage=_stage(allocation, 2), requested_on=_on(allocation, 5)
    )
    assert t.amount == Decimal(900) * M


def test_stage_two_needs_the_output_report_and_stage_one_received(officer_region_a):
    allocation, line, _line2, contract, _ = _staged(officer_region_a)
    check = fig.stage_check(allocation, _stage(allocation, 2), on=_on(allocation, 5))
    assert {"previous", "absorption", "output_report"} <= {c.key for c in check.missing}
    _receive(officer_region_a, allocation, 1, 3)
    _pay(officer_region_a, contract, 400 * M, allocation)
    _progress(officer_region_a, line, 40, 4)
    check = fig.stage_check(allocation, _stage(allocation, 2), on=_on(allocation, 5))
    assert [c.key for c in check.missing] == ["output_report"]
    assert "Rumah produksi" in check.missing[0].detail


def test_stage_three_needs_90_percent_absorption_and_70_percent_output(officer_region_a):
    allocation, line, line2, contract, contract2 = _staged(officer_region_a)
    _receive(officer_region_a, allocation, 1, 3)
    _pay(officer_region_a, contract, 400 * M, allocation)
    _progress(officer_region_a, line, 40, 4)
    _progress(officer_region_a, line2, 0, 0)
    _receive(officer_region_a, allocation, 2, 5)  # received 500 + 900 = 1 400 M; 90 % = 1 260 M
    _pay(officer_region_a, contract, 600 * M, allocation)
    _pay(officer_region_a, contract2, "259999999.99", allocation)  # 1 259 999 999.99
    services.progress_record(
        actor=officer_region_a,
        line=line,
        reported_on=dt.date(2024, 6, 1),
        physical_pct=Decimal(100),
        output_achieved=Decimal(10),
    )
    services.progress_record(
        actor=officer_region_a,
        line=line2,
        reported_on=dt.date(2024, 6, 1),
        physical_pct=Decimal(40),
        output_achieved=Decimal("3.99"),
    )  # output (100 + 39.9) / 2 = 69.95 %
    stage3 = _stage(allocation, 3)
    check = fig.stage_check(allocation, stage3, on=_on(allocation, 10))
    assert sorted(c.key for c in check.missing) == ["absorption", "output"]
    _pay(officer_region_a, contract2, "0.01", allocation)
    services.progress_record(
        actor=officer_region_a,
        line=line2,
        reported_on=dt.date(2024, 6, 2),
        physical_pct=Decimal(40),
        output_achieved=Decimal(4),
    )  # exactly 70 %
    check = fig.stage_check(allocation, stage3, on=_on(allocation, 10))
    assert check.ok, check.missing
    t = services.transfer_request(
        actor=officer_region_a, allocation=allocation, stage=stage3, requested_on=_on(allocation, 10)
    )
    # Remaining need = contracts (2 000 M, within the pagu) - already transferred (1 400 M).
    assert t.amount == Decimal(600) * M


@pytest.mark.parametrize(
    ("pagu", "inclusive", "single"),
    [
        (Decimal(1_000_000_000), True, True),
        (Decimal("1000000000.01"), True, False),
        (Decimal(1_000_000_000), False, False),
        (Decimal("999999999.99"), False, True),
    ],
)
def test_single_transfer_at_the_one_billion_edge(officer_region_a, pagu, inclusive, single):
    fund = make_fund(single_transfer_inclusive=inclusive)
    allocation = make_allocation(fund=fund, amount=pagu)
    assert fig.is_single_transfer(allocation) is single
    plan = make_plan(allocation=allocation, status=PlanStatus.APPROVED)
    line = make_line(plan=plan, volume=Decimal(1), unit_cost=Decimal(500) * M)
    services.contract_add(actor=officer_region_a, line=line, **_contract_fields(500 * M))
    on = _on(allocation, 3)
    if single:
        t = services.transfer_request(actor=officer_region_a, allocation=allocation, stage=None, requested_on=on)
        assert t.amount == pagu and t.stage is None
        with pytest.raises(DomainError):
            services.transfer_request(
                actor=officer_region_a, allocation=allocation, stage=_stage(allocation, 1), requested_on=on
            )
    else:
        with pytest.raises(DomainError):
            services.transfer_request(actor=officer_region_a, allocation=allocation, stage=None, requested_on=on)
        t = services.transfer_request(
            actor=officer_region_a, allocation=allocation, stage=_stage(allocation, 1), requested_on=on
        )
        assert t.amount == (pagu * Decimal("0.25")).quantize(Decimal("0.01"))


def test_a_stage_is_requested_once(officer_region_a):
    allocation, *_ = _staged(officer_region_a)
    services.transfer_request(
        actor=officer_region_a, allocation=allocation, stage=_stage(allocation, 1), requested_on=_on(allocation, 3)
    )
    with pytest.raises(DomainError) as exc:
        services.transfer_request(
            actor=officer_region_a, allocation=allocation, stage=_stage(allocation, 1), requested_on=_on(allocation, 3)
        )
    assert exc.value.code == "already_requested"
    assert Transfer.objects.filter(allocation=allocation).count() == 1


def test_stage_percentages_are_data_per_year(officer_region_a):
    allocation, *_ = _staged(officer_region_a)
    allocation.fund.stages.filter(number=1).update(percent=Decimal(30))
    t = _receive(officer_region_a, allocation, 1, 3)
    assert t.amount == Decimal(600) * M


def test_nonfisik_paid_share_for_the_target_centre(officer_region_a):
    fund = make_fund(kind="nonfisik")
    allocation = make_allocation(fund=fund, amount=Decimal(100) * M)
    plan = make_plan(allocation=allocation, status=PlanStatus.APPROVED)
    target = make_line(plan=plan, volume=Decimal(1), unit_cost=Decimal(70) * M, for_target_centre=True)
    other = make_line(plan=plan, volume=Decimal(1), unit_cost=Decimal(30) * M, for_target_centre=False)
    c1 = services.contract_add(actor=officer_region_a, line=target, **_contract_fields(70 * M))
    c2 = services.contract_add(actor=officer_region_a, line=other, **_contract_fields(30 * M, "K-2"))
    _pay(officer_region_a, c2, 30 * M, allocation)
    _pay(officer_region_a, c1, "69999999.99", allocation)
    assert not fig.allocation_figures(allocation).target_centre_paid_reaches(Decimal(70))
    _pay(officer_region_a, c1, "0.01", allocation)
    figures = fig.allocation_figures(allocation)
    assert figures.target_centre_paid_reaches(Decimal(70)) and figures.target_centre_paid_pct == 70


# --- Progress and evidence ------------------------------------------------------------------------------------


def test_progress_with_a_photo_checked_by_content(officer_region_a):
    line = _approved_line()
    good = SimpleUploadedFile("bukti.jpg", PNG, content_type="image/jpeg")  # the name lies; the content decides
    p = services.progress_record(
        actor=officer_region_a,
        line=line,
        reported_on=dt.date(2024, 5, 1),
        physical_pct=Decimal(20),
        output_achieved=Decimal("0.2"),
        photos=[good],
    )
    photo = p.photos.get()
    assert photo.content_type == "image/png" and photo.size == len(PNG)
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.progress_record(
            actor=officer_region_a,
            line=line,
            reported_on=dt.date(2024, 6, 1),
            physical_pct=Decimal(30),
            output_achieved=Decimal(0),
            photos=[fake],
        )
    assert "Jenis berkas tidak diterima" in exc.value.messages[0]
    assert line.progress.count() == 1  # nothing saved


def test_too_large_photo_is_refused(officer_region_a, monkeypatch):
    monkeypatch.setattr(services, "PHOTO_MAX_BYTES", 10)
    with pytest.raises(ValidationError) as exc:
        services.sniff_photo(SimpleUploadedFile("a.png", PNG))
    assert "terlalu besar" in exc.value.messages[0]


def test_progress_cannot_go_backwards_or_into_the_future(officer_region_a):
    line = _approved_line()
    _progress(officer_region_a, line, 50, 0)
    with pytest.raises(ValidationError):
        services.progress_record(
            actor=officer_region_a,
            line=line,
            reported_on=dt.date(2024, 6, 1),
            physical_pct=Decimal(40),
            output_achieved=Decimal(0),
        )
    with pytest.raises(ValidationError):
        services.progress_record(
            actor=officer_region_a,
            line=line,
            reported_on=dt.date(2999, 1, 1),
            physical_pct=Decimal(60),
            output_achieved=Decimal(0),
        )


# DAK quarterly reports: tests/budget/test_dak_quarterly.py (a periodic report form).


def test_a_closed_fiscal_year_takes_no_new_plans(officer_region_a):
    allocation = make_allocation()
    FiscalYear.objects.filter(pk=allocation.fund.fiscal_year_id).update(is_open=False)
    allocation.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.plan_create(actor=officer_region_a, allocation=allocation, title="RK")
    assert exc.value.code == "closed"
