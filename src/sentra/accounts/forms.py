from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from sentra.accounts.models import User
from sentra.accounts.roles import ASSIGNABLE_ROLES, Role
from sentra.core.forms import BootstrapMixin
from sentra.core.versioning import VersionedFormMixin
from sentra.regions.models import Region, RegionLevel


class UserForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    password = forms.CharField(
        label=_("Kata sandi sementara"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("Wajib untuk pengguna baru; pengguna harus menggantinya saat masuk pertama."),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "role", "region", "institution", "phone", "is_active"]

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        roles = [r.value for r in Role] if actor.is_superuser else ASSIGNABLE_ROLES.get(actor.role, [])
        self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in roles]
        # Region choices narrowed to the actor's scope (STYLE D.5: every choice list is scoped).
        regions = Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.REGENCY])
        scope = actor.scope
        if scope.kind == "region":
            ids = set(scope.region_ids)
            if actor.region_id:
                ids.add(actor.region_id)
            regions = regions.filter(code__in=ids)
        self.fields["region"].queryset = regions.order_by("code")
        if self.instance.pk:
            self.fields["password"].help_text = _("Kosongkan bila tidak diganti.")

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password") or ""
        if not self.instance.pk and not password:
            raise forms.ValidationError(_("Kata sandi sementara wajib diisi untuk pengguna baru."))
        if password:
            password_validation.validate_password(password, self.instance)
        return password


class PasswordResetByOfficerForm(BootstrapMixin, forms.Form):
    password = forms.CharField(label=_("Kata sandi sementara baru"), widget=forms.PasswordInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password


class SecondFactorCodeForm(BootstrapMixin, forms.Form):
    """One code: six digits from the authenticator app, or (when verifying) a recovery code."""

    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=20,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false", "autofocus": True}
        ),
    )

    def __init__(self, *args: Any, recovery_allowed: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recovery_allowed = recovery_allowed
        if recovery_allowed:
            self.fields["code"].help_text = _("6 angka dari aplikasi autentikator, atau salah satu kode cadangan Anda.")
        else:
            self.fields["code"].help_text = _("6 angka yang sekarang tampil di aplikasi autentikator.")
            self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def clean_code(self) -> str:
        code = "".join(ch for ch in self.cleaned_data["code"].lower() if ch.isalnum())
        if code.isdigit():
            if len(code) != 6:
                raise forms.ValidationError(_("Kode dari aplikasi terdiri dari 6 angka."))
        elif not self.recovery_allowed:
            raise forms.ValidationError(_("Masukkan 6 angka dari aplikasi autentikator."))
        elif len(code) != 8:
            raise forms.ValidationError(_("Kode cadangan terdiri dari 8 huruf dan angka, misalnya abcd-2345."))
        return code
