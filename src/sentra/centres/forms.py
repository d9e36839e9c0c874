"""Centre forms. Choice lists read through ``visible_to``; bad input gets an Indonesian message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sentra.accounts.models import User
from sentra.accounts.roles import Role
from sentra.centres.choices import CentreStatus, Condition, FundingSource, Utilisation
from sentra.centres.criteria import is_dak
from sentra.centres.models import Centre, CentreFunding, EquipmentGrant, Facility, WorkshopUnit
from sentra.centres.services import CENTRE_FIELDS, FACILITY_FIELDS, FUNDING_FIELDS, GRANT_FIELDS, UNIT_FIELDS
from sentra.centres.uploads import MAX_UPLOAD_BYTES
from sentra.core.fields import IndonesianDateField, IndonesianDecimalField
from sentra.core.filters import scoped_regencies
from sentra.core.forms import BootstrapMixin
from sentra.core.uploads import DOCUMENTS, UploadField
from sentra.core.validators import normalize_kbli_code
from sentra.core.versioning import VersionedFormMixin
from sentra.regions.models import Kbli, Region, RegionLevel
from sentra.registry.models import Business


def business_choices(user: Any, centre: Centre | None = None, region_id: str | None = None) -> Any:
    qs = Business.objects.visible_to(user).alive().order_by("name", "id")
    region_id = region_id or (centre.region_id if centre else None)
    return qs.filter(region_id=region_id) if region_id else qs


#: At most this many businesses are offered for one search (the rest: "type more").
SEARCH_LIMIT = 20


def business_label(business: Business) -> str:
    """What tells look-alike names apart: ``Kusen Halim — NIB 9120301234567 · Kel. Wua-Wua · pemilik La Ode Halim``.

    Reads ``village`` and ``owners`` as loaded: use ``labelled_businesses`` for a list."""
    parts = [business.name]
    details = []
    if business.nib:
        details.append(_("NIB {nib}").format(nib=business.nib))
    if business.village_id:
        details.append(business.village.display_name)
    owners = [o.full_name for o in business.owners.all()]
    if owners:
        details.append(_("pemilik {names}").format(names=", ".join(owners[:2])))
    if details:
        parts.append(" · ".join(str(d) for d in details))
    return " — ".join(parts)


def labelled_businesses(qs: Any) -> Any:
    """The queryset with what ``business_label`` reads, in two queries whatever the number of rows."""
    return qs.select_related("village").prefetch_related("owners")


def search_businesses(qs: Any, query: str) -> Any:
    """Businesses whose name, NIB, owner or village matches every word typed (case-insensitive)."""
    from django.db.models import Q

    for word in query.split()[:5]:
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(nib__startswith=word)
            | Q(owners__full_name__icontains=word)
            | Q(village__name__icontains=word)
        )
    return labelled_businesses(qs.distinct())


class BusinessChoiceField(forms.ModelChoiceField):
    """A business picker that tells look-alikes apart (NIB, village, owner) and searches instead of listing all:
    the page renders only the chosen business; typing asks ``search_url`` for the matching ones."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", BusinessSearchSelect())
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Business) -> str:
        return business_label(obj)

    def set_search_url(self, url: str) -> None:
        self.widget.search_url = url


class BusinessSearchSelect(forms.Widget):
    """A search box (htmx) above a short list of radio buttons whose labels wrap on a phone; only the chosen
    business is rendered with the page, the search fills the list."""

    template_name = "centres/widgets/business_search.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.search_url = ""
        self.choices: Any = ()

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        copy = super().__deepcopy__(memo)
        copy.search_url = self.search_url
        copy.choices = self.choices
        return copy

    def chosen(self, value: Any) -> list[dict[str, Any]]:
        """The chosen business (a re-shown form keeps it), labelled, or nothing."""
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None or value in ("", None):
            return []
        try:
            return [{"pk": b.pk, "label": business_label(b)} for b in labelled_businesses(queryset.filter(pk=value))]
        except (ValueError, TypeError, ValidationError):
            return []

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.search_url
        context["widget"]["chosen"] = self.chosen(value)
        return context


class CentreForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    kbli_codes = forms.CharField(
        label=_("KBLI (5 angka, pisahkan dengan koma)"),
        required=False,
        max_length=200,
        help_text=_("Misalnya 31001, 31002 untuk sentra furnitur."),
    )
    managers = forms.ModelMultipleChoiceField(
        label=_("Pengelola (akun)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("Pengguna dengan peran pengelola sentra di kabupaten/kota ini."),
    )

    class Meta:
        model = Centre
        fields = list(CENTRE_FIELDS)
        field_classes = {
            "land_area_m2": IndonesianDecimalField,
            "building_area_m2": IndonesianDecimalField,
            "sk_date": IndonesianDateField,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "inside_kpi": forms.NullBooleanSelect,
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        instance = kwargs.get("instance")
        self.fields["region"].queryset = scoped_regencies(user)
        regency = (self.data.get("region") if self.data else None) or getattr(instance, "region_id", None)
        villages = (
            Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=f"{regency}.")
            if regency
            else Region.objects.none()
        )
        self.fields["village"].queryset = villages.order_by("name")
        is_officer = user.is_superuser or user.is_officer
        if is_officer:
            users = User.objects.visible_to(user).filter(role=Role.CENTRE_MANAGER, is_active=True)
            self.fields["managers"].queryset = users.filter(region_id=regency) if regency else users
            if instance is not None and instance.pk:
                self.fields["managers"].initial = list(instance.managers.all())
        else:
            del self.fields["managers"]
            self.fields["region"].disabled = True
        if instance is not None and instance.pk:
            self.fields["kbli_codes"].initial = ", ".join(k.code for k in instance.kbli.all())

    def clean_kbli_codes(self) -> list[Kbli]:
        raw = self.cleaned_data.get("kbli_codes") or ""
        codes = [normalize_kbli_code(c) for c in raw.replace(";", ",").split(",") if c.strip()]
        found = {k.code: k for k in Kbli.objects.filter(version="2020", level=5, code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(_("Kode KBLI tidak ditemukan: {codes}.").format(codes=", ".join(missing)))
        return [found[c] for c in codes]


class StatusForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=CentreStatus.choices)
    date = IndonesianDateField(label=_("Tanggal"))
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)


class UnitForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = WorkshopUnit
        fields = list(UNIT_FIELDS)
        field_classes = {"size_m2": IndonesianDecimalField}


class TenancyForm(BootstrapMixin, forms.Form):
    business = BusinessChoiceField(
        label=_("Usaha penyewa"),
        queryset=Business.objects.none(),
        help_text=_("Ketik nama usaha, NIB, nama pemilik atau kelurahan, lalu pilih dari daftar."),
    )
    start_date = IndonesianDateField(label=_("Mulai"))
    end_date = IndonesianDateField(label=_("Berakhir"), required=False, help_text=_("Kosongkan bila belum ditentukan."))
    agreement_number = forms.CharField(label=_("Nomor perjanjian"), max_length=120, required=False)
    annual_fee = IndonesianDecimalField(label=_("Sewa/retribusi per tahun (Rp)"), min_value=0, required=False)
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["business"].queryset = business_choices(user, centre)
        self.fields["business"].set_search_url(reverse("centres:business_search", args=[centre.pk]))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("Tanggal berakhir tidak boleh sebelum tanggal mulai."))
        return data


class EndTenancyForm(BootstrapMixin, forms.Form):
    end_date = IndonesianDateField(label=_("Tanggal berakhir"))


class MembershipForm(BootstrapMixin, forms.Form):
    business = BusinessChoiceField(
        label=_("Usaha"),
        queryset=Business.objects.none(),
        help_text=_("Ketik nama usaha, NIB, nama pemilik atau kelurahan, lalu pilih dari daftar."),
    )
    joined_on = IndonesianDateField(label=_("Bergabung sejak"), required=False)

    def __init__(self, *args: Any, user: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["business"].queryset = business_choices(user, centre).exclude(centre_memberships__centre=centre)
        self.fields["business"].set_search_url(reverse("centres:business_search", args=[centre.pk]) + "?untuk=anggota")


class FacilityForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Facility
        fields = list(FACILITY_FIELDS)
        field_classes = {"value": IndonesianDecimalField}


class AttachmentForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=[("photo", _("Foto")), ("document", _("Dokumen (PDF)"))])
    file = UploadField(
        label=_("Berkas"),
        kinds=DOCUMENTS,
        max_bytes=MAX_UPLOAD_BYTES,
        help_text=_("Foto JPEG/PNG/WebP atau PDF, paling besar {mb} MB.").format(mb=MAX_UPLOAD_BYTES // 1024 // 1024),
    )
    caption = forms.CharField(label=_("Keterangan"), max_length=200, required=False)


class FundingForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = CentreFunding
        fields = list(FUNDING_FIELDS)
        field_classes = {"ceiling": IndonesianDecimalField, "realised": IndonesianDecimalField}

    def __init__(self, *args: Any, user: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # DAK money comes from the DAK lines that name the centre; this form records other sources only.
        self.fields["source"].choices = [(v, label) for v, label in FundingSource.choices if not is_dak(v)]
        self.fields["source"].help_text = _("Dana DAK tercatat otomatis dari baris anggaran DAK sentra ini.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("realised") is not None and data.get("ceiling") is not None and data["realised"] > data["ceiling"]:
            self.add_error("realised", _("Realisasi tidak boleh melebihi pagu."))
        return data


class GrantForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = EquipmentGrant
        fields = list(GRANT_FIELDS)
        field_classes = {"value": IndonesianDecimalField}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from sentra.budget.models import Contract

        self.fields["region"].queryset = scoped_regencies(user)
        self.fields["contract"].queryset = Contract.objects.visible_to(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        contract, region = data.get("contract"), data.get("region")
        if contract is not None and region is not None and contract.region_id != region.pk:
            self.add_error("contract", _("Kontrak berasal dari kabupaten/kota lain."))
        return data


class HandoverForm(BootstrapMixin, forms.Form):
    bast_number = forms.CharField(label=_("Nomor BAST"), max_length=120)
    date = IndonesianDateField(label=_("Tanggal serah terima"))
    recipient_centre = forms.ModelChoiceField(
        label=_("Sentra penerima"), queryset=Centre.objects.none(), required=False
    )
    recipient_business = BusinessChoiceField(label=_("IKM penerima"), queryset=Business.objects.none(), required=False)
    reason = forms.CharField(label=_("Alasan (wajib untuk realokasi)"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, grant: EquipmentGrant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient_centre"].queryset = Centre.objects.visible_to(user).filter(region_id=grant.region_id)
        self.fields["recipient_business"].queryset = business_choices(user, region_id=grant.region_id)
        self.fields["recipient_business"].set_search_url(reverse("centres:grant_business_search", args=[grant.pk]))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("recipient_centre")) == bool(data.get("recipient_business")):
            raise ValidationError(_("Pilih satu penerima: sentra atau IKM (tidak keduanya)."))
        return data


class CheckForm(BootstrapMixin, forms.Form):
    date = IndonesianDateField(label=_("Tanggal pemeriksaan"))
    utilisation = forms.ChoiceField(label=_("Pemanfaatan"), choices=Utilisation.choices)
    condition = forms.ChoiceField(label=_("Kondisi"), choices=Condition.choices)
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)
