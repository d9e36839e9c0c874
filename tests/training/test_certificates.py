import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from sentra.core.errors import DomainError
from sentra.core.models import AuditEvent
from sentra.training import services
from tests.training.factories import complete_participant, make_batch, make_participant

pytestmark = pytest.mark.django_db


def _certified_batch():
    batch = make_batch()
    passed = complete_participant(make_participant(batch, name="Siti Nurhaliza Tamburaka"), present_days=6, post="85")
    failed = complete_participant(make_participant(batch, name="La Ode Gagal"), present_days=2, post="85")
    services.batch_assess(actor=None, batch=batch)
    certs = services.certificates_issue(actor=None, batch=batch)
    return batch, passed, failed, certs


def test_only_passed_participants_get_a_certificate():
    batch, passed, _failed, certs = _certified_batch()
    assert [c.participant_id for c in certs] == [passed.pk]
    cert = certs[0]
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", cert.code)
    assert cert.hours_jp == 48 and cert.holder_name == "Siti Nurhaliza Tamburaka"
    batch.refresh_from_db()
    assert batch.status == "completed"
    with pytest.raises(DomainError):  # nothing left to issue
        services.certificates_issue(actor=None, batch=batch)


def test_certificate_pdf_names_the_right_participant(client_for, officer_region_a):
    _batch, _passed, _failed, (cert,) = _certified_batch()
    response = client_for(officer_region_a).get(reverse("training:certificate_pdf", args=[cert.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    text = page.extract_text()
    assert "Siti Nurhaliza Tamburaka" in text
    assert "La Ode Gagal" not in text
    assert "Pelatihan Manajemen Mutu" in text
    assert "48 jam pelajaran" in text
    assert cert.code in text
    assert f"/verifikasi/{cert.code}/" in text
    assert "Muhammad Ali Aksa" in text
    assert "Kendari, 25 Juli 2022" in text
    assert "19–25 Juli 2022" in text


def test_verification_page_shows_only_name_programme_and_dates(client):
    _batch, passed, _failed, (cert,) = _certified_batch()
    response = client.get(reverse("training:verify", args=[cert.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Siti Nurhaliza Tamburaka" in body and "SAH" in body
    owner = passed.owner
    assert owner.nik not in body
    assert owner.phone not in body and owner.phone[-8:] not in body
    assert passed.business.name not in body
    # Lower-case codes typed by hand are found too.
    assert client.get(reverse("training:verify", args=[cert.code.lower()])).status_code == 200


def test_unknown_code_is_a_clear_404(client):
    response = client.get(reverse("training:verify", args=["ABCD-EF01-2345"]))
    assert response.status_code == 404
    assert "Sertifikat tidak ditemukan" in response.content.decode()


def test_revocation_needs_a_reason_is_audited_and_shows_on_verification(client, client_for, officer_region_a):
    _batch, _passed, _failed, (cert,) = _certified_batch()
    with pytest.raises(ValidationError):
        services.certificate_revoke(actor=officer_region_a, certificate=cert, reason="")
    cert.refresh_from_db()
    assert cert.revoked_at is None
    officer = client_for(officer_region_a)
    response = officer.post(
        reverse("training:certificate_revoke", args=[cert.pk]), {"reason": "Data kehadiran dipalsukan"}
    )
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.is_revoked and cert.revoked_reason == "Data kehadiran dipalsukan"
    event = AuditEvent.objects.get(action="training.certificate.revoked", object_id=str(cert.pk))
    assert event.actor == officer_region_a and event.note == "Data kehadiran dipalsukan"
    client.logout()
    body = client.get(reverse("training:verify", args=[cert.code])).content.decode()
    assert "DICABUT" in body and "SAH" not in body
    with pytest.raises(DomainError):
        services.certificate_revoke(actor=officer_region_a, certificate=cert, reason="lagi lagi")


def test_scores_and_attendance_are_frozen_once_certified():
    _batch, passed, _failed, _certs = _certified_batch()
    passed.refresh_from_db()
    with pytest.raises(DomainError):
        services.scores_set(actor=None, participant=passed, pre_test=10, post_test=10)
    with pytest.raises(DomainError):
        services.attendance_set(actor=None, participant=passed, day=passed.batch.days.first(), present=False)


def test_owner_downloads_own_certificate_but_not_anothers(client_for, owner_user):
    _batch, passed, _failed, (cert,) = _certified_batch()
    client = client_for(owner_user)
    assert client.get(reverse("training:certificate_pdf", args=[cert.pk])).status_code == 404
    passed.owner.user = owner_user
    passed.owner.save()
    assert client.get(reverse("training:certificate_pdf", args=[cert.pk])).status_code == 200
    assert client.get(reverse("training:my_trainings")).status_code == 200
