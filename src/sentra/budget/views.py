"""DAK budget pages. Views parse input, call one selector or service, and render (STYLE C).

Objects are always fetched through ``visible_to`` first (404 outside the scope), and only then is the action's
permission checked, so a user of another region never learns that a record exists.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sentra.budget import exports, selectors, services
from sentra.budget import figures as fig
from sentra.budget.choices import PlanStatus
from sentra.budget.filters import AllocationFilterSet
from sentra.budget.forms import (
    AllocationForm,
    ContractForm,
    LineForm,
    PaymentForm,
    PlanForm,
    ProgressForm,
    ReportGenerateForm,
    StepForm,
    TransferReceiveForm,
    TransferRequestForm,
)
from sentra.budget.models import (
    ActivityPlan,
    Allocation,
    BudgetLine,
    Contract,
    Fund,
    ProgressReport,
)
from sentra.budget.reports import DakReport
from sentra.core.errors import ConflictError
from sentra.core.forms import BootstrapForm
from sentra.core.forms import add_service_errors as _add_errors
from sentra.core.object_views import ObjectDeleteView, ObjectEditView
from sentra.core.versioning import form_conflict
from sentra.core.views import ObjectHistoryView, ObjectListView, require_model_perm
from sentra.core.years import data_years, year_from_request
from sentra.periodic.models import Submission, SubmissionState
from sentra.regions.models import Region


def _run(form: Any, fn: Any, *, user: Any = None) -> tuple[Any, list | None]:
    """Call a service; map its errors onto the form. Returns (result, conflict rows or None); ``user`` is told when
    the change that came first was their own (another tab)."""
    try:
        return fn(), None
    except ConflictError as exc:
        return None, form_conflict(form, exc, user=user)
    except ValidationError as exc:
        _add_errors(form, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("Anda tidak memiliki izin untuk tindakan ini."))
    return None, None


def _can(user: Any, perm: str) -> bool:
    return bool(user.is_superuser or user.has_perm(perm))


# --- Overview and allocations --------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    """``?tahun=``, or the latest year with data in the user's scope (``core.years``, as every page with a year)."""
    return year_from_request(request)[0]


def index(request: HttpRequest) -> HttpResponse:
    """Funds of a fiscal year with their ceilings and allocated totals, and the user's allocations."""
    require_model_perm(request.user, Allocation, "view")
    year = _year(request)
    funds = []
    visible = selectors.allocation_list(user=request.user).filter(fund__fiscal_year__year=year)
    for fund in selectors.funds_of_year(year):
        mine = list(visible.filter(fund=fund).order_by("region_name", "id")[:20])
        allocated = Allocation.objects.filter(fund=fund).aggregate(s=Sum("amount"))["s"] or Decimal(0)
        funds.append({"fund": fund, "allocated": allocated, "allocations": mine})
    return render(
        request,
        "budget/index.html",
        {
            "year": year,
            "years": data_years(request.user),
            "funds": funds,
            "late": selectors.late_reports(user=request.user, year=year),
        },
    )


class AllocationListView(ObjectListView):
    """National and province view: allocations and absorption per region, sortable."""

    model = Allocation
    filterset_class = AllocationFilterSet
    template_name = "budget/allocation_list.html"
    partial_template_name = "budget/partials/allocation_table.html"
    orderings = {
        "region": ["region_name", "id"],
        "-amount": ["-amount", "-id"],
        "amount": ["amount", "id"],
        "-absorption": ["-absorption", "-id"],
        "absorption": ["absorption", "id"],
    }
    default_ordering = "region"

    def get_base_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.allocation_list(user=self.request.user)


class _AllocationFormView(ObjectEditView):
    model = Allocation
    form_class = AllocationForm
    template_name = "budget/allocation_form.html"
    context_object_name = "allocation"
    add_permission = "add"
    change_permission = "change"

    def save(self, form: Any) -> Allocation:
        data = form.cleaned_data
        fund, region = (data["fund"], data["region"]) if self.creating else (self.object.fund, self.object.region)
        return services.allocation_set(
            actor=self.request.user,
            fund=fund,
            region=region,
            amount=data["amount"],
            note=data["note"],
            expected_version=None if self.creating else data.get("version"),
        )


