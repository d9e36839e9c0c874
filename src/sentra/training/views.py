"""Training pages. Views parse input, call one selector or service, and render (STYLE C)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sentra.core.errors import ConflictError
from sentra.core.forms import add_service_errors as _add_errors
from sentra.core.object_views import ObjectDeleteView, ObjectEditView
from sentra.core.parsing import parse_number
from sentra.core.querysets import scoped_get_or_404
from sentra.core.validators import mask_nik, mask_phone
from sentra.core.versioning import conflict_page, conflict_rows, form_conflict
from sentra.core.views import ObjectHistoryView, ObjectListView, require_model_perm
from sentra.registry.choices import Gender
from sentra.registry.models import Owner
from sentra.training import documents, ratelimit, selectors, services
from sentra.training.calendar import skipped_days
from sentra.training.choices import BatchStatus, ParticipantResult, ParticipantStatus
from sentra.training.forms import (
    ApplicationForm,
    BatchForm,
    DecisionForm,
    EvaluationForm,
    ExternalTrainerForm,
    FollowUpForm,
    ModuleForm,
    ProgrammeForm,
    ReasonForm,
    RegisterExistingForm,
    RegisterNewForm,
    SessionForm,
)
from sentra.training.models import Attendance, Batch, Certificate, FollowUp, Module, Participant, Programme, Session

#: Public pages that take input from anyone (the application form, the certificate check): at most this many
#: requests per IP address per hour, each page counted on its own.
APPLY_LIMIT = 5
APPLY_WINDOW = 3600
#: ... and at most this many applications per class per hour from all addresses together, so that requests
#: spread over many addresses still cannot flood one class's selection list.
APPLY_BATCH_LIMIT = 60


def _fail(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, str(exc) or _("Anda tidak memiliki izin untuk tindakan ini."))


# --- Programmes ---------------------------------------------------------------------------------------------


class ProgrammeListView(ObjectListView):
    model = Programme
    template_name = "training/programme_list.html"
    orderings = {"title": ["title", "id"]}
    default_ordering = "title"

    def get_filterset(self, queryset: Any) -> Any:
        from sentra.training.filters import ProgrammeFilterSet

        return ProgrammeFilterSet(self.request.GET or None, queryset=queryset, request=self.request)

    def get_base_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.programme_list(user=self.request.user)


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(user=request.user, pk=pk)
    can_change = Programme.objects.visible_to(request.user, "change").filter(pk=pk).exists()
    module_form = ModuleForm(request.POST or None, initial={"order": programme.modules.count() + 1})
    if request.method == "POST":
        if not can_change:
            raise Http404
        if module_form.is_valid():
            try:
                services.module_add(actor=request.user, programme=programme, **module_form.cleaned_data)
            except ValidationError as exc:
                _add_errors(module_form, exc)
            else:
                messages.success(request, _("Modul ditambahkan."))
                return redirect(programme)
    modules = list(programme.modules.all())
    return render(
        request,
        "training/programme_detail.html",
        {
            "programme": programme,
            "modules": modules,
            "total_jp": sum(m.hours_jp for m in modules),
            "module_form": module_form,
            "can_change": can_change,
            "batches": programme.batches.all() if can_change else [],
        },
    )


class ProgrammeEditView(ObjectEditView):
    model = Programme
    form_class = ProgrammeForm
    template_name = "training/programme_form.html"
    context_object_name = "programme"
    selector = staticmethod(selectors.programme_get)
    form_takes_user = True
    add_permission = "add"
    created_message = gettext_lazy("Program {title} tersimpan. Tambahkan modulnya.")
    updated_message = gettext_lazy("Perubahan program tersimpan.")

    def save(self, form: Any) -> Programme:
        if self.creating:
            return services.programme_create(actor=self.request.user, **form.cleaned_data)
        return services.programme_update(
            actor=self.request.user,
            programme=self.lookup(),  # the form has written its values onto ``self.object``: the audit needs the stored row
            expected_version=form.expected_version,
            **form.domain_data("region"),
        )


class ModuleDeleteView(ObjectDeleteView):
    deleted_message = gettext_lazy("Modul dihapus.")

    def get_object(self) -> Module:
        self.programme = selectors.programme_get(user=self.request.user, pk=self.kwargs["pk"], action="change")
        return get_object_or_404(Module, pk=self.kwargs["module_pk"], programme=self.programme)

    def delete(self, obj: Module) -> None:
        services.module_delete(actor=self.request.user, module=obj)

    def get_success_url(self, obj: Module) -> str:
        return self.programme.get_absolute_url()

    get_error_url = get_success_url


# --- Batches ------------------------------------------------------------------------------------------------


class BatchListView(ObjectListView):
    model = Batch
    template_name = "training/batch_list.html"
    partial_template_name = "training/partials/batch_table.html"
    orderings = {"-start": ["-start_date", "-id"], "start": ["start_date", "id"]}
    default_ordering = "-start"

    def get_filterset(self, queryset: Any) -> Any:
        from sentra.training.filters import BatchFilterSet

        return BatchFilterSet(self.request.GET or None, queryset=queryset, request=self.request)

    def get_base_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.batch_list(user=self.request.user)


class BatchHistoryView(ObjectHistoryView):
    model = Batch


def _batch_form_data(form: BatchForm) -> dict[str, Any]:
    data = form.domain_data()
    data.pop("trainers", None)
    data.pop("eligible_regions", None)
    return data


class BatchEditView(ObjectEditView):
    model = Batch
    form_class = BatchForm
    template_name = "training/batch_form.html"
    context_object_name = "batch"
    selector = staticmethod(selectors.batch_get)
    form_takes_user = True
    add_permission = "add"
    created_message = gettext_lazy("Kelas {name} tersimpan dengan {days} hari pelatihan.")
    updated_message = gettext_lazy("Perubahan kelas tersimpan.")

    def get_initial(self) -> dict[str, Any]:
        if not self.creating:
            return {}
        initial = {"organiser": settings.SENTRA_AGENCY_NAME}
        if self.request.GET.get("program"):
            initial["programme"] = self.request.GET["program"]
        return initial

    def save(self, form: Any) -> Batch:
        people = {
            "trainers": list(form.cleaned_data["trainers"]),
            "eligible_regions": list(form.cleaned_data["eligible_regions"]),
        }
        if self.creating:
            return services.batch_create(actor=self.request.user, **people, **_batch_form_data(form))
        return services.batch_update(
            actor=self.request.user,
            # the form has written its values onto ``self.object``: the audit needs the stored row
            batch=Batch.objects.visible_to(self.request.user, "change").get(pk=self.object.pk),
            expected_version=form.expected_version,
            **people,
            **{k: v for k, v in _batch_form_data(form).items() if k != "region"},
        )

    def get_message_values(self, saved: Batch) -> dict[str, Any]:
        return {"name": saved.name, "days": saved.days.count()}


def _batch_perms(user: Any, batch: Batch) -> dict[str, bool]:
    officer = Batch.objects.visible_to(user, "change").filter(pk=batch.pk).exists()
    return {
        "can_change": officer,
        "can_attend": user.has_perm("training.take_attendance_batch"),
        "can_score": officer and user.has_perm("training.change_participant"),
        "can_issue": officer and user.has_perm("training.issue_certificates_batch"),
        "can_report": user.has_perm("training.report_batch"),
        "can_followup": officer and user.has_perm("training.add_followup"),
        "can_see_evaluation": user.has_perm("training.view_evaluationresponse"),
    }


def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    days = list(batch.days.all())
    participants = list(
        selectors.participants(user=request.user, batch=batch).annotate(
            present_days=Count("attendance", filter=Q(attendance__present=True)), followup_count=Count("followups")
        )
    )
    counts = {s: 0 for s in ParticipantStatus.values}
    for p in participants:
        counts[p.status] += 1
    perms = _batch_perms(request.user, batch)
    modules = list(batch.programme.modules.all())
    # The pass rule, stated on the page, and each failed result with its reasons (computed, not in the template).
    pass_rule = batch.programme.pass_rule(len(days))
    for p in participants:
        p.pass_check = pass_rule.check(present_days=p.present_days, post_test=p.post_test) if p.result else None
        p.result_stale = p.pass_check is not None and p.pass_check.passed != (p.result == ParticipantResult.PASSED)
    results = services.results_summary(batch)
    context = {
        "batch": batch,
        "days": days,
        "participants": participants,
        "counts": counts,
        "seats": batch.seats(),
        "pass_rule": pass_rule,
        "results": results,
        "certificates_blocked": services.certificates_blocked_reason(batch, results),
        "total_jp": sum(m.hours_jp for m in modules),
        "outcomes": services.outcomes(batch) if perms["can_change"] else None,
        "answer_rates": selectors.batch_answer_rates(user=request.user, batch=batch) if perms["can_change"] else None,
        "followup_missing": selectors.followup_missing(user=request.user, batch=batch) if perms["can_change"] else [],
        "skipped": skipped_days(batch.start_date, batch.end_date),
        "decision_form": DecisionForm(),
        # The paste box and the enrolment import: officers of the class's region only.
        "can_enrol": perms["can_change"] and request.user.has_perm("training.add_participant"),
        "my_participation": next(
            (p for p in participants if p.owner is not None and p.owner.user_id == request.user.pk), None
        ),
        **perms,
    }
    return render(request, "training/batch_detail.html", context)


def batch_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """The schedule of sessions per day, and (for officers) adding sessions and external trainers."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    can_change = Batch.objects.visible_to(request.user, "change").filter(pk=pk).exists()
    session_form = SessionForm(request.POST or None, batch=batch, prefix="s")
    trainer_form = ExternalTrainerForm(request.POST or None, prefix="t")
    if request.method == "POST":
        if not can_change:
            raise Http404
        which = request.POST.get("form")
        try:
            if which == "trainer" and trainer_form.is_valid():
                services.external_trainer_add(actor=request.user, batch=batch, **trainer_form.cleaned_data)
                messages.success(request, _("Narasumber ditambahkan."))
                return redirect("training:batch_schedule", pk=pk)
            if which == "session" and session_form.is_valid():
                services.session_add(actor=request.user, batch=batch, **session_form.cleaned_data)
                messages.success(request, _("Sesi ditambahkan."))
                return redirect("training:batch_schedule", pk=pk)
        except ValidationError as exc:
            _add_errors(session_form if which == "session" else trainer_form, exc)
    return render(
        request,
        "training/batch_schedule.html",
        {"batch": batch, "session_form": session_form, "trainer_form": trainer_form, "can_change": can_change},
    )


