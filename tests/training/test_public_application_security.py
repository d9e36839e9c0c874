"""The public class application never reveals or attaches to a registry person: it keeps the identity as typed,
and matching it to a registry owner is an officer's decision inside their scope, shown side by side. Public
applications and the certificate check are rate-limited and applications are audited with the source address."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sentra.core.errors import DomainError
from sentra.core.models import AuditEvent
from sentra.core.validators import mask_nik
from sentra.regions.models import Region
from sentra.registry.models import Owner
from sentra.training import services, views
from sentra.training.choices import BatchStatus, ParticipantStatus
from sentra.training.models import Participant
from tests.api.conftest import ApiClient, make_token
from tests.registry.factories import BusinessFactory, OwnerFactory
from tests.training.factories import make_application, make_batch, make_participant

pytestmark = pytest.mark.django_db

MAKASSAR_NIK = "7371035504980001"
KENDARI_NIK = "7471035504980001"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _open_batch(**kw):
    return make_batch(start=dt.date(2030, 8, 12), end=dt.date(2030, 8, 16), status=BatchStatus.OPEN, **kw)


def _form(**over):
    data = {
        "full_name": "Nama Yang Diketik",
        "nik": MAKASSAR_NIK,
        "birth_date": "1998-04-15",
        "gender": "P",
        "phone": "081234567890",
        "email": "",
        "region": "74.71",
        "business_plan": "plans",
        "business_name": "Keripik pisang",
        "motivation": "Ingin memulai usaha.",
        "consent": "on",
    }
    return data | over


def _review_url(p: Participant) -> str:
    return reverse("training:participant_review", args=[p.batch_id, p.pk])


# --- The reported case: a Makassar owner's NIK on a Kendari application ----------------------------------------


def test_a_nik_registered_in_another_province_is_neither_linked_nor_shown(client, client_for, officer_region_a):
    makassar = OwnerFactory(
        region_id="73.71", nik=MAKASSAR_NIK, full_name="Andi Makassar", phone="+6281299998888", gender="P"
    )
    batch = _open_batch()
    response = client.post(reverse("training:apply", args=[batch.pk]), _form(), REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 200 and "Andi Makassar" not in response.content.decode()
    p = Participant.objects.get(batch=batch)
    assert p.owner is None and p.applicant_name == "Nama Yang Diketik"

    officer = client_for(officer_region_a)
    page = officer.get(batch.get_absolute_url()).content.decode()
    assert "Nama Yang Diketik" in page and "Andi Makassar" not in page and "8888" not in page
    review = officer.get(_review_url(p))
    html = review.content.decode()
    assert review.status_code == 200 and 'data-testid="no-candidates"' in html
    assert "Andi Makassar" not in html and f"#{makassar.pk}" not in html
    # Searching the registry by the NIK does not reach outside the officer's scope either.
    assert "Andi Makassar" not in officer.get(_review_url(p), {"q": MAKASSAR_NIK}).content.decode()

    api = ApiClient(make_token(officer_region_a, "read"))
    (row,) = api.get(f"/batches/{batch.pk}/participants").json()["results"]
    assert row["name"] == "Nama Yang Diketik" and row["matched"] is False and row["owner"] is None

    # Not accepted while unmatched, and registering the typed NIK as a new person gets the neutral answer.
    with pytest.raises(DomainError, match="Cocokkan pendaftar"):
        services.participant_decide(actor=officer_region_a, participant=p, decision=ParticipantStatus.ACCEPTED)
    refused = officer.post(_review_url(p), {"action": "register", "version": p.version}, follow=True)
    assert "NIK tidak dapat dipakai" in refused.content.decode()
    assert "Andi Makassar" not in refused.content.decode()
    p.refresh_from_db()
    assert p.owner is None and p.status == ParticipantStatus.APPLIED
    assert Owner.objects.count() == 1
    # Matching the out-of-scope owner by id is a 404 and changes nothing.
    assert (
        officer.post(_review_url(p), {"action": "match", "owner": makassar.pk, "version": p.version}).status_code == 404
    )
    with pytest.raises(ValidationError):
        services.participant_match(actor=officer_region_a, participant=p, owner=makassar)
    p.refresh_from_db()
    assert p.owner is None


# --- Matching inside the scope ----------------------------------------------------------------------------------


def test_an_in_scope_match_is_shown_side_by_side_and_linked_only_by_the_officer(client_for, officer_region_a):
    known = OwnerFactory(
        region_id="74.71", nik=KENDARI_NIK, full_name="Wa Ode Registri", birth_date=dt.date(1998, 4, 15), gender="P"
    )
    business = BusinessFactory(owners=[known])
    batch = _open_batch()
    p = make_application(batch, full_name="Wa Ode Diketik", nik=KENDARI_NIK, business_plan="has")
    assert p.owner is None

    officer = client_for(officer_region_a)
    html = officer.get(_review_url(p)).content.decode()
    assert f'data-testid="candidate-{known.pk}"' in html
    assert "Wa Ode Diketik" in html and "Wa Ode Registri" in html  # typed beside the registry record
    assert KENDARI_NIK not in html and html.count(mask_nik(KENDARI_NIK)) >= 2  # both NIKs masked...
    assert ">sama<" in html  # ...and said to agree

    response = officer.post(_review_url(p), {"action": "match", "owner": known.pk, "version": p.version})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.owner == known and p.business == business and p.applicant_name == "Wa Ode Diketik"
    event = AuditEvent.objects.filter(action="training.participant.matched").get()
    assert event.actor == officer_region_a
    services.participant_decide(actor=officer_region_a, participant=p, decision=ParticipantStatus.ACCEPTED)
    p.refresh_from_db()
    assert p.status == ParticipantStatus.ACCEPTED and p.seat == 1
    # The matched page keeps the comparison, and a second match is refused.
    assert "Wa Ode Diketik" in officer.get(_review_url(p)).content.decode()
    with pytest.raises(DomainError, match="sudah dicocokkan"):
        services.participant_match(actor=officer_region_a, participant=p, owner=known)


def test_a_stale_match_is_refused_with_409(client_for, officer_region_a):
    known = OwnerFactory(region_id="74.71", nik=KENDARI_NIK)
    batch = _open_batch()
    p = make_application(batch, nik=KENDARI_NIK)
    services.participant_decide(actor=officer_region_a, participant=p, decision=ParticipantStatus.WAITLISTED)
    response = client_for(officer_region_a).post(
        _review_url(p), {"action": "match", "owner": known.pk, "version": p.version}
    )
    assert response.status_code == 409
    p.refresh_from_db()
    assert p.owner is None


def test_the_officer_registers_an_unknown_applicant_from_what_was_typed(client_for, officer_region_a):
    batch = _open_batch()
    p = make_application(batch, full_name="La Baru", nik=KENDARI_NIK)
    response = client_for(officer_region_a).post(_review_url(p), {"action": "register", "version": p.version})
    assert response.status_code == 302
    p.refresh_from_db()
    owner = p.owner
    assert (owner.full_name, owner.nik, owner.region_id, owner.phone) == (
        "La Baru",
        KENDARI_NIK,
        "74.71",
        p.applicant_phone,
    )
    assert AuditEvent.objects.filter(action="registry.owner.created", actor=officer_region_a).exists()
    services.participant_decide(actor=officer_region_a, participant=p, decision=ParticipantStatus.ACCEPTED)


def test_an_applicant_living_outside_the_officers_scope_is_not_registered_by_them(client_for, officer_region_a):
    batch = _open_batch()
    batch.eligible_regions.set(Region.objects.filter(pk__in=["74.71", "74.72"]))
    p = make_application(batch, nik="7472035504980001", region=Region.objects.get(pk="74.72"))
    page = client_for(officer_region_a).post(_review_url(p), {"action": "register", "version": p.version}, follow=True)
    assert "di luar cakupan Anda" in page.content.decode()
    p.refresh_from_db()
    assert p.owner is None and not Owner.objects.exists()


def test_the_waiting_list_offers_a_freed_place_only_to_a_matched_person(officer_region_a):
    batch = _open_batch(quota=1)
    first = make_participant(batch)
    unmatched = make_application(batch)
    services.participant_decide(actor=officer_region_a, participant=unmatched, decision=ParticipantStatus.WAITLISTED)
    services.participant_withdraw(actor=officer_region_a, participant=first, reason="Sakit")
    unmatched.refresh_from_db()
    assert unmatched.status == ParticipantStatus.WAITLISTED and unmatched.seat is None


def test_the_review_page_is_officers_only(client_for, trainer, owner_user):
    batch = _open_batch()
    p = make_application(batch)
    for user in (trainer, owner_user):
        assert client_for(user).get(_review_url(p)).status_code == 404


def test_the_review_page_queries_do_not_grow_with_candidates(
    client_for, officer_region_a, django_assert_max_num_queries
):
    batch = _open_batch()
    p = make_application(batch, full_name="Sama Nama", nik=KENDARI_NIK)
    officer = client_for(officer_region_a)

    def candidates(n):
        for _ in range(n):
            owner = OwnerFactory(region_id="74.71", full_name="Sama Nama", birth_date=dt.date(1998, 4, 15))
            BusinessFactory(owners=[owner])

    candidates(1)
    officer.get(_review_url(p))
    with django_assert_max_num_queries(30) as one:
        officer.get(_review_url(p))
    candidates(3)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = officer.get(_review_url(p)).content.decode()
    assert html.count('data-testid="candidate-') == 4


# --- Audit and rate limits --------------------------------------------------------------------------------------


def test_an_application_is_audited_with_the_source_address_and_no_full_nik(client):
    batch = _open_batch()
    client.post(reverse("training:apply", args=[batch.pk]), _form(nik=KENDARI_NIK), REMOTE_ADDR="198.51.100.7")
    event = AuditEvent.objects.get(action="training.participant.applied")
    assert "198.51.100.7" in event.note
    stored = json.dumps(event.changes)
    assert KENDARI_NIK not in stored and "81234567890" not in stored
    assert "Nama Yang Diketik" in stored
    # A repeated application is recorded too, and changes nothing.
    client.post(reverse("training:apply", args=[batch.pk]), _form(nik=KENDARI_NIK), REMOTE_ADDR="198.51.100.8")
    repeated = AuditEvent.objects.get(action="training.batch.application_repeated")
    assert "198.51.100.8" in repeated.note and Participant.objects.count() == 1


def test_applications_are_limited_per_batch_across_addresses(client, monkeypatch):
    monkeypatch.setattr(views, "APPLY_BATCH_LIMIT", 2)
    batch = _open_batch()
    other = _open_batch()
    url = reverse("training:apply", args=[batch.pk])
    for i in range(2):
        ok = client.post(url, _form(nik=f"74710355049800{i + 10:02d}"), REMOTE_ADDR=f"203.0.113.{i}")
        assert ok.status_code == 200
    blocked = client.post(url, _form(nik="7471035504980099"), REMOTE_ADDR="203.0.113.50")
    assert blocked.status_code == 429 and Participant.objects.filter(batch=batch).count() == 2
    assert "Kelas ini sedang menerima terlalu banyak pendaftaran" in blocked.content.decode()
    # Another class is not affected.
    elsewhere = client.post(reverse("training:apply", args=[other.pk]), _form(), REMOTE_ADDR="203.0.113.51")
    assert elsewhere.status_code == 200


def test_certificate_verification_has_the_applications_rate_limit(client):
    url = reverse("training:verify", args=["AAAA-BBBB-CCCC"])
    for _ in range(views.APPLY_LIMIT):
        assert client.get(url, REMOTE_ADDR="198.51.100.20").status_code == 404
    blocked = client.get(url, REMOTE_ADDR="198.51.100.20")
    assert blocked.status_code == 429 and "coba lagi" in blocked.content.decode()
    assert client.get(url, REMOTE_ADDR="198.51.100.21").status_code == 404
    # The check's counter is its own: the same address may still apply.
    batch = _open_batch()
    applied = client.post(reverse("training:apply", args=[batch.pk]), _form(), REMOTE_ADDR="198.51.100.20")
    assert applied.status_code == 200


# --- Personal data: retention and data-subject requests ----------------------------------------------------------


def test_retention_erases_what_an_unsuccessful_applicant_typed(officer_region_a):
    from sentra.core.retention import apply_retention

    batch = _open_batch()
    rejected = make_application(batch, full_name="Ditolak Lama", nik="7471035504980011")
    services.participant_decide(
        actor=officer_region_a, participant=rejected, decision=ParticipantStatus.REJECTED, reason="Kuota"
    )
    pending = make_application(batch, full_name="Masih Menunggu", nik="7471035504980012")
    apply_retention(now=timezone.now() + dt.timedelta(days=400), only=["training_applications"])
    rejected.refresh_from_db()
    assert (rejected.applicant_name, rejected.applicant_nik, rejected.applicant_phone) == ("", "", "")
    assert rejected.applicant_birth_date is None and rejected.applicant_region_id == "74.71"
    assert rejected.display_name == "(pendaftar, data dihapus)"
    pending.refresh_from_db()
    assert pending.applicant_nik == "7471035504980012"  # still being decided
    assert batch.participants.count() == 2


def test_the_owners_copy_and_erasure_include_what_they_typed(officer_region_a):
    from sentra.core.personal_data import providers

    batch = _open_batch()
    p = make_application(batch, full_name="La Baru", nik=KENDARI_NIK)
    p = services.participant_register_applicant(actor=officer_region_a, participant=p)
    training = next(x for x in providers() if x.name == "training")
    (row,) = training.collect(p.owner)["Pendaftaran pelatihan"]
    assert row["name"] == "La Baru" and row["nik"] == KENDARI_NIK
    training.anonymise(p.owner, officer_region_a)
    p.refresh_from_db()
    assert (p.applicant_name, p.applicant_nik, p.motivation) == ("", "", "")
