"""The scope of a user: which rows of region-owned data they may see or change.

A user's role carries one scope (issue #2): the whole country, a province, a regency/city, a centre, or their
own business(es). ``Scope`` is computed once per request and cached on the user object. Querysets turn it into
one indexed filter in ``RegionScopedQuerySet.visible_to``.

Models owned by a regency/city have a direct ``region`` FK. Centre managers and business owners are scoped
through a relation instead; higher apps register that path here at start-up (``register_scope_path``), so
``core`` never imports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from django.db import models

ScopeKind = Literal["none", "national", "region", "centre", "trainer", "owner"]

#: (model label, scope kind) -> ORM lookup that takes the user, e.g. ("registry.business", "owner") ->
#: "owners__user". The lookup is applied as ``filter(**{path: user})``.
_SCOPE_PATHS: dict[tuple[str, str], str] = {}


def register_scope_path(model: type[models.Model] | str, kind: ScopeKind, path: str) -> None:
    label = model if isinstance(model, str) else model._meta.label_lower
    _SCOPE_PATHS[(label.lower(), kind)] = path


def scope_path(model: type[models.Model], kind: ScopeKind) -> str | None:
    return _SCOPE_PATHS.get((model._meta.label_lower, kind))


@dataclass(frozen=True)
class Scope:
    """What part of the country a user works in."""

    kind: ScopeKind
    #: Codes of the regencies/cities (kab/kota) in scope, for ``kind == "region"``.
    region_ids: frozenset[str] = field(default_factory=frozenset)
    #: The province or regency the user is assigned to, for display.
    label: str = ""

    @property
    def is_national(self) -> bool:
        return self.kind == "national"

    def covers_region(self, region_id: str | None) -> bool:
        if self.kind == "national":
            return True
        if self.kind == "region":
            return region_id in self.region_ids
        return False


NO_SCOPE = Scope(kind="none")
NATIONAL = Scope(kind="national", label="Nasional")
