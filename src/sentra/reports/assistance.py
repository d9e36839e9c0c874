"""Assistance history across programmes and years, and the double-recipient check (*penerima ganda*).

Every kind of help the agency gives a business or its owner is read from the app that records it, through
``visible_to``: trainings attended (training), machines handed over (centres, hibah mesin), workshop units rented
(centres, tenancies), certification help (quality: certificates recorded and assessments done) and DAK-funded
works (budget lines that pay for the centres and training batches the business took part in). One query per kind,
so the query count does not grow with the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Extract
from django.utils.translation import gettext_lazy as _

from sentra.budget.models import BudgetLine
from sentra.centres.models import CentreFunding, EquipmentGrant, EquipmentHandover, Tenancy
from sentra.quality.models import Assessment, Certification
from sentra.registry.models import Business, Owner
from sentra.training.choices import ParticipantStatus
from sentra.training.models import Participant

KIND_TRAINING = "pelatihan"
KIND_EQUIPMENT = "hibah"
KIND_TENANCY = "unit"
KIND_QUALITY = "mutu"
KIND_DAK = "dak"

KINDS = {
    KIND_TRAINING: _("Pelatihan"),
    KIND_EQUIPMENT: _("Hibah mesin/peralatan"),
    KIND_TENANCY: _("Unit kerja sentra"),
    KIND_QUALITY: _("Pendampingan sertifikasi/mutu"),
    KIND_DAK: _("Kegiatan yang didanai DAK"),
}
#: Kinds a double-recipient check looks at (DAK works are a consequence of the others, not a separate award).
CHECKED_KINDS = (KIND_TRAINING, KIND_EQUIPMENT, KIND_TENANCY, KIND_QUALITY)


@dataclass
class AssistanceItem:
    kind: str
    date: dt.date | None
    title: str
    detail: str = ""
    url: str = ""
    amount: Decimal | None = None

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


@dataclass
class AssistanceHistory:
    items: list[AssistanceItem] = field(default_factory=list)

    @property
    def by_kind(self) -> dict[str, int]:
        counts = dict.fromkeys(KINDS, 0)
        for item in self.items:
            counts[item.kind] += 1
        return counts

    @property
    def years(self) -> list[int]:
        return sorted({i.year for i in self.items if i.year}, reverse=True)


def _subject_filters(owner: Owner | None, business: Business | None) -> tuple[Q, Q]:
    """(participant filter, business filter) for an owner (all their businesses) or one business."""
    if business is not None:
        return Q(business=business), Q(pk=business.pk)
    return Q(owner=owner), Q(ownerships__owner=owner)


def assistance_history(*, user: Any, owner: Owner | None = None, business: Business | None = None) -> AssistanceHistory:
    """Everything the agency gave ``business`` (or ``owner`` and their businesses) that ``user`` may see."""
    if (owner is None) == (business is None):
        raise ValueError("give exactly one of owner or business")
    p_filter, b_filter = _subject_filters(owner, business)
    business_ids = Business.objects.filter(b_filter).values("pk")
    history = AssistanceHistory()
    participants = list(
        Participant.objects.visible_to(user)
        .filter(p_filter)
        .exclude(status__in=[ParticipantStatus.REJECTED, ParticipantStatus.WITHDRAWN])
        .select_related("batch__programme", "batch__budget_line", "owner")
        .order_by("-batch__start_date", "id")
    )
    for p in participants:
        detail = p.get_status_display()
        if p.result:
            detail = f"{detail}, {p.get_result_display()}"
        history.items.append(
            AssistanceItem(KIND_TRAINING, p.batch.start_date, p.batch.name, detail, p.batch.get_absolute_url())
        )
    grants = EquipmentGrant.objects.visible_to(user).values("pk")
    for h in (
        EquipmentHandover.objects.filter(grant__in=grants, recipient_business__in=business_ids)
        .select_related("grant")
        .order_by("-date", "id")
    ):
        history.items.append(
            AssistanceItem(
                KIND_EQUIPMENT,
                h.date,
                f"{h.grant.name} ({h.grant.quantity})",
                f"BAST {h.bast_number}" + (" · " + str(_("realokasi")) if h.is_reallocation else ""),
                h.grant.get_absolute_url(),
                h.grant.value,
            )
        )
    tenancies = list(
        Tenancy.objects.visible_to(user)
        .filter(business__in=business_ids)
        .select_related("unit", "centre")
        .order_by("-start_date", "id")
    )
    for t in tenancies:
        until = t.end_date.strftime("%d-%m-%Y") if t.end_date else str(_("sekarang"))
        history.items.append(
            AssistanceItem(
                KIND_TENANCY,
                t.start_date,
                f"{t.unit} – {t.centre.name}",
                f"{t.start_date:%d-%m-%Y} s.d. {until}",
                t.centre.get_absolute_url(),
                t.annual_fee or None,
            )
        )
    for c in Certification.objects.visible_to(user).filter(business__in=business_ids).order_by("-issued_on", "id"):
        history.items.append(AssistanceItem(KIND_QUALITY, c.issued_on, str(c), c.issuer, c.get_absolute_url()))
    for a in (
        Assessment.objects.visible_to(user)
        .filter(business__in=business_ids)
        .select_related("checklist__template")
        .order_by("-assessed_on", "id")
    ):
        history.items.append(
            AssistanceItem(
                KIND_QUALITY,
                a.assessed_on,
                str(_("Penilaian %(name)s") % {"name": a.checklist.template.name}),
                a.get_status_display(),
                a.get_absolute_url(),
            )
        )
    # DAK-funded works: the budget lines of the batches attended and of the centres where a unit was rented.
    line_ids = {p.batch.budget_line_id for p in participants if p.batch.budget_line_id}
    centre_ids = {t.centre_id for t in tenancies}
    if centre_ids:
        line_ids |= set(
            CentreFunding.objects.filter(centre_id__in=centre_ids, budget_line__isnull=False).values_list(
                "budget_line_id", flat=True
            )
        )
    if line_ids:
        for line in (
            BudgetLine.objects.visible_to(user)
            .filter(pk__in=line_ids)
            .select_related("plan__allocation__fund__fiscal_year")
            .order_by("-plan__allocation__fund__fiscal_year__year", "id")
        ):
            year = line.plan.allocation.fund.fiscal_year.year
            history.items.append(
                AssistanceItem(
                    KIND_DAK,
                    dt.date(year, 1, 1),
                    line.description,
                    f"{line.plan.allocation.fund.get_kind_display()} {year}",
                    line.get_absolute_url(),
                    line.total,
                )
            )
    history.items.sort(key=lambda i: (i.date or dt.date.min, i.kind), reverse=True)
    return history


@dataclass
class DoubleRecipient:
    kind: str
    year: int
    subject: Any  # Owner (trainings) or Business (the rest)
    times: int

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


DOUBLE_LIMIT = 500


def assistance_double_recipients(
    *,
    user: Any,
    owner: Owner | None = None,
    business: Business | None = None,
    kind: str | None = None,
    year: int | None = None,
    region_ids: list[str] | None = None,
) -> list[DoubleRecipient]:
    """Owners/businesses that received the same kind of assistance more than once in one year (penerima ganda).

    Trainings count per owner (a person attends), the rest per business. ``owner``/``business`` narrow the check
    to one subject (an owner is checked with all their businesses); ``region_ids`` to the regencies of a chosen
    region. At most ``DOUBLE_LIMIT`` rows per kind, the most repeated first.
    """
    kinds = [kind] if kind else list(CHECKED_KINDS)
    if owner is not None:
        b_ids = Business.objects.filter(ownerships__owner=owner).values("pk")
    elif business is not None:
        b_ids = Business.objects.filter(pk=business.pk).values("pk")
    else:
        b_ids = None
    found: list[tuple[str, int, str, int, int]] = []  # kind, year, "owner"/"business", id, times

    def collect(kind_code: str, qs: Any, year_field: str, subject_field: str, subject_kind: str) -> None:
        if year is not None:
            qs = qs.filter(**{f"{year_field}__year": year})
        rows = (
            qs.values(subject_field, y=Extract(year_field, "year"))
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .order_by("-n", "-y", subject_field)[:DOUBLE_LIMIT]
        )
        found.extend((kind_code, r["y"], subject_kind, r[subject_field], r["n"]) for r in rows)

    if KIND_TRAINING in kinds:
        qs = Participant.objects.visible_to(user).filter(
            status=ParticipantStatus.ACCEPTED
        )  # accepted seats only: applications are not assistance yet
        if region_ids:
            qs = qs.filter(batch__region_id__in=region_ids)
        if owner is not None:
            qs = qs.filter(owner=owner)
        elif business is not None:
            qs = qs.filter(Q(business=business) | Q(owner__ownerships__business=business))
        collect(KIND_TRAINING, qs, "batch__start_date", "owner_id", "owner")
    if KIND_EQUIPMENT in kinds:
        qs = EquipmentHandover.objects.filter(
            grant__in=EquipmentGrant.objects.visible_to(user).values("pk"), recipient_business__isnull=False
        ).exclude(is_reallocation=True)
        if region_ids:
            qs = qs.filter(grant__region_id__in=region_ids)
        if b_ids is not None:
            qs = qs.filter(recipient_business__in=b_ids)
        collect(KIND_EQUIPMENT, qs, "date", "recipient_business_id", "business")
    if KIND_TENANCY in kinds:
        qs = Tenancy.objects.visible_to(user)
        if region_ids:
            qs = qs.filter(centre__region_id__in=region_ids)
        if b_ids is not None:
            qs = qs.filter(business__in=b_ids)
        collect(KIND_TENANCY, qs, "start_date", "business_id", "business")
    if KIND_QUALITY in kinds:
        # Assessments tied to a training batch are its before/after measurement, not separate help.
        qs = Assessment.objects.visible_to(user).filter(batch__isnull=True)
        if region_ids:
            qs = qs.filter(region_id__in=region_ids)
        if b_ids is not None:
            qs = qs.filter(business__in=b_ids)
        collect(KIND_QUALITY, qs, "assessed_on", "business_id", "business")
    owners = Owner.objects.in_bulk([f[3] for f in found if f[2] == "owner"])
    businesses = Business.objects.in_bulk([f[3] for f in found if f[2] == "business"])
    out = []
    for kind_code, y, subject_kind, pk, n in found:
        subject = (owners if subject_kind == "owner" else businesses).get(pk)
        if subject is not None:
            out.append(DoubleRecipient(kind_code, y, subject, n))
    out.sort(key=lambda d: (-d.year, d.kind, -d.times, str(d.subject)))
    return out


@dataclass
class PriorAssistance:
    subject: Any
    item: str
    date: dt.date | None
    url: str = ""


def batch_prior_trainings(*, user: Any, batch: Any) -> list[PriorAssistance]:
    """People applying to or seated in ``batch`` who already hold a seat in another class of the same year:
    shown on the participant selection, before an officer accepts them (penerima ganda)."""
    people = batch.participants.exclude(status__in=[ParticipantStatus.REJECTED, ParticipantStatus.WITHDRAWN]).values(
        "owner"
    )
    rows = (
        Participant.objects.visible_to(user)
        .filter(owner__in=people, batch__start_date__year=batch.start_date.year, status=ParticipantStatus.ACCEPTED)
        .exclude(batch=batch)
        .select_related("owner", "batch")
        .order_by("owner__full_name", "batch__start_date", "id")
    )
    return [PriorAssistance(p.owner, p.batch.name, p.batch.start_date, p.batch.get_absolute_url()) for p in rows]


def grant_prior_recipients(*, user: Any, grant: Any) -> list[PriorAssistance]:
    """Businesses of the grant's regency that already received a machine in the grant's year: shown above the
    handover (BAST) form, so an officer sees them before choosing the recipient (penerima ganda)."""
    rows = (
        EquipmentHandover.objects.filter(
            grant__in=EquipmentGrant.objects.visible_to(user).filter(region_id=grant.region_id).values("pk"),
            recipient_business__isnull=False,
            date__year=grant.year,
            is_reallocation=False,
        )
        .exclude(grant=grant)
        .select_related("recipient_business", "grant")
        .order_by("recipient_business__name", "date", "id")
    )
    return [PriorAssistance(h.recipient_business, h.grant.name, h.date, h.grant.get_absolute_url()) for h in rows]
