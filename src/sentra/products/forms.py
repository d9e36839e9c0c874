"""Forms of the products app. Bad input gets an Indonesian message that says how to fix it, and saves nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sentra.core.fields import IndonesianDecimalField
from sentra.core.forms import BootstrapMixin
from sentra.core.uploads import PHOTOS, UploadField
from sentra.core.validators import normalize_kbli_code
from sentra.core.versioning import VersionedFormMixin
from sentra.products.choices import CAPACITY_UNITS, MAX_LINKS, MAX_PHOTOS
from sentra.products.services import PHOTO_MAX_BYTES, check_links
from sentra.quality.models import Certification
from sentra.regions.models import Kbli


def parse_links(text: str) -> list[str]:
    """One address per line (commas and spaces also separate them), checked as the service checks them."""
    parts = [p for line in (text or "").splitlines() for p in line.replace(",", " ").split()]
    try:
        return check_links(parts)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict["links"]) from None


class ProductForm(VersionedFormMixin, BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Nama produk"), max_length=200)
    kbli_code = forms.CharField(
        label=_("KBLI produk (5 angka)"),
        max_length=6,
        help_text=_("Kelompok KBLI 2020, misalnya 31001 untuk furnitur kayu atau 16221 untuk kusen."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    description = forms.CharField(
        label=_("Uraian"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bahan, ukuran, pilihan warna, lama pengerjaan: yang ingin diketahui pembeli."),
    )
    price_min = IndonesianDecimalField(
        label=_("Harga terendah (Rp)"), max_digits=18, decimal_places=2, min_value=0, required=False
    )
    price_max = IndonesianDecimalField(
        label=_("Harga tertinggi (Rp)"), max_digits=18, decimal_places=2, min_value=0, required=False
    )
    monthly_capacity = IndonesianDecimalField(
        label=_("Kapasitas produksi per bulan"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    capacity_unit = forms.CharField(
        label=_("Satuan kapasitas"),
        max_length=30,
        required=False,
        help_text=format_lazy(_("Misalnya: {units}."), units=", ".join(CAPACITY_UNITS[:5])),
    )
    certifications = forms.ModelMultipleChoiceField(
        label=_("Sertifikat yang dimiliki produk ini"),
        queryset=Certification.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sertifikat usaha yang tercatat di menu Mutu (Halal, SNI, P-IRT, dan lain-lain)."),
    )
    links = forms.CharField(
        label=_("Tautan marketplace & media sosial"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://shopee.co.id/tokoanda"}),
        help_text=format_lazy(_("Satu alamat per baris, lengkap dengan https://; paling banyak {n}."), n=MAX_LINKS),
    )
    published = forms.BooleanField(
        label=_("Tampilkan di katalog publik"),
        required=False,
        help_text=_("Produk tampil di katalog bila usaha ini juga sudah setuju tampil di katalog."),
    )
    photos = UploadField(
        label=_("Foto produk"),
        kinds=PHOTOS,
        max_bytes=PHOTO_MAX_BYTES,
        multiple=True,
        required=False,
        help_text=format_lazy(
            _("JPEG, PNG atau WebP, paling besar 5 MB per foto, paling banyak {n} foto. Foto pertama menjadi sampul."),
            n=MAX_PHOTOS,
        ),
    )

    def __init__(self, *args: Any, certifications: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["certifications"]  # a ModelMultipleChoiceField (Field has no queryset in the stubs)
        field.queryset = certifications
        # Django gives the list's wrapper the inputs' class; Bootstrap's floated check box class would squeeze the
        # whole list into one box, so the list gets its own class (static/sentra/products.css).
        field.widget.attrs["class"] = "product-checks"

    def clean_kbli_code(self) -> Kbli:
        raw = (self.cleaned_data.get("kbli_code") or "").strip()
        code = normalize_kbli_code(raw)
        kbli = Kbli.objects.filter(version="2020", code=code, level=Kbli.Level.SUBCLASS).first()
        if kbli is None:
            raise ValidationError(
                _("Kode KBLI {code} tidak ada dalam KBLI 2020 (kelompok 5 angka).").format(code=code),
                code="kbli_unknown",
            )
        return kbli

    def clean_links(self) -> list[str]:
        return parse_links(self.cleaned_data.get("links") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("Harga tertinggi tidak boleh lebih kecil dari harga terendah."))
        if data.get("monthly_capacity") is not None and not (data.get("capacity_unit") or "").strip():
            self.add_error("capacity_unit", _("Tulis satuan kapasitasnya, misalnya unit, set atau m³."))
        return data

    def service_data(self) -> dict[str, Any]:
        """The cleaned values under the service's names."""
        data = self.domain_data("kbli_code", "photos")
        data["kbli"] = self.cleaned_data["kbli_code"]
        return data


class ListingForm(VersionedFormMixin, BootstrapMixin, forms.Form):
    opted_in = forms.BooleanField(
        label=_("Tampilkan usaha ini dan produknya yang dipublikasikan di katalog publik"),
        required=False,
        help_text=_(
            "Katalog menampilkan nama usaha, telepon, surel dan situs web usaha, wilayah, dan produk yang "
            "dipublikasikan. NIK dan data pribadi pemilik tidak pernah ditampilkan."
        ),
    )
    consent_note = forms.CharField(
        label=_("Bukti persetujuan pemilik"),
        max_length=300,
        required=False,
        help_text=_("Wajib bila petugas yang mencatat: surat atau formulir bertanda tangan dan tanggalnya."),
    )

    def __init__(self, *args: Any, for_owner: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if for_owner:
            del self.fields["consent_note"]
