"""Query vocabulary of the budget app (STYLE B): scoping plus the totals the pages need."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Self

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from sentra.core.querysets import RegionScopedQuerySet

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=18, decimal_places=2))


def _sum_subquery(queryset: QuerySet[Any], field: str) -> Coalesce:
    """A correlated ``SUM`` that does not multiply rows the way two joined aggregates would."""
    summed = queryset.order_by().values("_group").annotate(s=Sum(field)).values("s")
    return Coalesce(Subquery(summed, output_field=DecimalField(max_digits=18, decimal_places=2)), ZERO)


class AllocationQuerySet(RegionScopedQuerySet):
    def for_year(self, year: int) -> Self:
        return self.filter(fund__fiscal_year__year=year)


class ActivityPlanQuerySet(RegionScopedQuerySet):
    def with_total(self) -> Self:
        from sentra.budget.models import BudgetLine

        lines = BudgetLine.objects.filter(plan=OuterRef("pk")).annotate(_group=Value(1))
        return self.annotate(line_total=_sum_subquery(lines, "total"))


class BudgetLineQuerySet(RegionScopedQuerySet):
    def with_realisation(self) -> Self:
        """Contract value and payments per line, each as its own subquery."""
        from sentra.budget.models import Contract, Payment

        contracts = Contract.objects.filter(line=OuterRef("pk")).annotate(_group=Value(1))
        payments = Payment.objects.filter(contract__line=OuterRef("pk")).annotate(_group=Value(1))
        return self.annotate(
            contracted=_sum_subquery(contracts, "value"),
            paid=_sum_subquery(payments, "amount"),
        )
