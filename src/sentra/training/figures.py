"""Dashboard figures of training."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sentra.core.dashboard import Figure


def training_figures(user: Any) -> list[Figure]:
    from sentra.training.choices import BatchStatus
    from sentra.training.models import Batch, Certificate, Participant

    if not user.has_perm("training.view_batch"):
        return []
    batches = Batch.objects.visible_to(user)
    open_count = batches.filter(status=BatchStatus.OPEN).count()
    url = reverse("training:batch_list")
    figures = [Figure(_("Kelas pelatihan dibuka"), open_count, url + f"?status={BatchStatus.OPEN}")]
    if user.is_superuser or user.has_perm("reports.view_businesscube"):
        return figures  # officers read trainings per region and year on the dashboard (reports.ProgrammeCube)
    # Through the participants the user may see: an owner counts their own certificates, not their classmates'.
    participants = Participant.objects.visible_to(user).values("pk")
    certs = Certificate.objects.filter(participant__in=participants, revoked_at__isnull=True).count()
    return [*figures, Figure(_("Sertifikat pelatihan terbit"), certs, url)]
