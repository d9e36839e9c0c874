"""Centre pages. Views parse input, call one selector or service, and render (STYLE C)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sentra.centres import selectors, services
from sentra.centres.choices import STATUS_ORDER, STATUS_TRANSITIONS, CentreStatus
from sentra.centres.filters import CentreFilterSet, GrantFilterSet
from sentra.centres.forms import (
    SEARCH_LIMIT,
    AttachmentForm,
    CentreForm,
    CheckForm,
    EndTenancyForm,
    FacilityForm,
    FundingForm,
    GrantForm,
    HandoverForm,
    MembershipForm,
    StatusForm,
    TenancyForm,
    UnitForm,
    business_choices,
    business_label,
    search_businesses,
)
from sentra.centres.models import Attachment, Centre, CentreMembership, EquipmentGrant, Facility, Tenancy, WorkshopUnit
from sentra.centres.reports import BUSINESS_SEMESTER, CENTRE_MONTHLY, CENTRE_QUARTERLY
from sentra.core.forms import add_service_errors as _add_errors
from sentra.core.history import record_history
from sentra.core.object_views import ObjectEditView
from sentra.core.views import ObjectHistoryView, ObjectListView
from sentra.periodic.periods import last_closed_period
from sentra.periodic.registry import report_form


def _can_change(user: Any, centre: Centre) -> bool:
    return Centre.objects.visible_to(user, "change").filter(pk=centre.pk).exists()


# --- Centres ------------------------------------------------------------------------------------------------------


class CentreListView(ObjectListView):
    model = Centre
    filterset_class = CentreFilterSet
    template_name = "centres/centre_list.html"
    partial_template_name = "centres/partials/centre_table.html"
    orderings = {"name": ["name", "id"], "-name": ["-name", "-id"], "-updated": ["-updated_at", "-id"]}
    default_ordering = "name"

    def get_base_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.centre_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if not (self.request.htmx and not self.request.htmx.boosted):
            filterset = context["filterset"]
            qs = filterset.qs if filterset.is_bound and filterset.is_valid() else self.get_base_queryset()
            points = qs.filter(latitude__isnull=False, longitude__isnull=False).order_by("name", "id")[:2000]
            context["map_points"] = selectors.map_points(list(points))
        return context


class CentreHistoryView(ObjectHistoryView):
    model = Centre


class CentreEditView(ObjectEditView):
    model = Centre
    form_class = CentreForm
    template_name = "centres/centre_form.html"
    context_object_name = "centre"
    selector = staticmethod(selectors.centre_get)
    form_takes_user = True
    add_permission = "add"
    created_message = gettext_lazy("Sentra {name} tersimpan.")
    updated_message = gettext_lazy("Perubahan pada {name} tersimpan.")

    def save(self, form: Any) -> Centre:
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "kbli_codes", "managers")}
        kbli = form.cleaned_data.get("kbli_codes") or []
        if self.creating:
            managers = list(form.cleaned_data.get("managers") or [])
            return services.centre_create(actor=self.request.user, managers=managers, kbli=kbli, **data)
        return services.centre_update(
            actor=self.request.user,
            centre=self.lookup(),  # the form has written its values onto ``self.object``: the audit needs the stored row
            expected_version=form.cleaned_data.get("version"),
            managers=list(form.cleaned_data["managers"]) if "managers" in form.fields else None,
            kbli=kbli,
            **data,
        )


def centre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    centre = selectors.centre_get(user=request.user, pk=pk)
    profile = selectors.centre_profile(user=request.user, centre=centre)
    can_change = _can_change(request.user, centre)
    can_status = can_change and request.user.has_perm("centres.change_status_centre")
    allowed = [s for s in STATUS_ORDER if s in STATUS_TRANSITIONS.get(centre.status, set())]
    suggested = CentreStatus.OPERATING if profile.construction_done else (allowed[0] if allowed else None)
    status_form = StatusForm(initial={"date": timezone.localdate(), "status": suggested})
    status_form.fields["status"].choices = [(s, CentreStatus(s).label) for s in allowed]
    form = report_form(CENTRE_QUARTERLY if centre.report_period == "quarterly" else CENTRE_MONTHLY)
    period = last_closed_period(timezone.localdate(), form.period_type)
    return render(
        request,
        "centres/centre_detail.html",
        {
            "centre": centre,
            "p": profile,
            "can_change": can_change,
            "can_status": can_status and bool(allowed),
            "status_form": status_form,
            "report_form": form,
            "report_period": period,
            "can_add_funding": can_change and request.user.has_perm("centres.add_centrefunding"),
        },
    )


@require_POST
def centre_status(request: HttpRequest, pk: int) -> HttpResponse:
    centre = selectors.centre_get(user=request.user, pk=pk, action="change")
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.centre_set_status(
                actor=request.user,
                centre=centre,
                status=form.cleaned_data["status"],
                date=form.cleaned_data["date"],
                note=form.cleaned_data.get("note") or "",
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Status sentra diperbarui."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(centre)


# --- Units and tenancies --------------------------------------------------------------------------------------------


def _part(request: HttpRequest, model: Any, pk: int, part_pk: int, action: str = "view") -> tuple[Centre, Any]:
    """A unit or facility of one centre, found through the centre's scoped lookup (404 outside the scope)."""
    centre = selectors.centre_get(user=request.user, pk=pk, action=action)
    try:
        return centre, model.objects.select_related("centre").get(pk=part_pk, centre=centre)
    except model.DoesNotExist:
        raise Http404 from None


