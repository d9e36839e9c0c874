"""Submissions of periodic reports and the on-site notices that remind reporters."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sentra.core.models import RegionOwnedModel, user_field
from sentra.periodic.periods import Period, PeriodType, stored_period
from sentra.periodic.querysets import SubmissionQuerySet


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Konsep")
    SUBMITTED = "submitted", _("Dikirim")
    ACCEPTED = "accepted", _("Diterima")
    RETURNED = "returned", _("Dikembalikan")


#: Which state may follow which (DHIS2's data approval, simplified).
TRANSITIONS = {
    SubmissionState.DRAFT: {SubmissionState.SUBMITTED},
    SubmissionState.SUBMITTED: {SubmissionState.ACCEPTED, SubmissionState.RETURNED},
    SubmissionState.RETURNED: {SubmissionState.SUBMITTED},
    SubmissionState.ACCEPTED: set(),
}
#: The reporter may edit the data in these states only; an accepted submission is locked.
EDITABLE_STATES = (SubmissionState.DRAFT, SubmissionState.RETURNED)


class Submission(RegionOwnedModel):
    """One report of one subject for one period (unique), with its data as JSON keyed by the form's fields."""

    form_code = models.CharField(_("formulir"), max_length=60)
    period_type = models.CharField(_("jenis periode"), max_length=10, choices=PeriodType.choices)
    period = models.CharField(_("periode"), max_length=8, help_text=_("202403, 2024Q1 atau 2024S1"))
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    due_date = models.DateField(_("batas waktu"))
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField(_("subjek"))
    subject_label = models.CharField(_("nama subjek"), max_length=255)
    state = models.CharField(_("status"), max_length=10, choices=SubmissionState.choices, default=SubmissionState.DRAFT)
    data = models.JSONField(_("isian"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    #: Implausible changes against the previous period: ``[{"field", "previous", "value", "factor"}]``.
    flags = models.JSONField(_("tanda kejanggalan"), default=list, blank=True, encoder=DjangoJSONEncoder)
    prefilled_from = models.ForeignKey(
        "self", verbose_name=_("diisi awal dari"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = user_field()
    submitted_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)
    submitted_by = user_field(_("dikirim oleh"))
    #: Filled by an officer on the reporter's behalf (attributed).
    on_behalf = models.BooleanField(_("diisi petugas atas nama pelapor"), default=False)
    reviewed_at = models.DateTimeField(_("diperiksa pada"), null=True, blank=True)
    reviewed_by = user_field(_("diperiksa oleh"))
    return_reason = models.TextField(_("alasan pengembalian"), blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("laporan berkala")
        verbose_name_plural = _("laporan berkala")
        ordering = ["-period_start", "subject_label", "id"]
        permissions = [("review_submission", _("Dapat menerima atau mengembalikan laporan berkala"))]
        constraints = [
            models.UniqueConstraint(
                fields=["form_code", "subject_type", "subject_id", "period"], name="submission_one_per_period"
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="submission_period_ok"),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""), name="submission_returned_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "form_code", "period"], name="submission_region_period_idx"),
            models.Index(
                fields=["subject_type", "subject_id", "form_code", "-period_start"], name="submission_subj_idx"
            ),
            models.Index(fields=["state", "-period_start"], name="submission_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_label} · {self.period_obj.label}"

    def get_absolute_url(self) -> str:
        return reverse("periodic:submission_detail", args=[self.pk])

    @property
    def period_obj(self) -> Period:
        return stored_period(self.period_start, self.period_type, self.period)

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_locked(self) -> bool:
        return self.state == SubmissionState.ACCEPTED

    @property
    def on_time(self) -> bool | None:
        if self.submitted_at is None:
            return None
        from django.utils import timezone

        return timezone.localdate(self.submitted_at) <= self.due_date

    @property
    def form(self) -> Any:
        from sentra.periodic.registry import report_form

        return report_form(self.form_code)

    def rows(self) -> list[dict[str, Any]]:
        """The form's fields with this submission's values and flags, for display."""
        flagged = {f["field"]: f for f in self.flags or []}
        form = self.form
        if form is None:
            return [{"name": k, "label": k, "value": v, "kind": "text", "flag": None} for k, v in self.data.items()]
        return [
            {
                "name": f.name,
                "label": f.label,
                "kind": f.kind,
                "value": self.data.get(f.name),
                "flag": flagged.get(f.name),
                "computed": f.computed,
            }
            for f in form.fields
        ]


class Notice(models.Model):
    """An on-site notice for one user (reminders before deadlines). ``key`` makes each reminder once-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="periodic_notices")
    key = models.CharField(max_length=120)
    message = models.CharField(_("pesan"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notice_once_per_key")]

    def __str__(self) -> str:
        return self.message
