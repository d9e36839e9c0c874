"""One source of truth between centres and DAK: a DAK line names its centre by a foreign key, the centre's DAK
funding history is read from those lines, its lifecycle offers "operating" with the lines' evidence when their
construction is done, units of a centre that does not operate cannot be let, and region rules follow the region."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sentra.budget import services as budget_services
from sentra.budget.choices import PlanStatus
from sentra.budget.models import BudgetLine, Payment, ProgressReport
from sentra.centres import services
from sentra.centres.choices import CentreStatus
from tests.budget.factories import make_contract, make_line, make_plan
from tests.centres.factories import CentreFactory, UnitFactory
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db


def _funded(centre, *, status=PlanStatus.APPROVED, physical=None, paid=None, **line):
    plan = make_plan(status=status, region=centre.region_id)
    funded = make_line(plan=plan, **line)
    BudgetLine.objects.filter(pk=funded.pk).update(centre=centre)
    if paid is not None:
        contract = make_contract(line=funded, value=Decimal(paid) * 2)
        Payment.objects.create(contract=contract, region_id=centre.region_id, paid_on=dt.date(2024, 5, 1), amount=paid)
    if physical is not None:
        ProgressReport.objects.create(
            line=funded,
            region_id=centre.region_id,
            reported_on=dt.date(2024, 12, 20),
            physical_pct=physical,
            output_achieved=1,
        )
    return BudgetLine.objects.get(pk=funded.pk)


def test_line_form_offers_the_plans_centres_and_the_line_links_to_its_centre(client_for, officer_region_a):
    centre = CentreFactory(name="Sentra IKM Rotan")
    other_city = CentreFactory(name="Sentra IKM Baubau", region_id="74.72")
    plan = make_plan()
    client = client_for(officer_region_a)
    form = client.get(reverse("budget:line_add", args=[plan.pk]))
    choices = [str(c) for c in form.context["form"].fields["centre"].queryset]
    assert choices == ["Sentra IKM Rotan"] and "Sentra IKM Baubau" not in form.content.decode()
    line = make_line(plan=plan)
    with pytest.raises(ValidationError) as refused:
        budget_services.line_update(actor=officer_region_a, line=line, centre=other_city)
    assert "centre" in refused.value.message_dict
    budget_services.line_update(actor=officer_region_a, line=BudgetLine.objects.get(pk=line.pk), centre=centre)
    detail = client.get(line.get_absolute_url()).content.decode()
    assert f'href="{centre.get_absolute_url()}"' in detail


def test_centre_funding_is_read_from_its_approved_dak_lines(client_for, officer_region_a):
    centre = CentreFactory()
    approved = _funded(centre, paid=Decimal("250000000"), description="Rumah produksi disetujui")
    _funded(centre, status=PlanStatus.DRAFT, description="Baris rencana draf")
    html = client_for(officer_region_a).get(centre.get_absolute_url()).content.decode()
    table = html.split('data-testid="dak-funding-table"', 1)[1].split("</table>", 1)[0]
    assert "Rumah produksi disetujui" in table and "Baris rencana draf" not in table
    assert f'href="{approved.get_absolute_url()}"' in table
    assert "Rp1.000.000.000" in table and "Rp250.000.000" in table  # 10 × Rp100 juta, and what was paid
    line_page = client_for(officer_region_a).get(approved.get_absolute_url()).content.decode()
    assert "Rp1.000.000.000" in line_page  # the same total on both pages


def test_dak_money_cannot_be_typed_as_manual_funding(officer_region_a):
    with pytest.raises(ValidationError) as refused:
        services.funding_add(
            actor=officer_region_a,
            centre=CentreFactory(),
            year=2024,
            source="dak_fisik",
            menu="x",
            ceiling=Decimal(100),
        )
    assert "source" in refused.value.message_dict


def test_finished_construction_offers_operating_with_its_evidence(client_for, officer_region_a):
    centre = CentreFactory(status=CentreStatus.CONSTRUCTION)
    line = _funded(centre, physical=Decimal(100), description="Pembangunan rumah produksi")
    response = client_for(officer_region_a).get(centre.get_absolute_url())
    html = response.content.decode()
    evidence = html.split('data-testid="construction-done"', 1)[1].split("</div>", 1)[0]
    assert "Pembangunan rumah produksi" in evidence and "20 Desember 2024" in evidence
    assert f'href="{line.get_absolute_url()}"' in evidence
    assert response.context["status_form"].initial["status"] == CentreStatus.OPERATING
    assert [c for c, _label in response.context["status_form"].fields["status"].choices][-1] == "inactive"


def test_unfinished_construction_offers_no_shortcut(client_for, officer_region_a):
    centre = CentreFactory(status=CentreStatus.CONSTRUCTION)
    _funded(centre, physical=Decimal(100))
    _funded(centre, physical=Decimal(80))
    response = client_for(officer_region_a).get(centre.get_absolute_url())
    assert 'data-testid="construction-done"' not in response.content.decode()
    assert response.context["status_form"].initial["status"] != CentreStatus.INACTIVE


@pytest.mark.parametrize("status", [CentreStatus.PLANNED, CentreStatus.CONSTRUCTION, CentreStatus.INACTIVE])
def test_units_of_a_centre_that_does_not_operate_cannot_be_let(client_for, officer_region_a, status):
    unit = UnitFactory(centre=CentreFactory(status=status))
    with pytest.raises(ValidationError) as refused:
        services.tenancy_start(
            actor=officer_region_a, unit=unit, business=BusinessFactory(), start_date=dt.date(2025, 1, 1)
        )
    assert "beroperasi" in " ".join(refused.value.messages)
    html = client_for(officer_region_a).get(unit.centre.get_absolute_url()).content.decode()
    assert "siap disewakan" not in html and "belum dapat disewakan" in html


def test_address_names_the_village_once(client_for, officer_region_a):
    centre = CentreFactory(address="Kel. Lepo Lepo", village_id="74.71.03.1002")
    html = client_for(officer_region_a).get(centre.get_absolute_url()).content.decode()
    assert centre.full_address.lower().count("lepo") == 2  # "Lepo Lepo" once
    assert centre.full_address in html


def test_the_unit_page_of_a_centre_that_does_not_operate_says_so_instead_of_a_letting_form(
    client_for, officer_region_a
):
    unit = UnitFactory(centre=CentreFactory(status=CentreStatus.CONSTRUCTION))
    html = client_for(officer_region_a).get(f"/sentra/{unit.centre_id}/unit/{unit.pk}/").content.decode()
    assert 'data-testid="not-lettable"' in html and 'data-testid="tenancy-form"' not in html
