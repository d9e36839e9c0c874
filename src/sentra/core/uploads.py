"""One upload check for every file a user sends: size, type by content, zip bombs, macros, passwords.

The type is proven by the file's bytes, never by its name or the browser's content type. Every upload field is a
``sentra.core.uploads.UploadField(kinds=...)`` (a test walks the forms to prove it); services that receive files
from elsewhere (the API, a service called directly) call ``validate_upload`` themselves.

``save_file`` stores a file and turns a full or unwritable disk into a clear ``StorageError`` after removing
anything half-written; ``SafeFileSystemStorage`` does the same below every ``FieldFile.save``.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sentra.core.errors import DomainError


@dataclass(frozen=True)
class FileKind:
    key: str
    content_type: str
    ext: str
    label: str


KINDS: dict[str, FileKind] = {
    k.key: k
    for k in (
        FileKind("pdf", "application/pdf", "pdf", "PDF"),
        FileKind("jpeg", "image/jpeg", "jpg", "JPG"),
        FileKind("png", "image/png", "png", "PNG"),
        FileKind("webp", "image/webp", "webp", "WebP"),
        FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "XLSX"),
        FileKind("xls", "application/vnd.ms-excel", "xls", "XLS"),
        FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet", "ods", "ODS"),
        FileKind("csv", "text/csv", "csv", "CSV"),
    )
}
PHOTOS = ("jpeg", "png", "webp")
DOCUMENTS = ("pdf", *PHOTOS)
SPREADSHEETS = ("xlsx", "xls", "ods", "csv")
BY_CONTENT_TYPE = {k.content_type: k for k in KINDS.values()}

#: Storage failures that mean "the disk is full or cannot be written", not a bug.
STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EROFS, errno.EPERM, errno.EFBIG}

MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlam", ".xlsb", ".docm", ".dotm", ".pptm", ".potm", ".ppsm")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


def default_max_bytes() -> int:
    return int(getattr(settings, "SENTRA_UPLOAD_MAX_BYTES", 5 * 1024 * 1024))


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _password() -> ValidationError:
    return _refuse(
        _("Berkas dilindungi kata sandi sehingga tidak dapat diperiksa. Buka kuncinya lalu unggah ulang."), "password"
    )


def _macro() -> ValidationError:
    return _refuse(
        _(
            "Berkas berisi makro atau skrip tidak diterima. Simpan tanpa makro (mis. .xlsx atau PDF biasa) lalu unggah ulang."
        ),
        "macro",
    )


def _zip_bomb() -> ValidationError:
    return _refuse(_("Berkas ditolak: isinya mengembang jauh melebihi ukurannya (kemungkinan bom zip)."), "zip_bomb")


def _inspect_zip(fileobj: Any, size: int) -> str | None:
    try:
        archive = zipfile.ZipFile(fileobj)
    except zipfile.BadZipFile:
        raise _refuse(_("Berkas rusak dan tidak dapat dibuka. Simpan ulang lalu unggah lagi."), "corrupt") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > int(getattr(settings, "SENTRA_UPLOAD_MAX_ZIP_ENTRIES", 10_000)):
            raise _zip_bomb()
        unpacked = sum(i.file_size for i in infos)
        ratio = int(getattr(settings, "SENTRA_IMPORT_MAX_ZIP_RATIO", 200))
        limit = int(getattr(settings, "SENTRA_IMPORT_MAX_UNZIPPED_BYTES", 1024 * 1024 * 1024))
        if unpacked > limit or unpacked > max(size, 1) * ratio:
            raise _zip_bomb()
        if any(i.flag_bits & 0x1 for i in infos):
            raise _password()
        names = {i.filename for i in infos}
        lower = {n.lower() for n in names}
        if any(n.endswith("vbaproject.bin") for n in lower) or any(n.startswith("basic/") for n in lower):
            raise _macro()
        if "[Content_Types].xml" in names:
            types = archive.read("[Content_Types].xml")
            if b"macroEnabled" in types or b"vbaProject" in types:
                raise _macro()
            if "xl/workbook.xml" in names:
                return "xlsx"
            return None
        if "mimetype" in names and archive.read("mimetype").strip() == KINDS["ods"].content_type.encode():
            return "ods"
    return None


def _inspect_ole(data: bytes) -> str | None:
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        raise _password()
    if _utf16("_VBA_PROJECT") in data or _utf16("Macros") in data:
        raise _macro()
    if _utf16("Workbook") in data or _utf16("Book") in data:
        # A password-protected .xls keeps its streams but marks the workbook with a FILEPASS record (0x002F).
        if _xls_has_filepass(data):
            raise _password()
        return "xls"
    return None


def _xls_has_filepass(data: bytes) -> bool:
    """A BIFF8 FILEPASS record (type 0x002F) right after the workbook's BOF record means an encrypted .xls."""
    bof = data.find(b"\x09\x08\x10\x00\x00\x06\x05\x00")
    if bof < 0:
        return False
    position = bof + 4 + 16
    for _record in range(40):  # FILEPASS comes among the first records
        if position + 4 > len(data):
            return False
        kind = int.from_bytes(data[position : position + 2], "little")
        length = int.from_bytes(data[position + 2 : position + 4], "little")
        if kind == 0x002F:
            return True
        position += 4 + length
    return False


