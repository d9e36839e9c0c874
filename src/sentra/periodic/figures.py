"""Dashboard figures of periodic reporting: reports waiting for review (officers), reports to file (reporters)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sentra.core.dashboard import Figure, register_figures
from sentra.periodic.models import Submission, SubmissionState


def periodic_figures(user: Any) -> list[Figure]:
    if not (user.is_superuser or user.has_perm("periodic.view_submission")):
        return []
    if user.is_superuser or user.has_perm("periodic.review_submission"):
        waiting = Submission.objects.visible_to(user).filter(state=SubmissionState.SUBMITTED).count()
        url = reverse("periodic:submission_list") + f"?state={SubmissionState.SUBMITTED}"
        return [Figure(_("Laporan menunggu pemeriksaan"), waiting, url)]
    from sentra.periodic.selectors import todo

    open_items = [i for i in todo(user=user) if i.submission is None or i.submission.is_editable]
    return [Figure(_("Laporan berkala yang harus dikirim"), len(open_items), reverse("periodic:todo"))]


def register() -> None:
    register_figures(periodic_figures)
