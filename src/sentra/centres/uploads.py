"""Upload checks: the type is read from the file's first bytes (never trusted from the name or the browser)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
    """Return the proven content type of ``upload`` or raise a clear Indonesian message."""
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise ValidationError(_("Berkas kosong. Pilih berkas lain."), code="empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _(
                "Berkas terlalu besar ({size:.1f} MB). Ukuran paling besar {max} MB; perkecil foto atau pindai ulang."
            ).format(size=size / 1024 / 1024, max=MAX_UPLOAD_BYTES // 1024 // 1024),
            code="too_big",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    allowed = PHOTO_TYPES if kind == "photo" else DOCUMENT_TYPES
    if content_type not in allowed:
        if kind == "photo":
            message = _("Isi berkas bukan foto JPEG, PNG atau WebP. Unggah foto dengan salah satu jenis itu.")
        else:
            message = _(
                "Isi berkas bukan PDF atau foto (JPEG, PNG, WebP). Simpan dokumen sebagai PDF lalu unggah ulang."
            )
        raise ValidationError(message, code="bad_type")
    return content_type