def _inspect_pdf(data: bytes) -> str:
    if b"/Encrypt" in data:
        raise _password()
    if b"/JavaScript" in data or b"/JS " in data or b"/JS(" in data or b"/Launch" in data or b"/EmbeddedFile" in data:
        raise _macro()
    return "pdf"


def _inspect_image(data: bytes, key: str) -> str:
    from PIL import Image

    max_pixels = int(getattr(settings, "SENTRA_UPLOAD_MAX_PIXELS", 50_000_000))
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise _refuse(
                    _("Gambar terlalu besar ({w}×{h} piksel). Perkecil foto lalu unggah ulang.").format(
                        w=width, h=height
                    ),
                    "too_many_pixels",
                )
            image.verify()
    except ValidationError:
        raise
    except Exception:  # Pillow raises many kinds of errors for damaged files, including its own bomb warning
        raise _refuse(_("Gambar rusak dan tidak dapat dibuka. Ambil ulang foto lalu unggah lagi."), "corrupt") from None
    return key


#: Control bytes that text never holds (tab, line feed and carriage return excepted): they mark a binary file.
_BINARY_CONTROL = bytes(set(range(1, 32)) - {9, 10, 13})


def _inspect_text(data: bytes) -> str | None:
    """Text counts as CSV; its encoding and shape are the import reader's to judge.

    Text is: no NUL bytes; UTF-16 with its byte-order mark; or text whose only odd bytes are NULs (UTF-16 without a
    mark, a stray NUL), which the import reader refuses naming the problem and the row. Control bytes such as
    0x01-0x08 mark a binary file.
    """
    data = data[: 1 << 20]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in data:
        return "csv"
    text = data.replace(b"\x00", b"")
    return "csv" if text and len(text.translate(None, _BINARY_CONTROL)) == len(text) else None


def _head(upload: Any, count: int) -> bytes:
    upload.seek(0)
    data = upload.read(count)
    upload.seek(0)
    return data


