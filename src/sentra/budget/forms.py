"""Budget forms: input validation at the edge, Indonesian numbers and dates (STYLE C, H)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sentra.budget.models import BudgetLine, DisbursementStage, Fund, SubMenu
from sentra.core.fields import IndonesianDateField, IndonesianDecimalField
from sentra.core.forms import BootstrapForm
from sentra.core.uploads import PHOTOS, UploadField
from sentra.core.versioning import VersionedFormMixin
from sentra.regions.models import Region, RegionLevel


class VersionedForm(VersionedFormMixin, BootstrapForm):
    """An edit form carrying the version it was loaded with (core.versioning)."""


class AllocationForm(VersionedForm):
    fund = forms.ModelChoiceField(label=_("Dana"), queryset=Fund.objects.none())
    region = forms.ModelChoiceField(label=_("Kabupaten/kota"), queryset=Region.objects.none())
    amount = IndonesianDecimalField(label=_("Pagu (Rp)"), max_digits=18, decimal_places=2, min_value=1)
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)

    def __init__(self, *args: Any, regions: Any, funds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds
        self.fields["region"].queryset = regions


class PlanForm(VersionedForm):
    title = forms.CharField(label=_("Judul rencana"), max_length=200)
    notes = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class LineForm(VersionedForm):
    sub_menu = forms.ModelChoiceField(label=_("Menu / sub-menu"), queryset=SubMenu.objects.none())
    description = forms.CharField(label=_("Uraian kegiatan"), max_length=300)
    output_name = forms.CharField(
        label=_("Keluaran (output)"),
        max_length=200,
        required=False,
        help_text=_("Kosongkan untuk memakai keluaran sub-menu."),
    )
    unit = forms.CharField(
        label=_("Satuan"), max_length=30, required=False, help_text=_("Kosongkan untuk memakai satuan sub-menu.")
    )
    volume = IndonesianDecimalField(label=_("Volume"), max_digits=12, decimal_places=2, min_value=0.01)
    unit_cost = IndonesianDecimalField(label=_("Harga satuan (Rp)"), max_digits=18, decimal_places=2, min_value=0)
    location = forms.CharField(label=_("Lokasi"), max_length=300, required=False)
    district = forms.ModelChoiceField(label=_("Kecamatan"), queryset=Region.objects.none(), required=False)
    centre = forms.ModelChoiceField(
        label=_("Sentra IKM"),
        queryset=BudgetLine._meta.get_field("centre").related_model.objects.none(),
        required=False,
        help_text=_(
            "Sentra yang dibangun, dilengkapi atau diperkuat baris ini; riwayat pendanaannya dihitung dari sini."
        ),
    )
    for_target_centre = forms.BooleanField(
        label=_("Untuk sentra sasaran"),
        required=False,
        initial=True,
        help_text=_("DAK Nonfisik: paling sedikit 70 persen rencana harus untuk sentra sasaran."),
    )

    def __init__(self, *args: Any, allocation: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from sentra.budget.services import sub_menus_for

        centres = BudgetLine._meta.get_field("centre").related_model.objects
        self.fields["centre"].queryset = (
            centres.visible_to(user).filter(region_id=allocation.region_id).order_by("name")
        )

        self.fields["sub_menu"].queryset = sub_menus_for(allocation)
        self.fields["sub_menu"].label_from_instance = lambda s: f"{s.menu.code}.{s.code} {s.name} ({s.output_unit})"
        self.fields["district"].queryset = Region.objects.filter(
            level=RegionLevel.DISTRICT, parent_id=allocation.region_id
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        sub = data.get("sub_menu")
        if sub is not None:
            data["output_name"] = data.get("output_name") or sub.output_name
            data["unit"] = data.get("unit") or sub.output_unit
        return data

    @classmethod
    def initial_from(cls, line: BudgetLine) -> dict[str, Any]:
        return {
            "version": line.version,
            "sub_menu": line.sub_menu_id,
            "description": line.description,
            "output_name": line.output_name,
            "unit": line.unit,
            "volume": line.volume,
            "unit_cost": line.unit_cost,
            "location": line.location,
            "district": line.district_id,
            "centre": line.centre_id,
            "for_target_centre": line.for_target_centre,
        }


class StepForm(BootstrapForm):
    comment = forms.CharField(label=_("Komentar"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ContractForm(VersionedForm):
    vendor = forms.CharField(label=_("Penyedia"), max_length=200)
    number = forms.CharField(label=_("Nomor kontrak"), max_length=100)
    signed_on = IndonesianDateField(label=_("Tanggal kontrak"))
    value = IndonesianDecimalField(label=_("Nilai kontrak (Rp)"), max_digits=18, decimal_places=2, min_value=1)
    starts_on = IndonesianDateField(label=_("Mulai"))
    ends_on = IndonesianDateField(label=_("Selesai"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data


class PaymentForm(BootstrapForm):
    paid_on = IndonesianDateField(label=_("Tanggal bayar"))
    amount = IndonesianDecimalField(label=_("Jumlah (Rp)"), max_digits=18, decimal_places=2, min_value=1)
    reference = forms.CharField(label=_("Nomor SP2D/bukti"), max_length=100, required=False)
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)


class ProgressForm(BootstrapForm):
    reported_on = IndonesianDateField(label=_("Tanggal"))
    physical_pct = IndonesianDecimalField(
        label=_("Realisasi fisik (%)"), max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    output_achieved = IndonesianDecimalField(
        label=_("Keluaran tercapai (volume)"), max_digits=12, decimal_places=2, min_value=0
    )
    note = forms.CharField(label=_("Keterangan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    photos = UploadField(
        label=_("Foto bukti"),
        kinds=PHOTOS,
        max_bytes=5 * 1024 * 1024,
        multiple=True,
        required=False,
        help_text=_("JPEG, PNG atau WebP, paling besar 5 MB per foto."),
    )
    photo_taken_on = IndonesianDateField(label=_("Tanggal foto"), required=False)


class TransferRequestForm(BootstrapForm):
    stage = forms.ModelChoiceField(label=_("Tahap"), queryset=DisbursementStage.objects.none(), required=False)
    requested_on = IndonesianDateField(label=_("Tanggal pengajuan"))
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)

    def __init__(self, *args: Any, stages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = stages


class TransferReceiveForm(BootstrapForm):
    received_on = IndonesianDateField(label=_("Tanggal diterima di RKUD"))


class ReportGenerateForm(BootstrapForm):
    quarter = forms.TypedChoiceField(
        label=_("Triwulan"), choices=[(i, f"Triwulan {i}") for i in (1, 2, 3, 4)], coerce=int
    )
