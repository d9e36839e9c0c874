"""Create, edit and delete pages of one record [NetBox's ObjectEditView/ObjectDeleteView].

A page says which record it edits (found through the scoped lookup: ``scoped_get_or_404`` or a selector built on
it, so a record outside the user's scope is a 404), its form, the service that writes (services take ``actor``),
its template and where to go after saving. What every such page does alike lives here, once:

* the service's ``ValidationError`` (domain errors, ``OutOfScope`` on the field that chose the region or row) goes
  onto the form's fields, ``PermissionDenied`` above the form; the page is shown again with nothing written;
* a stale version (``ConflictError``) answers 409 with the form as the user typed it and the conflict table
  (``form_conflict`` → ``components/conflict.html``);
* a success message, then a redirect (an htmx client redirect where the page asks for one).

Real workflows (attendance, scores, approvals, status changes) stay function views: they are not "a form that
saves one record".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from sentra.core.errors import ConflictError
from sentra.core.forms import add_service_errors
from sentra.core.querysets import ScopedQuerySet, scoped_get_or_404
from sentra.core.versioning import ConflictRows, conflict_page, form_conflict
from sentra.core.views import require_model_perm


def denied_message(exc: PermissionDenied) -> str:
    return str(exc) or _("Anda tidak memiliki izin untuk tindakan ini.")


class _Attributes(dict):
    """``"{name}"`` in a success message is the saved record's ``name``."""

    def __init__(self, obj: Any) -> None:
        super().__init__()
        self.obj = obj

    def __missing__(self, key: str) -> Any:
        return getattr(self.obj, key)


class _ScopedObjectMixin:
    """The record of the URL, through the scoped lookup: a 404 outside the user's scope, never a 403."""

    request: HttpRequest
    kwargs: dict[str, Any]
    model: type[Model]
    pk_url_kwarg = "pk"
    #: The model action the lookup is scoped for (``visible_to(user, action)``).
    lookup_action = "change"
    #: The app's getter of one record (``selectors.<model>_get(user=, pk=, action=)``, built on
    #: ``scoped_get_or_404`` with the page's ``select_related``); without one, ``model``'s rows are looked up.
    selector: Callable[..., Any] | None = None

    def get_queryset(self) -> ScopedQuerySet:
        return self.model._default_manager.all()  # type: ignore[return-value]  # a scoped model's manager

    def lookup(self) -> Any:
        pk = self.kwargs[self.pk_url_kwarg]
        if self.selector is not None:
            return self.selector(user=self.request.user, pk=pk, action=self.lookup_action)
        return scoped_get_or_404(self.get_queryset(), self.request.user, pk, self.lookup_action)


