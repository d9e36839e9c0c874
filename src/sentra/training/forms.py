"""Training forms: parse and validate input; services apply the rules (STYLE C)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sentra.accounts.models import User
from sentra.core.fields import IndonesianDecimalField
from sentra.core.forms import BootstrapForm, BootstrapMixin
from sentra.core.validators import mask_nik, normalize_phone, validate_nib, validate_nik
from sentra.core.versioning import VersionedFormMixin
from sentra.regions.models import Region
from sentra.registry.choices import Gender
from sentra.registry.models import Business, Owner
from sentra.training.choices import BusinessPlan, FollowUpMonths, ParticipantStatus
from sentra.training.models import Batch, ExternalTrainer, Module, Programme

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _regions_for(user: Any) -> Any:
    qs = Region.objects.filter(level=2)
    if user.is_superuser or user.scope.kind == "national":
        return qs
    if user.scope.kind == "region":
        return qs.filter(code__in=user.scope.region_ids)
    return qs.none()


class ProgrammeForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["title", "kind", "competencies", "min_attendance_pct", "min_post_test", "region"]
        widgets = {"competencies": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions_for(user)
        if self.instance.pk:
            self.fields["region"].disabled = True
        elif self.fields["region"].queryset.count() == 1:
            self.fields["region"].initial = self.fields["region"].queryset.first()


class ModuleForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Module
        fields = ["order", "title", "hours_jp"]


class BatchForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Batch
        fields = [
            "programme",
            "name",
            "region",
            "organiser",
            "start_date",
            "end_date",
            "venue",
            "quota",
            "funding_source",
            "funding_note",
            "budget_line",
            "status",
            "trainers",
            "eligible_regions",
            "min_age",
            "max_age",
            "business_requirement",
            "signatory_name",
            "signatory_title",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "trainers": forms.SelectMultiple(attrs={"size": 5}),
            "eligible_regions": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.visible_to(user)
        regions = _regions_for(user)
        self.fields["region"].queryset = regions
        self.fields["organiser"].required = False
        self.fields["trainers"].queryset = User.objects.filter(role="trainer", is_active=True).order_by("full_name")
        self.fields["eligible_regions"].queryset = Region.objects.filter(level=2).order_by("code")
        from sentra.budget.models import BudgetLine

        self.fields["budget_line"].queryset = BudgetLine.objects.visible_to(user).select_related("plan")
        if self.instance.pk:
            self.fields["region"].disabled = True
        elif regions.count() == 1:
            self.fields["region"].initial = regions.first()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        if (data.get("min_age") or 0) > (data.get("max_age") or 200):
            self.add_error("max_age", _("Usia maksimum harus lebih besar dari usia minimum."))
        return data


class ExternalTrainerForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ExternalTrainer
        fields = ["name", "institution"]


class SessionForm(BootstrapForm):
    day = forms.ModelChoiceField(label=_("Hari"), queryset=None)
    start_time = forms.TimeField(label=_("Mulai"), widget=TIME)
    end_time = forms.TimeField(label=_("Selesai"), widget=TIME)
    topic = forms.CharField(label=_("Topik"), max_length=200)
    module = forms.ModelChoiceField(label=_("Modul"), queryset=None, required=False)
    trainer = forms.ModelChoiceField(label=_("Pelatih"), queryset=None, required=False)
    external_trainer = forms.ModelChoiceField(label=_("Narasumber luar"), queryset=None, required=False)

    def __init__(self, *args: Any, batch: Batch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].queryset = batch.days.all()
        self.fields["day"].label_from_instance = lambda d: f"{_('Hari')} {d.number} – {d.date:%d-%m-%Y}"
        self.fields["module"].queryset = batch.programme.modules.all()
        self.fields["trainer"].queryset = batch.trainers.all()
        self.fields["external_trainer"].queryset = batch.external_trainers.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
            self.add_error("end_time", _("Jam selesai harus setelah jam mulai."))
        return data


class _OwnerChoiceField(forms.ModelChoiceField):
    """A person as look-alike names are told apart: ``Kusen Halim · NIK 7471********0001 · Kel. Wua-Wua``."""

    def label_from_instance(self, obj: Owner) -> str:
        parts = [obj.full_name]
        if obj.nik:
            parts.append(f"NIK {mask_nik(obj.nik)}")
        if obj.village_id:
            parts.append(obj.village.display_name)
        return " · ".join(parts)


class _BusinessChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Business) -> str:
        parts = [obj.name]
        if obj.nib:
            parts.append(f"NIB {obj.nib}")
        if obj.village_id:
            parts.append(obj.village.display_name)
        return " · ".join(parts)


class RegisterExistingForm(BootstrapForm):
    """Register a person already in the registry: search by name or NIK, then pick the business.

    The page searches (``?q=``) instead of listing everyone; when the form is shown again with an error it offers
    only the chosen person and that person's businesses (validation still reads the whole scoped lists)."""

    owner = _OwnerChoiceField(label=_("Pelaku usaha"), queryset=None)
    business = _BusinessChoiceField(label=_("Usaha"), queryset=None, required=False)
    accept = forms.BooleanField(label=_("Langsung terima (bila kuota masih ada)"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, batch: Batch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners = Owner.objects.visible_to(user).alive().filter(region=batch.region)
        self.fields["owner"].queryset = owners
        self.fields["business"].queryset = Business.objects.visible_to(user).alive()
        owner_id = self.data.get(self.add_prefix("owner"), "") if self.is_bound else ""
        chosen = owners.filter(pk=owner_id).select_related("village") if str(owner_id).isdigit() else owners.none()
        owned = self.fields["business"].queryset.filter(ownerships__owner__in=chosen).select_related("village")
        self.fields["owner"].widget.choices = [("", "–")] + [
            (o.pk, self.fields["owner"].label_from_instance(o)) for o in chosen
        ]
        self.fields["business"].widget.choices = [("", "–")] + [
            (b.pk, self.fields["business"].label_from_instance(b)) for b in owned.distinct()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        owner, business = data.get("owner"), data.get("business")
        if owner and business and not business.ownerships.filter(owner=owner).exists():
            self.add_error("business", _("Usaha ini tidak tercatat milik pelaku usaha tersebut."))
        return data


class RegisterNewForm(BootstrapForm):
    """Register a person who is not in the registry yet; the owner record is created on the way."""

    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    nik = forms.CharField(label=_("NIK"), max_length=16, validators=[validate_nik])
    gender = forms.ChoiceField(label=_("Jenis kelamin"), choices=[("", "–"), *Gender.choices], required=False)
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=DATE, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=16, required=False)
    business_plan = forms.ChoiceField(
        label=_("Usaha"),
        choices=[
            (BusinessPlan.PLANS, BusinessPlan.PLANS.label),
            (BusinessPlan.HAS, _("Memiliki usaha yang belum terdaftar")),
        ],
    )
    planned_business = forms.CharField(label=_("Usaha yang dijalankan/direncanakan"), max_length=200, required=False)
    accept = forms.BooleanField(label=_("Langsung terima (bila kuota masih ada)"), required=False, initial=True)

    def clean_nik(self) -> str:
        return self.cleaned_data["nik"].replace(" ", "")

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])


