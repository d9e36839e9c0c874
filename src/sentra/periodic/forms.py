from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sentra.core.fields import IndonesianDecimalField
from sentra.core.forms import BootstrapMixin
from sentra.core.versioning import VersionedFormMixin
from sentra.periodic.registry import ReportForm


class SubmissionDataForm(VersionedFormMixin, BootstrapMixin, forms.Form):
    """The fields of one report form, built from its registration (DHIS2's data entry screen)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, report: ReportForm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in report.input_fields:
            if f.kind == "int":
                field: forms.Field = forms.IntegerField(
                    min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})
                )
            elif f.kind == "text":
                widget = forms.Textarea(attrs={"rows": 3}) if f.multiline else forms.TextInput()
                field = forms.CharField(max_length=2000, widget=widget)
            else:
                field = IndonesianDecimalField(min_value=0, max_digits=18, decimal_places=2)
            field.label = f.label
            field.error_messages["min_value"] = _("{label} tidak boleh negatif.").format(label=f.label)
            field.error_messages["invalid"] = _("{label} harus berupa angka.").format(label=f.label)
            field.required = False  # a draft may be incomplete; submit checks completeness
            field.help_text = f.help_text
            if f.required:
                field.widget.attrs["data-required"] = "1"
            self.fields[f.name] = field
        # Buttons are rendered by the template; the version stays last.
        self.order_fields([*(f.name for f in report.input_fields), "version"])


def initial_values(report: ReportForm, data: dict[str, Any]) -> dict[str, Any]:
    """Stored values as the widgets expect them (decimals as Decimal, so they show as ``1.234.567``)."""
    values: dict[str, Any] = {}
    for f in report.input_fields:
        value = data.get(f.name)
        if f.kind in ("decimal", "money") and value not in (None, ""):
            try:
                value = Decimal(str(value))
            except InvalidOperation:
                pass
        values[f.name] = value
    return values


class ReturnForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Alasan pengembalian"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Jelaskan apa yang harus diperbaiki pelapor."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
