"""Cursor pagination for API lists, on ``sentra.core.pagination.keyset_paginate``.

A page costs one index range scan however deep it is, so a client can walk millions of rows. There is no
total count (a COUNT over millions of rows per page would defeat the purpose).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

from sentra.api import fastlist
from sentra.core.pagination import keyset_paginate

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class PageQuery(Schema):
    """The query parameters of every list's page; a list's filter schema adds its filters (and ``ordering``)."""

    cursor: str | None = Field(None, max_length=500)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class PageMeta(Schema):
    next_cursor: str | None = None
    prev_cursor: str | None = None
    next: str | None = None
    previous: str | None = None
    page_size: int


def _link(request: HttpRequest, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(request.path + "?" + urlencode(list(params.lists()), doseq=True))


def paginate(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    ordering: list[str],
    cursor: str | None,
    page_size: int,
    columns: list[str] | None = None,
    render: Any = None,
) -> dict[str, Any]:
    """``{"results": [...], "next_cursor": ..., "prev_cursor": ..., "next": url, "previous": url, ...}``.

    ``columns`` and ``render``: read only these columns, with the page's SQL compiled once per shape, and
    render each row (``sentra.api.fastlist.keyset_page``).
    """
    if columns is not None:
        page = fastlist.keyset_page(
            queryset, columns=columns, render=render, ordering=ordering, cursor=cursor, page_size=page_size
        )
    else:
        page = keyset_paginate(queryset, ordering=ordering, cursor=cursor, page_size=page_size)
    return {
        "results": page.object_list,
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
        "next": _link(request, page.next_cursor),
        "previous": _link(request, page.prev_cursor),
        "page_size": page_size,
    }
