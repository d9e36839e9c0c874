"""Forms of the quality app. Bad input gets an Indonesian message and saves nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sentra.core.fields import IndonesianDateField
from sentra.core.forms import BootstrapMixin
from sentra.core.uploads import BY_CONTENT_TYPE
from sentra.core.uploads import UploadField as CoreUploadField
from sentra.core.versioning import VersionedFormMixin
from sentra.quality.choices import CertificationKind, Phase, Severity
from sentra.quality.models import ChecklistItem, ChecklistVersion
from sentra.quality.uploads import DOCUMENT_TYPES, PHOTO_TYPES, check_upload, max_upload_bytes

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UploadField(CoreUploadField):
    """The core upload check (content, size, macros, passwords) with quality's allowed content types."""

    def __init__(self, *args: Any, allowed: tuple[str, ...] = DOCUMENT_TYPES, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kinds = [BY_CONTENT_TYPE[t].key for t in allowed]
        super().__init__(*args, kinds=kinds, max_bytes=max_upload_bytes, **kwargs)


class CertificationForm(VersionedFormMixin, BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=CertificationKind.choices)
    number = forms.CharField(
        label=_("Nomor"), max_length=80, help_text=_("P-IRT: 15 angka, mis. P-IRT No. 2107471010123-29.")
    )
    issuer = forms.CharField(label=_("Penerbit"), max_length=200, required=False)
    issued_on = IndonesianDateField(label=_("Tanggal terbit"), widget=DATE_WIDGET)
    expires_on = IndonesianDateField(
        label=_("Berlaku sampai"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Kosongkan bila berlaku tanpa batas waktu."),
    )
    scope = forms.CharField(label=_("Lingkup/produk"), max_length=300, required=False)
    document = UploadField(label=_("Dokumen (PDF/JPG/PNG, maks. 5 MB)"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        issued, expires = data.get("issued_on"), data.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", _("Tanggal berlaku sampai tidak boleh sebelum tanggal terbit."))
        return data


class AssessmentStartForm(BootstrapMixin, forms.Form):
    checklist = forms.ModelChoiceField(
        label=_("Daftar periksa"), queryset=ChecklistVersion.objects.none(), empty_label=None
    )
    assessed_on = IndonesianDateField(label=_("Tanggal penilaian"), widget=DATE_WIDGET)
    phase = forms.ChoiceField(
        label=_("Tahap pelatihan"), choices=[("", _("Bukan bagian pelatihan")), *list(Phase.choices)], required=False
    )

    batch = forms.ModelChoiceField(
        label=_("Kelas pelatihan"),
        queryset=None,
        required=False,
        empty_label=_("(tidak terkait pelatihan)"),  # type: ignore[arg-type]
    )

    field_order = ["checklist", "assessed_on", "batch", "phase"]

    def __init__(self, *args: Any, user: Any = None, business: Any = None, **kwargs: Any) -> None:
        from django.apps import apps

        super().__init__(*args, **kwargs)
        Batch = apps.get_model("training", "Batch")
        batches = Batch.objects.visible_to(user) if user is not None else Batch.objects.none()
        if business is not None:
            batches = batches.filter(participants__business=business).distinct()
        self.fields["batch"].queryset = batches.order_by("-start_date")
        self.fields["checklist"].queryset = (
            ChecklistVersion.objects.filter(status="published").select_related("template").order_by("template__name")
        )
        self.fields["checklist"].label_from_instance = lambda v: f"{v.template.name} (v{v.number})"


class FindingForm(BootstrapMixin, forms.Form):
    severity = forms.ChoiceField(label=_("Tingkat"), choices=Severity.choices, initial=Severity.MINOR)
    item = forms.ModelChoiceField(
        label=_("Butir terkait"), queryset=ChecklistItem.objects.none(), required=False, empty_label=_("(umum)")
    )
    description = forms.CharField(label=_("Uraian temuan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, checklist: ChecklistVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = ChecklistItem.objects.filter(section__version=checklist).order_by(
            "section__order", "order"
        )
        self.fields["item"].label_from_instance = lambda i: f"{i.code} {i.text[:70]}".strip()


class ActionForm(BootstrapMixin, forms.Form):
    description = forms.CharField(
        label=_("Tindakan perbaikan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    responsible = forms.ModelChoiceField(label=_("Penanggung jawab"), queryset=None)  # type: ignore[arg-type]
    due_on = IndonesianDateField(label=_("Batas waktu"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, responsible_qs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = responsible_qs
        self.fields["responsible"].label_from_instance = lambda u: (
            f"{u.full_name or u.username} ({u.get_role_display()})"
        )


class TransitionForm(BootstrapMixin, forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class IndiAnswerForm(BootstrapMixin, forms.Form):
    score = forms.TypedChoiceField(
        label=_("Tingkat"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5)],
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih salah satu tingkat sebelum melanjutkan.")},
    )
    note = forms.CharField(label=_("Keterangan (opsional)"), max_length=500, required=False)
    evidence = UploadField(
        label=_("Bukti (opsional: foto atau PDF, maks. 5 MB)"), allowed=(*DOCUMENT_TYPES, "image/webp")
    )


class IndiVerifyForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("Catatan verifikasi lapangan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class CompleteForm(BootstrapMixin, forms.Form):
    summary = forms.CharField(label=_("Ringkasan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


def photo_check(upload: Any) -> None:
    if upload:
        try:
            check_upload(upload, PHOTO_TYPES)
        except ValidationError:
            raise
