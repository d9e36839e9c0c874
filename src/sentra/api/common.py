"""Pieces every router shares: documented error responses, the scope marker, money and the plain JSON answer.

The list helpers are in ``sentra.api.listing``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpResponse
from ninja import Router
from ninja.renderers import JSONRenderer
from pydantic import AfterValidator

from sentra.api.errors import ErrorOut

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


def scoped_get(
    router: Router, path: str, out: Any, model: str, kind: ScopeKind = "object", *, via: str | None = None
) -> Any:
    """The decorator of a read endpoint: ``out`` with 200, the read errors and the scope marker documented."""
    return router.get(path, response={200: out, **READ_ERRORS}, openapi_extra=scope(model, kind, via=via))


def scoped_write(
    router: Router,
    method: Literal["post", "patch", "delete"],
    path: str,
    out: Any,
    model: str,
    kind: ScopeKind = "object",
    *,
    status: int = 200,
) -> Any:
    """The decorator of a write endpoint: ``out`` with ``status``, the write errors (409 included) and the scope
    marker documented."""
    route = getattr(router, method)
    return route(path, response={status: out, **WRITE_ERRORS}, openapi_extra=scope(model, kind))


_RENDERER = JSONRenderer()


def json_response(data: Any, status: int = 200) -> HttpResponse:
    """An answer rendered exactly as django-ninja renders one (same encoder, same content type), for the hot
    lists that build their rows as plain dicts instead of validating every object through the schema."""
    return HttpResponse(
        _RENDERER.render(None, data, response_status=status),  # type: ignore[arg-type]
        status=status,
        content_type=f"{_RENDERER.media_type}; charset={_RENDERER.charset}",
    )
