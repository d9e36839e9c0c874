"""Training's part of personal-data requests (``sentra.core.personal_data``): the identity an owner typed on
their public applications, kept beside the registry record they were matched to (docs/domain.md §8, §14)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sentra.core.personal_data import PersonalDataProvider, register_personal_data
from sentra.training.models import Participant
from sentra.training.retention import TYPED_IDENTITY_ERASED


def _collect(owner: Any) -> dict[str, list[dict[str, Any]]]:
    """The owner's applications as they typed them on the public form (a data-subject copy)."""
    rows = (
        Participant.objects.filter(owner=owner).exclude(applicant_name="").select_related("batch", "applicant_region")
    )
    return {
        str(_("Pendaftaran pelatihan")): [
            {
                "batch": p.batch.name,
                "status": p.get_status_display(),
                "name": p.applicant_name,
                "nik": p.applicant_nik,
                "birth_date": p.applicant_birth_date,
                "gender": p.applicant_gender,
                "phone": p.applicant_phone,
                "email": p.applicant_email,
                "address": p.applicant_address,
                "region": str(p.applicant_region or ""),
                "motivation": p.motivation,
            }
            for p in rows
        ]
    }


def _anonymise(owner: Any, actor: Any) -> None:
    """Erasing an owner erases what they typed on their applications too (the rows and counts stay)."""
    Participant.objects.filter(owner=owner).update(motivation="", **TYPED_IDENTITY_ERASED)


def register() -> None:
    register_personal_data(PersonalDataProvider("training", _collect, _anonymise))