class AllocationCreateView(_AllocationFormView):
    created_message = gettext_lazy("Alokasi {a} tersimpan.")

    def get_object(self) -> None:
        return None

    def get_form_kwargs(self) -> dict[str, Any]:
        from sentra.core.filters import scoped_regencies

        funds = Fund.objects.select_related("fiscal_year").order_by("-fiscal_year__year", "kind")
        return super().get_form_kwargs() | {"regions": scoped_regencies(self.request.user), "funds": funds}

    def get_message_values(self, saved: Allocation) -> dict[str, Any]:
        return {"a": saved}


class AllocationEditView(_AllocationFormView):
    """The ceiling's change, posted from the allocation's page (which shows the form): a refused save answers 400."""

    http_method_names = ["post"]
    invalid_status = 400
    updated_message = gettext_lazy("Pagu diperbarui.")

    def get_object(self) -> Allocation:
        return selectors.allocation_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {
            "regions": Region.objects.filter(pk=self.object.region_id),
            "funds": Fund.objects.filter(pk=self.object.fund_id),
        }


def allocation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = selectors.allocation_get(user=request.user, pk=pk)
    today = timezone.localdate()
    figures = fig.allocation_figures(allocation)
    reports = selectors.reports_of(allocation)
    edit_form = None
    if _can(request.user, "budget.change_allocation"):
        edit_form = AllocationForm(
            initial={
                "fund": allocation.fund_id,
                "region": allocation.region_id,
                "amount": allocation.amount,
                "note": allocation.note,
                "version": allocation.version,
            },
            regions=Region.objects.filter(pk=allocation.region_id),
            funds=Fund.objects.filter(pk=allocation.fund_id),
        )
    return render(
        request,
        "budget/allocation_detail.html",
        {
            "allocation": allocation,
            "figures": figures,
            "plans": selectors.plans_of(allocation),
            "transfers": selectors.transfers_of(allocation),
            "checks": fig.stage_checks(allocation, on=today),
            "single": fig.is_single_transfer(allocation),
            "quarters": selectors.report_flags(allocation, reports, today),
            "can_plan": _can(request.user, "budget.add_activityplan"),
            "can_transfer": _can(request.user, "budget.add_transfer"),
            "can_report": _can(request.user, "periodic.add_submission"),
            "edit_form": edit_form,
            "generate_form": ReportGenerateForm(),
        },
    )


class AllocationHistoryView(ObjectHistoryView):
    model = Allocation


# --- Plans --------------------------------------------------------------------------------------------------


class _PlanFormView(ObjectEditView):
    model = ActivityPlan
    form_class = PlanForm
    template_name = "budget/plan_form.html"
    context_object_name = "plan"
    add_permission = "add"
    change_permission = "change"
    allocation: Allocation

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(allocation=self.allocation, **kwargs)


class PlanCreateView(_PlanFormView):
    created_message = gettext_lazy("Rencana kegiatan dibuat. Tambahkan baris kegiatannya.")

    def get_object(self) -> None:
        self.allocation = selectors.allocation_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        title = _("Rencana kegiatan {fund} {region}")
        return {"title": title.format(fund=self.allocation.fund, region=self.allocation.region.name)}

    def save(self, form: Any) -> ActivityPlan:
        data = form.cleaned_data
        return services.plan_create(
            actor=self.request.user, allocation=self.allocation, title=data["title"], notes=data["notes"]
        )


