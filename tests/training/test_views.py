import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from sentra.accounts.roles import Role
from sentra.core.errors import DomainError
from sentra.training import services
from sentra.training.models import Attendance, EvaluationResponse, FollowUp, Programme
from tests.accounts.factories import UserFactory
from tests.training.factories import complete_participant, make_batch, make_participant

pytestmark = pytest.mark.django_db


def _fill(batch, n):
    people = [make_participant(batch) for _ in range(n)]
    for p in people:
        complete_participant(p, present_days=5, post="75")
    return people


@pytest.mark.parametrize("url_name", ["training:batch_detail", "training:attendance_grid", "training:scores"])
def test_query_count_does_not_grow_with_participants(
    client_for, officer_region_a, django_assert_max_num_queries, url_name
):
    small = make_batch()
    _fill(small, 2)
    big = make_batch()
    _fill(big, 12)
    client = client_for(officer_region_a)
    client.get(reverse(url_name, args=[small.pk]))  # warm caches (session, permissions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name, args=[small.pk])).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(url_name, args=[big.pk]))
    assert response.status_code == 200


def test_attendance_day_query_count(client_for, django_assert_max_num_queries):
    """The phone roll call: a fixed number of queries (measured: 14 with session and permission look-ups)."""
    trainer = UserFactory(username="pelatih_q", role=Role.TRAINER, region_id="74.71")
    small = make_batch(trainers=[trainer])
    _fill(small, 1)
    batch = make_batch(trainers=[trainer])
    _fill(batch, 15)
    client = client_for(trainer)
    client.get(reverse("training:attendance_day", args=[small.pk, 1]))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("training:attendance_day", args=[small.pk, 2]))
    assert len(few.captured_queries) <= 16
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("training:attendance_day", args=[batch.pk, 2])).status_code == 200


