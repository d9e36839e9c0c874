"""Generic, scope-enforcing page views (STYLE D.5, G) and the core pages (dashboard, health)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from sentra.core.history import record_history
from sentra.core.pagination import keyset_paginate
from sentra.core.querysets import has_model_perm, scoped_get_or_404


def require_model_perm(user: Any, model: type[Model], action: str) -> None:
    if not (user.is_superuser or has_model_perm(user, model, action)):
        raise PermissionDenied


class HtmxTemplateMixin:
    """One view, two renderings: the partial for htmx requests, the full page otherwise [NetBox]."""

    template_name: str | None = None
    partial_template_name: str | None = None

    def get_template_names(self) -> list[str]:
        request = self.request  # type: ignore[attr-defined]
        if self.partial_template_name and request.htmx and not request.htmx.boosted:
            return [self.partial_template_name]
        if self.template_name is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a template_name.")
        return [self.template_name]


class ObjectListView(HtmxTemplateMixin, TemplateView):
    """A filtered, scoped, keyset-paginated list. Subclasses provide ``model`` and ``get_base_queryset``."""

    model: type[Model]
    filterset_class: Any = None
    orderings: dict[str, list[str]] = {}
    default_ordering: str = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        require_model_perm(request.user, self.model, "view")
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self) -> QuerySet:
        return self.model.objects.visible_to(self.request.user, "view")  # type: ignore[attr-defined]

    def get_filterset(self, queryset: QuerySet) -> Any:
        return self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        queryset = self.get_base_queryset()
        filterset = self.get_filterset(queryset)
        sort = self.request.GET.get("sort", self.default_ordering)
        if sort not in self.orderings:
            sort = self.default_ordering
        # Always through the FilterSet: its ``qs`` may add rules that hold with no filter at all (e.g. leaving
        # soft-deleted rows out); an invalid value is ignored by django-filter, the other filters still apply.
        qs = filterset.qs
        page = keyset_paginate(
            qs,
            ordering=self.orderings[sort],
            cursor=self.request.GET.get("cursor"),
            page_size=settings.SENTRA_PAGE_SIZE,
        )
        context.update({"filterset": filterset, "page": page, "sort": sort, "object_list": page.object_list})
        return context


class ObjectHistoryView(View):
    """The "Riwayat" (audit trail) of one record, for users allowed to see the record."""

    model: type[Model]
    template_name = "components/history.html"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = scoped_get_or_404(self.model.objects.all(), request.user, pk)  # type: ignore[attr-defined]
        return render(request, self.template_name, {"object": obj, "entries": record_history(obj)})


@method_decorator(login_not_required, name="dispatch")
@method_decorator(never_cache, name="dispatch")
class HealthView(View):
    """``GET /healthz``: 200 with the database's state when usable, 503 when not."""

    def get(self, request: HttpRequest) -> JsonResponse:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception as exc:  # any database failure means "not usable"
            return JsonResponse(
                {
                    "status": "error",
                    "database": {"vendor": connection.vendor, "ok": False, "error": exc.__class__.__name__},
                },
                status=503,
            )
        return JsonResponse({"status": "ok", "database": {"vendor": connection.vendor, "ok": True}})


def dashboard(request: HttpRequest) -> HttpResponse:
    from sentra.core.dashboard import dashboard_figures, home_view

    home = home_view()
    if home is not None:
        return home(request)
    return render(request, "core/dashboard.html", {"figures": dashboard_figures(request.user)})
