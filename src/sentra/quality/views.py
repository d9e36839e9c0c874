"""Quality pages. Views parse input, call one selector or service, and render (STYLE C)."""

from __future__ import annotations

import datetime as dt
import mimetypes
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sentra.core.errors import ConflictError
from sentra.core.forms import add_service_errors as _add_errors
from sentra.core.object_views import ObjectDeleteView, ObjectEditView
from sentra.core.pagination import keyset_paginate
from sentra.core.querysets import scoped_get_or_404
from sentra.core.versioning import conflict_page
from sentra.core.views import ObjectHistoryView, require_model_perm
from sentra.quality import selectors, services
from sentra.quality.charts import Series, radar_svg
from sentra.quality.choices import CHECKLIST_SCORES, ActionStatus, AssessmentStatus, IndiStatus
from sentra.quality.filters import ActionFilterSet, AssessmentFilterSet, CertificationFilterSet, IndiFilterSet
from sentra.quality.forms import (
    ActionForm,
    AssessmentStartForm,
    CertificationForm,
    CompleteForm,
    FindingForm,
    IndiAnswerForm,
    IndiVerifyForm,
    TransitionForm,
)
from sentra.quality.models import (
    Assessment,
    Certification,
    ChecklistTemplate,
    ChecklistVersion,
    CorrectiveAction,
    Finding,
    IndiAssessment,
    IndiQuestion,
    Notice,
)
from sentra.quality.numbers import pirt_parse
from sentra.quality.querysets import expiry_window_days
from sentra.quality.scoring import INDI_LEVELS, change, indi_level_name
from sentra.registry.models import Business


def _today() -> dt.date:
    return timezone.localdate()


def _page(request: HttpRequest, qs: Any, ordering: list[str]) -> Any:
    return keyset_paginate(qs, ordering=ordering, cursor=request.GET.get("cursor"), page_size=settings.SENTRA_PAGE_SIZE)


def _serve(field: Any, filename: str) -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, as_attachment=False, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Overview ---------------------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    require_model_perm(request.user, Certification, "view")
    today = _today()
    summary = selectors.expiry_summary(user=request.user, today=today)
    overdue = selectors.action_list(user=request.user).overdue(today).order_by("due_on", "id")[:10]
    businesses = Business.objects.visible_to(request.user).alive()
    own = list(businesses.order_by("name")[:5]) if request.user.scope.kind == "owner" else []
    return render(
        request,
        "quality/index.html",
        {
            "summary": summary,
            "overdue": overdue,
            "own_businesses": own,
            "indi": selectors.indi_aggregates(user=request.user)
            if request.user.has_perm("quality.view_indiassessment")
            else None,
            "window": expiry_window_days(),
        },
    )


# --- Certifications ----------------------------------------------------------------------------------------


def certification_list(request: HttpRequest) -> HttpResponse:
    require_model_perm(request.user, Certification, "view")
    today = _today()
    filterset = CertificationFilterSet(
        request.GET or None, queryset=selectors.certification_list(user=request.user), request=request, today=today
    )
    qs = filterset.qs
    status = filterset.status_value
    ordering = ["-expires_on", "-id"] if status == "habis" else ["expires_on", "id"]
    page = _page(request, qs, ordering)
    template = (
        "quality/partials/certification_table.html"
        if request.htmx and not request.htmx.boosted
        else "quality/certification_list.html"
    )
    return render(
        request,
        template,
        {"form": filterset.form, "filterset": filterset, "page": page, "today": today, "status": status},
    )


def certification_expiry(request: HttpRequest) -> HttpResponse:
    """Expiring (within the window) and expired certificates, per region."""
    require_model_perm(request.user, Certification, "view")
    today = _today()
    return render(
        request,
        "quality/certification_expiry.html",
        {
            "summary": selectors.expiry_summary(user=request.user, today=today),
            "today": today,
            "window": expiry_window_days(),
        },
    )


def _business_for(request: HttpRequest, pk: Any) -> Business:
    return scoped_get_or_404(Business.objects.alive().select_related("region"), request.user, pk)


