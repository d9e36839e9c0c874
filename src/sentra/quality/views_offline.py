"""INDI 4.0 answers the owner gave offline, sent when the phone is back online (``core.offline``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.core.offline import Answer, BadAnswer, int_field, read_answer, refused, replay, saved
from sentra.quality import selectors, services
from sentra.quality.choices import IndiStatus
from sentra.quality.models import IndiAnswer, IndiAssessment, IndiQuestion


@require_POST
def indi_offline_sync(request: HttpRequest, pk: int) -> JsonResponse:
    """One queued step: ``{"kind": "answer", "question": …, "score": 0–4, "note": …}`` or ``{"kind": "submit"}``."""
    assessment = selectors.indi_get(user=request.user, pk=pk, action="change")
    try:
        data = read_answer(request)
        if data.get("kind") == "answer":
            return _answer(request, assessment, data)
        if data.get("kind") == "submit":
            return _submit(request, assessment)
        raise BadAnswer(_("Jawaban tidak dapat dibaca."))
    except BadAnswer as exc:
        return refused(str(exc))


def _answer(request: HttpRequest, assessment: IndiAssessment, data: dict[str, Any]) -> JsonResponse:
    question = get_object_or_404(
        IndiQuestion.objects.select_related("pillar"),
        pk=int_field(data, "question"),
        pillar__version_id=assessment.questionnaire_id,
    )
    score = int_field(data, "score")
    note = data.get("note") or ""
    if not isinstance(note, str):
        raise BadAnswer(_("Jawaban tidak lengkap: {name} tidak ada.").format(name="note"))
    note = note.strip()[:500]
    was = data.get("was")

    def stored() -> tuple[list[Any] | None, int]:
        answer = (
            IndiAnswer.objects.filter(assessment=assessment, question=question).values_list("score", "note").first()
        )
        version = IndiAssessment.objects.values_list("version", flat=True).get(pk=assessment.pk)
        return (list(answer) if answer else None), version

    def apply(version: int | None) -> int:
        services.indi_answer(
            actor=request.user,
            assessment=assessment,
            question=question,
            score=score,
            note=note,
            expected_version=version,
        )
        return assessment.version

    def show(value: list[Any] | None) -> str:
        if value is None:
            return _("belum dijawab")
        text = _("tingkat {score}").format(score=value[0])
        return f"{text} ({value[1]})" if value[1] else text

    return replay(
        Answer(wanted=[score, note], was=was if isinstance(was, list) else None, version=int_field(data, "version")),
        stored=stored,
        apply=apply,
        show=show,
    )


def _submit(request: HttpRequest, assessment: IndiAssessment) -> JsonResponse:
    """Sent after the answers: an assessment someone already submitted is no conflict, there is nothing to choose."""
    if assessment.status != IndiStatus.DRAFT:
        return saved(assessment.version)
    try:
        services.indi_submit(actor=request.user, assessment=assessment)
    except PermissionDenied as exc:
        return refused(str(exc), status=403)
    except ValidationError as exc:
        return refused(" ".join(exc.messages))
    return saved(assessment.version)
