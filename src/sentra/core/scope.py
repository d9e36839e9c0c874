"""The scope of a user: which rows of region-owned data they may see or change.

A user's role carries one scope: the whole country, a province, a regency/city, a centre, or their
own business(es). ``Scope`` is computed once per request and cached on the user object. Querysets turn it into
one indexed filter in ``RegionScopedQuerySet.visible_to``.

Models owned by a regency/city have a direct ``region`` FK. Centre managers and business owners are scoped
through a relation instead; higher apps register that path here at start-up (``register_scope_path``), so
``core`` never imports them.

Services check a write with one function, :func:`ensure_in_scope` (the actor, the row or its region, the
action), which raises one error, :class:`OutOfScope`: a ``ValidationError`` on the ``region`` field (so a form
shows it beside the field) that is also an ``Http404`` (so a page or API call that does not catch it answers 404,
as reading the row would).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from sentra.core.errors import DomainError

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


class OutOfScope(DomainError, Http404):
    """A write would touch a row, or place one in a region, outside the actor's scope.

    A ``DomainError`` keyed on ``region`` (form views show it on the field) and an ``Http404`` (uncaught, the page
    and the API answer 404: outside the scope a record does not exist for the user)."""

    def __init__(self, message: str | None = None, *, field: str = "region") -> None:
        message = message or _("Wilayah berada di luar cakupan Anda.")
        super().__init__({field: [ValidationError(message, code="out_of_scope")]})
        self.code = "out_of_scope"


def ensure_in_scope(
    actor: Any,
    target: Any,
    action: str = "change",
    *,
    model: type[models.Model] | None = None,
    perm: str | None = None,
    field: str = "region",
) -> None:
    """The one write-scope check of the services: ``actor`` may do ``action`` to ``target``.

    ``target`` is a row (a model instance: its ``region_id`` as it is now in memory for region officers, so a
    row moved out of the officer's regencies is refused; whether the stored row is visible for centre managers,
    trainers and owners, whose scope is a relation) or a region (a ``Region``, a code, or ``None``) a new row
    would be placed in. ``action`` is the model action (``add``/``change``/``delete``); the model permission is
    checked for a row's model or ``model``; ``perm`` (``"budget.add_contract"``) replaces it when the right is
    not a model action. No permission: ``PermissionDenied``. Outside the scope: :class:`OutOfScope`, keyed on
    ``field`` (the form field that chose the region or the row).
    """
    if actor is None or getattr(actor, "is_superuser", False):
        return
    from django.db import models as dj_models

    from sentra.core.querysets import has_model_perm

    row = target if isinstance(target, dj_models.Model) and target._meta.label_lower != "regions.region" else None
    model = model or (type(row) if row is not None else None)
    if perm is not None:
        if not actor.has_perm(perm):
            raise PermissionDenied(_("Anda tidak memiliki izin untuk tindakan ini."))
    elif model is not None and not has_model_perm(actor, model, action):
        raise PermissionDenied(_("Anda tidak memiliki izin untuk tindakan ini."))
    scope: Scope = actor.scope
    if scope.kind == "national":
        return
    if row is None:
        region_id = target.pk if isinstance(target, dj_models.Model) else target
        if scope.covers_region(region_id):
            return
        raise OutOfScope(field=field)
    if scope.kind == "region" and hasattr(row, "region_id"):
        if row.region_id in scope.region_ids:
            return
        raise OutOfScope(field=field)
    manager = getattr(type(row), "objects", None)
    if row.pk is not None and manager is not None and hasattr(manager, "visible_to"):
        if manager.visible_to(actor, action).filter(pk=row.pk).exists():
            return
    raise OutOfScope(_("Data ini berada di luar cakupan Anda."), field=field)