def certification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cert = selectors.certification_get(user=request.user, pk=pk)
    pirt = None
    if cert.kind == "pirt":
        try:
            pirt = pirt_parse(cert.number)
        except ValidationError:
            pirt = None
    today = _today()
    days_left = (cert.expires_on - today).days if cert.expires_on else None
    can_change = Certification.objects.visible_to(request.user, "change").filter(pk=pk).exists()
    return render(
        request,
        "quality/certification_detail.html",
        {
            "cert": cert,
            "pirt": pirt,
            "warnings": services.certification_warnings(cert),
            "days_left": days_left,
            "window": expiry_window_days(),
            "can_change": can_change,
            "can_delete": Certification.objects.visible_to(request.user, "delete").filter(pk=pk).exists(),
            "notices": cert.expiry_notices.order_by("-sent_at")[:10],
        },
    )


class CertificationEditView(ObjectEditView):
    """A certificate of one business: added from the business's quality page, edited from the certificate's."""

    model = Certification
    form_class = CertificationForm
    template_name = "quality/certification_form.html"
    context_object_name = "certification"
    add_permission = "add"
    created_message = gettext_lazy("Sertifikat {c} tersimpan.")
    updated_message = gettext_lazy("Perubahan pada {c} tersimpan.")

    def get_object(self) -> Certification | None:
        if "business_pk" in self.kwargs:
            self.business = _business_for(self.request, self.kwargs["business_pk"])
            return None
        cert = selectors.certification_get(user=self.request.user, pk=self.kwargs["pk"], action="change")
        self.business = cert.business
        return cert

    def get_initial(self) -> dict[str, Any]:
        if self.object is None:
            return {}
        return {f: getattr(self.object, f) for f in services.CERT_FIELDS} | {"version": self.object.version}

    def save(self, form: Any) -> Any:
        data = form.domain_data("document")
        document = form.cleaned_data.get("document")
        if self.creating:
            return services.certification_create(
                actor=self.request.user, business=self.business, document=document, **data
            )
        return services.certification_update(
            actor=self.request.user,
            certification=self.object,
            expected_version=form.expected_version,
            document=document,
            **data,
        )

    def get_message_values(self, saved: Any) -> dict[str, Any]:
        return {"c": saved.certification}

    def get_success_url(self, saved: Any) -> str:
        return saved.certification.get_absolute_url()

    def saved(self, saved: Any) -> HttpResponse:
        response = super().saved(saved)
        for warning in saved.warnings:
            messages.warning(self.request, warning)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(business=self.business, **kwargs)


class CertificationDeleteView(ObjectDeleteView):
    selector = staticmethod(selectors.certification_get)
    deleted_message = gettext_lazy("Sertifikat {c} dihapus.")

    def delete(self, obj: Certification) -> None:
        services.certification_delete(actor=self.request.user, certification=obj)

    def get_success_message(self, obj: Certification) -> str:
        return str(self.deleted_message).format(c=obj)

    def get_success_url(self, obj: Certification) -> str:
        return reverse("quality:certification_list")


def certification_document(request: HttpRequest, pk: int) -> FileResponse:
    cert = selectors.certification_get(user=request.user, pk=pk)
    return _serve(cert.document, f"{cert.get_kind_display()}-{cert.pk}{_ext(cert.document.name)}")


def _ext(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1] if "." in (name or "") else ""


class CertificationHistoryView(ObjectHistoryView):
    model = Certification


def business_quality(request: HttpRequest, business_pk: int) -> HttpResponse:
    """Everything quality-related of one business: certifications, assessments, actions, INDI 4.0."""
    business = _business_for(request, business_pk)
    user = request.user
    certs = Certification.objects.visible_to(user).filter(business=business).order_by("expires_on", "id")
    assessments = selectors.assessment_list(user=user).filter(business=business).order_by("-assessed_on", "-id")[:20]
    indi = selectors.indi_list(user=user).filter(business=business).order_by("-created_at", "-id")[:20]
    return render(
        request,
        "quality/business_quality.html",
        {
            "business": business,
            "certs": certs[:50],
            "assessments": assessments,
            "indi": indi,
            "today": _today(),
            "can_add_cert": user.has_perm("quality.add_certification") and user.scope.kind in ("national", "region"),
            "can_assess": services.assessable_businesses(user).filter(pk=business.pk).exists()
            and user.has_perm("quality.add_assessment"),
            "can_indi": user.has_perm("quality.add_indiassessment"),
        },
    )


# --- Notices -------------------------------------------------------------------------------------------------


def notice_list(request: HttpRequest) -> HttpResponse:
    qs = Notice.objects.filter(recipient=request.user)
    page = _page(request, qs, ["-created_at", "-id"])
    return render(request, "quality/notice_list.html", {"page": page})


@require_POST
def notice_mark_read(request: HttpRequest) -> HttpResponse:
    services.notices_mark_read(actor=request.user)
    return redirect("quality:notice_list")