class SessionDeleteView(ObjectDeleteView):
    deleted_message = gettext_lazy("Sesi dihapus.")

    def get_object(self) -> Session:
        batch = selectors.batch_get(user=self.request.user, pk=self.kwargs["pk"], action="change")
        return get_object_or_404(Session, pk=self.kwargs["session_pk"], day__batch=batch)

    def delete(self, obj: Session) -> None:
        services.session_delete(actor=self.request.user, session=obj)

    def get_success_url(self, obj: Session) -> str:
        return reverse("training:batch_schedule", kwargs={"pk": self.kwargs["pk"]})

    get_error_url = get_success_url


# --- Participants -------------------------------------------------------------------------------------------


def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk, action="change")
    require_model_perm(request.user, Participant, "add")
    which = request.POST.get("form") if request.method == "POST" else None
    existing = RegisterExistingForm(
        request.POST if which == "existing" else None, user=request.user, batch=batch, prefix="e"
    )
    new = RegisterNewForm(request.POST if which == "new" else None, prefix="n")
    query = request.GET.get("q", "").strip()
    candidates = []
    if query:
        candidates = list(existing.fields["owner"].queryset.search(query).prefetch_related("ownerships__business")[:20])
    if which == "existing" and existing.is_valid():
        try:
            participant = services.participant_register(
                actor=request.user,
                batch=batch,
                owner=existing.cleaned_data["owner"],
                business=existing.cleaned_data.get("business"),
                accept=existing.cleaned_data.get("accept", False),
            )
        except ValidationError as exc:
            _add_errors(existing, exc)
        else:
            messages.success(
                request,
                _("{name} terdaftar ({status}).").format(
                    name=participant.owner.full_name, status=participant.get_status_display()
                ),
            )
            return redirect("training:participant_add", pk=pk)
    if which == "new" and new.is_valid():
        data = dict(new.cleaned_data)
        accept = data.pop("accept", False)
        plan = data.pop("business_plan")
        try:
            participant = services.participant_register_new_person(
                actor=request.user, batch=batch, accept=accept, business_plan=plan, **data
            )
        except ValidationError as exc:
            _add_errors(new, exc)
        except PermissionDenied as exc:
            new.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("{name} dicatat di registri dan terdaftar ({status}).").format(
                    name=participant.owner.full_name, status=participant.get_status_display()
                ),
            )
            return redirect("training:participant_add", pk=pk)
    return render(
        request,
        "training/participant_add.html",
        {"batch": batch, "existing": existing, "new": new, "query": query, "candidates": candidates},
    )


