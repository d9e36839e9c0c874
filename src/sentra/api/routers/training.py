"""Training: programmes, batches, participants, attendance, certificates and their verification.

Reads go through ``sentra.training.selectors`` (``visible_to``) and the pages' FilterSets. The one write is the
roll call: ``POST /batches/{id}/attendance`` records presence through ``training.services.attendance_set``, the
service the roll-call page uses (the same permission, the same rules: accepted participants only, no change
after the certificate, audited). Everything else in training is read-only in the API.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from sentra.api.common import READ_ERRORS, WRITE_ERRORS, scope, scoped_get
from sentra.api.errors import ApiError
from sentra.api.listing import list_page
from sentra.api.pagination import PageMeta, PageQuery
from sentra.core.querysets import scoped_get_or_404
from sentra.core.validators import mask_nik, mask_phone
from sentra.core.views import require_model_perm
from sentra.training import selectors, services
from sentra.training.choices import BatchStatus, FundingSource, ParticipantResult, ParticipantStatus, ProgrammeKind
from sentra.training.filters import BatchFilterSet, ProgrammeFilterSet
from sentra.training.models import Attendance, Batch, Certificate, Participant, Programme

router = Router(tags=["Pelatihan"])
ObjectId = Path(..., ge=1, le=2**63 - 1)

KindCode = Literal[tuple(ProgrammeKind.values)]  # type: ignore[valid-type]
BatchStatusCode = Literal[tuple(BatchStatus.values)]  # type: ignore[valid-type]
FundingCode = Literal[tuple(FundingSource.values)]  # type: ignore[valid-type]
ParticipantStatusCode = Literal[tuple(ParticipantStatus.values)]  # type: ignore[valid-type]
ResultCode = Literal[tuple(v for v in ParticipantResult.values if v)]  # type: ignore[valid-type]


def _not_found() -> Http404:
    return Http404()


# --- Programmes -------------------------------------------------------------------------------------------


class ModuleOut(Schema):
    order: int
    title: str
    hours_jp: int


class ProgrammeOut(Schema):
    id: int
    title: str
    kind: str
    region: str = Field(alias="region_id")
    competencies: list[str] = Field(alias="competency_list")
    min_attendance_pct: int
    min_post_test: Decimal
    batch_count: int = Field(description="Jumlah kelas (angkatan) program ini")
    version: int
    updated_at: dt.datetime


class ProgrammeDetailOut(ProgrammeOut):
    modules: list[ModuleOut]
    hours_jp: int = Field(description="Jumlah JP seluruh modul (1 JP = 45 menit)")

    @staticmethod
    def resolve_modules(obj: Programme) -> list[Any]:
        return list(obj.modules.all())

    @staticmethod
    def resolve_hours_jp(obj: Programme) -> int:
        return sum(m.hours_jp for m in obj.modules.all())


class ProgrammePage(PageMeta):
    results: list[ProgrammeOut]


class ProgrammeFilters(PageQuery):
    q: str | None = Field(None, description="Bagian dari judul", max_length=100)
    kind: KindCode | None = None  # type: ignore[valid-type]
    ordering: Literal["title", "-title"] = "title"


PROGRAMME_ORDERINGS = {"title": ["title", "id"], "-title": ["-title", "-id"]}


@scoped_get(router, "/programmes", ProgrammePage, "training.programme", "list")
def programme_list(request: HttpRequest, filters: Query[ProgrammeFilters]):
    """Program pelatihan dalam cakupan Anda (filter sama dengan halaman Program pelatihan)."""
    require_model_perm(request.user, Programme, "view")
    qs = selectors.programme_list(user=request.user).prefetch_related(None)
    return list_page(request, filters, qs, filterset=ProgrammeFilterSet, ordering=PROGRAMME_ORDERINGS)


@scoped_get(router, "/programmes/{int:programme_id}", ProgrammeDetailOut, "training.programme")
def programme_detail(request: HttpRequest, programme_id: int = ObjectId):
    """Satu program dengan modul kurikulumnya."""
    programme = selectors.programme_list(user=request.user).filter(pk=programme_id).prefetch_related("modules").first()
    if programme is None:
        raise _not_found()
    return programme


# --- Batches ----------------------------------------------------------------------------------------------


class BatchOut(Schema):
    id: int
    name: str
    programme: int = Field(alias="programme_id")
    programme_title: str = Field(alias="programme.title")
    region: str = Field(alias="region_id")
    organiser: str
    start_date: dt.date
    end_date: dt.date
    venue: str
    quota: int
    accepted_count: int = Field(description="Peserta yang diterima")
    status: str
    funding_source: str
    funding_note: str
    budget_line: int | None = Field(
        None,
        description="Baris anggaran DAK yang membiayai kelas (GET /budget-lines/{id})",
        alias="budget_line_id",
    )
    min_age: int
    max_age: int
    business_requirement: str
    version: int
    updated_at: dt.datetime


class DayOut(Schema):
    number: int
    date: dt.date


class BatchDetailOut(BatchOut):
    days: list[DayOut]
    trainers: list[str] = Field(description="Pelatih (pengguna) dan narasumber luar")
    eligible_regions: list[str]

    @staticmethod
    def resolve_days(obj: Batch) -> list[Any]:
        return list(obj.days.all())

    @staticmethod
    def resolve_trainers(obj: Batch) -> list[str]:
        names = [t.full_name or t.username for t in obj.trainers.all()]
        return names + [str(t) for t in obj.external_trainers.all()]

    @staticmethod
    def resolve_eligible_regions(obj: Batch) -> list[str]:
        return [r.pk for r in obj.eligible_regions.all()]


class BatchPage(PageMeta):
    results: list[BatchOut]


class BatchFilters(PageQuery):
    q: str | None = Field(None, description="Nama kelas, judul program atau tempat", max_length=100)
    status: BatchStatusCode | None = None  # type: ignore[valid-type]
    funding_source: FundingCode | None = None  # type: ignore[valid-type]
    year: int | None = Field(None, ge=1900, le=2100, description="Tahun tanggal mulai")
    programme: int | None = Field(None, ge=1, le=2**63 - 1)
    ordering: Literal["-start", "start"] = "-start"


BATCH_ORDERINGS = {"-start": ["-start_date", "-id"], "start": ["start_date", "id"]}


@scoped_get(router, "/batches", BatchPage, "training.batch", "list")
def batch_list(request: HttpRequest, filters: Query[BatchFilters]):
    """Kelas pelatihan (angkatan) dalam cakupan Anda; filter sama dengan halaman Pelatihan."""
    require_model_perm(request.user, Batch, "view")
    qs = selectors.batch_list(user=request.user)
    where = {"programme": "programme_id"}
    return list_page(request, filters, qs, filterset=BatchFilterSet, where=where, ordering=BATCH_ORDERINGS)


def _batch(request: HttpRequest, batch_id: int) -> Batch:
    """The batch (404 outside the scope) without the detail page's prefetches, for the nested resources."""
    return scoped_get_or_404(Batch.objects.all(), request.user, batch_id, "view")


