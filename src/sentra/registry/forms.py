"""Registry forms. Validation at the edge: every bad input gets an Indonesian message and saves nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from sentra.core.fields import IndonesianDateField, IndonesianDecimalField
from sentra.core.filters import scoped_regencies
from sentra.core.forms import BootstrapMixin
from sentra.core.validators import normalize_kbli_code, normalize_nib, normalize_nik, normalize_phone
from sentra.core.versioning import VersionedFormMixin
from sentra.regions.models import Kbli, Region, RegionLevel
from sentra.registry.choices import Gender
from sentra.registry.models import Business, Owner
from sentra.registry.services import BUSINESS_FIELDS, OWNER_FIELDS, nib_taken_message, nik_taken_message

MONEY_FIELDS = ("investment_value", "investment_land_buildings", "business_capital", "production_value", "turnover")
NUMBER_FIELDS = ("production_capacity", "installed_capacity")


class RegionChainMixin:
    """Regency → district → village as chained selects; choices narrowed to the user's scope (STYLE D.5)."""

    def setup_regions(self, user: Any, data: Any, instance: Any) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        fields["region"].queryset = scoped_regencies(user)
        regency = (data.get(self.add_prefix("region")) if data else None) or getattr(instance, "region_id", None)  # type: ignore[attr-defined]
        district = (data.get(self.add_prefix("district")) if data else None) or getattr(instance, "district_id", None)  # type: ignore[attr-defined]
        if "district" in fields:
            fields["district"].queryset = (
                Region.objects.filter(level=RegionLevel.DISTRICT, parent_id=regency).order_by("code")
                if regency
                else Region.objects.none()
            )
            parent_for_village = district
        else:
            parent_for_village = None
        if parent_for_village:
            villages = Region.objects.filter(level=RegionLevel.VILLAGE, parent_id=parent_for_village)
        elif regency and "district" not in fields:
            villages = Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=f"{regency}.")
        else:
            villages = Region.objects.none()
        fields["village"].queryset = villages.order_by("name")
        options_url = reverse_lazy("regions:options")
        target, level = ("district", "3") if "district" in fields else ("village", "4")
        fields["region"].widget.attrs.update(
            {
                "hx-get": options_url,
                "hx-trigger": "change",
                "hx-target": f"#id_{self.add_prefix(target)}",
                "hx-vals": f'{{"level": "{level}"}}',
                "hx-include": "this",
            }  # type: ignore[attr-defined]
        )
        if "district" in fields:
            fields["district"].widget.attrs.update(
                {
                    "hx-get": options_url,
                    "hx-trigger": "change",
                    "hx-target": f"#id_{self.add_prefix('village')}",
                    "hx-vals": '{"level": "4"}',
                    "hx-include": "this",
                }  # type: ignore[attr-defined]
            )


