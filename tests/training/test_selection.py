import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from sentra.core.errors import DomainError
from sentra.core.models import AuditEvent
from sentra.training import services
from sentra.training.choices import ParticipantStatus
from sentra.training.models import Notice
from tests.registry.factories import OwnerFactory
from tests.training.factories import accepted, make_batch, make_participant

pytestmark = pytest.mark.django_db


def test_quota_is_enforced_and_overflow_goes_to_waiting_list():
    batch = make_batch(quota=2)
    a = make_participant(batch)
    b = make_participant(batch)
    c = make_participant(batch, accept=False)
    assert (a.status, b.status) == ("accepted", "accepted")
    with pytest.raises(DomainError) as exc:
        services.participant_decide(actor=None, participant=c, decision=ParticipantStatus.ACCEPTED)
    assert exc.value.code == "quota_full"
    c.refresh_from_db()
    assert c.status == ParticipantStatus.APPLIED and c.seat is None
    # Registering with "accept" when full puts the person on the waiting list instead.
    d = make_participant(batch)
    assert d.status == ParticipantStatus.WAITLISTED
    assert accepted(batch) == 2


def test_withdrawn_place_goes_to_first_on_waiting_list_with_notice():
    batch = make_batch(quota=1)
    a = make_participant(batch)
    first = make_participant(batch)  # waitlisted first
    second = make_participant(batch)
    assert (first.status, second.status) == ("waitlisted", "waitlisted")
    first.owner.email = "first@example.org"
    first.owner.save()
    promoted = services.participant_withdraw(actor=None, participant=a, reason="Sakit")
    assert promoted.pk == first.pk
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "accepted" and first.seat == 1
    assert second.status == "waitlisted"
    assert Notice.objects.filter(participant=first, message__icontains="diterima").exists()
    assert AuditEvent.objects.filter(action="training.participant.withdrawn", object_id=str(a.pk)).exists()


def test_waitlisting_an_accepted_person_promotes_someone_else_not_them():
    batch = make_batch(quota=1)
    a = make_participant(batch)
    b = make_participant(batch)
    services.participant_decide(actor=None, participant=a, decision=ParticipantStatus.WAITLISTED, reason="Tukar")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == "waitlisted" and b.status == "accepted"


def test_reject_needs_a_reason_and_changes_nothing_without_one():
    batch = make_batch()
    p = make_participant(batch, accept=False)
    with pytest.raises(ValidationError):
        services.participant_decide(actor=None, participant=p, decision=ParticipantStatus.REJECTED, reason=" ")
    p.refresh_from_db()
    assert p.status == ParticipantStatus.APPLIED
    services.participant_decide(
        actor=None, participant=p, decision=ParticipantStatus.REJECTED, reason="Di luar wilayah"
    )
    p.refresh_from_db()
    assert p.status == "rejected" and p.decision_reason == "Di luar wilayah"


def test_same_owner_twice_is_refused():
    batch = make_batch()
    p = make_participant(batch)
    with pytest.raises(DomainError):
        services.participant_register(actor=None, batch=batch, owner=p.owner)


def test_seat_uniqueness_stops_a_stale_count(monkeypatch):
    """Two officers who both saw one free seat: the database refuses the second (quota race)."""
    batch = make_batch(quota=1)
    make_participant(batch)
    late = make_participant(batch, accept=False)
    with mock.patch("sentra.training.services._free_seat", return_value=1):
        with pytest.raises(DomainError) as exc:
            services.participant_decide(actor=None, participant=late, decision=ParticipantStatus.ACCEPTED)
    assert exc.value.code == "quota_full"
    late.refresh_from_db()
    assert late.status == "applied"
    assert accepted(batch) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises writers")
def test_concurrent_acceptances_never_exceed_quota():
    batch = make_batch(quota=3)
    people = [make_participant(batch, accept=False) for _ in range(8)]
    errors: list[str] = []

    def accept(p):
        from django.db import connection as conn

        try:
            services.participant_decide(actor=None, participant=p, decision=ParticipantStatus.ACCEPTED)
        except DomainError as exc:
            errors.append(exc.code)
        finally:
            conn.close()

    threads = [threading.Thread(target=accept, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert accepted(batch) == 3
    assert errors.count("quota_full") == 5


def test_new_person_creates_owner_and_duplicate_nik_is_caught(officer_region_a):
    batch = make_batch()
    p = services.participant_register_new_person(
        actor=officer_region_a,
        batch=batch,
        full_name="Wa Ode Baru",
        nik="7471035307850001",
        gender="P",
        accept=True,
    )
    assert p.owner.region_id == "74.71" and p.status == "accepted"
    with pytest.raises(ValidationError) as exc:
        services.participant_register_new_person(
            actor=officer_region_a, batch=batch, full_name="Orang Lain", nik="7471035307850001"
        )
    assert "Wa Ode Baru" in str(exc.value)
    # A NIK registered in another regency is caught without naming the person.
    OwnerFactory(region_id="74.72", nik="7472035307850002", full_name="Rahasia Baubau")
    with pytest.raises(ValidationError) as exc:
        services.participant_register_new_person(
            actor=officer_region_a, batch=batch, full_name="X", nik="7472035307850002"
        )
    assert "NIK tidak dapat dipakai" in str(exc.value) and "Rahasia" not in str(exc.value)


def test_two_officers_deciding_from_the_same_page_second_is_refused(client_for, officer_region_a, province_officer):
    """Optimistic lock on decisions: a stale page cannot silently turn a rejection into an acceptance."""
    batch = make_batch(quota=5)
    applicant = make_participant(batch, accept=False)
    page = client_for(officer_region_a).get(batch.get_absolute_url())
    assert f'name="version" value="{applicant.version}"' in page.content.decode()
    url = reverse("training:participant_decide", args=[batch.pk, applicant.pk])
    loaded = {"version": str(applicant.version)}
    first = client_for(officer_region_a).post(url, {**loaded, "decision": "rejected", "reason": "Bukan pelaku IKM"})
    assert first.status_code == 302
    second = client_for(province_officer).post(url, {**loaded, "decision": "accepted", "reason": ""}, follow=True)
    assert "sejak Anda membukanya" in second.content.decode()
    applicant.refresh_from_db()
    assert (applicant.status, applicant.decision_reason, applicant.seat) == ("rejected", "Bukan pelaku IKM", None)
