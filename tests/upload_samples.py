"""Real (tiny) files of every accepted kind, and hostile ones, for the upload tests."""

from __future__ import annotations

import io
import zipfile

from PIL import Image


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (2, 2)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
WEBP = image_bytes("WEBP")
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CSV = b"nama;nib\nUD Maju;1234567890123\n"

#: Hostile or refused files.
EXE = b"MZ\x90\x00\x03\x00\x00\x00 this program cannot be run in DOS mode"
PDF_ENCRYPTED = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R /Encrypt 5 0 R >>\n%%EOF\n"
PDF_SCRIPT = (
    b"%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n"
)
BROKEN_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
#: An OOXML file encrypted with a password is an OLE container with these streams.
OLE_ENCRYPTED = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    + b"\x00" * 504
    + "EncryptionInfo".encode("utf-16-le")
    + b"\x00" * 64
    + "EncryptedPackage".encode("utf-16-le")
)
OLE_MACRO_XLS = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    + b"\x00" * 504
    + "Workbook".encode("utf-16-le")
    + b"\x00" * 8
    + "_VBA_PROJECT_CUR".encode("utf-16-le")
)


def xlsx_bytes(*, macro: bool = False, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    content_types = b'<?xml version="1.0"?><Types><Override ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
    if macro:
        content_types = content_types.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        if macro:
            archive.writestr("xl/vbaProject.bin", b"\x00" * 100)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


XLSX = xlsx_bytes()
XLSM = xlsx_bytes(macro=True)
#: 20 MB of zeros compress to about 20 KB: far beyond any plausible ratio.
ZIP_BOMB = xlsx_bytes(extra={"xl/worksheets/sheet1.xml": b"\x00" * (20 * 1024 * 1024)})