class PlanEditView(_PlanFormView):
    updated_message = gettext_lazy("Rencana tersimpan.")

    def get_object(self) -> ActivityPlan:
        plan = selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])
        self.allocation = plan.allocation
        return plan

    def get_initial(self) -> dict[str, Any]:
        return {"title": self.object.title, "notes": self.object.notes, "version": self.object.version}

    def save(self, form: Any) -> ActivityPlan:
        data = form.cleaned_data
        return services.plan_update(
            actor=self.request.user,
            plan=self.object,
            expected_version=form.expected_version,
            title=data["title"],
            notes=data["notes"],
        )


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    lines = list(selectors.plan_lines(plan))
    total = sum((line.total for line in lines), Decimal(0))
    allocation = plan.allocation
    user = request.user
    status = plan.status
    actions = []
    if status in (PlanStatus.DRAFT, PlanStatus.RETURNED) and _can(user, "budget.submit_activityplan"):
        actions.append(("budget:plan_submit", _("Ajukan ke provinsi"), "primary"))
    if status == PlanStatus.SUBMITTED and _can(user, "budget.verify_activityplan"):
        actions.append(("budget:plan_verify", _("Verifikasi"), "primary"))
    if status == PlanStatus.VERIFIED and _can(user, "budget.approve_activityplan"):
        actions.append(("budget:plan_approve", _("Setujui"), "success"))
    can_return = (status == PlanStatus.SUBMITTED and _can(user, "budget.verify_activityplan")) or (
        status == PlanStatus.VERIFIED and _can(user, "budget.approve_activityplan")
    )
    target = sum((line.total for line in lines if line.for_target_centre), Decimal(0))
    return render(
        request,
        "budget/plan_detail.html",
        {
            "plan": plan,
            "allocation": allocation,
            "lines": lines,
            "total": total,
            "room": allocation.amount - total,
            "target_pct": fig.pct(target, total),
            "versions": selectors.plan_versions(plan),
            "actions": actions,
            "can_return": can_return,
            "can_edit": plan.is_editable and _can(user, "budget.change_activityplan"),
            "can_add_line": plan.is_editable and _can(user, "budget.add_budgetline"),
            "can_revise": status == PlanStatus.APPROVED and _can(user, "budget.add_activityplan"),
            "step_form": StepForm(initial={"version": plan.version}),
        },
    )


def _step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    form = StepForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "") if hasattr(form, "cleaned_data") else ""
    version = form.cleaned_data.get("version") if hasattr(form, "cleaned_data") else None
    try:
        if action == "return":
            services.plan_return(actor=request.user, plan=plan, reason=comment, expected_version=version)
            messages.success(request, _("Rencana dikembalikan ke kabupaten/kota dengan alasan yang ditulis."))
        elif action == "revise":
            new = services.plan_revise(actor=request.user, plan=plan, reason=comment)
            messages.success(
                request,
                _("Revisi ke-{n} dibuat sebagai draf; versi yang disetujui tetap disimpan.").format(n=new.revision),
            )
            return redirect(new)
        else:
            plan = services.plan_advance(
                actor=request.user, plan=plan, action=action, comment=comment, expected_version=version
            )
            messages.success(request, _("Status rencana sekarang: {s}.").format(s=plan.get_status_display()))
    except ConflictError as exc:
        messages.error(request, exc.messages[0])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Anda tidak memiliki izin untuk tindakan ini."))
        return redirect(plan)
    return redirect(plan)


@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "submit")


@require_POST
def plan_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "verify")


@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "approve")


@require_POST
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "return")


@require_POST
def plan_revise(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "revise")


class PlanHistoryView(ObjectHistoryView):
    model = ActivityPlan


# --- Lines --------------------------------------------------------------------------------------------------


class _LineFormView(ObjectEditView):
    model = BudgetLine
    form_class = LineForm
    template_name = "budget/line_form.html"
    context_object_name = "line"
    add_permission = "add"
    change_permission = "change"
    plan: ActivityPlan

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"allocation": self.plan.allocation, "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(plan=self.plan, **kwargs)


