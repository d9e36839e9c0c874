"""Domain errors raised by services, with stable codes (STYLE C)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A business rule refused the change. ``code`` is stable; the message is translated."""


class ConflictError(DomainError):
    """Optimistic lock: the record changed since the user loaded it (#10)."""

    def __init__(
        self,
        message: str,
        *,
        changed: dict[str, Any] | None = None,
        model: Any = None,
        since: list[Any] | None = None,
        more: int = 0,
    ) -> None:
        super().__init__(message, code="conflict")
        #: ``{field name: [stored now, you entered]}``; ``model`` gives the labels (``versioning.conflict_rows``).
        self.changed = changed or {}
        self.model = model
        #: Who changed the record since the user loaded it (``versioning.ConflictChange``, newest first) and how
        #: many more changes were made that are not listed.
        self.since = since or []
        self.more = more