class BusinessForm(VersionedFormMixin, BootstrapMixin, RegionChainMixin, forms.ModelForm):
    kbli_code = forms.CharField(
        label=_("KBLI utama (5 angka)"),
        required=False,
        max_length=6,
        help_text=_("Kelompok KBLI 2020, misalnya 31001 untuk furnitur kayu."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "list": "kbli-options"}),
    )
    owner_full_name = forms.CharField(label=_("Nama pemilik"), max_length=150, required=False)
    owner_nik = forms.CharField(
        label=_("NIK pemilik"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    owner_gender = forms.ChoiceField(
        label=_("Jenis kelamin pemilik"), choices=[("", "—"), *Gender.choices], required=False
    )
    owner_phone = forms.CharField(
        label=_("Telepon pemilik"), max_length=25, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )

    class Meta:
        model = Business
        fields = [name for name in BUSINESS_FIELDS if name != "kbli"]  # the KBLI is typed as a code
        field_classes = {name: IndonesianDecimalField for name in (*MONEY_FIELDS, *NUMBER_FIELDS)}

    website = forms.URLField(label=_("Situs web"), required=False, max_length=200, assume_scheme="https")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.setup_regions(user, self.data, self.instance)
        self.fields["region"].required = True
        if self.instance.pk:
            if self.instance.kbli_id:
                self.fields["kbli_code"].initial = self.instance.kbli.code
            # The owner block is only for registering a new business together with its owner.
            for name in ("owner_full_name", "owner_nik", "owner_gender", "owner_phone"):
                del self.fields[name]
        validate_url = reverse_lazy("registry:business_validate")
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.HiddenInput) or "hx-get" in field.widget.attrs:
                continue
            field.widget.attrs.setdefault("hx-post", validate_url)
            field.widget.attrs.setdefault("hx-trigger", "change")
            field.widget.attrs.setdefault("hx-target", f"#field-{name}")
            field.widget.attrs.setdefault("hx-swap", "outerHTML")
            pk_part = f', "_pk": "{self.instance.pk}"' if self.instance.pk else ""
            field.widget.attrs.setdefault("hx-vals", f'{{"_field": "{name}"{pk_part}}}')
            field.widget.attrs.setdefault("hx-sync", "closest form:abort")

    def _get_validation_exclusions(self):  # type: ignore[no-untyped-def]
        # The NIB's uniqueness on a new registration is the duplicate guard's job (clean_nib, then the view),
        # so the model's constraint check must not refuse it first with a bare constraint message.
        exclude = super()._get_validation_exclusions()
        if not self.instance.pk:
            exclude.add("nib")
        return exclude

    def clean_nib(self) -> str | None:
        nib = (self.cleaned_data.get("nib") or "").strip()
        if not nib:
            return None
        nib = normalize_nib(nib)
        clash = Business.objects.filter(nib=nib)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        # On a new registration, a NIB the user can see is shown by the duplicate guard (merge or go on); any
        # other clash is refused here without naming the other business.
        if not self.instance.pk:
            clash = clash.exclude(pk__in=Business.objects.visible_to(self.user).alive().values("pk"))
        clash = clash.first()
        if clash is not None:
            raise ValidationError(nib_taken_message(self.user, clash, nib), code="nib_taken")
        return nib

    def clean_phone(self) -> str:
        phone = (self.cleaned_data.get("phone") or "").strip()
        return normalize_phone(phone) if phone else ""

    def clean_email(self) -> str:
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean_kbli_code(self) -> Kbli | None:
        raw = (self.cleaned_data.get("kbli_code") or "").strip()
        if not raw:
            return None
        code = normalize_kbli_code(raw)
        kbli = Kbli.objects.filter(version="2020", code=code, level=Kbli.Level.SUBCLASS).first()
        if kbli is None:
            raise ValidationError(
                _("Kode KBLI {code} tidak ada dalam KBLI 2020.").format(code=code), code="kbli_unknown"
            )
        return kbli

    def clean_owner_nik(self) -> str:
        nik = (self.cleaned_data.get("owner_nik") or "").strip()
        return normalize_nik(nik) if nik else ""

    def clean_owner_phone(self) -> str:
        phone = (self.cleaned_data.get("owner_phone") or "").strip()
        return normalize_phone(phone) if phone else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        district, village, region = data.get("district"), data.get("village"), data.get("region")
        if district and region and district.parent_id != region.pk:
            self.add_error("district", _("Kecamatan tidak berada di kabupaten/kota yang dipilih."))
        if village and district and village.parent_id != district.pk:
            self.add_error("village", _("Desa/kelurahan tidak berada di kecamatan yang dipilih."))
        if not self.instance.pk and data.get("owner_nik") and not data.get("owner_full_name"):
            existing = Owner.objects.visible_to(self.user).filter(nik=data["owner_nik"]).exists()
            if not existing:
                self.add_error("owner_full_name", _("Isi nama pemilik untuk NIK baru."))
        return data


class OwnerForm(VersionedFormMixin, BootstrapMixin, RegionChainMixin, forms.ModelForm):
    birth_date = IndonesianDateField(label=_("Tanggal lahir"), required=False)

    class Meta:
        model = Owner
        fields = list(OWNER_FIELDS)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.setup_regions(user, self.data, self.instance)

    def clean_nik(self) -> str | None:
        nik = (self.cleaned_data.get("nik") or "").strip()
        if not nik:
            return None
        nik = normalize_nik(nik)
        clash = Owner.objects.filter(nik=nik)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        clash = clash.first()
        if clash is not None:
            raise ValidationError(nik_taken_message(self.user, clash), code="nik_taken")
        return nik

    def clean_phone(self) -> str:
        phone = (self.cleaned_data.get("phone") or "").strip()
        return normalize_phone(phone) if phone else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        nik, birth, gender = data.get("nik"), data.get("birth_date"), data.get("gender")
        if nik:
            from sentra.core.validators import nik_parse

            info = nik_parse(nik)
            if gender and gender != info.gender:
                self.add_error(
                    "gender",
                    _("Jenis kelamin tidak sesuai dengan NIK (tanggal lahir di NIK menandakan {g}).").format(
                        g=Gender(info.gender).label
                    ),
                )
            if birth and (birth.day, birth.month, birth.year % 100) != (
                info.birth_day,
                info.birth_month,
                info.birth_year_2,
            ):
                self.add_error("birth_date", _("Tanggal lahir tidak sesuai dengan NIK."))
        return data