class CentrePartEditView(ObjectEditView):
    """A unit or facility of one centre, created and edited on one form; its detail page follows the save."""

    add_service: Any
    change_service: Any
    detail_url_name: str

    def get_object(self) -> Any:
        part_pk = self.kwargs.get(self.pk_url_kwarg)
        if part_pk is None:
            self.centre = selectors.centre_get(user=self.request.user, pk=self.kwargs["pk"], action="change")
            return None
        self.centre, part = _part(self.request, self.model, self.kwargs["pk"], part_pk, "change")
        return part

    def save(self, form: Any) -> Any:
        if self.creating:
            return self.add_service(actor=self.request.user, centre=self.centre, **form.domain_data())
        part = {self.context_object_name: self.object}
        return self.change_service(
            actor=self.request.user, expected_version=form.expected_version, **part, **form.domain_data()
        )

    def get_success_url(self, saved: Any) -> str:
        return reverse(self.detail_url_name, args=(self.centre.pk, saved.pk))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(centre=self.centre, **kwargs)


class UnitEditView(CentrePartEditView):
    model = WorkshopUnit
    form_class = UnitForm
    template_name = "centres/unit_form.html"
    context_object_name = "unit"
    pk_url_kwarg = "unit_pk"
    add_service = staticmethod(services.unit_create)
    change_service = staticmethod(services.unit_update)
    detail_url_name = "centres:unit_detail"
    created_message = gettext_lazy("Unit {code} ditambahkan.")
    updated_message = gettext_lazy("Unit {code} diperbarui.")