def test_trainer_sees_and_marks_only_own_classes(client_for):
    trainer = UserFactory(username="pelatih_a", role=Role.TRAINER, region_id="74.71")
    mine = make_batch(trainers=[trainer])
    other = make_batch()
    p = make_participant(mine)
    q = make_participant(other)
    client = client_for(trainer)
    assert client.get(reverse("training:batch_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("training:batch_detail", args=[other.pk])).status_code == 404
    list_page = client.get(reverse("training:batch_list")).content.decode()
    assert mine.name in list_page
    url = reverse("training:attendance_toggle", args=[mine.pk, 1, p.pk])
    response = client.post(url, {"present": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'data-present="1"' in response.content.decode()
    assert Attendance.objects.get(participant=p, day__number=1).present is True
    response = client.post(url, {"present": "0"}, HTTP_HX_REQUEST="true")
    assert Attendance.objects.get(participant=p, day__number=1).present is False
    assert (
        client.post(reverse("training:attendance_toggle", args=[other.pk, 1, q.pk]), {"present": "1"}).status_code
        == 404
    )
    # Trainers neither enter scores nor issue certificates.
    assert client.get(reverse("training:scores", args=[mine.pk])).status_code == 404
    assert client.post(reverse("training:certificates_issue", args=[mine.pk])).status_code == 404


def test_owner_sees_only_own_participation(client_for, owner_user):
    batch = make_batch()
    mine = make_participant(batch)
    other = make_participant(batch)
    mine.owner.user = owner_user
    mine.owner.save()
    client = client_for(owner_user)
    body = client.get(reverse("training:batch_detail", args=[batch.pk])).content.decode()
    assert mine.owner.full_name in body
    assert other.owner.full_name not in body
    assert client.get(reverse("training:attendance_grid", args=[batch.pk])).status_code == 404


def test_scores_form_saves_and_bad_input_saves_nothing(client_for, officer_region_a):
    batch = make_batch()
    a, b = make_participant(batch), make_participant(batch)
    client = client_for(officer_region_a)
    url = reverse("training:scores", args=[batch.pk])
    bad = client.post(url, {f"pre_{a.pk}": "40", f"post_{a.pk}": "80", f"pre_{b.pk}": "45", f"post_{b.pk}": "120"})
    assert bad.status_code == 200 and "antara 0 dan 100" in bad.content.decode()
    a.refresh_from_db()
    assert a.post_test is None
    ok = client.post(url, {f"pre_{a.pk}": "40", f"post_{a.pk}": "72,5", f"pre_{b.pk}": "", f"post_{b.pk}": ""})
    assert ok.status_code == 302
    a.refresh_from_db()
    assert a.post_test == Decimal("72.50") and a.gain == Decimal("32.50")


def test_evaluation_is_anonymous_and_hidden_below_three(client_for, officer_region_a, owner_user):
    trainer = UserFactory(username="pelatih_e", role=Role.TRAINER, region_id="74.71")
    batch = make_batch(trainers=[trainer])
    people = [make_participant(batch) for _ in range(3)]
    people[0].owner.user = owner_user
    people[0].owner.save()
    # No field of an answer can lead back to a person.
    names = {f.name for f in EvaluationResponse._meta.get_fields()}
    assert not names & {"participant", "user", "owner", "created_at", "submitted_at"}
    owner_client = client_for(owner_user)
    answers = {"mastery": "5", "delivery": "4", "relevance": "5", "organisation": "3", "comment": "Bagus sekali"}
    assert owner_client.post(reverse("training:evaluation", args=[batch.pk]), answers).status_code == 302
    people[0].refresh_from_db()
    assert people[0].evaluated
    with pytest.raises(DomainError):
        services.evaluation_submit(actor=owner_user, batch=batch, participant=people[0], answers=answers)
    trainer_client = client_for(trainer)
    hidden = trainer_client.get(reverse("training:evaluation_results", args=[batch.pk])).content.decode()
    assert "Bagus sekali" not in hidden and "Baru 1 jawaban" in hidden
    for _ in range(2):
        services.evaluation_submit(actor=officer_region_a, batch=batch, answers={**answers, "comment": ""})
    shown = trainer_client.get(reverse("training:evaluation_results", args=[batch.pk])).content.decode()
    assert "Bagus sekali" in shown and "3 responden" in shown
    assert people[0].owner.full_name not in shown
    # Never more answers than accepted participants.
    with pytest.raises(DomainError):
        services.evaluation_submit(actor=officer_region_a, batch=batch, answers=answers)


def test_report_pdf_and_xlsx(client_for, officer_region_a):
    batch = make_batch()
    people = _fill(batch, 3)
    services.batch_assess(actor=None, batch=batch)
    client = client_for(officer_region_a)
    pdf = client.get(reverse("training:report_pdf", args=[batch.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "LAPORAN PELAKSANAAN" in text
    assert people[0].owner.full_name in text
    assert "83%" in text  # 5 of 6 days
    xlsx = client.get(reverse("training:report_xlsx", args=[batch.pk]))
    wb = load_workbook(io.BytesIO(xlsx.content))
    rows = list(wb["Peserta"].iter_rows(values_only=True))
    assert rows[0][1] == "Nama" and len(rows) == 4
    assert {r[1] for r in rows[1:]} == {p.owner.full_name for p in people}
    assert rows[1][3] == pytest.approx(83.33)


def test_followup_updates_registry_and_outcomes(client_for, officer_region_a):
    batch = make_batch()
    p = make_participant(batch)
    p.business.nib = None
    p.business.save()
    client = client_for(officer_region_a)
    url = reverse("training:participant_followup", args=[batch.pk, p.pk])
    response = client.post(
        url,
        {
            "months": "6",
            "contacted_on": "2023-01-30",
            "grew_business": "on",
            "nib_registered": "on",
            "nib": "9120001234567",
            "turnover": "Rp 600.000.000",
            "workforce": "9",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    p.business.refresh_from_db()
    assert p.business.turnover == Decimal(600_000_000)
    assert p.business.workforce_total == 9 and p.business.nib == "9120001234567"
    assert services.outcomes(batch)["grew"] == 1
    # The same month twice is refused; a 12-month follow-up before it is due too.
    again = client.post(url, {"months": "6", "contacted_on": "2023-02-01"})
    assert "sudah dicatat" in again.content.decode()
    early = client.post(url, {"months": "12", "contacted_on": "2023-02-01"})
    assert "baru dapat dicatat" in early.content.decode()
    assert FollowUp.objects.filter(participant=p).count() == 1


def test_followup_new_entrepreneur_registers_business(officer_region_a):
    batch = make_batch()
    p = services.participant_register_new_person(
        actor=officer_region_a, batch=batch, full_name="Calon Wirausaha", nik="7471031208990002", accept=True
    )
    services.followup_record(
        actor=officer_region_a,
        participant=p,
        months=3,
        contacted_on=dt.date(2022, 10, 30),
        started_business=True,
        business_name="Rotan Calon",
        turnover=Decimal(50_000_000),
        workforce=2,
    )
    p.refresh_from_db()
    assert p.business.name == "Rotan Calon"
    assert p.business.ownerships.filter(owner=p.owner).exists()
    assert services.outcomes(batch)["new_entrepreneurs"] == 1


def test_officer_creates_programme_and_batch_through_pages(client_for, officer_region_a):
    client = client_for(officer_region_a)
    response = client.post(
        reverse("training:programme_add"),
        {
            "title": "Bimtek Kemasan",
            "kind": "bimtek",
            "min_attendance_pct": "80",
            "min_post_test": "60",
            "region": "74.71",
        },
    )
    programme = Programme.objects.get(title="Bimtek Kemasan")
    assert response.status_code == 302
    client.post(
        reverse("training:programme_detail", args=[programme.pk]), {"order": "1", "title": "Desain", "hours_jp": "16"}
    )
    assert programme.modules.count() == 1
    response = client.post(
        reverse("training:batch_add"),
        {
            "programme": programme.pk,
            "name": "Bimtek Kemasan 2022",
            "region": "74.71",
            "start_date": "2022-08-15",
            "end_date": "2022-08-20",
            "venue": "Aula",
            "quota": "20",
            "funding_source": "apbd",
            "status": "open",
            "min_age": "17",
            "max_age": "60",
            "business_requirement": "has_or_plans",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response.url).content.decode()
    assert "5 hari pelatihan" in page and "Kemerdekaan" in page


def test_decide_and_withdraw_through_the_batch_page(client_for, officer_region_a):
    batch = make_batch(quota=1)
    first = make_participant(batch)
    waiting = make_participant(batch)
    client = client_for(officer_region_a)
    bad = client.post(reverse("training:participant_decide", args=[batch.pk, waiting.pk]), {"decision": "accepted"})
    assert bad.status_code == 302
    page = client.get(reverse("training:batch_detail", args=[batch.pk])).content.decode()
    assert "Kuota 1 peserta sudah penuh" in page
    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"
    client.post(reverse("training:participant_withdraw", args=[batch.pk, first.pk]), {"reason": "Pindah kota"})
    page = client.get(reverse("training:batch_detail", args=[batch.pk])).content.decode()
    assert "dari daftar tunggu" in page
    waiting.refresh_from_db()
    assert waiting.status == "accepted"
