"""The project-wide form renderer: every form renders through one Bootstrap template (STYLE G)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


class BootstrapMixin:
    """Gives widgets Bootstrap's classes, and ``is-invalid`` plus ``aria-invalid`` to fields with errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            input_type = getattr(widget, "input_type", None)
            if input_type == "radio":
                continue  # Bootstrap's classes would turn each button (and the group) into a text box
            if input_type == "checkbox":
                css = "form-check-input"
            elif input_type in ("select",) or widget.__class__.__name__ in (
                "Select",
                "SelectMultiple",
                "NullBooleanSelect",
            ):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"


class BootstrapForm(BootstrapMixin, forms.Form):
    """Base form for django-filter FilterSets (``Meta.form``)."""


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