class DecisionForm(VersionedFormMixin, BootstrapForm):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            (ParticipantStatus.ACCEPTED, _("Terima")),
            (ParticipantStatus.WAITLISTED, _("Daftar tunggu")),
            (ParticipantStatus.REJECTED, _("Tolak")),
        ],
    )
    reason = forms.CharField(label=_("Alasan"), max_length=300, required=False)


class ReasonForm(VersionedFormMixin, BootstrapForm):
    """The withdrawal form: the reason, and the participant's version when the page was opened."""

    reason = forms.CharField(label=_("Alasan"), max_length=300)


class ApplicationForm(BootstrapForm):
    """The public application form. Asks only what selection needs (UU PDP data minimisation, docs/domain.md §8)."""

    full_name = forms.CharField(label=_("Nama lengkap (sesuai KTP)"), max_length=150)
    nik = forms.CharField(label=_("NIK"), max_length=16, validators=[validate_nik])
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=DATE)
    gender = forms.ChoiceField(label=_("Jenis kelamin"), choices=[("", "–"), *Gender.choices], required=False)
    phone = forms.CharField(label=_("Nomor HP/WhatsApp"), max_length=16)
    email = forms.EmailField(label=_("Surel (untuk pemberitahuan)"), required=False)
    region = forms.ModelChoiceField(label=_("Kabupaten/kota domisili"), queryset=None)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    business_plan = forms.ChoiceField(label=_("Usaha"), choices=BusinessPlan.choices, widget=forms.RadioSelect)
    business_name = forms.CharField(label=_("Nama atau jenis usaha"), max_length=200, required=False)
    motivation = forms.CharField(
        label=_("Mengapa Anda ingin mengikuti pelatihan ini?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    consent = forms.BooleanField(
        label=_("Saya setuju data ini diolah oleh dinas untuk seleksi dan pembinaan peserta pelatihan.")
    )

    def __init__(self, *args: Any, batch: Batch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = list(batch.eligible_regions.all()) or [batch.region]
        self.fields["region"].queryset = Region.objects.filter(pk__in=[r.pk for r in allowed]).order_by("code")
        if len(allowed) == 1:
            self.fields["region"].initial = allowed[0]

    def clean_nik(self) -> str:
        return self.cleaned_data["nik"].replace(" ", "")

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])


