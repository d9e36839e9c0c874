"""Quality figures on the dashboard: certificates expiring/expired, overdue actions, unread notices."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.dashboard import Figure, register_figures
from sentra.quality.models import Certification, CorrectiveAction, Notice
from sentra.quality.querysets import expiring_q


def quality_figures(user: Any) -> list[Figure]:
    if not user.has_perm("quality.view_certification"):
        return []
    today = timezone.localdate()
    figures = []
    # Officers read certifications per region and year on the drill-down dashboard (reports.ProgrammeCube): no
    # count over every certification of their scope here. Owners and centre managers count their own few.
    if not (user.is_superuser or user.has_perm("reports.view_businesscube")):
        certs = Certification.objects.visible_to(user).aggregate(
            expiring=Count("id", filter=expiring_q(today)),
            expired=Count("id", filter=Q(expires_on__lt=today)),
        )
        url = reverse("quality:certification_expiry")
        figures += [
            Figure(_("Sertifikat akan habis (90 hari)"), certs["expiring"], url),
            Figure(_("Sertifikat sudah habis"), certs["expired"], url + "#kedaluwarsa"),
        ]
    overdue = CorrectiveAction.objects.visible_to(user).overdue(today).count()
    unread = Notice.objects.filter(recipient=user, read_at__isnull=True).count()
    return [
        *figures,
        Figure(_("Tindakan perbaikan terlambat"), overdue, reverse("quality:action_list") + "?terlambat=1"),
        Figure(_("Pemberitahuan belum dibaca"), unread, reverse("quality:notice_list")),
    ]


def register() -> None:
    register_figures(quality_figures)
