"""The alumni follow-up as a periodic report: the owner answers 3, 6 and 12 months after their class ended.

The report form is event-relative (``PeriodType.EVENT``): its subject is the participant (one alumnus in one
class) and its periods are the 3/6/12-month points after the class's last day. Sending it writes the follow-up
through ``training.services.followup_record``, the same function as the officer's entry, with source "pemilik".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.validators import normalize_nib
from sentra.periodic.periods import PeriodType
from sentra.periodic.registry import ReportField, ReportForm, register_report_form, report_form
from sentra.training.choices import BatchStatus, FollowUpSource, ParticipantStatus
from sentra.training.models import FollowUp, Participant

FORM_CODE = "tindak-lanjut-alumni"
FOLLOWUP_POINTS = (3, 6, 12)
#: Days after a 3/6/12-month point by which the owner's answers are due.
DUE_DAYS = 30

FIELDS = (
    ReportField(
        "turnover",
        gettext_lazy("Omzet per tahun sekarang (Rp)"),
        kind="money",
        check_jump=True,
        help_text=gettext_lazy("Perkiraan penjualan setahun, dalam rupiah."),
    ),
    ReportField("workforce", gettext_lazy("Tenaga kerja sekarang (orang)"), kind="int", check_jump=True),
    ReportField(
        "nib",
        gettext_lazy("NIB"),
        kind="text",
        required=False,
        help_text=gettext_lazy("13 angka dari OSS; kosongkan bila belum memiliki NIB."),
    ),
    ReportField(
        "products",
        gettext_lazy("Produk yang dibuat sekarang"),
        kind="text",
        required=False,
        multiline=True,
        prefill=True,
    ),
)


def alumni(qs: QuerySet[Participant] | None = None) -> QuerySet[Participant]:
    """The alumni asked for follow-ups: accepted participants of classes that were not cancelled. The one
    population of the to-do list, the reminders and the answer rates."""
    qs = Participant.objects.all() if qs is None else qs
    return qs.filter(status=ParticipantStatus.ACCEPTED).exclude(batch__status=BatchStatus.CANCELLED)


def _expected(region_ids: list[str] | None) -> QuerySet[Participant]:
    qs = alumni().filter(batch__end_date__lt=timezone.localdate()).select_related("batch", "owner")
    if region_ids is not None:
        qs = qs.filter(batch__region_id__in=region_ids)
    return qs.order_by("batch__end_date", "pk")


def _event_date(participant: Participant) -> dt.date | None:
    return participant.batch.end_date


def _reporters(participant: Participant) -> list[Any]:
    user = participant.owner.user if participant.owner is not None else None
    return [user] if user is not None and user.is_active else []


def _done_elsewhere(subjects: list[Participant]) -> set[tuple[int, str]]:
    rows = FollowUp.objects.filter(participant__in=[s.pk for s in subjects]).values_list("participant_id", "months")
    return {(pk, f"B{months}") for pk, months in rows}


def _validate(data: dict[str, Any]) -> dict[str, str]:
    nib = (data.get("nib") or "").strip()
    if nib:
        try:
            normalize_nib(nib)
        except ValidationError as exc:
            return {"nib": exc.messages[0]}
    return {}


def _on_submit(*, actor: Any, submission: Any, subject: Participant) -> None:
    """Write the answers as the follow-up of that point, through the one follow-up service."""
    from sentra.training import services

    data = submission.data
    nib = (data.get("nib") or "").strip()
    business = subject.business
    services.followup_record(
        actor=actor,
        participant=subject,
        source=FollowUpSource.OFFICER if submission.on_behalf else FollowUpSource.OWNER,
        note=_("laporan berkala"),
        months=submission.period_obj.offset,
        contacted_on=timezone.localdate(),
        turnover=Decimal(str(data["turnover"])) if data.get("turnover") not in (None, "") else None,
        workforce=int(data["workforce"]) if data.get("workforce") not in (None, "") else None,
        nib=nib,
        nib_registered=bool(nib or (business is not None and business.nib)),
        products=(data.get("products") or "").strip(),
    )


def followup_form() -> ReportForm:
    form = report_form(FORM_CODE)
    if form is None:
        raise LookupError("the follow-up report form is registered by TrainingConfig.ready()")
    return form


def register() -> None:
    register_report_form(
        ReportForm(
            code=FORM_CODE,
            title=gettext_lazy("Tindak lanjut alumni pelatihan"),
            period_type=PeriodType.EVENT,
            subject_model="training.participant",
            fields=FIELDS,
            due_days=DUE_DAYS,
            reporter_scopes=("owner",),
            expected=_expected,
            reporters=_reporters,
            validate=_validate,
            event_date=_event_date,
            event_months=FOLLOWUP_POINTS,
            done_elsewhere=_done_elsewhere,
            on_submit=_on_submit,
            region_of=lambda participant: participant.batch.region_id,
            description=gettext_lazy(
                "Diisi alumni 3, 6 dan 12 bulan sesudah kelas selesai: omzet, tenaga kerja, NIB dan produk."
            ),
        )
    )
