"""Roll-call marks and scores taken offline, sent when the phone is back online (``core.offline``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.core.offline import Answer, BadAnswer, int_field, read_answer, refused, replay
from sentra.core.parsing import parse_number
from sentra.core.views import require_model_perm
from sentra.training import selectors, services
from sentra.training.models import Attendance, Batch, Participant


@require_POST
def offline_sync(request: HttpRequest, pk: int) -> JsonResponse:
    """One queued answer of this class: ``{"kind": "attendance" | "scores", "participant": …, …}``."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    try:
        data = read_answer(request)
        if data.get("kind") == "attendance":
            return _attendance(request, batch, data)
        if data.get("kind") == "scores":
            return _scores(request, pk, data)
        raise BadAnswer(_("Jawaban tidak dapat dibaca."))
    except BadAnswer as exc:
        return refused(str(exc))


def _participant(batch: Batch, data: dict[str, Any]) -> Participant:
    return get_object_or_404(
        Participant.objects.select_related("owner", "batch"), pk=int_field(data, "participant"), batch=batch
    )


def _attendance(request: HttpRequest, batch: Batch, data: dict[str, Any]) -> JsonResponse:
    if not request.user.has_perm("training.take_attendance_batch"):
        raise Http404
    number = int_field(data, "day")
    day = next((d for d in batch.days.all() if d.number == number), None)
    if day is None:
        raise Http404
    participant = _participant(batch, data)
    present = data.get("present")
    if not isinstance(present, bool):
        raise BadAnswer(_("Jawaban tidak lengkap: {name} tidak ada.").format(name="present"))

    def stored() -> tuple[bool | None, int]:
        mark = Attendance.objects.filter(participant=participant, day=day).values_list("present", flat=True).first()
        return mark, Participant.objects.values_list("version", flat=True).get(pk=participant.pk)

    def apply(version: int | None) -> int:
        services.attendance_set(
            actor=request.user, participant=participant, day=day, present=present, expected_version=version
        )
        return participant.version

    def show(value: bool | None) -> str:
        return {True: _("hadir"), False: _("tidak hadir"), None: _("belum dicatat")}[value]

    was = data.get("was")
    return replay(
        Answer(wanted=present, was=was if isinstance(was, bool) else None, version=int_field(data, "version")),
        stored=stored,
        apply=apply,
        show=show,
    )


def _score(raw: Any) -> str | None:
    """A typed score as the JSON the phone compares: ``"82.50"``, or None when empty."""
    if raw is not None and not isinstance(raw, str):
        raise BadAnswer(_("Nilai harus berupa teks angka."))
    try:
        value = parse_number(raw or "")
    except ValidationError as exc:
        raise BadAnswer(exc.messages[0]) from None
    if value is None:
        return None
    if not 0 <= value <= 100:
        raise BadAnswer(_("Nilai harus antara 0 dan 100."))
    return str(value.quantize(Decimal("0.01")))


def _scores(request: HttpRequest, pk: int, data: dict[str, Any]) -> JsonResponse:
    batch = selectors.batch_get(user=request.user, pk=pk, action="change")
    require_model_perm(request.user, Participant, "change")
    participant = _participant(batch, data)
    wanted = [_score(data.get("pre")), _score(data.get("post"))]
    was = data.get("was")
    was = [_score(w) for w in was] if isinstance(was, list) and len(was) == 2 else None

    def stored() -> tuple[list[str | None], int]:
        fresh = Participant.objects.get(pk=participant.pk)
        return [_stored_score(fresh.pre_test), _stored_score(fresh.post_test)], fresh.version

    def apply(version: int | None) -> int:
        fresh = Participant.objects.select_related("owner", "batch", "certificate").get(pk=participant.pk)
        services.scores_set(
            actor=request.user, participant=fresh, pre_test=wanted[0], post_test=wanted[1], expected_version=version
        )
        return fresh.version

    def show(value: list[str | None]) -> str:
        pre, post = (parse_number(v) if v else None for v in value)
        dash = "–"
        return _("pre-test {pre}, post-test {post}").format(
            pre=_number(pre) if pre is not None else dash,
            post=_number(post) if post is not None else dash,
        )

    return replay(
        Answer(wanted=wanted, was=was, version=int_field(data, "version")),
        stored=stored,
        apply=apply,
        show=show,
    )


def _stored_score(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01")))


def _number(value: Decimal) -> str:
    from django.template.defaultfilters import floatformat

    return str(floatformat(value, "-2"))
