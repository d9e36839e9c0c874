"""Roll-call marks and scores queued on a phone while offline and sent later (core.offline, views_offline)."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from sentra.accounts.roles import Role
from sentra.core.models import AuditEvent
from sentra.training import services
from sentra.training.models import Attendance, Participant
from tests.accounts.factories import UserFactory
from tests.training.factories import make_batch, make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer():
    return UserFactory(username="pelatih_luring", role=Role.TRAINER, region_id="74.71")


@pytest.fixture
def batch(trainer):
    return make_batch(trainers=[trainer])


def send(client, batch, **answer):
    return client.post(
        reverse("training:offline_sync", args=[batch.pk]), json.dumps(answer), content_type="application/json"
    )


def mark(participant, day=1, present=True, **extra):
    return {"kind": "attendance", "participant": participant.pk, "day": day, "present": present, **extra}


def test_queued_marks_are_saved_through_the_service_with_audit(client_for, trainer, batch):
    people = [make_participant(batch) for _ in range(3)]
    client = client_for(trainer)
    for p in people:
        response = send(client, batch, **mark(p, version=p.version, was=None))
        assert response.status_code == 200, response.content
        assert response.json() == {"status": "saved", "version": p.version + 1}
    assert Attendance.objects.filter(participant__in=people, day__number=1, present=True).count() == 3
    assert AuditEvent.objects.filter(action="training.participant.attendance_recorded", actor=trainer).count() == 3


def test_mark_changed_by_someone_else_meanwhile_is_a_conflict_with_both_values(client_for, trainer, batch):
    p = make_participant(batch, name="Wa Ode Sitti")
    loaded = p.version
    officer = UserFactory(username="petugas_kdi", role=Role.REGENCY_OFFICER, region_id="74.71")
    services.attendance_set(actor=officer, participant=p, day=batch.days.get(number=1), present=False)

    response = send(client_for(trainer), batch, **mark(p, present=True, version=loaded, was=None))

    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "conflict"
    assert "petugas_kdi" in body["message"]
    assert body["yours"] == "hadir"  # the phone names the participant and the day beside the values
    assert body["theirs"] == "tidak hadir"
    assert body["stored"] is False and body["version"] == loaded + 1
    assert Attendance.objects.get(participant=p, day__number=1).present is False  # not overwritten


def test_keeping_my_value_after_a_conflict_writes_it(client_for, trainer, batch):
    p = make_participant(batch)
    services.attendance_set(actor=None, participant=p, day=batch.days.get(number=1), present=False)
    p.refresh_from_db()
    response = send(client_for(trainer), batch, **mark(p, present=True, version=p.version, was=False))
    assert response.status_code == 200
    assert Attendance.objects.get(participant=p, day__number=1).present is True


def test_another_mark_of_the_same_participant_is_no_conflict(client_for, trainer, batch):
    """Another officer marked day 2 meanwhile: the participant's version moved, the trainer's day 1 is untouched."""
    p = make_participant(batch)
    loaded = p.version
    services.attendance_set(actor=None, participant=p, day=batch.days.get(number=2), present=True)
    response = send(client_for(trainer), batch, **mark(p, day=1, version=loaded, was=None))
    assert response.status_code == 200
    assert set(Attendance.objects.filter(participant=p).values_list("day__number", "present")) == {
        (1, True),
        (2, True),
    }


def test_a_mark_sent_twice_is_saved_once(client_for, trainer, batch):
    """The connection dropped after the server saved the mark: the phone sends it again."""
    p = make_participant(batch)
    client = client_for(trainer)
    assert send(client, batch, **mark(p, version=p.version, was=None)).status_code == 200
    again = send(client, batch, **mark(p, version=p.version, was=None))
    assert again.status_code == 200
    assert AuditEvent.objects.filter(action__startswith="training.participant.attendance").count() == 1


def test_class_outside_scope_is_not_found(client_for, batch):
    other_trainer = UserFactory(username="pelatih_lain", role=Role.TRAINER, region_id="74.71")
    p = make_participant(batch)
    assert send(client_for(other_trainer), batch, **mark(p, version=p.version, was=None)).status_code == 404
    baubau = UserFactory(username="petugas_bau", role=Role.REGENCY_OFFICER, region_id="74.72")
    assert send(client_for(baubau), batch, **mark(p, version=p.version, was=None)).status_code == 404
    assert not Attendance.objects.exists()


def test_participant_of_another_class_is_not_found(client_for, trainer, batch):
    stranger = make_participant(make_batch(trainers=[trainer]))
    assert send(client_for(trainer), batch, **mark(stranger, version=stranger.version, was=None)).status_code == 404


@pytest.mark.parametrize(
    "answer",
    [
        {"kind": "attendance", "day": 1, "present": True, "version": 1},  # no participant
        {"kind": "unknown"},
        "not an object",
    ],
)
def test_unreadable_answer_is_refused_with_a_message(client_for, trainer, batch, answer):
    make_participant(batch)
    client = client_for(trainer)
    response = client.post(
        reverse("training:offline_sync", args=[batch.pk]), json.dumps(answer), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["status"] == "invalid" and response.json()["message"]
    assert not Attendance.objects.exists()


def test_answer_without_version_is_refused(client_for, trainer, batch):
    p = make_participant(batch)
    response = send(client_for(trainer), batch, **mark(p, was=None))
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_mark_refused_by_the_service_says_why(client_for, trainer, batch):
    p = make_participant(batch, accept=False)
    response = send(client_for(trainer), batch, **mark(p, version=p.version, was=None))
    assert response.status_code == 400
    assert "diterima" in response.json()["message"]


def test_scores_are_saved_and_a_stale_changed_score_is_a_conflict(client_for, officer_region_a):
    batch = make_batch()
    p = make_participant(batch, name="La Ode Rahman")
    q = make_participant(batch)
    client = client_for(officer_region_a)
    url = reverse("training:offline_sync", args=[batch.pk])

    def scores(participant, pre, post, version, was):
        answer = {"kind": "scores", "participant": participant.pk, "pre": pre, "post": post}
        return client.post(url, json.dumps({**answer, "version": version, "was": was}), content_type="application/json")

    assert scores(q, "40", "82,5", q.version, [None, None]).status_code == 200
    q.refresh_from_db()
    assert q.post_test == Decimal("82.50")

    loaded = p.version
    services.scores_set(actor=officer_region_a, participant=p, pre_test=Decimal(50), post_test=Decimal(70))
    response = scores(p, "45", "90", loaded, [None, None])
    assert response.status_code == 409
    assert response.json()["theirs"] == "pre-test 50, post-test 70"
    p.refresh_from_db()
    assert p.post_test == Decimal("70.00")

    bad = scores(p, "45", "120", p.version, ["50", "70"])
    assert bad.status_code == 400 and "0 dan 100" in bad.json()["message"]


def test_trainer_may_not_send_scores(client_for, trainer, batch):
    p = make_participant(batch)
    answer = {"kind": "scores", "participant": p.pk, "pre": "50", "post": "80", "version": p.version, "was": None}
    response = send(client_for(trainer), batch, **answer)
    assert response.status_code == 404
    assert Participant.objects.get(pk=p.pk).post_test is None