class ObjectEditView(_ScopedObjectMixin, View):
    """One form that creates or edits one record through its service.

    Subclasses set ``model``, ``form_class``, ``template_name``, ``context_object_name`` and the messages, and
    implement ``save(form)`` (call the service with ``actor``; return what it saved). ``get_object()`` returns
    the edited record, or ``None`` on a create page (the default: a record when the URL carries
    ``pk_url_kwarg``, looked up by ``lookup()``; a page nested under a parent overrides it and keeps the parent).
    """

    form_class: type[forms.BaseForm]
    template_name: str
    #: The record's name in the template (``None`` on a create page); none when empty.
    context_object_name = ""
    #: The model action the user needs besides the scoped lookup, on a create page and on an edit page
    #: (``"add"``, ``"change"`` of ``model``); checked after the lookup, so a record outside the scope is a 404
    #: whatever the user's permissions.
    add_permission = ""
    change_permission = ""
    #: Formatted with the saved record's attributes (``"{name}"`` → ``record.name``).
    created_message: Any = ""
    updated_message: Any = ""
    #: The status of a page shown again with errors (some pages answer 400), and with a refusal of the service.
    invalid_status = 200
    denied_status: int | None = None
    #: The form limits its choices to the user's scope (``user=``).
    form_takes_user = False
    #: Answer an htmx save with a client redirect (pages whose form posts through htmx).
    htmx_redirect = False

    object: Any

    @property
    def creating(self) -> bool:
        return self.object is None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (request.method or "").lower() in self.http_method_names:  # a refused method is a 405 before any lookup
            self.object = self.get_object()
            permission = self.add_permission if self.creating else self.change_permission
            if permission:
                require_model_perm(request.user, self.model, permission)
            refused = self.refusal()
            if refused is not None:
                return refused
        return super().dispatch(request, *args, **kwargs)

    def get_object(self) -> Any:
        return self.lookup() if self.kwargs.get(self.pk_url_kwarg) is not None else None

    def refusal(self) -> HttpResponse | None:
        """The answer instead of the form when the record cannot be edited now (a locked plan, a sent report)."""
        return None

    # --- The form ---------------------------------------------------------------------------------------------

    def get_initial(self) -> dict[str, Any]:
        return {}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"data": self.request.POST or None, "files": self.request.FILES or None}
        initial = self.get_initial()
        if initial:
            kwargs["initial"] = initial
        if self.object is not None and issubclass(self.form_class, forms.BaseModelForm):
            kwargs["instance"] = self.object
        if self.form_takes_user:
            kwargs["user"] = self.request.user
        return kwargs

    def get_form(self) -> forms.BaseForm:
        return self.form_class(**self.get_form_kwargs())

    # --- Saving -----------------------------------------------------------------------------------------------

    def save(self, form: Any) -> Any:
        """Call the service with ``actor=self.request.user``; return what it saved."""
        raise NotImplementedError

    def get_message_values(self, saved: Any) -> Any:
        """What the message's ``{placeholders}`` stand for: the saved record's attributes."""
        return _Attributes(saved)

    def get_success_message(self, saved: Any) -> str:
        message = self.created_message if self.creating else self.updated_message
        return str(message).format_map(self.get_message_values(saved)) if message else ""

    def get_success_url(self, saved: Any) -> str:
        return saved.get_absolute_url()

    def saved(self, saved: Any) -> HttpResponse:
        """The answer to a save that went in: the message and the redirect."""
        message = self.get_success_message(saved)
        if message:
            messages.success(self.request, message)
        url = self.get_success_url(saved)
        if self.htmx_redirect and getattr(self.request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)

    # --- Rendering --------------------------------------------------------------------------------------------

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if self.context_object_name:
            kwargs.setdefault(self.context_object_name, self.object)
        return kwargs

    def render_form(
        self, form: forms.BaseForm, *, conflict: ConflictRows | None = None, status: int = 200
    ) -> HttpResponse:
        context = self.get_context_data(form=form, conflict=conflict)
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.get_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if not form.is_valid():
            return self.render_form(form, status=self.invalid_status)
        try:
            result = self.save(form)
        except ConflictError as exc:
            return self.render_form(form, conflict=form_conflict(form, exc, user=self.request.user), status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, denied_message(exc))
            return self.render_form(form, status=self.denied_status or self.invalid_status)
        else:
            return self.saved(result)
        return self.render_form(form, status=self.invalid_status)


class ObjectDeleteView(_ScopedObjectMixin, View):
    """A delete button (POST only): the service deletes, a message says so, the page goes on.

    Subclasses set ``model`` and ``deleted_message`` and implement ``delete(obj)`` and ``get_success_url(obj)``.
    A refusal (a domain rule, no permission) is a message on the record's page (``get_error_url``); a stale
    version answers 409 with the conflict page.
    """

    http_method_names = ["post"]
    lookup_action = "delete"
    #: Formatted with the deleted record's attributes (``"{name}"`` → ``record.name``).
    deleted_message: Any = ""

    def get_object(self) -> Any:
        return self.lookup()

    def delete(self, obj: Any) -> Any:
        """Call the service with ``actor=self.request.user``."""
        raise NotImplementedError

    def get_success_url(self, obj: Any) -> str:
        raise NotImplementedError

    def get_error_url(self, obj: Any) -> str:
        return obj.get_absolute_url()

    def get_success_message(self, obj: Any) -> str:
        return str(self.deleted_message).format_map(_Attributes(obj))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        try:
            self.delete(obj)
        except ConflictError as exc:
            return conflict_page(request, exc, back_url=self.get_error_url(obj))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, denied_message(exc))
        else:
            messages.success(request, self.get_success_message(obj))
            return redirect(self.get_success_url(obj))
        return redirect(self.get_error_url(obj))
