"""Answers taken offline on a phone and sent when the connection returns (``static/sentra/offline.js``).

The phone keeps each answer in IndexedDB with the ``version`` of the record its page showed and ``was``, the
value the page showed. On reconnecting it posts them one by one as JSON to the app's sync URL, whose view finds
the record in the user's scope (404 outside it) and hands the answer to :func:`replay`, which writes through
the app's service: the one write path, with its checks, versioning and audit.

A stale version is not by itself a conflict: the participant row is the lock for every mark of a participant,
so another officer marking day 2 makes the trainer's queued day-1 mark stale. When the stored value is still
what the page showed (or already what the user wants), the answer is applied on the current version. When
someone else changed this very value, the answer is refused with 409 and both values, and the phone asks the
user which one to keep; nothing is overwritten silently.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from sentra.core.errors import ConflictError
from sentra.core.versioning import format_moment


class BadAnswer(ValueError):
    """The posted answer cannot be read (not JSON, a field missing or of the wrong type)."""


def read_answer(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise BadAnswer(_("Jawaban tidak dapat dibaca.")) from None
    if not isinstance(data, dict):
        raise BadAnswer(_("Jawaban tidak dapat dibaca."))
    return data


def int_field(data: dict[str, Any], name: str) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadAnswer(_("Jawaban tidak lengkap: {name} tidak ada.").format(name=name))
    return value


@dataclass(frozen=True)
class Answer:
    """One queued answer: what the user wants, what the page showed, and the record's version it showed."""

    wanted: Any
    was: Any
    version: int | None


def replay(
    answer: Answer,
    *,
    stored: Callable[[], tuple[Any, int]],
    apply: Callable[[int | None], int],
    show: Callable[[Any], str],
) -> JsonResponse:
    """Write ``answer`` with ``apply(expected_version)`` (returns the new version), or answer why not.

    ``stored()`` reads the value (as JSON: what the phone sends back as ``was``) and the version stored now;
    ``show`` formats a value for people.
    """
    try:
        try:
            return saved(apply(answer.version))
        except ConflictError as exc:
            now, version = stored()
            if now == answer.wanted:
                return saved(version)  # someone already recorded what this user wants: nothing to write
            if now != answer.was:
                return conflict(exc, now=now, yours=answer.wanted, show=show, version=version)
            return saved(apply(version))  # only other values of the record changed: this one is still theirs
    except ConflictError as exc:  # changed again between the read and the write: let the user look
        now, version = stored()
        return conflict(exc, now=now, yours=answer.wanted, show=show, version=version)
    except PermissionDenied as exc:
        return refused(str(exc) or _("Anda tidak berhak menyimpan jawaban ini."), status=403)
    except ValidationError as exc:
        return refused(" ".join(exc.messages))


def saved(version: int) -> JsonResponse:
    return JsonResponse({"status": "saved", "version": version})


def refused(message: str, *, status: int = 400) -> JsonResponse:
    """Bad input or a rule of the service: nothing was written; the phone shows the message."""
    return JsonResponse({"status": "invalid", "message": message}, status=status)


def conflict(exc: ConflictError, *, now: Any, yours: Any, show: Callable[[Any], str], version: int) -> JsonResponse:
    """409 with both values for people, and the stored value and version to base "keep mine" on."""
    if exc.since:
        message = _("Diubah oleh {user} pada {time} saat Anda offline.").format(
            user=exc.since[0].actor, time=format_moment(exc.since[0].at)
        )
    else:
        message = _("Diubah oleh pengguna lain saat Anda offline.")
    return JsonResponse(
        {
            "status": "conflict",
            "message": message,
            "theirs": show(now),
            "yours": show(yours),
            "stored": now,
            "version": version,
        },
        status=409,
    )
