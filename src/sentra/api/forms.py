from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sentra.api.models import TokenAccess
from sentra.core.forms import BootstrapMixin

LIFETIME_CHOICES = [
    (30, _("30 hari")),
    (90, _("90 hari")),
    (180, _("180 hari")),
    (365, _("1 tahun")),
]


class TokenForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("Nama token"),
        max_length=100,
        help_text=_("Untuk apa token ini, misalnya “Sistem Disperindag Provinsi”."),
    )
    access = forms.ChoiceField(label=_("Akses"), choices=TokenAccess.choices, initial=TokenAccess.READ)
    lifetime_days = forms.TypedChoiceField(label=_("Masa berlaku"), choices=LIFETIME_CHOICES, coerce=int, initial=90)
