"""Admin for the reference data per fiscal year (menus, stages, ceilings): editable because the rules change
every year (docs/domain.md §3c, §11). Region-owned data is changed through the pages and services only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Sum
from django.utils.translation import gettext as _

from sentra.budget.models import DisbursementStage, FiscalYear, Fund, Menu, SubMenu
from sentra.core.audit import audit_record
from sentra.core.formatting import format_rupiah


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        label = obj._meta.model_name
        changes = {k: [None, str(form.cleaned_data.get(k))] for k in form.changed_data}
        audit_record(
            actor=request.user, action=f"budget.{label}.{'updated' if change else 'created'}", obj=obj, changes=changes
        )


class StageInline(admin.TabularInline):
    model = DisbursementStage
    extra = 0


class MenuInline(admin.TabularInline):
    model = Menu
    extra = 0
    show_change_link = True


class SubMenuInline(admin.TabularInline):
    model = SubMenu
    extra = 0


class FundForm(forms.ModelForm):
    class Meta:
        model = Fund
        fields = (
            "fiscal_year",
            "kind",
            "name",
            "ceiling",
            "ceiling_source",
            "single_transfer_limit",
            "single_transfer_inclusive",
            "target_centre_min_pct",
        )

    def clean_ceiling(self) -> Any:
        ceiling = self.cleaned_data["ceiling"]
        if self.instance.pk:
            allocated = self.instance.allocations.aggregate(s=Sum("amount"))["s"] or 0
            if ceiling < allocated:
                raise forms.ValidationError(
                    _("Pagu nasional tidak boleh di bawah jumlah alokasi yang sudah ada ({total}).").format(
                        total=format_rupiah(allocated)
                    )
                )
        return ceiling


@admin.register(FiscalYear)
class FiscalYearAdmin(AuditedAdmin):
    list_display = ("year", "legal_basis", "report_due_days", "is_open")


@admin.register(Fund)
class FundAdmin(AuditedAdmin):
    form = FundForm
    list_display = ("__str__", "ceiling", "single_transfer_limit", "target_centre_min_pct")
    list_filter = ("fiscal_year", "kind")
    inlines = [MenuInline, StageInline]


@admin.register(Menu)
class MenuAdmin(AuditedAdmin):
    list_display = ("__str__", "fund")
    list_filter = ("fund__fiscal_year", "fund__kind")
    inlines = [SubMenuInline]
