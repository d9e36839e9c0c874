"""Uploaded files: where they go, and checking their type by content and their size (not by the file name)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings

from sentra.core.uploads import BY_CONTENT_TYPE, validate_upload

#: Magic bytes -> (content type, extension).
_SIGNATURES: list[tuple[bytes, int, str, str]] = [
    (b"%PDF-", 0, "application/pdf", "pdf"),
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"WEBP", 8, "image/webp", "webp"),
]
DOCUMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")


def max_upload_bytes() -> int:
    return int(getattr(settings, "SENTRA_QUALITY_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


def sniff(upload: Any) -> tuple[str, str] | None:
    """(content type, extension) from the first bytes of the file, or None when unknown."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    for magic, offset, content_type, ext in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            if content_type == "image/webp" and head[:4] != b"RIFF":
                continue
            return content_type, ext
    return None


def check_upload(upload: Any, allowed: tuple[str, ...]) -> tuple[str, str]:
    """(content type, extension) of ``upload`` if allowed and safe (``sentra.core.uploads``); a ValidationError otherwise."""
    kind = validate_upload(upload, [BY_CONTENT_TYPE[t].key for t in allowed], max_bytes=max_upload_bytes())
    return kind.content_type, kind.ext


def _name(prefix: str, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    ext = ext if ext in ("pdf", "jpg", "jpeg", "png", "webp") else "bin"
    return f"{prefix}/{uuid.uuid4().hex}.{ext}"


def document_upload_to(instance: Any, filename: str) -> str:
    return _name(f"mutu/sertifikat/{instance.region_id or 'x'}", filename)


def photo_upload_to(instance: Any, filename: str) -> str:
    return _name("mutu/penilaian", filename)


def evidence_upload_to(instance: Any, filename: str) -> str:
    return _name("mutu/indi", filename)
