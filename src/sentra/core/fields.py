"""Form fields that read numbers and dates the Indonesian way."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from sentra.core.formatting import format_number
from sentra.core.parsing import parse_date, parse_number


class IndonesianDecimalInput(forms.TextInput):
    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None, decimals: int = 2) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})
        self.decimals = decimals

    def format_value(self, value: Any) -> str | None:
        if value in (None, ""):
            return None
        if isinstance(value, int | Decimal | float):
            number = Decimal(str(value))
            decimals = 0 if number == number.to_integral_value() else self.decimals
            return format_number(number, decimals)
        return str(value)


class IndonesianDecimalField(forms.DecimalField):
    """Accepts ``1.234.567,50`` and ``Rp 2.500.000`` as well as plain numbers."""

    widget = IndonesianDecimalInput

    # django-stubs declares no DecimalField.to_python, so it inherits IntegerField's ``int | None``.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        try:
            number = parse_number(value, empty_markers=())
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code="invalid") from None
        if number is None:
            return None
        if not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class IndonesianDateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            return parse_date(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code="invalid") from None