def sniff(upload: Any, size: int) -> str | None:
    """The kind key (``KINDS``) that the bytes prove, after the safety checks; None when unknown.

    Only what a check needs is read: PDFs and images whole (they are small), 8 MB of an OLE file, the zip
    directory of XLSX/ODS, the first megabyte of a text file.
    """
    head = _head(upload, 16)
    if head.startswith(b"%PDF-"):
        return _inspect_pdf(_head(upload, size))
    if head.startswith(b"\xff\xd8\xff"):
        return _inspect_image(_head(upload, size), "jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _inspect_image(_head(upload, size), "png")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _inspect_image(_head(upload, size), "webp")
    if head.startswith(_ZIP):
        try:
            return _inspect_zip(upload, size)
        finally:
            upload.seek(0)
    if head.startswith(_OLE):
        return _inspect_ole(_head(upload, 8 << 20))
    if head.startswith((b"MZ", b"\x7fELF", b"#!", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")):
        return None
    return _inspect_text(_head(upload, 1 << 20))


def validate_upload(upload: Any, kinds: Iterable[str], *, max_bytes: int | None = None) -> FileKind:
    """Check ``upload`` and return its proven kind, or raise a ValidationError with a clear Indonesian message."""
    allowed = [KINDS[k] for k in kinds]
    limit = max_bytes or default_max_bytes()
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    if size <= 0:
        raise _refuse(_("Berkas kosong. Pilih berkas lain."), "empty")
    if size > limit:
        raise _refuse(
            _("Berkas terlalu besar ({size}). Ukuran paling besar {limit}.").format(
                size=filesizeformat(size), limit=filesizeformat(limit)
            ),
            "too_large",
        )
    name = str(getattr(upload, "name", "") or "").lower()
    if name.endswith(MACRO_EXTENSIONS):  # refused whatever is inside: the name alone invites enabling macros
        raise _macro()
    key = sniff(upload, size)
    kind = KINDS.get(key) if key else None
    if kind is None or kind not in allowed:
        names = ", ".join(dict.fromkeys(k.label for k in allowed))
        raise _refuse(
            _("Jenis berkas tidak diterima (dilihat dari isinya, bukan namanya). Unggah berkas {names}.").format(
                names=names
            ),
            "bad_type",
        )
    return kind


class UploadField(forms.FileField):
    """A file field that runs ``validate_upload``; ``kinds`` are keys of ``KINDS``. Accepts several files with
    ``multiple=True`` (cleaned to a list)."""

    def __init__(
        self,
        *args: Any,
        kinds: Iterable[str],
        max_bytes: int | Callable[[], int] | None = None,
        multiple: bool = False,
        **kwargs: Any,
    ) -> None:
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes
        self.multiple = multiple
        accept = ",".join(KINDS[k].content_type if k != "csv" else ".csv,.txt,.tsv" for k in self.kinds)
        if "xlsx" in self.kinds:
            accept += ",.xlsx,.xls,.ods"
        widget_class = _MultipleInput if multiple else forms.ClearableFileInput
        kwargs.setdefault("widget", widget_class(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if self.multiple:
            single = super().clean
            items = data if isinstance(data, list | tuple) else ([data] if data else [])
            if not items and self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return [single(d, initial) for d in items]
        return super().clean(data, initial)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and hasattr(value, "read"):
            validate_upload(value, self.kinds, max_bytes=self.max_size)

    @property
    def max_size(self) -> int:
        """The limit now (a callable is read at every check, so settings can change it)."""
        limit = self.max_bytes() if callable(self.max_bytes) else self.max_bytes
        return limit or default_max_bytes()


class _MultipleInput(forms.ClearableFileInput):
    allow_multiple_selected = True


# --- Storing files --------------------------------------------------------------------------------------------


class StorageError(DomainError):
    """The file could not be written (disk full, read-only or no permission); nothing half-written is kept."""


def storage_error_message() -> str:
    return _(
        "Berkas tidak dapat disimpan karena ruang penyimpanan server penuh atau tidak dapat ditulis. Tidak ada data "
        "yang tersimpan; coba lagi nanti atau hubungi pengelola sistem."
    )


def is_storage_failure(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in STORAGE_ERRNOS


def save_file(field_file: Any, name: str, content: Any, *, save: bool = False) -> None:
    """``field_file.save(...)`` that turns a disk failure into ``StorageError`` (a clear form error)."""
    try:
        field_file.save(name, content, save=save)
    except OSError as exc:
        if not is_storage_failure(exc):
            raise
        raise StorageError(storage_error_message(), code="storage") from exc


@contextlib.contextmanager
def storing() -> Iterator[Callable[[Any], None]]:
    """Store several files as one step: ``with storing() as keep: ...; keep(field_file)`` after each save.

    If anything fails inside the block, the files kept so far are deleted (the database rolls back with the
    service's transaction), and a full or unwritable disk becomes ``StorageError``.
    """
    kept: list[Any] = []
    try:
        yield kept.append
    except BaseException as exc:
        for field_file in kept:
            with contextlib.suppress(Exception):
                field_file.storage.delete(field_file.name)
        if isinstance(exc, OSError) and is_storage_failure(exc):
            raise StorageError(storage_error_message(), code="storage") from exc
        raise


class SafeFileSystemStorage(FileSystemStorage):
    """FileSystemStorage that removes a partly written file when the disk fails mid-write."""

    def _save(self, name: str, content: Any) -> str:
        try:
            # django-stubs leaves out the private FileSystemStorage._save this overrides.
            return super()._save(name, content)  # type: ignore[misc]
        except OSError as exc:
            if is_storage_failure(exc):
                # ``name`` came from get_available_name, so a file there now is the one this call began.
                with contextlib.suppress(OSError):
                    os.remove(self.path(name))
            raise


def describe(kinds: Iterable[str], max_bytes: int | None = None) -> str:
    """For help texts: "JPG, PNG atau WebP, paling besar 5 MB"."""
    labels = list(dict.fromkeys(KINDS[k].label for k in kinds))
    names = labels[0] if len(labels) == 1 else _("{a} atau {b}").format(a=", ".join(labels[:-1]), b=labels[-1])
    return _("{names}, paling besar {limit}.").format(
        names=names, limit=filesizeformat(max_bytes or default_max_bytes())
    )