def unit_detail(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    centre, unit = _part(request, WorkshopUnit, pk, unit_pk)
    return _render_unit(request, centre, unit)


def _business_options(request: HttpRequest, qs: Any) -> HttpResponse:
    """The options of a business picker for what was typed (``q``): at most ``SEARCH_LIMIT``, each labelled so
    that look-alike names can be told apart."""
    query = request.GET.get("q", "").strip()[:100]
    found: list[Any] = []
    more = False
    if query:
        rows = list(search_businesses(qs, query)[: SEARCH_LIMIT + 1])
        more = len(rows) > SEARCH_LIMIT
        found = [{"pk": b.pk, "label": business_label(b)} for b in rows[:SEARCH_LIMIT]]
    # The radio buttons post under the picker's own field name (only the names the pickers use).
    name = request.GET.get("name") if request.GET.get("name") in ("business", "recipient_business") else "business"
    return render(
        request,
        "centres/partials/business_options.html",
        {"businesses": found, "more": more, "query": query, "name": name},
    )


def business_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Search for the tenancy and membership pickers of one centre (its regency's businesses in the user's scope)."""
    centre = selectors.centre_get(user=request.user, pk=pk, action="change")
    qs = business_choices(request.user, centre)
    if request.GET.get("untuk") == "anggota":
        qs = qs.exclude(centre_memberships__centre=centre)
    return _business_options(request, qs)


def grant_business_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Search for the recipient picker of an equipment handover (the grant's regency, in the user's scope)."""
    grant = selectors.grant_get(user=request.user, pk=pk, action="change")
    return _business_options(request, business_choices(request.user, region_id=grant.region_id))


def _render_unit(
    request: HttpRequest, centre: Centre, unit: WorkshopUnit, form: Any = None, status: int = 200
) -> HttpResponse:
    can_change = _can_change(request.user, centre)
    tenancies = list(unit.tenancies.select_related("business").order_by("-start_date", "-id"))
    today = timezone.localdate()
    current = next((t for t in tenancies if t.active_on(today)), None)
    if form is None and can_change:
        form = TenancyForm(user=request.user, centre=centre, initial={"start_date": today})
    return render(
        request,
        "centres/unit_detail.html",
        {
            "centre": centre,
            "unit": unit,
            "tenancies": tenancies,
            "current": current,
            "form": form,
            "end_form": EndTenancyForm(initial={"end_date": today}),
            "can_change": can_change,
        },
        status=status,
    )


@require_POST
def tenancy_create(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    centre, unit = _part(request, WorkshopUnit, pk, unit_pk, "change")
    form = TenancyForm(request.POST, user=request.user, centre=centre)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.tenancy_start(
                actor=request.user,
                unit=unit,
                business=data["business"],
                start_date=data["start_date"],
                end_date=data.get("end_date"),
                agreement_number=data.get("agreement_number") or "",
                annual_fee=data.get("annual_fee") or 0,
                note=data.get("note") or "",
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Unit {code} disewakan kepada {business}.").format(code=unit.code, business=data["business"])
            )
            return redirect("centres:unit_detail", centre.pk, unit.pk)
    return _render_unit(request, centre, unit, form=form, status=400)


@require_POST
def tenancy_end(request: HttpRequest, pk: int, tenancy_pk: int) -> HttpResponse:
    centre = selectors.centre_get(user=request.user, pk=pk, action="change")
    try:
        tenancy = Tenancy.objects.select_related("unit", "business", "centre").get(pk=tenancy_pk, centre=centre)
    except Tenancy.DoesNotExist:
        raise Http404 from None
    form = EndTenancyForm(request.POST)
    if form.is_valid():
        try:
            services.tenancy_end(actor=request.user, tenancy=tenancy, end_date=form.cleaned_data["end_date"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Sewa {business} diakhiri.").format(business=tenancy.business))
    else:
        messages.error(request, _("Tanggal berakhir tidak valid."))
    return redirect("centres:unit_detail", centre.pk, tenancy.unit_id)


# --- Members ---------------------------------------------------------------------------------------------------------


def members(request: HttpRequest, pk: int) -> HttpResponse:
    centre = selectors.centre_get(user=request.user, pk=pk)
    can_change = _can_change(request.user, centre)
    form = None
    status = 200
    if can_change:
        form = MembershipForm(request.POST or None, user=request.user, centre=centre)
    if request.method == "POST":
        if not can_change or form is None:
            raise Http404
        if form.is_valid():
            try:
                services.membership_add(
                    actor=request.user,
                    centre=centre,
                    business=form.cleaned_data["business"],
                    joined_on=form.cleaned_data.get("joined_on"),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Anggota ditambahkan."))
                return redirect("centres:members", centre.pk)
        status = 400
    profile = selectors.centre_profile(user=request.user, centre=centre)
    return render(
        request,
        "centres/members.html",
        {"centre": centre, "p": profile, "form": form, "can_change": can_change},
        status=status,
    )


@require_POST
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    centre = selectors.centre_get(user=request.user, pk=pk, action="change")
    try:
        membership = CentreMembership.objects.select_related("business", "centre").get(pk=member_pk, centre=centre)
    except CentreMembership.DoesNotExist:
        raise Http404 from None
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("{business} dikeluarkan dari keanggotaan.").format(business=membership.business))
    return redirect("centres:members", centre.pk)


# --- Facilities and attachments -----------------------------------------------------------------------------------------


class FacilityEditView(CentrePartEditView):
    model = Facility
    form_class = FacilityForm
    template_name = "centres/facility_form.html"
    context_object_name = "facility"
    pk_url_kwarg = "facility_pk"
    add_service = staticmethod(services.facility_create)
    change_service = staticmethod(services.facility_update)
    detail_url_name = "centres:facility_detail"
    created_message = gettext_lazy("{name} ditambahkan.")
    updated_message = gettext_lazy("{name} diperbarui.")


def facility_detail(request: HttpRequest, pk: int, facility_pk: int) -> HttpResponse:
    centre, facility = _part(request, Facility, pk, facility_pk)
    return _render_facility(request, centre, facility)


def _render_facility(
    request: HttpRequest, centre: Centre, facility: Facility, form: Any = None, status: int = 200
) -> HttpResponse:
    can_change = _can_change(request.user, centre)
    return render(
        request,
        "centres/facility_detail.html",
        {
            "centre": centre,
            "facility": facility,
            "attachments": list(facility.attachments.all()),
            "form": form or (AttachmentForm() if can_change else None),
            "can_change": can_change,
        },
        status=status,
    )


@require_POST
def facility_upload(request: HttpRequest, pk: int, facility_pk: int) -> HttpResponse:
    centre, facility = _part(request, Facility, pk, facility_pk, "change")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                centre=centre,
                facility=facility,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                caption=form.cleaned_data.get("caption") or "",
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Lampiran diunggah."))
            return redirect("centres:facility_detail", centre.pk, facility.pk)
    return _render_facility(request, centre, facility, form=form, status=400)


def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Served through the app (scope-checked) from whatever storage holds the file."""
    centre = selectors.centre_get(user=request.user, pk=pk)
    try:
        attachment = Attachment.objects.get(pk=attachment_pk, centre=centre)
    except Attachment.DoesNotExist:
        raise Http404 from None
    try:
        handle = attachment.file.storage.open(attachment.file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=attachment.content_type == "application/pdf",
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class FundingCreateView(ObjectEditView):
    form_class = FundingForm
    template_name = "centres/funding_form.html"
    created_message = gettext_lazy("Riwayat pendanaan ditambahkan.")

    def get_object(self) -> None:
        self.centre = selectors.centre_get(user=self.request.user, pk=self.kwargs["pk"], action="change")

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user, "centre": self.centre}

    def save(self, form: Any) -> Any:
        return services.funding_add(actor=self.request.user, centre=self.centre, **form.domain_data())

    def get_success_url(self, saved: Any) -> str:
        return self.centre.get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(centre=self.centre, **kwargs)


# --- Reports --------------------------------------------------------------------------------------------------------------


def centre_reports(request: HttpRequest, pk: int) -> HttpResponse:
    from django.contrib.contenttypes.models import ContentType

    from sentra.periodic.models import Submission

    centre = selectors.centre_get(user=request.user, pk=pk)
    form = report_form(CENTRE_QUARTERLY if centre.report_period == "quarterly" else CENTRE_MONTHLY)
    submissions = list(
        Submission.objects.visible_to(request.user)
        .filter(subject_type=ContentType.objects.get_for_model(Centre), subject_id=centre.pk)
        .order_by("-period_start", "-id")[:36]
    )
    return render(
        request,
        "centres/centre_reports.html",
        {
            "centre": centre,
            "submissions": submissions,
            "report_form": form,
            "period": last_closed_period(timezone.localdate(), form.period_type),
        },
    )


def business_report(request: HttpRequest, business_pk: int) -> HttpResponse:
    """The semester self-report of one business: opens (or starts) the last closed semester's report."""
    from sentra.registry.models import Business

    try:
        business = Business.objects.visible_to(request.user).alive().get(pk=business_pk)
    except Business.DoesNotExist:
        raise Http404 from None
    form = report_form(BUSINESS_SEMESTER)
    period = last_closed_period(timezone.localdate(), form.period_type)
    return redirect("periodic:submission_start", form.code, business.pk, period.code)


# --- Equipment grants ---------------------------------------------------------------------------------------------------


class GrantListView(ObjectListView):
    model = EquipmentGrant
    filterset_class = GrantFilterSet
    template_name = "centres/grant_list.html"
    partial_template_name = "centres/partials/grant_table.html"
    orderings = {"-year": ["-year", "-id"], "name": ["name", "id"]}
    default_ordering = "-year"

    def get_base_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.grant_list(user=self.request.user)

    def get_filterset(self, queryset):  # type: ignore[no-untyped-def]
        return self.filterset_class(self.request.GET or None, queryset=queryset)


class GrantHistoryView(ObjectHistoryView):
    model = EquipmentGrant


class GrantCreateView(ObjectEditView):
    model = EquipmentGrant
    form_class = GrantForm
    template_name = "centres/grant_form.html"
    form_takes_user = True
    add_permission = "add"
    created_message = gettext_lazy("Pengadaan {name} dicatat.")

    def save(self, form: Any) -> EquipmentGrant:
        return services.grant_create(actor=self.request.user, **form.domain_data())


def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.grant_get(user=request.user, pk=pk)
    return _render_grant(request, grant)


def _render_grant(
    request: HttpRequest, grant: EquipmentGrant, *, handover_form: Any = None, check_form: Any = None, status: int = 200
) -> HttpResponse:
    can_change = EquipmentGrant.objects.visible_to(request.user, "change").filter(pk=grant.pk).exists()
    today = timezone.localdate()
    return render(
        request,
        "centres/grant_detail.html",
        {
            "grant": grant,
            "handovers": list(grant.handovers.all()),
            "checks": list(grant.checks.all()),
            "can_change": can_change,
            "handover_form": handover_form
            or (HandoverForm(user=request.user, grant=grant, initial={"date": today}) if can_change else None),
            "check_form": check_form or (CheckForm(initial={"date": today}) if can_change else None),
            "entries": record_history(grant, limit=50),
        },
        status=status,
    )


@require_POST
def grant_handover(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.grant_get(user=request.user, pk=pk, action="change")
    form = HandoverForm(request.POST, user=request.user, grant=grant)
    if form.is_valid():
        try:
            services.grant_handover(actor=request.user, grant=grant, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Serah terima dicatat."))
            return redirect(grant)
    return _render_grant(request, grant, handover_form=form, status=400)


@require_POST
def grant_check(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.grant_get(user=request.user, pk=pk, action="change")
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            services.grant_check(actor=request.user, grant=grant, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Pemeriksaan dicatat."))
            return redirect(grant)
    return _render_grant(request, grant, check_form=form, status=400)