# --- Checklists ------------------------------------------------------------------------------------------------


def checklist_list(request: HttpRequest) -> HttpResponse:
    """The checklist templates and their versions; ``?versi=<pk>`` shows one version's frozen items."""
    require_model_perm(request.user, ChecklistTemplate, "view")
    templates = ChecklistTemplate.objects.prefetch_related("versions").order_by("name")
    shown = None
    wanted = request.GET.get("versi")
    if wanted and wanted.isdigit():
        shown = (
            ChecklistVersion.objects.select_related("template")
            .prefetch_related("sections__items")
            .filter(pk=wanted)
            .first()
        )
    return render(
        request,
        "quality/checklist_list.html",
        {"templates": templates, "shown": shown, "can_edit": request.user.has_perm("quality.change_checklisttemplate")},
    )


@require_POST
def checklist_new_version(request: HttpRequest) -> HttpResponse:
    """Admins: start a new draft version (a copy of the latest) to edit in the admin site."""
    if not request.user.has_perm("quality.change_checklisttemplate"):
        raise PermissionDenied
    template = ChecklistTemplate.objects.filter(pk=request.POST.get("template")).first()
    if template is None:
        messages.error(request, _("Templat tidak ditemukan."))
        return redirect("quality:checklist_list")
    version = services.checklist_new_version(actor=request.user, template=template)
    messages.info(request, _("Versi draf {v} siap diubah. Terbitkan setelah selesai.").format(v=version.number))
    return redirect("admin:quality_checklistversion_change", version.pk)


# --- Assessments ------------------------------------------------------------------------------------------------


def assessment_list(request: HttpRequest) -> HttpResponse:
    require_model_perm(request.user, Assessment, "view")
    q = request.GET.get("q", "").strip()
    qs = AssessmentFilterSet({"q": q}, queryset=selectors.assessment_list(user=request.user)).qs
    page = _page(request, qs, ["-assessed_on", "-id"])
    return render(request, "quality/assessment_list.html", {"page": page, "q": q})


class AssessmentCreateView(ObjectEditView):
    """Starting an assessment of one business; the checklist is then filled on its own page."""

    model = Assessment
    form_class = AssessmentStartForm
    template_name = "quality/assessment_start.html"
    add_permission = "add"

    def get_object(self) -> None:
        self.business = services.assessable_businesses(self.request.user).filter(pk=self.kwargs["business_pk"]).first()
        if self.business is None:
            raise Http404

    def get_initial(self) -> dict[str, Any]:
        get = self.request.GET
        return {"assessed_on": _today(), "batch": get.get("kelas"), "phase": get.get("tahap", "")}

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user, "business": self.business}

    def save(self, form: Any) -> Assessment:
        return services.assessment_start(actor=self.request.user, business=self.business, **form.cleaned_data)

    def get_success_url(self, saved: Assessment) -> str:
        return reverse("quality:assessment_fill", args=(saved.pk,))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(business=self.business, **kwargs)


def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    answers = selectors.assessment_answers(assessment)
    sections, total = services.assessment_score(assessment, answers)
    previous = selectors.previous_assessment(assessment)
    comparison = selectors.compare_items(answers, previous)
    can_change = Assessment.objects.visible_to(request.user, "change").filter(pk=pk).exists()
    findings = selectors.assessment_findings(assessment)
    prev_sections = {}
    if previous:
        prev_s, _prev_total = services.assessment_score(previous)
        prev_sections = {s.section: s.percent for s in prev_s}
    section_rows = [
        (s, prev_sections.get(s.section), change(s.percent, prev_sections.get(s.section))) for s in sections
    ]
    return render(
        request,
        "quality/assessment_detail.html",
        {
            "assessment": assessment,
            "comparison": comparison,
            "section_rows": section_rows,
            "total": total,
            "previous": previous,
            "total_change": change(total, previous.total_score if previous else None),
            "findings": findings,
            "can_change": can_change,
            "can_add_finding": can_change and request.user.has_perm("quality.add_finding"),
            "can_add_action": can_change and request.user.has_perm("quality.add_correctiveaction"),
            "finding_form": FindingForm(checklist=assessment.checklist) if can_change else None,
            "complete_form": CompleteForm(),
            "today": _today(),
        },
    )


