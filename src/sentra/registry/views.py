"""Registry pages. Views parse input, call one selector or service, and render (STYLE C)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from sentra.core.forms import add_service_errors as _add_errors
from sentra.core.object_views import ObjectDeleteView, ObjectEditView
from sentra.core.views import ObjectHistoryView, ObjectListView, require_model_perm
from sentra.registry import selectors, services
from sentra.registry.filters import BusinessFilterSet, OwnerFilterSet
from sentra.registry.forms import BusinessForm, OwnerForm
from sentra.registry.models import Business, Owner


class BusinessListView(ObjectListView):
    model = Business
    filterset_class = BusinessFilterSet
    template_name = "registry/business_list.html"
    partial_template_name = "registry/partials/business_table.html"
    orderings = {
        "name": ["name", "id"],
        "-name": ["-name", "-id"],
        "-updated": ["-updated_at", "-id"],
    }
    default_ordering = "name"

    def get_base_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.business_list(user=self.request.user)


class OwnerListView(ObjectListView):
    model = Owner
    filterset_class = OwnerFilterSet
    template_name = "registry/owner_list.html"
    partial_template_name = "registry/partials/owner_table.html"
    orderings = {"name": ["full_name", "id"], "-name": ["-full_name", "-id"]}
    default_ordering = "name"

    def get_base_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.owner_list(user=self.request.user)


class BusinessHistoryView(ObjectHistoryView):
    model = Business


class OwnerHistoryView(ObjectHistoryView):
    model = Owner


def business_detail(request: HttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get(user=request.user, pk=pk)
    can_change = Business.objects.visible_to(request.user, "change").filter(pk=pk).exists()
    can_delete = Business.objects.visible_to(request.user, "delete").filter(pk=pk).exists()
    can_reveal = request.user.has_perm("registry.reveal_nik_owner")
    return render(
        request,
        "registry/business_detail.html",
        {"business": business, "can_change": can_change, "can_delete": can_delete, "can_reveal": can_reveal},
    )


@require_POST
def business_reveal_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """The full phone and e-mail of one business (htmx), for those who may open personal data; audited."""
    business = selectors.business_get(user=request.user, pk=pk)
    data = services.business_reveal_contacts(actor=request.user, business=business)
    return render(request, "registry/partials/business_contacts.html", {"business": business, "revealed": data})


def _owners(request: HttpRequest, form: BusinessForm) -> list[Owner]:
    """The owner block of a new registration, resolved by the registry (``services.business_owners``)."""
    data = form.cleaned_data
    return (
        services.business_owners(
            actor=request.user,
            region=data["region"],
            village=data.get("village"),
            full_name=data.get("owner_full_name") or "",
            nik=data.get("owner_nik") or None,
            gender=data.get("owner_gender") or "",
            phone=data.get("owner_phone") or "",
        )
        or []
    )


def _business_fields(form: BusinessForm) -> dict[str, Any]:
    data = {name: form.cleaned_data.get(name) for name in form.Meta.fields}
    data["kbli"] = form.cleaned_data.get("kbli_code")
    return data


def business_create(request: HttpRequest) -> HttpResponse:
    require_model_perm(request.user, Business, "add")
    form = BusinessForm(request.POST or None, user=request.user)
    duplicates: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        merge_into = request.POST.get("merge_into")
        if merge_into:
            # "Gabungkan": the user chose an existing record from the duplicate warning.
            target = selectors.business_get(user=request.user, pk=merge_into, action="change")
            try:
                with transaction.atomic():
                    owners = _owners(request, form)
                    business = services.business_merge_into(
                        actor=request.user, target=target, owners=owners, **_business_fields(form)
                    )
            except ValidationError as exc:
                _add_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Data digabungkan ke {name}.").format(name=business.name))
                return redirect(business)
            return render(request, "registry/business_form.html", {"form": form, "duplicates": [], "business": None})
        if not request.POST.get("confirm_duplicate"):
            duplicates = services.business_find_duplicates(
                actor=request.user,
                name=data["name"],
                nib=data.get("nib"),
                village_id=data["village"].pk if data.get("village") else None,
                owner_nik=data.get("owner_nik") or None,
            )
        if not duplicates:
            try:
                with transaction.atomic():
                    owners = _owners(request, form)
                    business = services.business_register(actor=request.user, owners=owners, **_business_fields(form))
            except ValidationError as exc:
                _add_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Usaha {name} tersimpan.").format(name=business.name))
                if request.htmx:
                    return HttpResponseClientRedirect(business.get_absolute_url())
                return redirect(business)
    return render(request, "registry/business_form.html", {"form": form, "duplicates": duplicates, "business": None})


class BusinessEditView(ObjectEditView):
    """Editing a business (a new one is registered by ``business_create``, which first looks for duplicates)."""

    model = Business
    form_class = BusinessForm
    template_name = "registry/business_form.html"
    context_object_name = "business"
    selector = staticmethod(selectors.business_get)
    form_takes_user = True
    updated_message = gettext_lazy("Perubahan pada {name} tersimpan.")
    htmx_redirect = True

    def save(self, form: Any) -> Business:
        return services.business_update(
            actor=self.request.user,
            business=self.lookup(),  # the form has written its values onto ``self.object``: the audit needs the stored row
            expected_version=form.cleaned_data.get("version"),
            **_business_fields(form),
        )


@require_POST
def business_validate(request: HttpRequest) -> HttpResponse:
    """Inline validation (htmx): validate the whole form, render the one field that changed."""
    name = request.POST.get("_field", "")
    pk = request.POST.get("_pk")
    if pk:
        instance = selectors.business_get(user=request.user, pk=pk, action="change")
    else:
        require_model_perm(request.user, Business, "add")
        instance = None
    form = BusinessForm(request.POST, instance=instance, user=request.user)
    if name not in form.fields:
        return HttpResponse(status=204)
    form.is_valid()
    bound = form[name]
    return HttpResponse(bound.as_field_group())


class BusinessDeleteView(ObjectDeleteView):
    selector = staticmethod(selectors.business_get)
    deleted_message = gettext_lazy("Usaha {name} dihapus. Anda dapat memulihkannya dari daftar terhapus.")

    def delete(self, obj: Business) -> None:
        services.business_delete(actor=self.request.user, business=obj)

    def get_success_url(self, obj: Business) -> str:
        return reverse("registry:business_list")


@require_POST
def business_restore(request: HttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get(user=request.user, pk=pk, action="delete")
    services.business_restore(actor=request.user, business=business)
    messages.success(request, _("Usaha {name} dipulihkan.").format(name=business.name))
    return redirect(business)


def owner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    owner = selectors.owner_get(user=request.user, pk=pk)
    can_change = Owner.objects.visible_to(request.user, "change").filter(pk=pk).exists()
    can_reveal = request.user.has_perm("registry.reveal_nik_owner")
    return render(
        request, "registry/owner_detail.html", {"owner": owner, "can_change": can_change, "can_reveal": can_reveal}
    )


@require_POST
def owner_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    owner = selectors.owner_get(user=request.user, pk=pk)
    data = services.owner_reveal_nik(actor=request.user, owner=owner)
    return render(request, "registry/partials/owner_personal.html", {"owner": owner, "revealed": data})


class OwnerEditView(ObjectEditView):
    model = Owner
    form_class = OwnerForm
    template_name = "registry/owner_form.html"
    context_object_name = "owner"
    selector = staticmethod(selectors.owner_get)
    form_takes_user = True
    add_permission = "add"
    created_message = gettext_lazy("Pelaku usaha {name} tersimpan.")
    updated_message = gettext_lazy("Perubahan pada {name} tersimpan.")

    def save(self, form: Any) -> Owner:
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        if self.creating:
            return services.owner_register(actor=self.request.user, **data)
        return services.owner_update(
            actor=self.request.user,
            owner=self.lookup(),  # the form has written its values onto ``self.object``: the audit needs the stored row
            expected_version=form.cleaned_data.get("version"),
            **data,
        )

    def get_message_values(self, saved: Owner) -> dict[str, Any]:
        return {"name": saved.full_name}


@require_POST
def owner_personal_data(request: HttpRequest, pk: int) -> HttpResponse:
    """The data subject's copy of everything Sentra holds about them (UU PDP Pasal 7), as a JSON file."""
    from sentra.registry.personal_data import owner_personal_data_export

    owner = selectors.owner_get(user=request.user, pk=pk)
    content = owner_personal_data_export(actor=request.user, owner=owner)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-pelaku-{owner.pk}.json"'
    return response


def owner_anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    """Erasure on request (UU PDP Pasal 8): identifying values are removed, aggregates stay."""
    from sentra.registry.personal_data import owner_anonymise as anonymise

    owner = selectors.owner_get(user=request.user, pk=pk, action="change")
    if not request.user.has_perm("registry.reveal_nik_owner"):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            anonymise(actor=request.user, owner=owner, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Data pribadi pelaku usaha telah dianonimkan."))
            return redirect("registry:owner_detail", pk=owner.pk)
    return render(request, "registry/owner_anonymise.html", {"owner": owner, "error": error})