class LineCreateView(_LineFormView):
    created_message = gettext_lazy("Baris {line} ditambahkan ({total}).")

    def get_object(self) -> None:
        self.plan = selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])

    def refusal(self) -> HttpResponse | None:
        if self.plan.is_editable:
            return None
        messages.error(self.request, _("Rencana ini terkunci. Perubahan setelah disetujui dilakukan melalui revisi."))
        return redirect(self.plan)

    def save(self, form: Any) -> BudgetLine:
        return services.line_add(actor=self.request.user, plan=self.plan, **form.domain_data())

    def get_message_values(self, saved: BudgetLine) -> dict[str, Any]:
        return {"line": saved, "total": _rupiah(saved.total)}

    def get_success_url(self, saved: BudgetLine) -> str:
        if "another" in self.request.POST:
            return reverse("budget:line_add", kwargs={"pk": self.plan.pk})
        return self.plan.get_absolute_url()


class LineEditView(_LineFormView):
    updated_message = gettext_lazy("Baris tersimpan.")

    def get_object(self) -> BudgetLine:
        line = selectors.line_get(user=self.request.user, pk=self.kwargs["pk"])
        self.plan = line.plan
        return line

    def get_initial(self) -> dict[str, Any]:
        return LineForm.initial_from(self.object)

    def save(self, form: Any) -> BudgetLine:
        return services.line_update(
            actor=self.request.user, line=self.object, expected_version=form.expected_version, **form.domain_data()
        )

    def get_success_url(self, saved: BudgetLine) -> str:
        return saved.plan.get_absolute_url()


class LineDeleteView(ObjectDeleteView):
    selector = staticmethod(selectors.line_get)
    # Whether a line may still be deleted (its plan not locked, the user's right) is the service's to say.
    lookup_action = "view"
    deleted_message = gettext_lazy("Baris dihapus.")

    def delete(self, obj: BudgetLine) -> None:
        services.line_delete(actor=self.request.user, line=obj)

    def get_success_url(self, obj: BudgetLine) -> str:
        return obj.plan.get_absolute_url()

    get_error_url = get_success_url


def _rupiah(value: Decimal) -> str:
    from sentra.core.formatting import format_rupiah

    return format_rupiah(value)


def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.line_get(user=request.user, pk=pk)
    approved = line.plan.status == PlanStatus.APPROVED
    contracts = selectors.line_contracts(line)
    contracted = sum((c.value for c in contracts), Decimal(0))
    paid = sum((c.paid for c in contracts), Decimal(0))
    progress = selectors.line_progress(line)
    latest = progress[0] if progress else None
    return render(
        request,
        "budget/line_detail.html",
        {
            "line": line,
            "plan": line.plan,
            "contracts": contracts,
            "contracted": contracted,
            "paid": paid,
            "room": line.total - contracted,
            "progress": progress,
            "latest": latest,
            "output_pct": fig.pct(latest.output_achieved, line.volume) if latest else Decimal(0),
            "can_contract": approved and _can(request.user, "budget.add_contract"),
            "can_pay": approved and _can(request.user, "budget.add_payment"),
            "can_progress": approved and _can(request.user, "budget.add_progressreport"),
            "can_edit": line.plan.is_editable and _can(request.user, "budget.change_budgetline"),
            "payment_form": PaymentForm(initial={"paid_on": timezone.localdate()}),
        },
    )


class LineHistoryView(ObjectHistoryView):
    model = BudgetLine


# --- Contracts, payments, progress --------------------------------------------------------------------------


class _ContractFormView(ObjectEditView):
    model = Contract
    form_class = ContractForm
    template_name = "budget/contract_form.html"
    context_object_name = "contract"
    add_permission = "add"
    change_permission = "change"
    line: BudgetLine

    def get_success_url(self, saved: Contract) -> str:
        return self.line.get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(line=self.line, **kwargs)


class ContractCreateView(_ContractFormView):
    created_message = gettext_lazy("Kontrak {c} tersimpan.")

    def get_object(self) -> None:
        self.line = selectors.line_get(user=self.request.user, pk=self.kwargs["pk"])

    def save(self, form: Any) -> Contract:
        return services.contract_add(actor=self.request.user, line=self.line, **form.domain_data())

    def get_message_values(self, saved: Contract) -> dict[str, Any]:
        return {"c": saved}


