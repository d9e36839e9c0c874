"""Upload checks: the type is read from the file's first bytes (never trusted from the name or the browser)."""

from __future__ import annotations

from typing import Any

from sentra.core.uploads import DOCUMENTS, PHOTOS, validate_upload

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

#: (magic prefix, offset check, content type, allowed kinds)
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
DOCUMENT_TYPES = ("application/pdf", *PHOTO_TYPES)


def sniff(head: bytes) -> str | None:
    """The content type that the first bytes prove, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def check_upload(upload: Any, kind: str) -> str:
    """Return the proven content type of ``upload`` or raise a clear Indonesian message (``sentra.core.uploads``)."""
    kinds = PHOTOS if kind == "photo" else DOCUMENTS
    return validate_upload(upload, kinds, max_bytes=MAX_UPLOAD_BYTES).content_type
