"""Upload hardening: one check in core for every upload, per upload URL, and a full disk.

* ``validate_upload`` proves the type by content and refuses oversized files, zip bombs, macros, password-protected
  files, scripts in PDFs, broken or pixel-bomb images; hypothesis feeds it arbitrary bytes.
* Every file field of every form is a ``core.uploads.UploadField`` (a walk over the forms).
* Every upload URL refuses a disguised executable with a clear message and stores nothing, and a full disk
  (``OSError(ENOSPC)`` in the middle of writing) gives a clear error, no database row and no half-written file.
"""

from __future__ import annotations

import errno
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentra.core.uploads import DOCUMENTS, PHOTOS, SPREADSHEETS, UploadField, validate_upload
from tests import upload_samples as s

STORAGE_MESSAGE = "ruang penyimpanan server penuh"


def _file(data: bytes, name: str = "berkas.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# --- The validator ------------------------------------------------------------------------------------------

ACCEPTED = [
    (s.PNG, PHOTOS, "png"),
    (s.JPEG, PHOTOS, "jpeg"),
    (s.WEBP, PHOTOS, "webp"),
    (s.PDF, DOCUMENTS, "pdf"),
    (s.XLSX, SPREADSHEETS, "xlsx"),
    (s.CSV, SPREADSHEETS, "csv"),
]


@pytest.mark.parametrize(("data", "kinds", "key"), ACCEPTED, ids=[a[2] for a in ACCEPTED])
def test_real_files_are_accepted_by_content_whatever_their_name(data, kinds, key):
    assert validate_upload(_file(data, "nama-bohong.exe"), kinds).key == key


REFUSED = [
    ("exe_named_pdf", s.EXE, DOCUMENTS, "bad_type"),
    ("pdf_as_photo", s.PDF, PHOTOS, "bad_type"),
    ("empty", b"", DOCUMENTS, "empty"),
    ("encrypted_pdf", s.PDF_ENCRYPTED, DOCUMENTS, "password"),
    ("pdf_with_javascript", s.PDF_SCRIPT, DOCUMENTS, "macro"),
    ("broken_png", s.BROKEN_PNG, PHOTOS, "corrupt"),
    ("encrypted_office_file", s.OLE_ENCRYPTED, SPREADSHEETS, "password"),
    ("xls_with_macros", s.OLE_MACRO_XLS, SPREADSHEETS, "macro"),
    ("xlsx_with_macros", s.XLSM, SPREADSHEETS, "macro"),
    ("zip_bomb", s.ZIP_BOMB, SPREADSHEETS, "zip_bomb"),
    ("binary_as_csv", b"\x00\x01\x02binary", SPREADSHEETS, "bad_type"),
    ("gif", b"GIF89a" + b"\x00" * 20, PHOTOS, "bad_type"),
]


@pytest.mark.parametrize(("data", "kinds", "code"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_hostile_or_wrong_files_are_refused_with_a_reason(data, kinds, code):
    with pytest.raises(ValidationError) as exc:
        validate_upload(_file(data), kinds)
    assert exc.value.code == code
    assert exc.value.messages[0][0].isupper() and exc.value.messages[0].endswith(".")  # a sentence for a person


def test_size_limit_and_macro_names():
    with pytest.raises(ValidationError) as exc:
        validate_upload(_file(s.PNG + b"\x00" * 2000), PHOTOS, max_bytes=1000)
    assert exc.value.code == "too_large" and "terlalu besar" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        validate_upload(_file(s.XLSX, "data.xlsm"), SPREADSHEETS)
    assert exc.value.code == "macro"


def test_image_pixel_bomb_is_refused(settings):
    settings.SENTRA_UPLOAD_MAX_PIXELS = 100
    with pytest.raises(ValidationError) as exc:
        validate_upload(_file(s.image_bytes("PNG", (20, 20))), PHOTOS)
    assert exc.value.code == "too_many_pixels"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prefix=st.sampled_from(
        [
            b"",
            b"%PDF-",
            b"\xff\xd8\xff",
            b"\x89PNG\r\n\x1a\n",
            b"PK\x03\x04",
            b"RIFF\x00\x00\x00\x00WEBP",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        ]
    ),
    body=st.binary(max_size=600),
)
def test_any_bytes_give_a_kind_or_a_clear_refusal(prefix, body):
    try:
        kind = validate_upload(_file(prefix + body), (*DOCUMENTS, *SPREADSHEETS))
    except ValidationError as exc:
        assert exc.code and exc.messages
    else:
        assert kind.key in (*DOCUMENTS, *SPREADSHEETS)


# --- Every upload field uses the core check -----------------------------------------------------------------


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_file_field_of_every_form_is_the_core_upload_field():
    import sentra.urls  # noqa: F401 - import every app's views, and with them their forms

    offenders = []
    for form in _subclasses(forms.BaseForm):
        if not form.__module__.startswith("sentra."):
            continue
        for name, field in getattr(form, "base_fields", {}).items():
            if isinstance(field, forms.FileField) and not isinstance(field, UploadField):
                offenders.append(f"{form.__module__}.{form.__name__}.{name}")
    assert not offenders, "file fields without the core upload check: " + ", ".join(sorted(offenders))


# --- Every upload URL -----------------------------------------------------------------------------------------


@dataclass
class UploadCase:
    """How to post a file to one upload URL, and how to count what it stores."""

    url: Callable[[Any], str]
    data: Callable[[Any], dict[str, Any]]
    field: str
    stored: Callable[[], int]
    good: bytes | Callable[[Any], bytes]  # or a function of the logged-in client
    user: str = "officer_a"


def _facility(world):
    from tests.centres.factories import FacilityFactory

    facility = FacilityFactory()
    return reverse("centres:facility_upload", args=[facility.centre_id, facility.pk])


def _certification_add(world):
    from tests.registry.factories import BusinessFactory

    return reverse("quality:certification_add", args=[BusinessFactory().pk])


def _progress(world):
    from sentra.budget.choices import PlanStatus
    from tests.budget.factories import make_contract, make_line, make_plan

    line = make_line(plan=make_plan(status=PlanStatus.APPROVED))
    make_contract(line=line)
    return reverse("budget:progress_add", args=[line.pk])


def _product_add(world):
    from tests.registry.factories import BusinessFactory

    return reverse("products:product_add", args=[BusinessFactory().pk])


def _product_data(world):
    return {"name": "Lemari jati", "kbli_code": "31001", "price_min": "1.000.000", "price_max": "2.000.000"}


def _template(kind: str) -> Callable[[Any], bytes]:
    """The import kind's own template workbook: a file the import accepts up to the point of storing it."""

    def download(client) -> bytes:
        response = client.get(reverse("core:import_template") + f"?jenis={kind}")
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    return download


def _batch():
    from tests.training.factories import make_batch

    return make_batch(region_id="74.71")


def _count(model_path: str) -> Callable[[], int]:
    def count() -> int:
        from django.apps import apps

        return apps.get_model(model_path).objects.count()

    return count


UPLOAD_CASES = {
    "centres:facility_upload": UploadCase(
        _facility, lambda w: {"kind": "document", "caption": "x"}, "file", _count("centres.Attachment"), s.PDF
    ),
    "quality:certification_add": UploadCase(
        _certification_add,
        lambda w: {"kind": "halal", "number": "ID00210001234", "issued_on": "2025-01-02"},
        "document",
        _count("quality.Certification"),
        s.PDF,
    ),
    "budget:progress_add": UploadCase(
        _progress,
        lambda w: {"reported_on": "06-04-2024", "physical_pct": "35", "output_achieved": "3"},
        "photos",
        _count("budget.ProgressReport"),
        s.PNG,
    ),
    "products:product_add": UploadCase(_product_add, _product_data, "photos", _count("products.Product"), s.PNG),
    "registry:business_import": UploadCase(
        lambda w: reverse("registry:business_import"), lambda w: {}, "file", _count("core.Job"), _template("business")
    ),
    "training:attendance_import": UploadCase(
        lambda w: reverse("training:attendance_import"),
        lambda w: {"batch": str(_batch().pk)},
        "file",
        _count("core.Job"),
        _template("training_attendance"),
    ),
    "training:enrolment_import": UploadCase(
        lambda w: reverse("training:enrolment_import"),
        lambda w: {"batch": str(_batch().pk)},
        "file",
        _count("core.Job"),
        _template("training_enrolment"),
    ),
    "centres:siinas_import": UploadCase(
        lambda w: reverse("centres:siinas_import"),
        lambda w: {},
        "file",
        _count("core.Job"),
        _template("centres_siinas"),
    ),
    "budget:allocation_import": UploadCase(
        lambda w: reverse("budget:allocation_import"),
        lambda w: {},
        "file",
        _count("core.Job"),
        _template("budget_allocation"),
        "national",
    ),
}


def test_every_upload_url_is_covered():
    """A view that renders a form with a file field must have a case here (found through the URL names)."""
    from sentra.core.testing import walk_urls
    from sentra.core.views_jobs import import_start

    import_urls = set()
    from django.urls import get_resolver

    def walk(patterns, ns=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif getattr(p, "callback", None) is import_start:
                import_urls.add(f"{ns}{p.name}")

    walk(get_resolver().url_patterns)
    named = {u.name for u in walk_urls()}
    expected = import_urls | {
        "centres:facility_upload",
        "quality:certification_add",
        "budget:progress_add",
        "products:product_add",
    }
    assert expected <= named
    assert expected <= set(UPLOAD_CASES), f"add upload cases for: {sorted(expected - set(UPLOAD_CASES))}"


def _client(client, world, case):
    client.force_login(getattr(world, case.user))
    return client


@pytest.mark.parametrize("name", sorted(UPLOAD_CASES))
def test_disguised_executable_is_refused_and_nothing_stored(client, world, name):
    case = UPLOAD_CASES[name]
    url = case.url(world)
    before = case.stored()
    data = case.data(world) | {case.field: SimpleUploadedFile("laporan.pdf", s.EXE, content_type="application/pdf")}
    response = _client(client, world, case).post(url, data)
    assert response.status_code in (200, 400), name
    assert "Jenis berkas tidak diterima" in response.content.decode(), name
    assert case.stored() == before, name


@pytest.fixture
def disk_full(settings, tmp_path, monkeypatch):
    """Media on a real (temporary) disk that fills up after the first 10 bytes of every file."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "sentra.core.uploads.SafeFileSystemStorage"}}

    def full(self, name, content):
        os.makedirs(os.path.dirname(self.path(name)), exist_ok=True)
        with open(self.path(name), "wb") as fh:
            fh.write(b"0123456789")  # a partial file, as a real full disk leaves it
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    return tmp_path


def _files(root) -> list[str]:
    return [str(p) for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize("name", sorted(UPLOAD_CASES))
def test_full_disk_gives_a_clear_error_and_keeps_nothing(client, world, disk_full, name):
    case = UPLOAD_CASES[name]
    url = case.url(world)
    before = case.stored()
    client = _client(client, world, case)
    good = case.good(client) if callable(case.good) else case.good
    name_ = "data.xlsx" if good.startswith(b"PK") else "bukti.bin"
    response = client.post(url, case.data(world) | {case.field: SimpleUploadedFile(name_, good)})
    assert response.status_code in (200, 400, 507), f"{name}: {response.status_code}"
    assert STORAGE_MESSAGE in response.content.decode(), name
    assert case.stored() == before, f"{name}: a database row was kept"
    assert _files(disk_full) == [], f"{name}: half-written files left: {_files(disk_full)}"


def test_safe_storage_removes_the_partial_file_and_reraises(settings, tmp_path, monkeypatch):
    from sentra.core.uploads import SafeFileSystemStorage

    def full(self, name, content):
        os.makedirs(os.path.dirname(self.path(name)), exist_ok=True)
        with open(self.path(name), "wb") as fh:
            fh.write(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    storage = SafeFileSystemStorage(location=str(tmp_path))
    with pytest.raises(OSError):
        storage.save("a.txt", io.BytesIO(b"whole file"))
    assert _files(tmp_path) == []


def test_read_only_media_gives_a_clear_error(settings, tmp_path, monkeypatch, client, world):
    """EACCES/EROFS (a read-only or wrongly owned media folder) is reported like a full disk."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "sentra.core.uploads.SafeFileSystemStorage"}}

    def read_only(self, name, content):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(FileSystemStorage, "_save", read_only)
    case = UPLOAD_CASES["centres:facility_upload"]
    response = _client(client, world, case).post(
        case.url(world), case.data(world) | {"file": SimpleUploadedFile("a.pdf", s.PDF)}
    )
    assert STORAGE_MESSAGE in response.content.decode()
    assert case.stored() == 0
