"""One error format for every API response.

``{"code": "...", "message": "...", "errors": {"field": ["..."]}}``: ``code`` is stable and meant for
programs, ``message`` is for people, in the language of ``Accept-Language`` (Indonesian by default), and
``errors`` lists the messages per field (``__all__`` for the request as a whole; ``rows.17.nib`` for a row of
a bulk request). Validation problems are 422, never 500.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from sentra.core.errors import ConflictError
from sentra.core.scope import OutOfScope
from sentra.core.uploads import is_storage_failure, storage_error_message
from sentra.core.versioning import field_changes, format_moment

logger = logging.getLogger(__name__)

NON_FIELD = "__all__"
#: Parameter names of operations that are not part of a field's name in ``errors``.
_ARG_NAMES = {"payload", "filters", "params"}
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


class ErrorOut(Schema):
    code: str
    message: str
    errors: dict[str, list[str]] = {}


class ApiError(Exception):
    """An error with a status, a stable code, a translated message and optional field errors."""

    def __init__(self, status: int, code: str, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors or {}


def error_body(code: str, message: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "errors": errors or {}}


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    if parts and parts[0] in _ARG_NAMES:
        parts = parts[1:]
    return ".".join(parts) or NON_FIELD


def pydantic_message(error: dict[str, Any]) -> str:
    """An Indonesian (translatable) message for one pydantic error; pydantic's English text as a last resort."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("Wajib diisi."),
        "string_type": _("Harus berupa teks."),
        "string_too_short": _("Paling sedikit {min_length} karakter."),
        "string_too_long": _("Paling banyak {max_length} karakter."),
        "string_pattern_mismatch": _("Formatnya tidak sesuai."),
        "int_type": _("Harus berupa bilangan bulat."),
        "int_parsing": _("Harus berupa bilangan bulat."),
        "int_from_float": _("Harus berupa bilangan bulat."),
        "float_type": _("Harus berupa angka."),
        "float_parsing": _("Harus berupa angka."),
        "decimal_type": _("Harus berupa angka."),
        "decimal_parsing": _("Harus berupa angka."),
        "decimal_max_digits": _("Paling banyak {max_digits} digit."),
        "decimal_max_places": _("Paling banyak {decimal_places} angka di belakang koma."),
        "decimal_whole_digits": _("Paling banyak {whole_digits} digit sebelum koma."),
        "finite_number": _("Harus berupa angka terhingga."),
        "greater_than": _("Harus lebih besar dari {gt}."),
        "greater_than_equal": _("Paling kecil {ge}."),
        "less_than": _("Harus lebih kecil dari {lt}."),
        "less_than_equal": _("Paling besar {le}."),
        "bool_type": _("Harus true atau false."),
        "bool_parsing": _("Harus true atau false."),
        "literal_error": _("Pilih salah satu dari: {expected}."),
        "enum": _("Pilih salah satu dari: {expected}."),
        "list_type": _("Harus berupa daftar (array)."),
        "too_short": _("Paling sedikit {min_length} butir."),
        "too_long": _("Paling banyak {max_length} butir."),
        "dict_type": _("Harus berupa objek JSON."),
        "model_type": _("Harus berupa objek JSON."),
        "model_attributes_type": _("Harus berupa objek JSON."),
        "json_invalid": _("Badan permintaan bukan JSON yang sah."),
        "json_type": _("Badan permintaan bukan JSON yang sah."),
        "extra_forbidden": _("Kolom ini tidak dikenal."),
        "date_type": _("Tanggal tidak sah; tulis YYYY-MM-DD."),
        "date_parsing": _("Tanggal tidak sah; tulis YYYY-MM-DD."),
        "date_from_datetime_parsing": _("Tanggal tidak sah; tulis YYYY-MM-DD."),
        "datetime_parsing": _("Waktu tidak sah; tulis format ISO 8601."),
        "datetime_type": _("Waktu tidak sah; tulis format ISO 8601."),
        "string_unicode": _("Teks harus UTF-8 yang sah."),
    }
    template = messages.get(kind)
    if template is None:
        if kind == "value_error" and "error" in ctx:
            return str(ctx["error"])
        return str(error.get("msg", _("Nilai tidak sah.")))
    try:
        return template.format(**{k: v for k, v in ctx.items()})
    except (KeyError, IndexError, ValueError):
        return template