class ContractEditView(_ContractFormView):
    updated_message = gettext_lazy("Kontrak tersimpan.")

    def get_object(self) -> Contract:
        contract = selectors.contract_get(user=self.request.user, pk=self.kwargs["pk"])
        self.line = contract.line
        return contract

    def get_initial(self) -> dict[str, Any]:
        return {f: getattr(self.object, f) for f in services.CONTRACT_FIELDS} | {"version": self.object.version}

    def save(self, form: Any) -> Contract:
        return services.contract_update(
            actor=self.request.user, contract=self.object, expected_version=form.expected_version, **form.domain_data()
        )


def payment_create(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get(user=request.user, pk=pk)
    require_model_perm(request.user, Contract, "view")
    form = PaymentForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST":
        require_model_perm(request.user, contract.payments.model, "add")
        if form.is_valid():
            payment, _c = _run(
                form,
                lambda: services.payment_record(actor=request.user, contract=contract, **form.cleaned_data),
                user=request.user,
            )
            if payment:
                messages.success(
                    request,
                    _("Pembayaran {amount} untuk kontrak {c} tercatat.").format(
                        amount=_rupiah(payment.amount), c=contract.number
                    ),
                )
                return redirect(contract.line)
    return render(request, "budget/payment_form.html", {"form": form, "contract": contract, "line": contract.line})


class ProgressCreateView(ObjectEditView):
    model = ProgressReport
    form_class = ProgressForm
    template_name = "budget/progress_form.html"
    add_permission = "add"
    created_message = gettext_lazy("Kemajuan {pct}% tercatat.")

    def get_object(self) -> None:
        self.line = selectors.line_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        return {"reported_on": timezone.localdate()}

    def save(self, form: Any) -> Any:
        data = form.cleaned_data
        return services.progress_record(
            actor=self.request.user,
            line=self.line,
            reported_on=data["reported_on"],
            physical_pct=data["physical_pct"],
            output_achieved=data["output_achieved"],
            note=data["note"],
            photos=data["photos"],
            photo_taken_on=data.get("photo_taken_on"),
        )

    def get_message_values(self, saved: Any) -> dict[str, Any]:
        return {"pct": saved.physical_pct}

    def get_success_url(self, saved: Any) -> str:
        return self.line.get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(line=self.line, **kwargs)


def photo_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve an evidence photo through the scope check (media files are not public)."""
    photo = selectors.photo_get(user=request.user, pk=pk)
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, OSError):
        return HttpResponse(_("Berkas foto tidak ditemukan di penyimpanan."), status=410, content_type="text/plain")
    response = FileResponse(handle, content_type=photo.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


# --- Transfers ----------------------------------------------------------------------------------------------


def transfer_request(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = selectors.allocation_get(user=request.user, pk=pk)
    requested = allocation.transfers.exclude(status="rejected").values("stage_id")
    stages = allocation.fund.stages.exclude(pk__in=requested.exclude(stage_id=None))
    form = TransferRequestForm(request.POST or None, stages=stages, initial={"requested_on": timezone.localdate()})
    on = timezone.localdate()
    if request.method == "POST":
        require_model_perm(request.user, allocation.transfers.model, "add")
        if form.is_valid():
            data = form.cleaned_data
            on = data["requested_on"]
            transfer, _c = _run(
                form,
                lambda: services.transfer_request(
                    actor=request.user,
                    allocation=allocation,
                    stage=data.get("stage"),
                    requested_on=data["requested_on"],
                    note=data["note"],
                ),
                user=request.user,
            )
            if transfer:
                messages.success(
                    request,
                    _("{stage} sebesar {amount} diajukan.").format(stage=transfer, amount=_rupiah(transfer.amount)),
                )
                return redirect(allocation)
    checks = fig.stage_checks(allocation, on=on)
    return render(
        request,
        "budget/transfer_form.html",
        {
            "allocation": allocation,
            "form": form,
            "checks": checks,
            "open": any(c.existing is None for c in checks),
            "single": fig.is_single_transfer(allocation),
            "can_transfer": _can(request.user, "budget.add_transfer"),
        },
    )


@require_POST
def transfer_receive(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = selectors.transfer_get(user=request.user, pk=pk)
    form = TransferReceiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isi tanggal diterima dengan benar (hh-bb-tttt)."))
        return redirect(transfer.allocation)
    try:
        services.transfer_receive(actor=request.user, transfer=transfer, received_on=form.cleaned_data["received_on"])
        messages.success(request, _("{t} dicatat diterima di RKUD.").format(t=transfer))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        messages.error(request, _("Anda tidak memiliki izin untuk tindakan ini."))
    return redirect(transfer.allocation)


# --- Quarterly reports --------------------------------------------------------------------------------------


class ReportFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="period_start__year", label=gettext_lazy("Tahun"))
    quarter = django_filters.ChoiceFilter(
        choices=[(i, str(i)) for i in (1, 2, 3, 4)],
        method="filter_quarter",
        label=gettext_lazy("Triwulan"),
        empty_label=gettext_lazy("Semua"),
    )
    state = django_filters.ChoiceFilter(
        choices=SubmissionState.choices, label=gettext_lazy("Status"), empty_label=gettext_lazy("Semua")
    )

    class Meta:
        model = Submission
        form = BootstrapForm
        fields = ["year", "quarter", "state"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def filter_quarter(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.filter(period__endswith=f"Q{value}")


class ReportListView(ObjectListView):
    """The DAK quarterly reports (periodic submissions of the DAK form) and the year's late ones."""

    model = Submission
    filterset_class = ReportFilterSet
    template_name = "budget/report_list.html"
    partial_template_name = "budget/partials/report_table.html"
    orderings = {"-due": ["-due_date", "-id"], "due": ["due_date", "id"]}
    default_ordering = "-due"

    def get_base_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.report_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = _year(self.request)
        context["year"] = year
        context["late"] = selectors.late_reports(user=self.request.user, year=year)
        return context


@require_POST
def report_generate(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the quarter's report on periodic (or regenerate a draft's figures from the latest data)."""
    allocation = selectors.allocation_get(user=request.user, pk=pk)
    form = ReportGenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih triwulan 1 sampai 4."))
        return redirect(allocation)
    try:
        submission = services.report_start(
            actor=request.user, allocation=allocation, quarter=form.cleaned_data["quarter"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(allocation)
    except PermissionDenied:
        messages.error(request, _("Anda tidak memiliki izin untuk tindakan ini."))
        return redirect(allocation)
    if submission.is_editable:
        messages.success(
            request,
            _("Laporan triwulan {q} dibuat dari data terbaru.").format(q=form.cleaned_data["quarter"]),
        )
    return redirect("budget:report_detail", submission.pk)


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    submission = report.submission
    can_change = submission.is_editable and (
        Submission.objects.visible_to(request.user, "change").filter(pk=submission.pk).exists()
    )
    return render(
        request,
        "budget/report_detail.html",
        {
            "report": report,
            "submission": submission,
            "data": report.data,
            "rows": report.data.get("rows", []),
            "can_change": can_change,
            "overdue": not report.is_sent and timezone.localdate() > report.due_on,
        },
    )


def _download(report: DakReport, content: bytes, ext: str, content_type: str, request: HttpRequest) -> HttpResponse:
    from sentra.core.audit import audit_record

    audit_record(actor=request.user, action=f"periodic.submission.exported_{ext}", obj=report.submission)
    name = f"laporan-dak-{report.region.pk}-{report.allocation.fund.fiscal_year.year}-tw{report.quarter}.{ext}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    return _download(
        report,
        exports.report_xlsx(report),
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        request,
    )


def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    return _download(report, exports.report_pdf(report), "pdf", "application/pdf", request)