@scoped_get(router, "/batches/{int:batch_id}", BatchDetailOut, "training.batch")
def batch_detail(request: HttpRequest, batch_id: int = ObjectId):
    """Satu kelas: hari pelatihan, pelatih, wilayah asal peserta yang diterima."""
    batch = selectors.batch_get(user=request.user, pk=batch_id)
    batch.accepted_count = batch.participants.filter(status=ParticipantStatus.ACCEPTED).count()  # type: ignore[attr-defined]
    return batch


# --- Participants -----------------------------------------------------------------------------------------


class ParticipantOwnerOut(Schema):
    id: int
    full_name: str
    nik: str | None = Field(None, description="Selalu tersamar; buka lewat GET /owners/{id}?reveal=nik")
    phone: str = Field(description="Selalu tersamar")


class ParticipantOut(Schema):
    id: int
    batch: int = Field(alias="batch_id")
    name: str = Field(
        description="Nama di registri bila sudah dicocokkan; sebelum itu nama seperti diisi pendaftar",
        alias="display_name",
    )
    matched: bool = Field(description="Sudah dicocokkan petugas dengan data registri")
    owner: ParticipantOwnerOut | None = Field(None, description="Kosong selama pendaftar belum dicocokkan")
    business: int | None = Field(None, alias="business_id")
    business_name: str | None = None
    status: str
    source: str
    business_plan: str
    planned_business: str
    decided_at: dt.datetime | None = None
    seat: int | None = None
    pre_test: Decimal | None = None
    post_test: Decimal | None = None
    result: str
    attendance_pct: Decimal | None = None
    certificate: str | None = Field(None, description="Kode sertifikat (GET /certificates/verify/{code})")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_matched(obj: Participant) -> bool:
        return obj.owner_id is not None

    @staticmethod
    def resolve_owner(obj: Participant) -> dict[str, Any] | None:
        owner = obj.owner
        if owner is None:
            return None
        return {
            "id": owner.pk,
            "full_name": owner.full_name,
            "nik": mask_nik(owner.nik) or None,
            "phone": mask_phone(owner.phone),
        }

    @staticmethod
    def resolve_business_name(obj: Participant) -> str | None:
        return obj.business.name if obj.business_id else None

    @staticmethod
    def resolve_certificate(obj: Participant) -> str | None:
        cert = getattr(obj, "certificate", None)
        return cert.code if cert is not None else None


