"""Training, budget and quality through the API: filters, masking, the roll call, verification,
and list query counts that do not grow with rows."""

from __future__ import annotations

import pytest

from sentra.core.models import AuditEvent
from sentra.training import services as training_services
from sentra.training.models import Attendance
from tests.api.conftest import assert_error_format
from tests.training.factories import complete_participant, make_batch, make_participant, make_programme


@pytest.fixture
def api_a(officer_region_a, api_for):
    return api_for(officer_region_a)


def _certified_batch(region: str = "74.71"):
    batch = make_batch(region_id=region)
    participant = make_participant(batch)
    complete_participant(participant, present_days=6, post="80")
    training_services.batch_assess(actor=None, batch=batch)
    cert = training_services.certificates_issue(actor=None, batch=batch)[0]
    return batch, participant, cert


# --- Training -------------------------------------------------------------------------------------------


def test_batches_filter_like_the_page_and_leave_other_regions_out(api_a):
    kendari = make_batch(region_id="74.71", status="open")
    make_batch(region_id="74.71", status="completed")
    baubau = make_batch(region_id="74.72", status="open")
    ids = [r["id"] for r in api_a.get("/batches", {"status": "open"}).json()["results"]]
    assert ids == [kendari.pk]
    assert baubau.pk not in [r["id"] for r in api_a.get("/batches", {"page_size": 200}).json()["results"]]
    body = assert_error_format(api_a.get("/batches", {"status": "nope"}), 422, "validation_error")
    assert "status" in body["errors"]
    detail = api_a.get(f"/batches/{kendari.pk}").json()
    assert [d["number"] for d in detail["days"]] == list(range(1, len(detail["days"]) + 1))
    assert api_a.get(f"/batches/{baubau.pk}").status_code == 404


def test_participants_are_masked(api_a):
    batch = make_batch()
    participant = make_participant(batch)
    participant.owner.nik = "7471035208850001"
    participant.owner.phone = "+6281234567890"
    participant.owner.save()
    rows = api_a.get(f"/batches/{batch.pk}/participants").json()["results"]
    assert rows[0]["owner"]["nik"] == "7471********0001"
    assert "4567" not in rows[0]["owner"]["phone"]
    assert "3520885" not in str(rows)


def test_owner_sees_only_their_own_participation(world, api_for):
    batch = make_batch()
    mine = make_participant(batch)
    make_participant(batch)
    mine.owner.user = world.owner_a
    mine.owner.save()
    rows = api_for(world.owner_a).get(f"/batches/{batch.pk}/participants").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]


def test_roll_call_through_the_service_audited_and_refused_cleanly(api_a, world, api_for):
    batch = make_batch()
    participant = make_participant(batch)
    waiting = make_participant(batch, accept=False)
    response = api_a.post(f"/batches/{batch.pk}/attendance", {"participant": participant.pk, "day": 1, "present": True})
    assert response.status_code == 200, response.content
    assert response.json()["present"] is True
    assert Attendance.objects.get(participant=participant, day__number=1).present is True
    assert AuditEvent.objects.filter(action="training.participant.attendance_recorded").count() == 1
    grid = api_a.get(f"/batches/{batch.pk}/attendance").json()
    assert grid["participants"][0]["marks"] == [{"day": 1, "present": True}]
    # Failure paths: nothing changes, the message says why.
    before = Attendance.objects.count()
    body = assert_error_format(
        api_a.post(f"/batches/{batch.pk}/attendance", {"participant": waiting.pk, "day": 1, "present": True}), 422
    )
    assert body["code"] == "not_accepted"
    body = assert_error_format(
        api_a.post(f"/batches/{batch.pk}/attendance", {"participant": participant.pk, "day": 99, "present": True}),
        422,
        "validation_error",
    )
    assert list(body["errors"]) == ["day"]
    other = make_participant(make_batch())
    body = assert_error_format(
        api_a.post(f"/batches/{batch.pk}/attendance", {"participant": other.pk, "day": 1, "present": True}), 422
    )
    assert list(body["errors"]) == ["participant"]
    assert Attendance.objects.count() == before
    # A read-only token, and a user without the roll-call permission, are refused.
    read_only = api_for(world.officer_a, "read")
    assert_error_format(
        read_only.post(f"/batches/{batch.pk}/attendance", {"participant": participant.pk, "day": 2, "present": True}),
        403,
        "token_read_only",
    )
    assert Attendance.objects.count() == before


def test_roll_call_is_closed_once_the_certificate_is_issued(api_a):
    batch, participant, _cert = _certified_batch()
    before = list(Attendance.objects.values_list("id", "present"))
    body = assert_error_format(
        api_a.post(f"/batches/{batch.pk}/attendance", {"participant": participant.pk, "day": 1, "present": False}), 422
    )
    assert body["code"] == "certified"
    assert list(Attendance.objects.values_list("id", "present")) == before