SCALE = [(i, str(i)) for i in range(1, 6)]


class EvaluationForm(BootstrapForm):
    mastery = forms.TypedChoiceField(
        label=_("Penguasaan materi oleh pelatih"), choices=SCALE, coerce=int, widget=forms.RadioSelect
    )
    delivery = forms.TypedChoiceField(label=_("Cara penyampaian"), choices=SCALE, coerce=int, widget=forms.RadioSelect)
    relevance = forms.TypedChoiceField(
        label=_("Manfaat bagi usaha saya"), choices=SCALE, coerce=int, widget=forms.RadioSelect
    )
    organisation = forms.TypedChoiceField(
        label=_("Penyelenggaraan (tempat, waktu, konsumsi)"), choices=SCALE, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Saran dan komentar"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class FollowUpForm(VersionedFormMixin, BootstrapForm):
    """Carries the participant's version (``initial["version"]``): the follow-up locks the participant row."""

    months = forms.TypedChoiceField(label=_("Tindak lanjut bulan ke"), choices=FollowUpMonths.choices, coerce=int)
    contacted_on = forms.DateField(label=_("Tanggal kontak"), widget=DATE)
    started_business = forms.BooleanField(label=_("Memulai usaha baru"), required=False)
    business_name = forms.CharField(
        label=_("Nama usaha baru"), max_length=200, required=False, help_text=_("Diisi bila memulai usaha baru.")
    )
    grew_business = forms.BooleanField(label=_("Usaha berkembang (produk, pasar atau kapasitas)"), required=False)
    nib_registered = forms.BooleanField(label=_("Sudah memiliki NIB"), required=False)
    nib = forms.CharField(label=_("NIB"), max_length=13, required=False)
    joined_centre = forms.BooleanField(label=_("Bergabung dengan sentra IKM"), required=False)
    centre_name = forms.CharField(label=_("Nama sentra"), max_length=200, required=False)
    turnover = IndonesianDecimalField(
        label=_("Omzet per tahun sekarang (Rp)"), required=False, min_value=0, max_digits=18, decimal_places=2
    )
    workforce = forms.IntegerField(label=_("Tenaga kerja sekarang (orang)"), required=False, min_value=0)
    notes = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        nib = (data.get("nib") or "").strip()
        if nib:
            try:
                validate_nib(nib)
            except forms.ValidationError as exc:
                self.add_error("nib", exc)
        if data.get("nib_registered") is False and nib:
            data["nib_registered"] = True
        return data