def participant_review(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """One application, the identity as typed beside the registry people it may be (inside the officer's scope):
    the officer matches it to one of them, or registers the applicant as a new person, then decides."""
    batch = selectors.batch_get(user=request.user, pk=pk, action="change")
    participant = selectors.participant_get(user=request.user, batch=batch, pk=participant_pk, action="change")
    query = request.GET.get("q", "").strip()[:100]
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            if action == "match":
                owner = scoped_get_or_404(Owner.objects.alive(), request.user, request.POST.get("owner"))
                participant = services.participant_match(
                    actor=request.user, participant=participant, owner=owner, expected_version=version
                )
                messages.success(
                    request, _("Pendaftar dicocokkan dengan {name}.").format(name=participant.owner.full_name)
                )
            elif action == "register":
                participant = services.participant_register_applicant(
                    actor=request.user, participant=participant, expected_version=version
                )
                messages.success(
                    request,
                    _("{name} didaftarkan di registri sebagai pelaku usaha baru.").format(
                        name=participant.owner.full_name
                    ),
                )
            else:
                raise ValidationError(_("Pilih tindakan: cocokkan atau daftarkan sebagai pelaku usaha baru."))
        except ConflictError as exc:
            return conflict_page(request, exc, back_url=request.path)
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
            status = 400
        else:
            return redirect("training:participant_review", pk=pk, participant_pk=participant.pk)
    candidates = services.application_candidates(user=request.user, participant=participant)
    found: list[Owner] = []
    if query and participant.owner_id is None:
        found = list(
            Owner.objects.visible_to(request.user)
            .alive()
            .search(query)
            .select_related("region")
            .prefetch_related("ownerships__business")[:10]
        )
    context = {
        "batch": batch,
        "participant": participant,
        "candidates": candidates,
        "found": found,
        "query": query,
        "compared": _compared(participant, participant.owner) if participant.owner_id else None,
        "compare_rows": [(c, _compared(participant, c)) for c in {o.pk: o for o in [*candidates, *found]}.values()],
    }
    return render(request, "training/participant_review.html", context, status=status)


def _compared(participant: Participant, owner: Owner) -> list[dict[str, Any]]:
    """Typed value vs registry value, field by field; NIK and phone masked on both sides, with whether they agree."""

    def gender(value: str) -> str:
        return str(Gender(value).label) if value in Gender.values else value

    def same(a: Any, b: Any) -> bool | None:
        if not a or not b:
            return None
        return str(a).strip().casefold() == str(b).strip().casefold()

    rows = [
        (_("Nama"), participant.applicant_name, owner.full_name, None, None),
        (_("NIK"), participant.applicant_nik, owner.nik, mask_nik, None),
        (_("Tanggal lahir"), participant.applicant_birth_date, owner.birth_date, None, "j F Y"),
        (_("Jenis kelamin"), participant.applicant_gender, owner.gender, gender, None),
        (_("Telepon"), participant.applicant_phone, owner.phone, mask_phone, None),
        (_("Surel"), participant.applicant_email, owner.email, None, None),
        (_("Domisili"), participant.applicant_region, owner.region, None, None),
        (_("Alamat"), participant.applicant_address, owner.address, None, None),
    ]
    out = []
    for label, typed, stored, mask, date_format in rows:
        out.append(
            {
                "label": label,
                "typed": mask(typed) if mask and typed else typed,
                "stored": mask(stored) if mask and stored else stored,
                "date_format": date_format,
                "masked": mask in (mask_nik, mask_phone),  # long digit runs: may break anywhere on a phone
                "same": same(typed, stored),
            }
        )
    return out


@require_POST
def participant_paste(request: HttpRequest, pk: int) -> HttpResponse:
    """The class page's paste box: the pasted lines become a list for the enrolment import (the same kind, preview
    and job as a file), and the officer goes on to its preview."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sentra.core.importing.readers import FileRefused
    from sentra.core.importing.service import import_upload
    from sentra.training.imports import pasted_list_csv

    batch = selectors.batch_get(user=request.user, pk=pk, action="change")
    require_model_perm(request.user, Participant, "add")
    try:
        content = pasted_list_csv(request.POST.get("daftar", ""))
        job = import_upload(
            actor=request.user,
            kind_key="training_enrolment",
            upload=SimpleUploadedFile("daftar-tempel.csv", content, content_type="text/csv"),
            options={"batch": str(batch.pk)},
            line_offset=-1,  # the header line above the pasted lines: row numbers are the pasted lines
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except FileRefused as exc:
        messages.error(request, exc.message)
    else:
        return redirect("core:import_preview", pk=job.pk)
    return redirect(reverse("training:batch_detail", args=[pk]) + "#tempel")


@require_POST
def participant_decide(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk, action="change")
    participant = selectors.participant_get(user=request.user, batch=batch, pk=participant_pk, action="change")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih keputusan: terima, daftar tunggu atau tolak."))
        return redirect(batch)
    try:
        services.participant_decide(
            actor=request.user,
            participant=participant,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            expected_version=form.expected_version,
        )
    except ConflictError as exc:
        return conflict_page(request, exc, back_url=f"{batch.get_absolute_url()}#peserta")
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        participant.refresh_from_db()
        messages.success(
            request,
            _("{name}: {status}.").format(name=participant.display_name, status=participant.get_status_display()),
        )
    return redirect(f"{batch.get_absolute_url()}#peserta")


@require_POST
def participant_withdraw(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk, action="change")
    participant = selectors.participant_get(user=request.user, batch=batch, pk=participant_pk, action="change")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan pengunduran diri."))
        return redirect(batch)
    try:
        promoted = services.participant_withdraw(
            actor=request.user,
            participant=participant,
            reason=form.cleaned_data["reason"],
            expected_version=form.expected_version,
        )
    except ConflictError as exc:  # decided, marked or withdrawn by someone else since the page was opened
        return conflict_page(request, exc, back_url=f"{batch.get_absolute_url()}#peserta")
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("{name} mengundurkan diri.").format(name=participant.display_name))
        if promoted:
            messages.info(
                request,
                _("Tempatnya diberikan kepada {name} dari daftar tunggu; pemberitahuan telah dikirim.").format(
                    name=promoted.owner.full_name
                ),
            )
    return redirect(f"{batch.get_absolute_url()}#peserta")


# --- Attendance ---------------------------------------------------------------------------------------------


def _attendance_context(request: HttpRequest, batch: Batch) -> dict[str, Any]:
    accepted = list(
        Participant.objects.filter(batch=batch, status=ParticipantStatus.ACCEPTED)
        .select_related("owner", "certificate")
        .order_by("owner__full_name", "id")
    )
    marks = {
        (a.participant_id, a.day_id): a.present
        for a in Attendance.objects.filter(participant__batch=batch).only("participant_id", "day_id", "present")
    }
    return {"batch": batch, "participants": accepted, "marks": marks}


def attendance_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """All days × participants (desktop); each cell is the same htmx toggle as on the phone page."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    if not request.user.has_perm("training.take_attendance_batch"):
        raise Http404
    context = _attendance_context(request, batch)
    days = list(batch.days.all())
    rows = []
    for p in context["participants"]:
        cells = [{"day": d, "present": context["marks"].get((p.pk, d.pk))} for d in days]
        rows.append({"participant": p, "cells": cells, "present": sum(1 for c in cells if c["present"])})
    pass_rule = batch.programme.pass_rule(len(days))
    return render(
        request, "training/attendance_grid.html", {**context, "days": days, "rows": rows, "pass_rule": pass_rule}
    )


def attendance_day(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Roll call for one day, made for a phone in class: one big button per participant."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    if not request.user.has_perm("training.take_attendance_batch"):
        raise Http404
    days = list(batch.days.all())
    day = next((d for d in days if d.number == number), None)
    if day is None:
        raise Http404
    context = _attendance_context(request, batch)
    rows = [{"participant": p, "present": context["marks"].get((p.pk, day.pk))} for p in context["participants"]]
    present = sum(1 for r in rows if r["present"])
    return render(
        request,
        "training/attendance_day.html",
        {
            **context,
            "day": day,
            "days": days,
            "rows": rows,
            "present_count": present,
            "pass_rule": batch.programme.pass_rule(len(days)),
        },
    )


@require_POST
def attendance_toggle(request: HttpRequest, pk: int, number: int, participant_pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    if not request.user.has_perm("training.take_attendance_batch"):
        raise Http404
    day = get_object_or_404(batch.days, number=number)
    participant = get_object_or_404(
        Participant.objects.select_related("owner", "batch"), pk=participant_pk, batch=batch
    )
    wanted = request.POST.get("present")
    if wanted not in ("1", "0"):
        current = Attendance.objects.filter(participant=participant, day=day).values_list("present", flat=True).first()
        wanted = "0" if current else "1"
    try:
        expected = int(request.POST["version"]) if request.POST.get("version", "").isdigit() else None
        attendance = services.attendance_set(
            actor=request.user, participant=participant, day=day, present=wanted == "1", expected_version=expected
        )
    except ConflictError as exc:
        back = reverse("training:attendance_day", kwargs={"pk": pk, "number": number})
        if not request.htmx:
            return conflict_page(request, exc, back_url=back)
        # htmx shows a 409's text; the mark stays as the other officer left it until the page is reloaded
        return HttpResponse(exc.messages[0], status=409, content_type="text/plain; charset=utf-8")
    except (ValidationError, PermissionDenied) as exc:
        if not request.htmx:
            _fail(request, exc)
            return redirect("training:attendance_day", pk=pk, number=number)
        return HttpResponse(" ".join(getattr(exc, "messages", [str(exc)])), status=409)
    if not request.htmx:
        return redirect("training:attendance_day", pk=pk, number=number)
    template = (
        "training/partials/attendance_cell.html"
        if request.POST.get("cell")
        else "training/partials/attendance_button.html"
    )
    context = {
        "batch": batch,
        "day": day,
        "row": {"participant": participant, "present": attendance.present},
        "cell": {"day": day, "present": attendance.present},
        "p": participant,
    }
    # The participant's other cells on the grid carry its version too: refresh them out of band, so this
    # officer's next mark in the row is not mistaken for a stale one.
    html = render_to_string(template, context, request=request) + render_to_string(
        "training/partials/participant_version.html", {"p": participant, "oob": True}
    )
    return HttpResponse(html)


# --- Scores, completion, certificates -------------------------------------------------------------------


def _loaded_scores(request: HttpRequest, pk: int) -> tuple[Any, Any] | None:
    """The pre/post-test a row showed when the scores page was opened (hidden fields), or None if unknown."""
    try:
        return tuple(  # type: ignore[return-value]
            parse_number(raw) if (raw := request.POST.get(f"was_{key}_{pk}", "").strip()) else None
            for key in ("pre", "post")
        )
    except ValidationError:
        return None


def scores(request: HttpRequest, pk: int) -> HttpResponse:
    """Pre-test and post-test of every accepted participant, on one form.

    Optimistic locking is per participant row (each row posts ``version_<pk>``), not per batch: two officers
    entering the marks of different participants of one class do not collide, while a row someone else saved
    since the page was opened refuses the whole save (409, nothing written, the typed values stay in the form).
    A row left as it was loaded (``was_pre_<pk>``/``was_post_<pk>``) or equal to what is stored now is not
    written, so it is no conflict either.
    """
    batch = selectors.batch_get(user=request.user, pk=pk, action="change")
    require_model_perm(request.user, Participant, "change")
    rows = list(
        Participant.objects.filter(batch=batch, status=ParticipantStatus.ACCEPTED)
        .select_related("owner", "certificate")
        .order_by("owner__full_name", "id")
    )
    errors: dict[int, str] = {}
    conflict: list[tuple[str, Any, Any]] | None = None
    versions: dict[int, int | None] = {}
    status = 200
    if request.method == "POST":
        parsed = {}
        for p in rows:
            raw_version = request.POST.get(f"version_{p.pk}", "")
            versions[p.pk] = int(raw_version) if raw_version.isdigit() else None
            values = []
            for key in ("pre", "post"):
                raw = request.POST.get(f"{key}_{p.pk}", "").strip()
                try:
                    value = parse_number(raw) if raw else None
                except ValidationError as exc:
                    errors[p.pk] = exc.messages[0]
                    value = None
                if value is not None and not (0 <= value <= 100):
                    errors[p.pk] = _("Nilai harus antara 0 dan 100.")
                values.append(value)
            parsed[p.pk] = values
        loaded = {p.pk: _loaded_scores(request, p.pk) for p in rows}
        if not errors:
            changed = 0
            try:
                from django.db import transaction

                with transaction.atomic():
                    for p in rows:
                        pre, post = parsed[p.pk]
                        if (pre, post) in ((p.pre_test, p.post_test), loaded.get(p.pk)):
                            continue  # unchanged, or left as this officer loaded it: nothing to write
                        services.scores_set(
                            actor=request.user,
                            participant=p,
                            pre_test=pre,
                            post_test=post,
                            expected_version=versions[p.pk],
                        )
                        changed += 1
            except ConflictError as exc:
                status = 409
                messages.error(request, exc.messages[0])
                name = p.owner.full_name  # the row the loop stopped at
                conflict = conflict_rows(exc)  # relabelled in place: keeps who changed the row (``since``)
                conflict[:] = [(f"{name} · {label}", theirs, yours) for label, theirs, yours in conflict]
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Nilai {n} peserta tersimpan.").format(n=changed))
                return redirect("training:scores", pk=pk)
        else:
            messages.error(
                request, _("Ada nilai yang tidak valid; tidak ada yang disimpan. Perbaiki baris bertanda merah.")
            )
    values = (
        {p.pk: (request.POST.get(f"pre_{p.pk}"), request.POST.get(f"post_{p.pk}")) for p in rows}
        if request.method == "POST"
        else {}
    )
    was = (  # kept as loaded, like the versions: a refused save is reviewed, then the page reloaded
        {p.pk: (request.POST.get(f"was_pre_{p.pk}", ""), request.POST.get(f"was_post_{p.pk}", "")) for p in rows}
        if request.method == "POST"
        else {}
    )
    return render(
        request,
        "training/scores.html",
        {
            "batch": batch,
            "rows": rows,
            "errors": errors,
            "posted": values,
            "versions": versions,
            "was": was,
            "conflict": conflict,
        },
        status=status,
    )


@require_POST
def batch_assess(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk, action="change")
    try:
        counts = services.batch_assess(actor=request.user, batch=batch)
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        rule = batch.programme.pass_rule(batch.days.count())
        messages.success(
            request,
            _("Kelulusan dihitung: {passed} lulus, {failed} tidak lulus.").format(**counts)
            + " "
            + rule.text
            + (" " + _("Alasan tiap peserta ada di kolom Hasil.") if counts["failed"] else ""),
        )
    return redirect(batch)


@require_POST
def certificates_issue(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk, action="change")
    try:
        issued = services.certificates_issue(actor=request.user, batch=batch)
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("{n} sertifikat diterbitkan.").format(n=len(issued)))
    return redirect(f"{batch.get_absolute_url()}#peserta")


def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    cert = selectors.certificate_get(user=request.user, pk=pk)
    batch = cert.participant.batch
    pdf = documents.certificate_pdf(
        cert,
        verify_url=request.build_absolute_uri(cert.get_verify_url()),
        agency=cert.organiser or settings.SENTRA_AGENCY_NAME,
        signatory_name=batch.signatory_name,
        signatory_title=batch.signatory_title,
        place=documents.place_name(str(batch.region.name)),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sertifikat-{cert.code}.pdf"'
    return response


def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    cert = selectors.certificate_get(user=request.user, pk=pk)
    batch = cert.participant.batch
    if not Batch.objects.visible_to(request.user, "change").filter(pk=batch.pk).exists():
        raise Http404
    require_model_perm(request.user, Certificate, "change")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(actor=request.user, certificate=cert, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Sertifikat {code} dicabut.").format(code=cert.code))
            return redirect(f"{batch.get_absolute_url()}#peserta")
    return render(request, "training/certificate_revoke.html", {"cert": cert, "batch": batch, "form": form})


@login_not_required
@never_cache
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: confirms a certificate by its code. Shows only the name, programme and dates (UU PDP)."""
    if not ratelimit.hit(f"verify:{ratelimit.client_ip(request)}", limit=APPLY_LIMIT, window=APPLY_WINDOW):
        return render(request, "training/verify_limited.html", status=429)
    cert = selectors.certificate_for_verification(code)
    if cert is None:
        return render(request, "training/verify_not_found.html", {"code": code}, status=404)
    return render(request, "training/verify.html", {"cert": cert})


# --- Evaluation -----------------------------------------------------------------------------------------


def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    """The anonymous trainer evaluation: a participant answers once; officers may type in paper forms."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    if not request.user.has_perm("training.add_evaluationresponse"):
        raise Http404
    mine = Participant.objects.filter(batch=batch, owner__user=request.user, status=ParticipantStatus.ACCEPTED).first()
    officer = Batch.objects.visible_to(request.user, "change").filter(pk=pk).exists()
    if mine is None and not officer:
        raise Http404
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(actor=request.user, batch=batch, answers=form.cleaned_data, participant=mine)
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Terima kasih. Jawaban Anda tersimpan tanpa nama."))
            return redirect("training:evaluation", pk=pk) if officer else redirect("training:my_trainings")
    return render(
        request,
        "training/evaluation_form.html",
        {"batch": batch, "form": form, "participant": mine, "officer": officer, "count": batch.evaluations.count()},
    )


def evaluation_results(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    if not request.user.has_perm("training.view_evaluationresponse"):
        raise Http404
    return render(
        request, "training/evaluation_results.html", {"batch": batch, "summary": services.evaluation_summary(batch)}
    )


# --- Report -------------------------------------------------------------------------------------------------


def _report(request: HttpRequest, pk: int) -> Any:
    batch = selectors.batch_get(user=request.user, pk=pk)
    if not request.user.has_perm("training.report_batch"):
        raise Http404
    return selectors.batch_report(batch)


def _report_exported(request: HttpRequest, report: dict[str, Any], ext: str) -> None:
    """The batch report lists participants by name (personal data): every download is in the audit trail."""
    from sentra.core.audit import audit_record

    audit_record(actor=request.user, action=f"training.batch.exported_{ext}", obj=report["batch"])


def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    content = documents.report_pdf(report)
    _report_exported(request, report, "pdf")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="laporan-pelaksanaan-{pk}.pdf"'
    return response


def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    content = documents.report_xlsx(report)
    _report_exported(request, report, "xlsx")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="laporan-pelaksanaan-{pk}.xlsx"'
    return response


# --- Alumni follow-up ---------------------------------------------------------------------------------


def followup(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk, action="change")
    require_model_perm(request.user, Participant, "change")
    participant = selectors.participant_get(user=request.user, batch=batch, pk=participant_pk, action="change")
    done = {f.months for f in participant.followups.all()}
    next_month = next((m for m in (3, 6, 12) if m not in done), None)
    form = FollowUpForm(request.POST or None, initial={"months": next_month, "version": participant.version})
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_record(
                actor=request.user,
                participant=participant,
                expected_version=form.expected_version,
                **form.domain_data(),
            )
        except ConflictError as exc:  # another officer recorded a follow-up (or changed the participant) meanwhile
            conflict, status = form_conflict(form, exc, user=request.user), 409
        except (ValidationError, PermissionDenied) as exc:
            _add_errors(form, exc) if isinstance(exc, ValidationError) else form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Tindak lanjut {name} tersimpan; registri diperbarui.").format(name=participant.owner.full_name),
            )
            return redirect(f"{batch.get_absolute_url()}#alumni")
    return render(
        request,
        "training/followup_form.html",
        {
            "batch": batch,
            "participant": participant,
            "form": form,
            "followups": participant.followups.all(),
            "conflict": conflict,
        },
        status=status,
    )


def followup_overview(request: HttpRequest) -> HttpResponse:
    """Answer rates of the follow-ups of every ended class in the officer's scope, to see whom to chase."""
    require_model_perm(request.user, FollowUp, "add")
    rows = selectors.followup_overview(user=request.user)
    return render(request, "training/followup_overview.html", {"rows": rows, "limit": selectors.OVERVIEW_LIMIT})


@require_POST
def followup_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Remind the alumni of a class who have not answered a due follow-up (once per alumnus and point)."""
    batch = selectors.batch_get(user=request.user, pk=pk, action="change")
    try:
        sent = services.followup_remind(actor=request.user, batch=batch)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        if sent:
            messages.success(request, _("{n} pengingat tindak lanjut dikirim.").format(n=sent))
        else:
            messages.info(
                request,
                _("Tidak ada pengingat baru: alumni yang belum menjawab sudah diingatkan atau belum memiliki akun."),
            )
    return redirect(f"{batch.get_absolute_url()}#alumni")


# --- Public application and the owner's own trainings ---------------------------------------------------


@login_not_required
def open_batches(request: HttpRequest) -> HttpResponse:
    """Public: the classes open for applications, with a link to each one's form."""
    return render(request, "training/open_batches.html", {"batches": selectors.batch_open_list()})


@login_not_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Public application form of an open batch: captcha-free, rate-limited per IP address."""
    batch = Batch.objects.select_related("programme", "region").filter(pk=pk, status=BatchStatus.OPEN).first()
    if batch is None:
        raise Http404
    form = ApplicationForm(request.POST or None, batch=batch)
    if request.method == "POST":
        ip = ratelimit.client_ip(request)
        if not ratelimit.hit(f"apply:{ip}", limit=APPLY_LIMIT, window=APPLY_WINDOW):
            return render(request, "training/apply_limited.html", {"batch": batch}, status=429)
        if not ratelimit.hit(f"apply-batch:{batch.pk}", limit=APPLY_BATCH_LIMIT, window=APPLY_WINDOW):
            return render(request, "training/apply_limited.html", {"batch": batch, "whole_class": True}, status=429)
        if form.is_valid():
            try:
                services.application_submit(batch=batch, data=form.cleaned_data, source_ip=ip)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                # The same answer for a first and a repeated application: the page tells nobody who applied.
                return render(request, "training/apply_done.html", {"batch": batch})
    return render(request, "training/apply.html", {"batch": batch, "form": form, "free": batch.seats().free})


def my_trainings(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.my_participations(user=request.user))
    return render(request, "training/my_trainings.html", {"rows": rows})