def test_certificates_list_and_verify_by_code_across_regions(api_a, world, api_for):
    _b, _p, cert = _certified_batch("74.71")
    _b2, _p2, other = _certified_batch("74.72")
    ids = [r["id"] for r in api_a.get("/certificates", {"page_size": 200}).json()["results"]]
    assert cert.pk in ids and other.pk not in ids
    assert api_a.get(f"/certificates/{other.pk}").status_code == 404
    # Verification follows the public page: any holder of the code may check it, whatever their scope.
    verified = api_a.get(f"/certificates/verify/{other.code.lower()}").json()
    assert verified["holder_name"] == other.holder_name and verified["valid"] is True
    assert set(verified) >= {"code", "programme_title", "start_date", "end_date"}
    assert "participant" not in verified and "nik" not in str(verified)
    assert_error_format(api_a.get("/certificates/verify/ZZZZ-0000-0000"), 404, "not_found")
    training_services.certificate_revoke(actor=None, certificate=other, reason="Data peserta salah")
    assert api_a.get(f"/certificates/verify/{other.code}").json()["valid"] is False


def test_programmes_filter_by_kind(api_a):
    make_programme()
    rows = api_a.get("/programmes", {"kind": "pelatihan"}).json()["results"]
    assert rows and rows[0]["batch_count"] == 0
    assert api_a.get("/programmes", {"kind": "bimtek"}).json()["results"] == []
    detail = api_a.get(f"/programmes/{rows[0]['id']}").json()
    assert detail["hours_jp"] == 48 and len(detail["modules"]) == 2


# --- Budget ---------------------------------------------------------------------------------------------


def test_allocations_and_line_realisation(api_a):
    from decimal import Decimal

    from sentra.budget.choices import PlanStatus
    from tests.budget.factories import make_allocation, make_contract, make_line, make_plan

    allocation = make_allocation(region="74.71")
    make_allocation(region="74.72")
    line = make_line(plan=make_plan(allocation=allocation, status=PlanStatus.APPROVED))
    make_contract(line=line, value=Decimal("400000000"))
    rows = api_a.get("/allocations", {"year": allocation.fund.fiscal_year.year}).json()["results"]
    assert [r["id"] for r in rows] == [allocation.pk]
    assert rows[0]["amount"] == "5000000000.00" and rows[0]["planned_total"] == "1000000000.00"
    lines = api_a.get("/budget-lines", {"allocation": allocation.pk}).json()["results"]
    assert [r["id"] for r in lines] == [line.pk] and lines[0]["contracted"] == "400000000.00"
    realisation = api_a.get(f"/budget-lines/{line.pk}/realisation").json()
    assert realisation["contracts"][0]["value"] == "400000000.00" and realisation["paid"] == "0.00"
    body = assert_error_format(api_a.get("/allocations", {"province": "99"}), 422, "validation_error")
    assert "province" in body["errors"]


# --- Quality --------------------------------------------------------------------------------------------


def test_certifications_filter_by_validity(api_a):
    import datetime as dt

    from django.utils import timezone

    from tests.quality.factories import CertificationFactory
    from tests.registry.factories import BusinessFactory

    today = timezone.localdate()
    business = BusinessFactory(region_id="74.71")
    expired = CertificationFactory(
        business=business, issued_on=today - dt.timedelta(days=400), expires_on=today - dt.timedelta(days=1)
    )
    soon = CertificationFactory(business=business, expires_on=today + dt.timedelta(days=30))
    CertificationFactory(business=business, expires_on=today + dt.timedelta(days=900))
    assert [r["id"] for r in api_a.get("/certifications", {"status": "habis"}).json()["results"]] == [expired.pk]
    rows = api_a.get("/certifications", {"status": "akan-habis"}).json()["results"]
    assert [r["id"] for r in rows] == [soon.pk] and rows[0]["validity"] == "expiring"


# --- Query counts ---------------------------------------------------------------------------------------


def _seed(rows: int) -> None:
    from sentra.budget.choices import PlanStatus
    from tests.budget.factories import make_allocation, make_line, make_plan
    from tests.quality.factories import CertificationFactory, make_assessment, make_indi
    from tests.registry.factories import BusinessFactory

    for _ in range(rows):
        _certified_batch()
        business = BusinessFactory(region_id="74.71")
        CertificationFactory(business=business)
        make_assessment(business=business)
        make_indi(business=business)
        plan = make_plan(allocation=make_allocation(region="74.71"), status=PlanStatus.APPROVED)
        make_line(plan=plan)


LISTS = ["/programmes", "/batches", "/certificates", "/allocations", "/budget-lines", "/certifications",
         "/assessments", "/indi-assessments"]  # fmt: skip


@pytest.mark.parametrize("path", LISTS)
def test_list_query_counts_do_not_grow_with_rows(api_a, django_assert_max_num_queries, path):
    _seed(2)
    with django_assert_max_num_queries(8) as few:
        small = api_a.get(path, {"page_size": 200})
    assert small.status_code == 200 and len(small.json()["results"]) >= 2
    _seed(4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        big = api_a.get(path, {"page_size": 200})
    assert len(big.json()["results"]) > len(small.json()["results"])


def test_nested_lists_query_counts_do_not_grow(api_a, django_assert_max_num_queries):
    batch = make_batch()
    for _ in range(2):
        complete_participant(make_participant(batch), present_days=3, post="70")
    with django_assert_max_num_queries(16) as few:
        assert len(api_a.get(f"/batches/{batch.pk}/participants").json()["results"]) == 2
        assert len(api_a.get(f"/batches/{batch.pk}/attendance").json()["participants"]) == 2
    for _ in range(4):
        complete_participant(make_participant(batch), present_days=3, post="70")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api_a.get(f"/batches/{batch.pk}/participants").json()["results"]) == 6
        assert len(api_a.get(f"/batches/{batch.pk}/attendance").json()["participants"]) == 6