def assessment_fill(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, pk=pk, action="change")
    answers = selectors.assessment_answers(assessment)
    errors: dict[str, Any] = {}
    if request.method == "POST":
        if assessment.status != AssessmentStatus.DRAFT:
            messages.error(request, _("Penilaian yang sudah selesai tidak dapat diubah."))
            return redirect(assessment)
        given: dict[int, services.AnswerInput] = {}
        for a in answers:
            raw = request.POST.get(f"score-{a.pk}", "")
            na = request.POST.get(f"na-{a.pk}") == "on"
            score = None
            if raw != "" and not na:
                try:
                    score = int(raw)
                except ValueError:
                    errors[f"answer-{a.pk}"] = _("Nilai harus 0–4.")
                    continue
            given[a.pk] = services.AnswerInput(
                score=score,
                not_applicable=na,
                note=request.POST.get(f"note-{a.pk}", ""),
                photo=request.FILES.get(f"photo-{a.pk}"),
            )
        if not errors:
            try:
                services.assessment_record_answers(actor=request.user, assessment=assessment, answers=given)
            except ValidationError as exc:
                errors = (
                    {k: v[0] for k, v in exc.message_dict.items()}
                    if hasattr(exc, "error_dict")
                    else {"": exc.messages[0]}
                )
            else:
                messages.success(request, _("Nilai tersimpan."))
                if request.POST.get("complete"):
                    try:
                        services.assessment_complete(
                            actor=request.user, assessment=assessment, summary=request.POST.get("summary", "")
                        )
                    except ValidationError as exc:
                        messages.error(request, exc.messages[0])
                        return redirect("quality:assessment_fill", assessment.pk)
                    messages.success(request, _("Penilaian selesai."))
                    return redirect(assessment)
                return redirect("quality:assessment_fill", assessment.pk)
        answers = selectors.assessment_answers(assessment)
    rows = []
    last_section = None
    for a in answers:
        section = a.item.section
        rows.append(
            {
                "answer": a,
                "new_section": section if section.pk != last_section else None,
                "error": errors.get(f"answer-{a.pk}"),
                "posted_score": request.POST.get(f"score-{a.pk}") if request.method == "POST" else None,
            }
        )
        last_section = section.pk
    return render(
        request,
        "quality/assessment_fill.html",
        {"assessment": assessment, "rows": rows, "scores": CHECKLIST_SCORES, "errors": errors},
        status=422 if errors else 200,
    )


def assessment_photo(request: HttpRequest, pk: int, answer_pk: int) -> FileResponse:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    answer = assessment.answers.filter(pk=answer_pk).first()
    if answer is None:
        raise Http404
    return _serve(answer.photo, f"foto-{answer.pk}{_ext(answer.photo.name)}")