class ParticipantPage(PageMeta):
    results: list[ParticipantOut]


class ParticipantFilters(PageQuery):
    status: ParticipantStatusCode | None = None  # type: ignore[valid-type]
    result: ResultCode | None = None  # type: ignore[valid-type]


@scoped_get(router, "/batches/{int:batch_id}/participants", ParticipantPage, "training.batch")
def participant_list(request: HttpRequest, filters: Query[ParticipantFilters], batch_id: int = ObjectId):
    """Peserta satu kelas yang boleh Anda lihat (pelaku usaha: hanya dirinya). NIK dan telepon tersamar."""
    batch = _batch(request, batch_id)
    qs = selectors.participants(user=request.user, batch=batch)
    return list_page(request, filters, qs, where={"status": "status", "result": "result"}, ordering=["id"])


# --- Attendance -------------------------------------------------------------------------------------------


class AttendanceMark(Schema):
    day: int = Field(description="Hari ke-")
    present: bool


class AttendanceRow(Schema):
    participant: int
    full_name: str
    present_days: int
    marks: list[AttendanceMark] = Field(description="Hanya hari yang sudah dicatat")


class AttendanceOut(Schema):
    days: list[DayOut]
    participants: list[AttendanceRow]


def _require_roll_call(request: HttpRequest) -> None:
    # The roll-call pages answer 404 without the permission; the API says why (the batch itself is visible).
    require_model_perm(request.user, Batch, "take_attendance")


def _attendance(batch: Batch) -> dict[str, Any]:
    days = list(batch.days.order_by("date"))
    number = {d.pk: d.number for d in days}
    accepted = list(
        Participant.objects.filter(batch=batch, status=ParticipantStatus.ACCEPTED)
        .select_related("owner")
        .order_by("owner__full_name", "id")
    )
    marks: dict[int, list[dict[str, Any]]] = {}
    for a in (
        Attendance.objects.filter(participant__batch=batch)
        .only("participant_id", "day_id", "present")
        .order_by("day__date")
    ):
        marks.setdefault(a.participant_id, []).append({"day": number[a.day_id], "present": a.present})
    return {
        "days": days,
        "participants": [
            {
                "participant": p.pk,
                "full_name": p.owner.full_name,
                "present_days": sum(1 for m in marks.get(p.pk, []) if m["present"]),
                "marks": marks.get(p.pk, []),
            }
            for p in accepted
        ],
    }


@router.get(
    "/batches/{int:batch_id}/attendance",
    response={200: AttendanceOut, **READ_ERRORS},
    openapi_extra=scope("training.batch", "object"),
)
def attendance_grid(request: HttpRequest, batch_id: int = ObjectId):
    """Presensi kelas: hari × peserta yang diterima (seperti halaman presensi)."""
    batch = _batch(request, batch_id)
    _require_roll_call(request)
    return _attendance(batch)


class AttendanceIn(Schema):
    participant: int = Field(ge=1, le=2**63 - 1, description="id peserta kelas ini")
    day: int = Field(ge=1, le=32767, description="Hari ke- (lihat days)")
    present: bool


class AttendanceRecordOut(Schema):
    participant: int
    day: int
    date: dt.date
    present: bool
    recorded_at: dt.datetime


@router.post(
    "/batches/{int:batch_id}/attendance",
    response={200: AttendanceRecordOut, **WRITE_ERRORS},
    openapi_extra=scope("training.batch", "object"),
)
def attendance_record(request: HttpRequest, payload: AttendanceIn, batch_id: int = ObjectId):
    """Catat hadir/tidak hadir satu peserta pada satu hari, lewat layanan yang sama dengan halaman presensi.

    Hanya peserta yang diterima; tidak dapat diubah setelah sertifikat terbit (422). Tercatat di riwayat.
    """
    batch = _batch(request, batch_id)
    _require_roll_call(request)
    day = batch.days.filter(number=payload.day).first()
    participant = (
        Participant.objects.select_related("owner", "batch").filter(pk=payload.participant, batch=batch).first()
    )
    errors: dict[str, list[str]] = {}
    if day is None:
        errors["day"] = [_("Hari ini tidak ada dalam jadwal kelas.")]
    if participant is None:
        errors["participant"] = [_("Peserta tidak terdaftar di kelas ini.")]
    if errors:
        raise ApiError(422, "validation_error", _("Data tidak valid. Periksa kolom yang disebut di errors."), errors)
    attendance = services.attendance_set(actor=request.user, participant=participant, day=day, present=payload.present)
    return {
        "participant": participant.pk,
        "day": day.number,
        "date": day.date,
        "present": attendance.present,
        "recorded_at": attendance.recorded_at,
    }


