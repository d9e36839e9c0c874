"""The one mechanism that restricts every queryset a user sees (STYLE D).

``Model.objects.visible_to(user, action)`` is used by every page, export, form choice list and API endpoint.
It returns:

- everything for a superuser;
- nothing for anonymous users and for users without the model permission for ``action``;
- everything for national scope;
- the rows of the user's regencies/cities for province and regency/city officers;
- the rows reachable through the model's registered path for centre managers and business owners.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, Self

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

from sentra.core.scope import scope_path

Action = Literal["view", "add", "change", "delete"]


def has_model_perm(user: Any, model: type[models.Model], action: str) -> bool:
    opts = model._meta
    return bool(user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"))


class RegionScopedQuerySet(models.QuerySet):
    #: The lookup from this model to the regency/city that owns a row.
    region_field = "region"

    def visible_to(self, user: Any, action: Action | str = "view") -> Self:  # user: a User or AnonymousUser
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not has_model_perm(user, self.model, action):
            return self.none()
        scope = user.scope
        if scope.kind == "national":
            return self
        if scope.kind == "region":
            region_field = getattr(self.model, "region_field", self.region_field)
            return self.filter(**{f"{region_field}__in": scope.region_ids})
        if scope.kind in ("centre", "trainer", "owner"):
            path = scope_path(self.model, scope.kind)
            if path is None:
                return self.none()
            # A subquery rather than .distinct(): the path may fan out through a many-to-many.
            inner = self.model._base_manager.filter(**{path: user}).values("pk")
            return self.filter(pk__in=inner)
        return self.none()

    def in_region(self, region_ids: frozenset[str] | list[str]) -> Self:
        region_field = getattr(self.model, "region_field", self.region_field)
        return self.filter(**{f"{region_field}__in": list(region_ids)})


class SoftDeleteQuerySet(RegionScopedQuerySet):
    def alive(self) -> Self:
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> Self:
        return self.filter(deleted_at__isnull=False)


class ScopedQuerySet(Protocol):
    """A queryset that knows who may see its rows (``RegionScopedQuerySet`` or a model's own ``visible_to``)."""

    def visible_to(self, user: Any, action: str = "view") -> models.QuerySet[Any]: ...


def scoped_get_or_404(queryset: ScopedQuerySet, user: Any, pk: Any, action: str = "view") -> Any:
    """The object if ``user`` may ``action`` it; a 404 otherwise, never a 403 (no existence leak)."""
    try:
        return queryset.visible_to(user, action).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
