"""Periodic reporting pages: to-do, data entry (phone first), review, overview of completeness/timeliness."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sentra.core.forms import BootstrapForm
from sentra.core.forms import add_service_errors as _add_errors
from sentra.core.object_views import ObjectEditView
from sentra.core.views import ObjectHistoryView, ObjectListView, require_model_perm
from sentra.periodic import selectors, services
from sentra.periodic.forms import ReturnForm, SubmissionDataForm, initial_values
from sentra.periodic.models import Notice, Submission, SubmissionState
from sentra.periodic.periods import period_containing
from sentra.periodic.registry import report_form, report_forms


class SubmissionFilterSet(django_filters.FilterSet):
    form_code = django_filters.ChoiceFilter(label=gettext_lazy("Formulir"), empty_label=gettext_lazy("Semua"))
    state = django_filters.ChoiceFilter(
        choices=SubmissionState.choices, label=gettext_lazy("Status"), empty_label=gettext_lazy("Semua")
    )
    period = django_filters.CharFilter(label=gettext_lazy("Periode"))

    class Meta:
        model = Submission
        form = BootstrapForm
        fields = ["form_code", "state", "period"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["form_code"].extra["choices"] = [(f.code, f.title) for f in report_forms()]


class SubmissionListView(ObjectListView):
    model = Submission
    filterset_class = SubmissionFilterSet
    template_name = "periodic/submission_list.html"
    partial_template_name = "periodic/partials/submission_table.html"
    orderings = {"-period": ["-period_start", "-id"], "period": ["period_start", "id"]}
    default_ordering = "-period"

    def get_base_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.submission_list(user=self.request.user)


class SubmissionHistoryView(ObjectHistoryView):
    model = Submission


def todo(request: HttpRequest) -> HttpResponse:
    require_model_perm(request.user, Submission, "view")
    notices = list(Notice.objects.filter(user=request.user, read_at__isnull=True)[:20])
    return render(
        request,
        "periodic/todo.html",
        {"items": selectors.todo(user=request.user), "notices": notices, "today": timezone.localdate()},
    )


@require_POST
def notices_read(request: HttpRequest) -> HttpResponse:
    Notice.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("periodic:todo")


def overview(request: HttpRequest) -> HttpResponse:
    """Completeness and timeliness per region and period, for officers."""
    require_model_perm(request.user, Submission, "review")
    # Event-relative forms count per event (a class's answer rates are on its page), not per calendar period.
    forms = [f for f in report_forms() if not f.is_event_relative]
    code = request.GET.get("form") or (forms[0].code if forms else "")
    form = next((f for f in forms if f.code == code), None)
    # ``?tahun=``: every period of that year (as the DAK pages count a fiscal year); else the last closed ones.
    year = _int(request.GET.get("tahun"))
    period_list = None
    if form is not None and year is not None and 2000 <= year <= 2100:
        first = period_containing(dt.date(year, 1, 1), form.period_type)
        period_list = [first]
        while period_list[-1].next().start.year == year:
            period_list.append(period_list[-1].next())
        period_list.reverse()
    else:
        year = None
    rows = selectors.completeness(user=request.user, form=form, period_list=period_list) if form else []
    waiting = Submission.objects.visible_to(request.user).filter(state=SubmissionState.SUBMITTED).count()
    return render(
        request,
        "periodic/overview.html",
        {
            "forms": forms,
            "form": form,
            "rows": rows,
            "waiting": waiting,
            "year": year,
            "late_total": sum(r.late for r in rows),
            "deadline_is_data": form is not None and form.due is not None,
        },
    )


def submission_start(request: HttpRequest, form_code: str, subject_pk: int, period: str) -> HttpResponse:
    """Open the report of one subject and period; POST creates it (pre-filled from the last period)."""
    form = report_form(form_code)
    if form is None:
        raise Http404
    scope = request.user.scope
    if not (request.user.is_superuser or scope.kind in ("national", "region") or scope.kind in form.reporter_scopes):
        raise Http404
    subject_qs = form.model.objects.visible_to(request.user, "view")
    try:
        subject = subject_qs.get(pk=subject_pk)
        period_obj = form.resolve_period(period, subject)
    except (form.model.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    existing = Submission.objects.visible_to(request.user).filter(
        form_code=form.code, subject_id=subject.pk, period=period_obj.code
    )
    found = existing.first()
    if found:
        return redirect("periodic:submission_edit" if found.is_editable else "periodic:submission_detail", found.pk)
    error = ""
    if request.method == "POST":
        try:
            submission = services.submission_start(actor=request.user, form=form, subject=subject, period=period_obj)
        except (ValidationError, PermissionDenied) as exc:
            error = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        else:
            return redirect("periodic:submission_edit", submission.pk)
    return render(
        request,
        "periodic/submission_start.html",
        {"form": form, "subject": subject, "period": period_obj, "error": error},
        status=400 if error else 200,
    )


def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get(user=request.user, pk=pk)
    can_change = submission.is_editable and (
        Submission.objects.visible_to(request.user, "change").filter(pk=pk).exists()
    )
    can_review = submission.state == SubmissionState.SUBMITTED and request.user.has_perm("periodic.review_submission")
    return render(
        request,
        "periodic/submission_detail.html",
        {
            "submission": submission,
            "rows": submission.rows(),
            "can_change": can_change,
            "can_review": can_review,
            "return_form": ReturnForm(initial={"version": submission.version}),
        },
    )


class SubmissionEditView(ObjectEditView):
    """Filling in a report: saved as a draft, or saved and sent for review ("submit")."""

    model = Submission
    form_class = SubmissionDataForm
    template_name = "periodic/submission_form.html"
    context_object_name = "submission"
    selector = staticmethod(selectors.submission_get)
    invalid_status = 400
    denied_status = 403

    def refusal(self) -> HttpResponse | None:
        submission = self.object
        if submission.is_editable:
            return None
        state = submission.get_state_display().lower()
        messages.info(self.request, _("Laporan ini sudah {state} dan tidak dapat diubah.").format(state=state))
        return redirect(submission)

    def get_initial(self) -> dict[str, Any]:
        return {**initial_values(self.object.form, self.object.data), "version": self.object.version}

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"report": self.object.form}

    def save(self, form: Any) -> Submission:
        data = {f.name: form.cleaned_data.get(f.name) for f in self.object.form.input_fields}
        submission = services.submission_save(
            actor=self.request.user, submission=self.object, data=data, expected_version=form.expected_version
        )
        if "submit" in self.request.POST:
            submission = services.submission_submit(actor=self.request.user, submission=submission)
        return submission

    def get_success_message(self, saved: Submission) -> str:
        if saved.state == SubmissionState.SUBMITTED:
            return _("Laporan {name} terkirim untuk diperiksa.").format(name=saved)
        return _("Konsep laporan tersimpan.")

    def get_success_url(self, saved: Submission) -> str:
        if saved.state == SubmissionState.SUBMITTED:
            return saved.get_absolute_url()
        return reverse("periodic:submission_edit", args=(saved.pk,))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(report=self.object.form, rows=self.object.rows(), **kwargs)


@require_POST
def submission_accept(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get(user=request.user, pk=pk)
    try:
        services.submission_accept(
            actor=request.user, submission=submission, expected_version=_int(request.POST.get("version"))
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, _("Laporan diterima dan dikunci."))
    return redirect(submission)


@require_POST
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get(user=request.user, pk=pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.submission_return(
                actor=request.user,
                submission=submission,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Laporan dikembalikan kepada pelapor."))
            return redirect(submission)
    return render(
        request,
        "periodic/submission_detail.html",
        {
            "submission": submission,
            "rows": submission.rows(),
            "can_change": False,
            "can_review": request.user.has_perm("periodic.review_submission"),
            "return_form": form,
        },
        status=400,
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
