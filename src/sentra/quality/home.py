"""The quality app's cards on a business owner's home page: certificates with their expiry, and INDI 4.0."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.dashboard import HomeSection
from sentra.core.formatting import format_number
from sentra.core.templatetags.sentra import tanggal
from sentra.quality import selectors
from sentra.quality.choices import IndiStatus
from sentra.quality.scoring import indi_level_name
from sentra.registry.selectors import business_list

#: certificates listed on the card, soonest expiry first
LIMIT = 8


def owner_certifications(user: Any) -> dict[str, Any] | None:
    if not user.has_perm("quality.view_certification"):
        return None
    certs = list(selectors.certification_list(user=user).order_by("expires_on", "id")[: LIMIT + 1])
    card: dict[str, Any] = {"certifications": certs[:LIMIT], "more": len(certs) > LIMIT}
    due = next((c for c in certs if c.validity in ("expired", "expiring")), None)
    if not certs:
        card["hint"] = _(
            "Belum ada sertifikat usaha (Halal, SNI, PIRT, dan lain-lain) yang tercatat. Bawa sertifikat Anda ke "
            "petugas dinas agar dicatat dan Anda diingatkan sebelum masa berlakunya habis."
        )
    elif due is not None:
        when = tanggal(due.expires_on)
        card["next"] = {
            "label": (
                _("Perpanjang {kind} {number}: habis {date}")
                if due.validity == "expired"
                else _("Perpanjang {kind} {number} sebelum {date}")
            ).format(kind=due.get_kind_display(), number=due.number, date=when),
            "url": due.get_absolute_url(),
        }
    else:
        card["hint"] = _("Semua sertifikat masih berlaku; Anda diingatkan 90 hari sebelum masa berlakunya habis.")
    return card


def owner_indi(user: Any) -> dict[str, Any] | None:
    if not user.has_perm("quality.view_indiassessment"):
        return None
    businesses = list(business_list(user=user).alive().order_by("name", "id")[:10])
    if not businesses:
        return None
    latest: dict[int, Any] = {}
    for assessment in selectors.indi_list(user=user).filter(business__in=businesses).order_by("-created_at", "-id"):
        latest.setdefault(assessment.business_id, assessment)
    rows = []
    for business in businesses:
        assessment = latest.get(business.pk)
        if assessment is None:
            status = _("Belum pernah menilai diri")
            step = {
                "label": _("Mulai penilaian INDI 4.0"),
                "url": reverse("quality:business_quality", args=[business.pk]),
            }
        elif assessment.status == IndiStatus.DRAFT:
            status = _("Sedang diisi")
            step = {"label": _("Lanjutkan pengisian"), "url": assessment.get_absolute_url()}
        elif assessment.status == IndiStatus.SUBMITTED:
            status = _("Dikirim, menunggu verifikasi petugas")
            step = {"label": _("Lihat jawaban"), "url": assessment.get_absolute_url()}
        else:
            status = _("Terverifikasi: indeks {score} ({level})").format(
                score=format_number(assessment.overall, 2) if assessment.overall is not None else "–",
                level=indi_level_name(assessment.overall),
            )
            step = {"label": _("Lihat hasil dan saran"), "url": assessment.get_absolute_url()}
        rows.append({"business": business, "assessment": assessment, "status": status, "step": step})
    card: dict[str, Any] = {"rows": rows}
    first_open = next((r for r in rows if r["assessment"] is None or r["assessment"].status == IndiStatus.DRAFT), None)
    if first_open is not None:
        card["next"] = first_open["step"]
    return card


CERTIFICATIONS = HomeSection(
    "certifications",
    gettext_lazy("Sertifikat usaha"),
    "quality/home/certifications.html",
    owner_certifications,
    order=20,
)
INDI = HomeSection("indi", gettext_lazy("INDI 4.0"), "quality/home/indi.html", owner_indi, order=30)
