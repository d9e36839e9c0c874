"""Open data views: the public statistics as files (``reports.opendata``).

Public like ``/statistik/`` itself. Every file carries an ETag (the state of the summary tables, the file's URL and
the language of its texts) and Last-Modified (the last refresh), so catalogues and harvesters ask again cheaply and
get 304 while nothing changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition, require_safe

from sentra.core.exporting.service import CONTENT_TYPES, stream_table_csv
from sentra.reports import opendata
from sentra.reports.suppression import MIN_CELL

#: Seconds a browser or proxy may reuse a file without asking (the statistics page's own figure).
MAX_AGE = 300
JSON_OPTIONS = {"ensure_ascii": False, "indent": 1}


def _etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    what = f"{opendata.data_version()}|{request.path}|{request.GET.get('wilayah')}"
    return hashlib.sha256(what.encode()).hexdigest()[:32]


def _last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
    return opendata.last_updated()


View = Callable[..., HttpResponseBase]


def _open_data(view: View) -> View:
    """Public, GET/HEAD only, conditional (ETag, Last-Modified, 304) and cacheable by anyone for ``MAX_AGE``."""
    conditional = require_safe(condition(etag_func=_etag, last_modified_func=_last_modified)(view))

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = conditional(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        # The texts follow the language cookie (``core.locale``): a shared cache keeps one copy per language.
        patch_vary_headers(response, ("Cookie",))
        return response

    return login_not_required(wrapped)


def _wilayah(request: HttpRequest) -> str | None:
    value = request.GET.get("wilayah")
    return None if value is None else value.strip()


@_open_data
def opendata_index(request: HttpRequest) -> HttpResponse:
    """``/statistik/data/``: the datasets of the public statistics, with their metadata and downloads."""
    return render(
        request,
        "reports/opendata_index.html",
        {
            "datasets": opendata.DATASETS.values(),
            "licence": opendata.LICENCE,
            "updated": opendata.last_updated(),
            "min_cell": MIN_CELL,
        },
    )


@_open_data
def opendata_catalogue(request: HttpRequest) -> HttpResponse:
    """``/statistik/data/katalog.json``: the index for machines."""
    return JsonResponse(
        opendata.catalogue(updated=opendata.last_updated(), request=request), json_dumps_params=JSON_OPTIONS
    )


@_open_data
def opendata_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """``/statistik/data/<slug>.csv``: streamed row by row through the export engine's CSV writer."""
    dataset = opendata.dataset_get(slug)
    wilayah = _wilayah(request)
    linked, names = opendata.linked_statistics()
    rows = opendata.dataset_rows(dataset, linked, names, wilayah=wilayah)
    first = next(rows, None)  # a bad ?wilayah= is a 404 before the first byte, not a broken stream

    def cells() -> Iterator[list[Any]]:
        if first is not None:
            yield opendata.as_csv_cells(dataset, first)
        for row in rows:
            yield opendata.as_csv_cells(dataset, row)

    response = StreamingHttpResponse(stream_table_csv(dataset.columns, cells()), content_type=CONTENT_TYPES["csv"])
    suffix = f"-{wilayah}" if wilayah else ""
    response["Content-Disposition"] = f'inline; filename="{slug}{suffix}.csv"'
    return response


@_open_data
def opendata_json(request: HttpRequest, slug: str) -> HttpResponse:
    """``/statistik/data/<slug>.json``: the metadata and the rows."""
    dataset = opendata.dataset_get(slug)
    linked, names = opendata.linked_statistics()
    rows = list(opendata.dataset_rows(dataset, linked, names, wilayah=_wilayah(request)))
    metadata = opendata.dataset_metadata(dataset, updated=opendata.last_updated(), request=request)
    return HttpResponse(opendata.as_json(rows, metadata), content_type="application/json; charset=utf-8")


@_open_data
def opendata_metadata(request: HttpRequest, slug: str) -> HttpResponse:
    """``/statistik/data/<slug>.metadata.json``: the dataset's metadata alone."""
    dataset = opendata.dataset_get(slug)
    metadata = opendata.dataset_metadata(dataset, updated=opendata.last_updated(), request=request)
    return JsonResponse(metadata, json_dumps_params=JSON_OPTIONS)
