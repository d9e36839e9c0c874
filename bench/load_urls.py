"""The site's URLs plus ``/bench-bare/``: a bare Django view (one trivial query, a short page) that goes through
the same middleware, server and client as the real pages, so its p95 is what the stack itself costs."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from sentra.urls import urlpatterns as site


@login_not_required
def bare(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("<!doctype html><title>bare</title><p>ok</p>")


urlpatterns = [path("bench-bare/", bare, name="bench_bare"), *site]
