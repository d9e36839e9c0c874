"""Retention of training applications that did not lead to a place (UU PDP; ``sentra.core.retention``).

A rejected or withdrawn application is kept for ``SENTRA_RETENTION_DAYS["training_applications"]`` days after
the decision (for questions and appeals). Then what the applicant wrote (the identity as typed on the public
form, motivation, planned business, the decision's reason) is erased, and an applicant who is known to Sentra only through such applications (no
business, no other training) is anonymised like a data-subject request. The participant rows stay, so the
numbers of applications, rejections and withdrawals per batch do not change.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.retention import RetentionRule, register_retention_rule

CLOSED = ("rejected", "withdrawn")
#: What a public applicant typed about themself, as erased (the domicile regency/city stays, for the counts).
TYPED_IDENTITY_ERASED = {
    "applicant_name": "",
    "applicant_nik": "",
    "applicant_birth_date": None,
    "applicant_gender": "",
    "applicant_phone": "",
    "applicant_email": "",
    "applicant_address": "",
}


def _expired(cutoff: dt.datetime):  # type: ignore[no-untyped-def]
    from sentra.training.models import Participant

    decided = Q(decided_at__lt=cutoff) | Q(decided_at__isnull=True, updated_at__lt=cutoff)
    return Participant.objects.filter(decided, status__in=CLOSED)


def _apply(cutoff: dt.datetime, dry_run: bool) -> int:
    from sentra.registry.models import Owner, Ownership
    from sentra.registry.personal_data import owner_anonymise
    from sentra.training.models import Participant

    expired = _expired(cutoff)
    texts = expired.filter(
        ~Q(motivation="")
        | ~Q(planned_business="")
        | ~Q(decision_reason="")
        | ~Q(applicant_name="")
        | ~Q(applicant_nik="")
        | ~Q(applicant_phone="")
        | ~Q(applicant_email="")
        | ~Q(applicant_address="")
        | Q(applicant_birth_date__isnull=False)
    )
    count = texts.count()
    # Owners whose every link to Sentra is an expired closed application.
    other_training = Participant.objects.filter(owner=OuterRef("pk")).exclude(pk__in=expired.values("pk"))
    owners = (
        Owner.objects.filter(anonymised_at__isnull=True, trainings__in=expired)
        .exclude(Exists(other_training))
        .exclude(Exists(Ownership.objects.filter(owner=OuterRef("pk"))))
        .distinct()
    )
    if dry_run:
        return count + owners.count()
    texts.update(motivation="", planned_business="", decision_reason="", **TYPED_IDENTITY_ERASED)
    anonymised = 0
    for owner in owners.order_by("pk").iterator(chunk_size=200):
        owner_anonymise(
            actor=None,
            owner=owner,
            reason=_("Masa simpan data pendaftaran pelatihan yang ditolak/mundur telah habis (retensi otomatis)."),
        )
        anonymised += 1
    return count + anonymised


def register() -> None:
    register_retention_rule(
        RetentionRule(
            "training_applications",
            gettext_lazy("Data pendaftar pelatihan yang ditolak atau mengundurkan diri"),
            365,
            _apply,
        )
    )
