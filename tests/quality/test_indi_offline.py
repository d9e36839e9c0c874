"""The owner's INDI 4.0 answers queued on a phone while offline and sent later (quality.views_offline)."""

import json

import pytest
from django.urls import reverse

from sentra.accounts.roles import Role
from sentra.core.errors import ConflictError
from sentra.quality import services
from sentra.quality.choices import IndiStatus
from sentra.quality.models import IndiAnswer, IndiQuestion
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(owner_user, owned_business):
    return services.indi_start(actor=owner_user, business=owned_business)


def send(client, assessment, **answer):
    return client.post(
        reverse("quality:indi_offline_sync", args=[assessment.pk]), json.dumps(answer), content_type="application/json"
    )


def questions(assessment):
    return list(IndiQuestion.objects.filter(pillar__version=assessment.questionnaire).order_by("pillar__order", "id"))


def test_every_answer_then_the_submission_arrive(client_for, owner_user, draft):
    client = client_for(owner_user)
    version = draft.version
    for q in questions(draft):
        response = send(client, draft, kind="answer", question=q.pk, score=3, note="", version=version, was=None)
        assert response.status_code == 200, response.content
        version = response.json()["version"]  # the phone bases its next answer on the version it got back
    assert send(client, draft, kind="submit", version=version, was=None).status_code == 200
    draft.refresh_from_db()
    assert draft.status == IndiStatus.SUBMITTED
    assert draft.answers.count() == len(questions(draft))


def test_answer_changed_by_someone_else_meanwhile_is_a_conflict(client_for, owner_user, draft):
    q = questions(draft)[0]
    loaded = draft.version
    officer = UserFactory(username="petugas_mutu", role=Role.REGENCY_OFFICER, region_id="74.71")
    services.indi_answer(actor=officer, assessment=draft, question=q, score=1, note="dicek petugas")

    response = send(client_for(owner_user), draft, kind="answer", question=q.pk, score=4, note="", version=loaded)

    assert response.status_code == 409
    body = response.json()
    assert "petugas_mutu" in body["message"]
    assert body["theirs"] == "tingkat 1 (dicek petugas)"
    assert body["yours"] == "tingkat 4"
    assert IndiAnswer.objects.get(assessment=draft, question=q).score == 1


def test_answer_to_another_question_meanwhile_is_no_conflict(client_for, owner_user, draft):
    first, second = questions(draft)[:2]
    loaded = draft.version
    services.indi_answer(actor=owner_user, assessment=draft, question=second, score=2)
    response = send(client_for(owner_user), draft, kind="answer", question=first.pk, score=4, version=loaded, was=None)
    assert response.status_code == 200
    assert IndiAnswer.objects.get(assessment=draft, question=first).score == 4


def test_service_refuses_a_stale_version(owner_user, draft):
    q = questions(draft)[0]
    loaded = draft.version
    services.indi_answer(actor=owner_user, assessment=draft, question=q, score=2)
    with pytest.raises(ConflictError):
        services.indi_answer(actor=owner_user, assessment=draft, question=q, score=3, expected_version=loaded)


def test_other_owner_gets_not_found(client_for, draft):
    stranger = UserFactory(username="pemilik_lain", role=Role.BUSINESS_OWNER, region_id="74.71")
    q = questions(draft)[0]
    response = send(client_for(stranger), draft, kind="answer", question=q.pk, score=4, version=draft.version)
    assert response.status_code == 404
    assert not draft.answers.exists()


@pytest.mark.parametrize(
    ("answer", "names_question"),
    [
        ({"kind": "answer", "score": 3}, False),  # which question?
        ({"kind": "answer", "score": 9}, True),
        ({"kind": "answer", "score": "tiga"}, True),
        ({"kind": "answer", "score": 3, "note": ["x"]}, True),
        ({"kind": "what"}, False),
    ],
)
def test_bad_answers_are_refused_with_a_message(client_for, owner_user, draft, answer, names_question):
    if names_question:
        answer = {**answer, "question": questions(draft)[0].pk}
    response = send(client_for(owner_user), draft, **answer, version=draft.version)
    assert response.status_code == 400
    assert response.json()["message"]
    assert not draft.answers.exists()


def test_incomplete_submission_is_refused(client_for, owner_user, draft):
    response = send(client_for(owner_user), draft, kind="submit", version=draft.version)
    assert response.status_code == 400
    assert "belum dijawab" in response.json()["message"]
    draft.refresh_from_db()
    assert draft.status == IndiStatus.DRAFT


def test_question_of_another_questionnaire_is_not_found(client_for, owner_user, draft):
    from sentra.quality.models import IndiPillar, IndiVersion

    old = IndiVersion.objects.create(number=99, label="Kuesioner lama")
    pillar = IndiPillar.objects.create(version=old, code="X", name="Lama", short_name="L", order=9, weight="0.2")
    foreign = IndiQuestion.objects.create(pillar=pillar, indicator="X1", text="?", order=1)
    response = send(client_for(owner_user), draft, kind="answer", question=foreign.pk, score=2, version=draft.version)
    assert response.status_code == 404