@require_POST
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, pk=pk, action="change")
    require_model_perm(request.user, Finding, "add")
    form = FindingForm(request.POST, checklist=assessment.checklist)
    if form.is_valid():
        try:
            finding = services.finding_create(actor=request.user, assessment=assessment, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Temuan dicatat. Tambahkan tindakan perbaikan."))
            return redirect("quality:action_create", finding.pk)
    else:
        messages.error(
            request,
            " ".join(f"{form.fields[f].label if f in form.fields else ''}: {e[0]}" for f, e in form.errors.items()),
        )
    return redirect(assessment)


class AssessmentHistoryView(ObjectHistoryView):
    model = Assessment


def batch_quality(request: HttpRequest, batch_pk: int) -> HttpResponse:
    """The before/after change of a training batch's assessments (also included in the batch page, htmx)."""
    from django.apps import apps

    require_model_perm(request.user, Assessment, "view")
    Batch = apps.get_model("training", "Batch")
    batch = scoped_get_or_404(Batch.objects.select_related("region"), request.user, batch_pk)
    context = {
        "batch": batch,
        "data": selectors.batch_comparison(user=request.user, batch=batch),
        "can_assess": request.user.has_perm("quality.add_assessment"),
    }
    if (request.htmx and not request.htmx.boosted) or request.GET.get("bagian") == "1":
        return render(request, "quality/partials/batch_quality.html", context)
    return render(request, "quality/batch_quality.html", context)


# --- Corrective actions -------------------------------------------------------------------------------------


def action_list(request: HttpRequest) -> HttpResponse:
    require_model_perm(request.user, CorrectiveAction, "view")
    today = _today()
    overdue = request.GET.get("terlambat") == "1"
    status = request.GET.get("status", "")
    mine = request.GET.get("saya") == "1"
    qs = ActionFilterSet(request.GET, queryset=selectors.action_list(user=request.user), request=request).qs
    page = _page(request, qs, ["due_on", "id"])
    return render(
        request,
        "quality/action_list.html",
        {
            "page": page,
            "today": today,
            "overdue": overdue,
            "status": status,
            "mine": mine,
            "statuses": ActionStatus.choices,
        },
    )


class ActionCreateView(ObjectEditView):
    """A corrective action for one finding, by those who may change the finding's assessment."""

    model = CorrectiveAction
    form_class = ActionForm
    template_name = "quality/action_form.html"
    add_permission = "add"
    created_message = gettext_lazy("Tindakan perbaikan dicatat.")

    def get_object(self) -> None:
        finding_qs = Finding.objects.select_related("assessment__business")
        self.finding = scoped_get_or_404(finding_qs, self.request.user, self.kwargs["finding_pk"])
        changeable = Assessment.objects.visible_to(self.request.user, "change")
        if not changeable.filter(pk=self.finding.assessment_id).exists():
            raise Http404

    def get_initial(self) -> dict[str, Any]:
        return {"due_on": _today() + dt.timedelta(days=30)}

    def get_form_kwargs(self) -> dict[str, Any]:
        responsible = services.responsible_choices(self.finding.assessment.business)
        return super().get_form_kwargs() | {"responsible_qs": responsible}

    def save(self, form: Any) -> CorrectiveAction:
        return services.action_create(actor=self.request.user, finding=self.finding, **form.cleaned_data)

    def get_success_url(self, saved: CorrectiveAction) -> str:
        return self.finding.assessment.get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(finding=self.finding, **kwargs)


def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    can_change = CorrectiveAction.objects.visible_to(request.user, "change").filter(pk=pk).exists()
    transitions = services.action_allowed_transitions(action, request.user) if can_change else []
    return render(
        request,
        "quality/action_detail.html",
        {
            "action": action,
            "transitions": [(t, ActionStatus(t).label) for t in transitions],
            "form": TransitionForm(initial={"version": action.version}),
            "today": _today(),
        },
    )


@require_POST
def action_transition(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk, action="change")
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Permintaan tidak lengkap. Muat ulang halaman."))
        return redirect(action)
    try:
        services.action_transition(
            actor=request.user,
            action=action,
            to=form.cleaned_data["to"],
            note=form.cleaned_data.get("note") or "",
            expected_version=form.cleaned_data.get("version"),
        )
    except ConflictError as exc:  # another user changed the action since this page was opened: nothing written
        return conflict_page(request, exc, back_url=action.get_absolute_url(), title=_("Status tidak diubah"))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(action)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(action)
    messages.success(request, _('Status diubah menjadi "{s}".').format(s=action.get_status_display()))
    return redirect(action)


class ActionHistoryView(ObjectHistoryView):
    model = CorrectiveAction


# --- INDI 4.0 -----------------------------------------------------------------------------------------------


def indi_overview(request: HttpRequest) -> HttpResponse:
    """Aggregates per region and centre, and the list of assessments (keyset)."""
    require_model_perm(request.user, IndiAssessment, "view")
    filterset = IndiFilterSet(request.GET or None, queryset=selectors.indi_list(user=request.user), request=request)
    status = request.GET.get("status", "")
    page = _page(request, filterset.qs, ["-created_at", "-id"])
    own = []
    if request.user.scope.kind == "owner":
        own = list(Business.objects.visible_to(request.user).alive().order_by("name")[:10])
    return render(
        request,
        "quality/indi_overview.html",
        {
            "page": page,
            "filterset": filterset,
            "aggregates": selectors.indi_aggregates(user=request.user),
            "levels": INDI_LEVELS,
            "status": status,
            "statuses": IndiStatus.choices,
            "own_businesses": own,
        },
    )


@require_POST
def indi_start(request: HttpRequest, business_pk: int) -> HttpResponse:
    require_model_perm(request.user, IndiAssessment, "add")
    business = _business_for(request, business_pk)
    try:
        assessment = services.indi_start(actor=request.user, business=business)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("quality:business_quality", business.pk)
    return redirect("quality:indi_step", assessment.pk, 1)


def indi_step(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    """One question per card (phone first): answer, then the next card; the last step reviews and submits."""
    assessment = selectors.indi_get(user=request.user, pk=pk, action="change")
    if assessment.status == IndiStatus.VERIFIED:
        return redirect(assessment)
    questions = list(IndiQuestion.objects.filter(pillar__version=assessment.questionnaire).select_related("pillar"))
    total = len(questions)
    if step < 1 or step > total + 1:
        raise Http404
    answers = {a.question_id: a for a in assessment.answers.all()}
    if step == total + 1:
        return _indi_review(request, assessment, questions, answers)
    question = questions[step - 1]
    existing = answers.get(question.pk)
    form = IndiAnswerForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"score": existing.score if existing else None, "note": existing.note if existing else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.indi_answer(
                actor=request.user,
                assessment=assessment,
                question=question,
                score=form.cleaned_data["score"],
                note=form.cleaned_data.get("note") or "",
                evidence=form.cleaned_data.get("evidence"),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            target = step - 1 if request.POST.get("back") else step + 1
            return redirect("quality:indi_step", assessment.pk, max(1, target))
    options = question.options or []
    choices = [
        {"value": i, "label": INDI_LEVELS[i][1], "text": options[i] if i < len(options) else "", "id": f"score-{i}"}
        for i in range(5)
    ]
    return render(
        request,
        "quality/indi_step.html",
        {
            "assessment": assessment,
            "question": question,
            "form": form,
            "step": step,
            "total": total,
            "percent": int((step - 1) * 100 / total),
            "choices": choices,
            "current": form.data.get("score") if form.is_bound else (existing.score if existing else None),
            "existing": existing,
        },
        status=422 if form.is_bound and form.errors else 200,
    )


def _indi_review(request: HttpRequest, assessment: IndiAssessment, questions: list, answers: dict) -> HttpResponse:
    missing = [i + 1 for i, q in enumerate(questions) if q.pk not in answers]
    if request.method == "POST" and assessment.status == IndiStatus.DRAFT:
        try:
            services.indi_submit(actor=request.user, assessment=assessment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Penilaian INDI 4.0 terkirim. Terima kasih!"))
            return redirect(assessment)
    rows = [(i + 1, q, answers.get(q.pk)) for i, q in enumerate(questions)]
    return render(
        request,
        "quality/indi_review.html",
        {"assessment": assessment, "rows": rows, "missing": missing, "total": len(questions)},
    )


def indi_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.indi_get(user=request.user, pk=pk)
    previous = selectors.indi_previous(assessment)
    rows = selectors.indi_pillar_rows(assessment, previous)
    series = [Series(_("Penilaian ini"), [r.score for r in rows])]
    if previous:
        series.append(Series(_("Penilaian sebelumnya"), [r.previous for r in rows]))
    chart = (
        radar_svg([r.short_name for r in rows], series, title=_("Radar INDI 4.0 per pilar"))
        if assessment.overall is not None
        else ""
    )
    can_change = IndiAssessment.objects.visible_to(request.user, "change").filter(pk=pk).exists()
    can_verify = (
        can_change
        and request.user.has_perm("quality.verify_indiassessment")
        and assessment.status == IndiStatus.SUBMITTED
    )
    history = (
        IndiAssessment.objects.visible_to(request.user)
        .scored()
        .filter(business_id=assessment.business_id)
        .order_by("-created_at", "-id")[:12]
    )
    return render(
        request,
        "quality/indi_detail.html",
        {
            "assessment": assessment,
            "previous": previous,
            "rows": rows,
            "chart": chart,
            "level_name": indi_level_name(assessment.overall),
            "overall_change": change(assessment.overall, previous.overall if previous else None),
            "answers": selectors.indi_answers(assessment),
            "advice": selectors.indi_advice(assessment, rows) if assessment.overall is not None else [],
            "can_change": can_change and assessment.status != IndiStatus.VERIFIED,
            "can_verify": can_verify,
            "verify_form": IndiVerifyForm(),
            "history": history,
        },
    )


@require_POST
def indi_verify(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.indi_get(user=request.user, pk=pk, action="change")
    form = IndiVerifyForm(request.POST)
    form.is_valid()
    try:
        services.indi_verify(actor=request.user, assessment=assessment, note=form.cleaned_data.get("note", ""))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Penilaian INDI 4.0 diverifikasi."))
    return redirect(assessment)


def indi_evidence(request: HttpRequest, pk: int, answer_pk: int) -> FileResponse:
    assessment = selectors.indi_get(user=request.user, pk=pk)
    answer = assessment.answers.filter(pk=answer_pk).first()
    if answer is None:
        raise Http404
    return _serve(answer.evidence, f"bukti-{answer.pk}{_ext(answer.evidence.name)}")


class IndiHistoryView(ObjectHistoryView):
    model = IndiAssessment
