"""Certifications: expiry windows at their edges, number checks, uploads, notices (sent once), scope."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from sentra.core.models import AuditEvent
from sentra.core.scope import OutOfScope
from sentra.quality import services
from sentra.quality.models import Certification, ExpiryNotice, Notice
from tests.quality.factories import PDF, PNG, CertificationFactory
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 10)


def cert_expiring_in(days, **kw):
    return CertificationFactory(expires_on=TODAY + dt.timedelta(days=days), issued_on=dt.date(2022, 1, 1), **kw)


class TestExpiryWindows:
    @pytest.mark.parametrize(
        ("days", "expiring", "expired"),
        [
            (-1, False, True),
            (0, True, False),
            (1, True, False),
            (89, True, False),
            (90, True, False),
            (91, False, False),
        ],
    )
    def test_edges(self, days, expiring, expired):
        cert = cert_expiring_in(days)
        assert Certification.objects.expiring(TODAY).filter(pk=cert.pk).exists() is expiring
        assert Certification.objects.expired(TODAY).filter(pk=cert.pk).exists() is expired
        assert Certification.objects.valid(TODAY).filter(pk=cert.pk).exists() is (days >= 0)

    def test_no_expiry_is_never_expiring(self):
        cert = CertificationFactory(expires_on=None)
        assert not Certification.objects.expiring(TODAY).filter(pk=cert.pk).exists()
        assert not Certification.objects.expired(TODAY).filter(pk=cert.pk).exists()

    @override_settings(SENTRA_CERT_EXPIRY_WINDOW_DAYS=30)
    def test_window_is_a_setting(self):
        cert = cert_expiring_in(31)
        assert not Certification.objects.expiring(TODAY).filter(pk=cert.pk).exists()

    @pytest.mark.parametrize(
        ("days", "window"),
        [(91, None), (90, 90), (31, 90), (30, 30), (8, 30), (7, 7), (0, 7), (-1, 0), (-30, 0), (-31, None)],
    )
    def test_notice_window(self, days, window):
        assert services.notice_window(days) == window

    def test_expiry_page_counts_per_region(self, client_for, world):
        cert_expiring_in(10)
        cert_expiring_in(-1)
        cert_expiring_in(200)
        CertificationFactory(business=BusinessFactory(region_id="74.72"), expires_on=dt.date.today())
        response = client_for(world.officer_a).get(reverse("quality:certification_expiry"))
        rows = response.context["summary"]
        assert len(rows) == 1 and rows[0]["region_id"] == "74.71"

    def test_list_filters_expiring_and_expired(self, client_for, world):
        today = dt.date.today()
        soon = CertificationFactory(expires_on=today + dt.timedelta(days=90))
        late = CertificationFactory(expires_on=today + dt.timedelta(days=91))
        gone = CertificationFactory(expires_on=today - dt.timedelta(days=1))
        client = client_for(world.officer_a)
        expiring = {
            c.pk for c in client.get(reverse("quality:certification_list") + "?status=akan-habis").context["page"]
        }
        expired = {c.pk for c in client.get(reverse("quality:certification_list") + "?status=habis").context["page"]}
        assert expiring == {soon.pk}
        assert expired == {gone.pk}
        assert late.pk not in expiring | expired


class TestCreate:
    def test_officer_records_pirt_with_region_warning(self, world):
        business = BusinessFactory()
        result = services.certification_create(
            actor=world.officer_a,
            business=business,
            kind="pirt",
            number="P-IRT No. 2107472010123-29",
            issuer="Dinkes",
            issued_on=dt.date(2024, 6, 1),
            expires_on=dt.date(2029, 6, 1),
            scope="kue",
        )
        assert result.certification.number == "2107472010123-29"
        assert result.certification.region_id == "74.71"
        assert len(result.warnings) == 1 and "74.72" in result.warnings[0]
        assert AuditEvent.objects.filter(action="quality.certification.created").count() == 1

    def test_pirt_longer_than_five_years_is_refused(self, world):
        with pytest.raises(ValidationError) as exc:
            services.certification_create(
                actor=world.officer_a,
                business=BusinessFactory(),
                kind="pirt",
                number="210747101012330",
                issued_on=dt.date(2024, 6, 1),
                expires_on=dt.date(2030, 6, 1),
            )
        assert "5 tahun" in str(exc.value)
        assert not Certification.objects.exists()

    def test_duplicate_number_is_refused(self, world):
        CertificationFactory(kind="halal", number="ID1")
        with pytest.raises(ValidationError):
            services.certification_create(
                actor=world.officer_a, business=BusinessFactory(), kind="halal", number="ID1", issued_on=TODAY
            )

    def test_other_region_and_owner_are_refused(self, world):
        business = BusinessFactory()
        # Another region is outside the scope; an owner has no right to record certifications at all.
        for actor, error in ((world.officer_b, OutOfScope), (world.owner_a, PermissionDenied)):
            with pytest.raises(error):
                services.certification_create(actor=actor, business=business, kind="halal", number="X", issued_on=TODAY)
        assert not Certification.objects.exists()

    def test_form_upload_checked_by_content(self, client_for, world):
        business = BusinessFactory()
        url = reverse("quality:certification_add", args=[business.pk])
        data = {"kind": "halal", "number": "ID77", "issued_on": "2025-01-02", "expires_on": ""}
        client = client_for(world.officer_a)
        fake = SimpleUploadedFile("sertifikat.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
        response = client.post(url, {**data, "document": fake})
        assert response.status_code == 200
        assert "Jenis berkas tidak diterima" in response.content.decode()
        assert not Certification.objects.exists()
        good = SimpleUploadedFile("scan.bin", PDF, content_type="application/octet-stream")
        response = client.post(url, {**data, "document": good})
        cert = Certification.objects.get()
        assert response.status_code == 302
        assert cert.document.name.endswith(".pdf")
        served = client.get(reverse("quality:certification_document", args=[cert.pk]))
        assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"%PDF")

    @override_settings(SENTRA_QUALITY_MAX_UPLOAD_BYTES=100)
    def test_upload_size_is_checked(self, client_for, world):
        business = BusinessFactory()
        big = SimpleUploadedFile("f.png", PNG + b"0" * 200, content_type="image/png")
        response = client_for(world.officer_a).post(
            reverse("quality:certification_add", args=[business.pk]),
            {"kind": "halal", "number": "ID8", "issued_on": "2025-01-02", "document": big},
        )
        assert "terlalu besar" in response.content.decode()
        assert not Certification.objects.exists()

    def test_expiry_before_issue_is_refused_by_form(self, client_for, world):
        business = BusinessFactory()
        response = client_for(world.officer_a).post(
            reverse("quality:certification_add", args=[business.pk]),
            {"kind": "halal", "number": "ID9", "issued_on": "2025-01-02", "expires_on": "2024-01-02"},
        )
        assert "tidak boleh sebelum" in response.content.decode()
        assert not Certification.objects.exists()

    def test_detail_shows_pirt_parts_and_mismatch(self, client_for, world):
        cert = CertificationFactory(kind="pirt", number="2107471010123-28", expires_on=dt.date(2029, 1, 1))
        response = client_for(world.officer_a).get(cert.get_absolute_url())
        html = response.content.decode()
        assert 'data-testid="pirt-parts"' in html
        assert "2028" in html and 'data-testid="number-warning"' in html

    def test_edit_with_stale_version_is_refused(self, client_for, world):
        cert = CertificationFactory()
        Certification.objects.filter(pk=cert.pk).update(version=5)
        response = client_for(world.officer_a).post(
            reverse("quality:certification_edit", args=[cert.pk]),
            {"kind": "halal", "number": "NEW", "issued_on": "2024-01-10", "version": 1},
        )
        html = response.content.decode()
        # four versions since the one posted, none recorded by a versioned change: counted, nobody named
        assert response.status_code == 409 and "Data ini diubah 4 kali sejak Anda membukanya." in html
        cert.refresh_from_db()
        assert cert.number != "NEW"


class TestNotices:
    def _setup(self, world, owner_user, days):
        from tests.registry.factories import OwnerFactory

        owner_user.email = "pemilik@example.test"
        owner_user.save()
        world.officer_a.email = "petugas@example.test"
        world.officer_a.save()
        business = BusinessFactory(owners=[OwnerFactory(user=owner_user)])
        return cert_expiring_in(days, business=business)

    @pytest.fixture(autouse=True)
    def _commits(self, django_capture_on_commit_callbacks):
        self._capture = django_capture_on_commit_callbacks

    def send(self, *, today):
        # The e-mail is an ``email`` job queued on commit (``core.mail``): run those callbacks as a commit would.
        with self._capture(execute=True):
            return services.send_expiry_notices(today=today)

    def test_sent_once_per_window_to_owner_and_officer(self, world, owner_user):
        cert = self._setup(world, owner_user, 60)
        assert self.send(today=TODAY) == 1
        assert self.send(today=TODAY) == 0  # idempotent
        assert self.send(today=TODAY + dt.timedelta(days=5)) == 0  # still the 90-day window
        assert len(mail.outbox) == 1
        assert set(mail.outbox[0].to) == {"pemilik@example.test", "petugas@example.test"}
        assert Notice.objects.filter(recipient__in=[owner_user, world.officer_a]).count() == 2
        assert list(ExpiryNotice.objects.values_list("certification", "window")) == [(cert.pk, 90)]
        # The next window (30 days) sends again, once; the 7-day window too; then the expired one.
        assert self.send(today=TODAY + dt.timedelta(days=31)) == 1
        assert self.send(today=TODAY + dt.timedelta(days=31)) == 0
        assert self.send(today=TODAY + dt.timedelta(days=55)) == 1
        assert self.send(today=TODAY + dt.timedelta(days=61)) == 1
        assert self.send(today=TODAY + dt.timedelta(days=62)) == 0
        assert sorted(ExpiryNotice.objects.values_list("window", flat=True)) == [0, 7, 30, 90]
        assert len(mail.outbox) == 4

    def test_late_start_sends_only_the_smallest_window(self, world, owner_user):
        self._setup(world, owner_user, 5)
        assert self.send(today=TODAY) == 1
        assert list(ExpiryNotice.objects.values_list("window", flat=True)) == [7]
        assert self.send(today=TODAY) == 0

    def test_outside_windows_sends_nothing(self, world, owner_user):
        self._setup(world, owner_user, 91)
        cert_expiring_in(-31)
        assert self.send(today=TODAY) == 0
        assert mail.outbox == []

    def test_renewal_is_reminded_again(self, world, owner_user):
        cert = self._setup(world, owner_user, 10)
        assert self.send(today=TODAY) == 1
        Certification.objects.filter(pk=cert.pk).update(expires_on=TODAY + dt.timedelta(days=400))
        assert self.send(today=TODAY + dt.timedelta(days=320)) == 1

    def test_command_and_daily_schedule(self, world, owner_user):
        from sentra.core.models import Job, JobState

        self._setup(world, owner_user, 3)
        with self._capture(execute=True):
            call_command("send_expiry_notices", "--today", TODAY.isoformat())
        assert ExpiryNotice.objects.count() == 1
        call_command("daily", "--only", "quality-expiry-notices", "--date", TODAY.isoformat())
        job = Job.objects.get(kind="schedule")
        assert (job.state, job.result) == (JobState.SUCCEEDED, {"summary": 0})  # already sent: idempotent
        assert len(mail.outbox) == 1

    def test_notice_page_and_mark_read(self, client_for, world, owner_user):
        self._setup(world, owner_user, 3)
        self.send(today=TODAY)
        client = client_for(owner_user)
        page = client.get(reverse("quality:notice_list"))
        assert "habis dalam 3 hari" in page.content.decode()
        client.post(reverse("quality:notice_mark_read"))
        assert not Notice.objects.filter(recipient=owner_user, read_at__isnull=True).exists()
        assert Notice.objects.filter(recipient=world.officer_a, read_at__isnull=True).exists()


class TestScope:
    def test_owner_sees_only_own_certifications(self, client_for, owner_user, owned_business):
        mine = CertificationFactory(business=owned_business)
        other = CertificationFactory()
        client = client_for(owner_user)
        listed = {c.pk for c in client.get(reverse("quality:certification_list")).context["page"]}
        assert listed == {mine.pk}
        assert client.get(other.get_absolute_url()).status_code == 404
        assert client.get(reverse("quality:certification_edit", args=[mine.pk])).status_code == 404