# --- Certificates -----------------------------------------------------------------------------------------


class CertificateFace(Schema):
    """What the certificate itself says: the same on the officer's record and on the public verification."""

    code: str
    holder_name: str
    programme_title: str
    organiser: str
    start_date: dt.date
    end_date: dt.date
    hours_jp: int
    issued_at: dt.datetime
    revoked_at: dt.datetime | None = None
    revoked_reason: str


class CertificateOut(CertificateFace):
    id: int
    number: str
    participant: int = Field(alias="participant_id")
    batch: int = Field(alias="participant.batch_id")


class CertificatePage(PageMeta):
    results: list[CertificateOut]


class CertificateFilters(PageQuery):
    batch: int | None = Field(None, ge=1, le=2**63 - 1)
    q: str | None = Field(None, description="Nama peserta, kode atau nomor", max_length=100)
    revoked: bool | None = Field(None, description="true: hanya yang dicabut; false: hanya yang berlaku")
    year: int | None = Field(None, ge=1900, le=2100, description="Tahun terbit")
    ordering: Literal["holder", "-issued"] = "holder"


CERTIFICATE_ORDERINGS = {"holder": ["holder_name", "id"], "-issued": ["-issued_at", "-id"]}


def _certificate_search(qs: QuerySet[Certificate], q: str) -> QuerySet[Certificate]:
    text = q.replace("\x00", "").strip()
    return qs.filter(Q(holder_name__icontains=text) | Q(code__iexact=text) | Q(number__icontains=text))


CERTIFICATE_FILTERS = {
    "batch": "participant__batch_id",
    "q": _certificate_search,
    "revoked": lambda qs, revoked: qs.filter(revoked_at__isnull=not revoked),
    "year": "issued_at__year",
}


def certificates_visible(user: Any) -> QuerySet[Certificate]:
    """Certificates whose participant the user may see; without ``view_certificate`` only their own (owners)."""
    qs = Certificate.objects.filter(participant__in=Participant.objects.visible_to(user).values("pk"))
    if not (user.is_superuser or user.has_perm("training.view_certificate")):
        qs = qs.filter(participant__owner__user=user)
    return qs.select_related("participant")


@scoped_get(router, "/certificates", CertificatePage, "training.certificate", "list", via="training.participant")
def certificate_list(request: HttpRequest, filters: Query[CertificateFilters]):
    """Sertifikat pelatihan yang terbit bagi peserta dalam cakupan Anda (pelaku usaha: miliknya sendiri)."""
    return list_page(
        request, filters, certificates_visible(request.user), where=CERTIFICATE_FILTERS, ordering=CERTIFICATE_ORDERINGS
    )


@scoped_get(
    router, "/certificates/{int:certificate_id}", CertificateOut, "training.certificate", via="training.participant"
)
def certificate_detail(request: HttpRequest, certificate_id: int = ObjectId):
    cert = certificates_visible(request.user).filter(pk=certificate_id).first()
    if cert is None:
        raise _not_found()
    return cert


class VerificationOut(CertificateFace):
    """Only what the public verification page shows (UU PDP): no NIK, no contact, no scores."""

    valid: bool = Field(description="false bila sertifikat dicabut")

    @staticmethod
    def resolve_valid(obj: Certificate) -> bool:
        return obj.revoked_at is None


@scoped_get(router, "/certificates/verify/{code}", VerificationOut, "training.certificate", "reference")
def certificate_verify(request: HttpRequest, code: str = Path(..., min_length=1, max_length=20)):
    """Periksa keaslian sertifikat dari kodenya, seperti halaman publik /verifikasi/<kode>/ (tanpa cakupan
    wilayah: siapa pun yang memegang kode boleh memeriksanya). 404 bila kode tidak dikenal."""
    cert = selectors.certificate_for_verification(code)
    if cert is None:
        raise _not_found()
    return cert
