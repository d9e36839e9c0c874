"""Every API list has one shape: scoped queryset → filters → ordering → cursor page.

The endpoint checks the permission and scopes the queryset itself (``require_model_perm`` and a selector or
``Model.objects.visible_to(user)``), so that scoping stays in one visible place; ``list_page`` does the rest
the same way for every resource.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from sentra.api.common import json_response
from sentra.api.errors import ApiError
from sentra.api.pagination import paginate

#: A filter the endpoint applies itself: an exact lookup taking the value as sent, or ``(queryset, value)``.
Where = str | Callable[[QuerySet, Any], QuerySet]

#: Query parameters of the page itself, never filters.
PAGE_PARAMS = frozenset({"ordering", "cursor", "page_size"})


def list_page(
    request: HttpRequest,
    params: Any,
    queryset: QuerySet,
    *,
    ordering: list[str] | Mapping[str, list[str]],
    filterset: type | None = None,
    unfiltered: Callable[[QuerySet], QuerySet] | None = None,
    where: Mapping[str, Where] | None = None,
    columns: list[str] | None = None,
    render: Any = None,
) -> dict[str, Any] | HttpResponse:
    """One page of ``queryset`` (already scoped through ``visible_to``) as the list's query ``params`` ask.

    - ``filterset``: the page's FilterSet takes every filter parameter that ``where`` does not, so the API
      filters exactly as the page does; a bad value is a 422 naming the parameter. It is only built when one of
      its filters is given (its scoped choice lists cost queries); otherwise ``unfiltered`` applies, if any
      (e.g. only the rows not in the trash, which the FilterSet decides when it runs).
    - ``where``: parameter → exact lookup or ``(queryset, value)``, applied in this order when the parameter
      is given (not None and not empty).
    - ``ordering``: the columns, or a choice of columns by the ``ordering`` parameter.
    - ``columns`` and ``render``: read only these columns and render each row as a plain dict
      (``sentra.api.fastlist``), answered as JSON directly; the hot lists skip the schema validation.
    """
    where = where or {}
    names = _filterset_names(type(params), tuple(where), filterset is not None)
    if filterset is not None:
        data = query_data(params, names)
        if data:
            queryset = filter_or_422(filterset(data, queryset=queryset, request=request))
        elif unfiltered is not None:
            queryset = unfiltered(queryset)
    for name, lookup in where.items():
        value = getattr(params, name)
        if value is None or value == "":
            continue
        queryset = queryset.filter(**{lookup: value}) if isinstance(lookup, str) else lookup(queryset, value)
    page = page_or_422(
        request,
        queryset,
        ordering=ordering if isinstance(ordering, list) else ordering[params.ordering],
        cursor=params.cursor,
        page_size=params.page_size,
        columns=columns,
        render=render,
    )
    return page if columns is None else json_response(page)


@cache
def _filterset_names(schema: type, taken: tuple[str, ...], has_filterset: bool) -> list[str]:
    """The filter parameters left to the FilterSet, in the schema's order (its errors name them in that order)."""
    names = [name for name in schema.model_fields if name not in PAGE_PARAMS and name not in taken]  # type: ignore[attr-defined]
    if names and not has_filterset:
        # A documented filter that nothing applies would silently list everything.
        raise ImproperlyConfigured(f"{schema.__name__}: no filter applies {names}")
    return names


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


def page_or_422(request: HttpRequest, queryset: QuerySet, *, cursor: str | None, **options: Any) -> dict[str, Any]:
    """``sentra.api.pagination.paginate``; a cursor it cannot use is the client's error (422), not a 500."""
    try:
        return paginate(request, queryset, cursor=cursor, **options)
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
