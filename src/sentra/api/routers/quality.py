"""Quality: certifications and permits, checklist assessments and INDI 4.0 — read only.

Reads go through ``sentra.quality.selectors`` (``visible_to``: officers by region, owners their own business,
centre managers their members, trainers the assessments they made) with the filters of the quality pages.
Writes (starting, filling and verifying assessments, uploading certificates) are multi-step page workflows
with file uploads; the API does not offer them yet.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from sentra.api.common import scoped_get
from sentra.api.listing import list_page
from sentra.api.pagination import PageMeta, PageQuery
from sentra.core.views import require_model_perm
from sentra.quality import selectors
from sentra.quality.choices import AssessmentStatus, CertificationKind, IndiStatus
from sentra.quality.models import Assessment, Certification, IndiAssessment
from sentra.quality.querysets import CertificationQuerySet

router = Router(tags=["Mutu dan INDI 4.0"])
ObjectId = Path(..., ge=1, le=2**63 - 1)

KindCode = Literal[tuple(CertificationKind.values)]  # type: ignore[valid-type]
AssessmentStatusCode = Literal[tuple(AssessmentStatus.values)]  # type: ignore[valid-type]
IndiStatusCode = Literal[tuple(IndiStatus.values)]  # type: ignore[valid-type]


def _text(value: str) -> str:
    return value.replace("\x00", "").strip()


# --- Certifications ---------------------------------------------------------------------------------------


class CertificationOut(Schema):
    id: int
    business: int = Field(alias="business_id")
    business_name: str = Field(alias="business.name")
    region: str = Field(alias="region_id")
    kind: str
    number: str
    issuer: str
    issued_on: dt.date
    expires_on: dt.date | None = None
    validity: str = Field(
        description="valid, expiring (≤ 90 hari), expired, open (tanpa batas waktu), pending (belum berlaku)"
    )
    scope: str
    has_document: bool
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_has_document(obj: Certification) -> bool:
        return bool(obj.document)


class CertificationPage(PageMeta):
    results: list[CertificationOut]


class CertificationFilters(PageQuery):
    q: str | None = Field(None, description="Nomor sertifikat atau nama usaha", max_length=100)
    kind: KindCode | None = None  # type: ignore[valid-type]
    status: Literal["akan-habis", "habis", "berlaku"] | None = Field(
        None, description="akan-habis (≤ 90 hari), habis, berlaku (seperti halaman Sertifikat)"
    )
    region: str | None = Field(None, max_length=13, description="Kode kabupaten/kota, misalnya 74.71")
    business: int | None = Field(None, ge=1, le=2**63 - 1)


def _certification_search(qs: CertificationQuerySet, q: str) -> CertificationQuerySet:
    text = _text(q)
    return qs.filter(Q(number__icontains=text) | Q(business__name__icontains=text))


def _certification_validity(qs: CertificationQuerySet, status: str) -> CertificationQuerySet:
    """As the certifications page: ``akan-habis`` (≤ 90 days), ``habis`` or ``berlaku`` today."""
    today = timezone.localdate()
    return {"akan-habis": qs.expiring, "habis": qs.expired, "berlaku": qs.valid}[status](today)


CERTIFICATION_FILTERS = {
    "q": _certification_search,
    "kind": "kind",
    "status": _certification_validity,
    "region": lambda qs, code: qs.filter(region_id=_text(code)),
    "business": "business_id",
}


@scoped_get(router, "/certifications", CertificationPage, "quality.certification", "list")
def certification_list(request: HttpRequest, filters: Query[CertificationFilters]):
    """Sertifikat dan izin usaha (halal, SNI, P-IRT, …) dalam cakupan Anda; urut masa berlaku seperti halamannya
    (yang sudah habis: terbaru habis dulu)."""
    require_model_perm(request.user, Certification, "view")
    return list_page(
        request,
        filters,
        selectors.certification_list(user=request.user).select_related(None).select_related("business"),
        where=CERTIFICATION_FILTERS,
        ordering=["-expires_on", "-id"] if filters.status == "habis" else ["expires_on", "id"],
    )


@scoped_get(router, "/certifications/{int:certification_id}", CertificationOut, "quality.certification")
def certification_detail(request: HttpRequest, certification_id: int = ObjectId):
    return selectors.certification_get(user=request.user, pk=certification_id)


# --- Checklist assessments --------------------------------------------------------------------------------


class AssessmentOut(Schema):
    id: int
    business: int = Field(alias="business_id")
    business_name: str = Field(alias="business.name")
    region: str = Field(alias="region_id")
    checklist: str = Field(description="Nama daftar periksa dan versinya")
    assessor: str | None = None
    assessed_on: dt.date
    status: str
    total_score: Decimal | None = Field(None, description="0–100 (% dari nilai maksimum), saat selesai")
    summary: str
    batch: int | None = Field(None, description="Kelas pelatihan terkait (GET /batches/{id})", alias="batch_id")
    phase: str
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_checklist(obj: Assessment) -> str:
        return str(obj.checklist)

    @staticmethod
    def resolve_assessor(obj: Assessment) -> str | None:
        if obj.assessor is None:
            return None
        return obj.assessor.full_name or obj.assessor.username


class AssessmentPage(PageMeta):
    results: list[AssessmentOut]


class AssessmentFilters(PageQuery):
    q: str | None = Field(None, description="Nama usaha", max_length=100)
    status: AssessmentStatusCode | None = None  # type: ignore[valid-type]
    business: int | None = Field(None, ge=1, le=2**63 - 1)
    batch: int | None = Field(None, ge=1, le=2**63 - 1)


def _assessments(user: Any):  # type: ignore[no-untyped-def]
    return (
        selectors.assessment_list(user=user)
        .select_related(None)
        .select_related("business", "checklist__template", "assessor")
    )


@scoped_get(router, "/assessments", AssessmentPage, "quality.assessment", "list")
def assessment_list(request: HttpRequest, filters: Query[AssessmentFilters]):
    """Penilaian mutu (daftar periksa) dalam cakupan Anda, terbaru dulu."""
    require_model_perm(request.user, Assessment, "view")
    return list_page(
        request,
        filters,
        _assessments(request.user),
        where={
            "q": lambda qs, q: qs.filter(business__name__icontains=_text(q)),
            "status": "status",
            "business": "business_id",
            "batch": "batch_id",
        },
        ordering=["-assessed_on", "-id"],
    )


@scoped_get(router, "/assessments/{int:assessment_id}", AssessmentOut, "quality.assessment")
def assessment_detail(request: HttpRequest, assessment_id: int = ObjectId):
    return selectors.assessment_get(user=request.user, pk=assessment_id)


# --- INDI 4.0 ---------------------------------------------------------------------------------------------


class IndiOut(Schema):
    id: int
    business: int = Field(alias="business_id")
    business_name: str = Field(alias="business.name")
    region: str = Field(alias="region_id")
    questionnaire: str
    status: str
    overall: Decimal | None = Field(None, description="Indeks INDI 4.0, 0–4")
    pillar_scores: dict[str, Any] = Field(description="Nilai per pilar")
    submitted_at: dt.datetime | None = None
    verified_at: dt.datetime | None = None
    verification_note: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_questionnaire(obj: IndiAssessment) -> str:
        return str(obj.questionnaire)

    @staticmethod
    def resolve_pillar_scores(obj: IndiAssessment) -> dict[str, Any]:
        return obj.pillar_scores if isinstance(obj.pillar_scores, dict) else {}


class IndiPage(PageMeta):
    results: list[IndiOut]


class IndiFilters(PageQuery):
    status: IndiStatusCode | None = None  # type: ignore[valid-type]
    business: int | None = Field(None, ge=1, le=2**63 - 1)


@scoped_get(router, "/indi-assessments", IndiPage, "quality.indiassessment", "list")
def indi_list(request: HttpRequest, filters: Query[IndiFilters]):
    """Penilaian INDI 4.0 dalam cakupan Anda, terbaru dulu (filter status seperti halaman INDI 4.0)."""
    require_model_perm(request.user, IndiAssessment, "view")
    qs = selectors.indi_list(user=request.user).select_related(None).select_related("business", "questionnaire")
    where = {"status": "status", "business": "business_id"}
    return list_page(request, filters, qs, where=where, ordering=["-created_at", "-id"])


@scoped_get(router, "/indi-assessments/{int:indi_id}", IndiOut, "quality.indiassessment")
def indi_detail(request: HttpRequest, indi_id: int = ObjectId):
    return selectors.indi_get(user=request.user, pk=indi_id)