def ninja_validation_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for error in errors:
        out.setdefault(_field_name(error.get("loc", ())), []).append(pydantic_message(error))
    return out


def django_validation_errors(exc: DjangoValidationError, prefix: str = "") -> dict[str, list[str]]:
    """Field errors of a Django ``ValidationError``; ``prefix`` (``rows.17``) places them in a bulk row."""

    def key(field: str) -> str:
        if field == NON_FIELD:
            return prefix or NON_FIELD
        return f"{prefix}.{field}" if prefix else field

    if hasattr(exc, "error_dict"):
        return {key(f): [str(m) for m in DjangoValidationError(errs).messages] for f, errs in exc.error_dict.items()}
    return {key(NON_FIELD): [str(m) for m in exc.messages]}


def install_error_handlers(api: Any) -> None:
    """Register the handlers on the ``NinjaAPI``; the most specific class wins (ninja looks up the MRO)."""

    def respond(request: HttpRequest, status: int, code: str, message: str, errors: dict | None = None) -> HttpResponse:
        response = api.create_response(request, error_body(code, message, errors), status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="sentra"'
        return response

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, exc.code, exc.message, exc.errors)

    def on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return respond(
            request,
            422,
            "validation_error",
            _("Data tidak valid. Periksa kolom yang disebut di errors."),
            ninja_validation_errors(exc.errors),
        )

    def on_conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
        # Per field, who changed it and when (the same change list the web's 409 answer shows).
        changed = {}
        for field, change in field_changes(exc).items():
            if change is None:
                changed[field] = [_("Diubah sejak versi yang Anda baca.")]
            else:
                changed[field] = [
                    _("Diubah oleh %(actor)s pada %(at)s.") % {"actor": change.actor, "at": format_moment(change.at)}
                ]
        return respond(request, 409, "conflict", exc.messages[0], changed)

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        code = getattr(exc, "code", None) or "validation_error"
        message = _("Data tidak valid. Periksa kolom yang disebut di errors.")
        if not hasattr(exc, "error_dict") and len(exc.messages) == 1:
            message = exc.messages[0]
        return respond(request, 422, code, message, django_validation_errors(exc))

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or _("Anda tidak memiliki izin untuk tindakan ini.")
        return respond(request, 403, "permission_denied", message)

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", _("Data tidak ditemukan atau berada di luar cakupan Anda."))

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(
            request,
            401,
            "not_authenticated",
            _("Sertakan token API pada header Authorization: Bearer <token>, atau masuk ke situs."),
        )

    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return respond(
            request,
            429,
            "rate_limited",
            _("Terlalu banyak permintaan. Coba lagi setelah {seconds} detik.").format(seconds=int(exc.wait or 1)),
        )

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:
            # ninja's "Cannot parse request body": a validation problem of the body as a whole.
            message = _("Badan permintaan bukan JSON yang sah.")
            return respond(request, 422, "validation_error", message, {NON_FIELD: [message]})
        if exc.status_code == 403 and "CSRF" in str(exc):
            return respond(request, 403, "csrf_failed", _("Token CSRF tidak ada atau salah; muat ulang halaman."))
        return respond(request, exc.status_code, "error", str(exc))

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        if isinstance(exc, OperationalError | InterfaceError):
            # The pages' DatabaseUnavailableMiddleware never sees an API error (ninja answers first): the same 503.
            logging.getLogger("sentra.database").error("Database unavailable: %s", exc)
            response = respond(
                request,
                503,
                "database_unavailable",
                _(
                    "Basis data sedang tidak dapat dihubungi; permintaan tidak diproses dan tidak ada data yang "
                    "tersimpan sebagian. Coba lagi dalam satu menit."
                ),
            )
            response["Retry-After"] = "60"
            return response
        if is_storage_failure(exc):
            logging.getLogger("sentra.storage").error("Storage unavailable: %s", exc)
            return respond(request, 507, "storage_unavailable", storage_error_message())
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return respond(request, 500, "server_error", _("Terjadi kesalahan pada server. Tim teknis sudah dicatat."))

    api.add_exception_handler(Exception, on_unexpected)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(ConflictError, on_conflict)
    # A write outside the scope: 404, as reading the row would be (it is also a ValidationError and an Http404).
    api.add_exception_handler(OutOfScope, on_not_found)
    api.add_exception_handler(NinjaValidationError, on_ninja_validation)
    api.add_exception_handler(ApiError, on_api_error)
