"""Pieces every router shares: documented error responses, the scope marker and list helpers."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.renderers import JSONRenderer
from pydantic import AfterValidator

from sentra.api.errors import ApiError, ErrorOut
from sentra.api.pagination import paginate

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 409: ErrorOut}


def _two_places(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


#: Rupiah in answers: always two decimals (SQLite returns computed sums without them).
Money = Annotated[Decimal, AfterValidator(_two_places)]

ScopeKind = Literal["reference", "list", "object", "create"]


def scope(model: str, kind: ScopeKind, *, via: str | None = None) -> dict[str, Any]:
    """OpenAPI extension read by the schema-driven scope tests (tests/api/test_scope.py).

    ``list``: a collection read through ``visible_to``; ``object``: one object in the path, 404 outside the
    scope; ``create``: a write that must land inside the caller's scope; ``reference``: reference data
    (regions, KBLI, certificate verification by code) that is the same for every user. ``via`` names the
    region-owned model whose ``visible_to`` scopes a model that has none of its own (a certificate is
    scoped through its participant).
    """
    marker: dict[str, Any] = {"model": model, "kind": kind}
    if via:
        marker["via"] = via
    return {"x-sentra-scope": marker}


def filter_or_422(filterset: Any) -> QuerySet:
    """The filtered queryset; unlike the pages (which ignore a bad filter), the API says what is wrong."""
    if filterset.is_bound and not filterset.is_valid():
        raise ApiError(
            422,
            "validation_error",
            _("Filter tidak valid. Periksa parameter yang disebut di errors."),
            {name: [str(m) for m in messages] for name, messages in filterset.form.errors.items()},
        )
    return filterset.qs


def page_or_422(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    ordering: list[str],
    cursor: str | None,
    page_size: int,
    columns: list[str] | None = None,
    render: Any = None,
) -> dict[str, Any]:
    try:
        return paginate(
            request,
            queryset,
            ordering=ordering,
            cursor=cursor,
            page_size=page_size,
            columns=columns,
            render=render,
        )
    except (ValueError, TypeError, DjangoValidationError, DataError, OverflowError):
        if not cursor:
            raise  # without a cursor this is no bad input but a fault: a 500, logged, rather than a false 422
        raise ApiError(
            422,
            "validation_error",
            _("Kursor tidak sah."),
            {"cursor": [_("Kursor tidak sah atau dibuat untuk urutan lain; mulai lagi tanpa cursor.")]},
        ) from None


def query_data(params: Any, names: list[str]) -> dict[str, Any]:
    """The filter values a client actually sent, as the FilterSet expects them (strings)."""
    data: dict[str, Any] = {}
    for name in names:
        value = getattr(params, name, None)
        if value is None or value == "":
            continue
        text = "true" if value is True else "false" if value is False else str(value)
        if "\x00" in text:
            # PostgreSQL cannot even compare a text with NUL in it; refuse it here, by name.
            raise ApiError(422, "validation_error", _("Filter tidak valid."), {name: [_("Karakter NUL tidak boleh.")]})
        data[name] = text
    return data


_RENDERER = JSONRenderer()


def json_response(data: Any, status: int = 200) -> HttpResponse:
    """An answer rendered exactly as django-ninja renders one (same encoder, same content type), for the hot
    lists that build their rows as plain dicts instead of validating every object through the schema."""
    return HttpResponse(
        _RENDERER.render(None, data, response_status=status),  # type: ignore[arg-type]
        status=status,
        content_type=f"{_RENDERER.media_type}; charset={_RENDERER.charset}",
    )
