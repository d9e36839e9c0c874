"""Uploads are checked by content (not name or browser type) and size, and stored through the storage API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sentra.centres.models import Attachment
from sentra.centres.uploads import MAX_UPLOAD_BYTES
from tests.centres.factories import FacilityFactory
from tests.upload_samples import PNG

PDF = b"%PDF-1.7\n" + b"0" * 200


@pytest.fixture
def facility(db):
    return FacilityFactory()


def _post(client, facility, upload, kind="photo"):
    return client.post(
        f"/sentra/{facility.centre_id}/sarana/{facility.pk}/lampiran/", {"kind": kind, "file": upload, "caption": "x"}
    )


def test_photo_is_stored_and_served(client_for, officer_region_a, facility):
    client = client_for(officer_region_a)
    response = _post(client, facility, SimpleUploadedFile("kiln.png", PNG, content_type="image/png"))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.size == len(PNG)
    assert attachment.file.storage.exists(attachment.file.name)
    served = client.get(f"/sentra/{facility.centre_id}/lampiran/{attachment.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG


def test_wrong_type_by_content_is_rejected_with_a_clear_message(client_for, officer_region_a, facility):
    client = client_for(officer_region_a)
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 this is an executable", content_type="image/jpeg")
    response = _post(client, facility, fake)
    assert response.status_code == 400
    assert "Jenis berkas tidak diterima" in response.content.decode()
    assert not Attachment.objects.exists()


def test_pdf_is_a_document_not_a_photo(client_for, officer_region_a, facility):
    client = client_for(officer_region_a)
    assert _post(client, facility, SimpleUploadedFile("a.pdf", PDF), kind="photo").status_code == 400
    assert _post(client, facility, SimpleUploadedFile("a.pdf", PDF), kind="document").status_code == 302
    assert Attachment.objects.get().content_type == "application/pdf"


def test_too_big_is_rejected(client_for, officer_region_a, facility):
    client = client_for(officer_region_a)
    big = SimpleUploadedFile("besar.png", PNG + b"\x00" * MAX_UPLOAD_BYTES, content_type="image/png")
    response = _post(client, facility, big)
    assert response.status_code == 400
    assert "terlalu besar" in response.content.decode()
    assert not Attachment.objects.exists()


def test_other_region_cannot_upload_or_download(client_for, officer_region_a, officer_region_b, facility):
    _post(client_for(officer_region_a), facility, SimpleUploadedFile("k.png", PNG))
    attachment = Attachment.objects.get()
    client = client_for(officer_region_b)
    assert _post(client, facility, SimpleUploadedFile("k.png", PNG)).status_code == 404
    assert client.get(f"/sentra/{facility.centre_id}/lampiran/{attachment.pk}/").status_code == 404
