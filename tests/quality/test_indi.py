"""INDI 4.0: the phone wizard, scoring with versioned weights, verification, history, aggregates, scope."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sentra.quality import selectors, services
from sentra.quality.models import IndiAssessment, IndiPillar, IndiQuestion
from tests.quality.factories import make_indi
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db


def test_seeded_questionnaire_matches_domain():
    version = services.indi_current_version()
    pillars = list(version.pillars.order_by("order"))
    assert [p.name for p in pillars] == [
        "Manajemen dan Organisasi",
        "Orang dan Budaya",
        "Produk dan Layanan",
        "Teknologi",
        "Operasi Pabrik",
    ]
    assert IndiQuestion.objects.filter(pillar__version=version).count() == 17
    assert all(p.weight == Decimal("0.2") for p in pillars)
    assert not version.weights_verified


def test_owner_fills_on_phone_one_question_per_card(client_for, owner_user, owned_business):
    client = client_for(owner_user)
    response = client.post(reverse("quality:indi_start", args=[owned_business.pk]))
    assessment = IndiAssessment.objects.get()
    assert response.url == reverse("quality:indi_step", args=[assessment.pk, 1])
    page = client.get(response.url)
    assert page.content.decode().count('name="score"') == 5
    missing = client.post(response.url, {})
    assert missing.status_code == 422 and "Pilih salah satu tingkat" in missing.content.decode()
    scores = [0, 1, 2, 3, 4, 4, 3, 2, 1, 0, 1, 2, 3, 4, 2, 2, 2]
    for step, score in enumerate(scores, start=1):
        r = client.post(reverse("quality:indi_step", args=[assessment.pk, step]), {"score": score})
        assert r.url == reverse("quality:indi_step", args=[assessment.pk, step + 1])
    review = reverse("quality:indi_step", args=[assessment.pk, 18])
    assert client.get(review).status_code == 200
    r = client.post(review)
    assert r.url == assessment.get_absolute_url()
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    # Pillars: MO (0,1,2)=1, OB (3,4,4)=3.67, PL (3,2,1)=2, TK (0,1,2,3)=1.5, OP (4,2,2,2)=2.5; equal weights.
    assert assessment.pillar_scores == {"mo": "1.00", "ob": "3.67", "pl": "2.00", "tk": "1.50", "op": "2.50"}
    assert assessment.overall == Decimal("2.13")
    detail = client.get(assessment.get_absolute_url())
    html = detail.content.decode()
    assert "<svg" in html and 'data-testid="pillar-table"' in html
    assert detail.context["level_name"] == "Kesiapan sedang"
    # Submitted: the owner can no longer change answers.
    with pytest.raises(ValidationError):
        services.indi_answer(actor=owner_user, assessment=assessment, question=IndiQuestion.objects.first(), score=4)


def test_resume_draft_instead_of_a_second_one(owner_user, owned_business):
    first = services.indi_start(actor=owner_user, business=owned_business)
    assert services.indi_start(actor=owner_user, business=owned_business) == first


def test_weights_are_versioned_data(world):
    a = make_indi(score=2, submit=False)
    questions = IndiQuestion.objects.filter(pillar__code="mo")
    a.answers.filter(question__in=questions).update(score=4)
    IndiPillar.objects.filter(code="mo").update(weight=Decimal("0.25"))
    IndiPillar.objects.filter(code="ob").update(weight=Decimal("0.30"))
    IndiPillar.objects.filter(code__in=["pl", "tk", "op"]).update(weight=Decimal("0.15"))
    services.indi_submit(actor=world.officer_a, assessment=a)
    assert a.overall == Decimal("2.50")  # 4 × 0.25 + 2 × 0.75


def test_submit_refuses_incomplete(world):
    a = make_indi(submit=False)
    a.answers.first().delete()
    with pytest.raises(ValidationError):
        services.indi_submit(actor=world.officer_a, assessment=a)


def test_only_officer_verifies(client_for, world, owner_user, owned_business):
    a = make_indi(business=owned_business)
    with pytest.raises(PermissionDenied):
        services.indi_verify(actor=owner_user, assessment=a)
    response = client_for(world.officer_a).post(
        reverse("quality:indi_verify", args=[a.pk]), {"note": "Dicek di lapangan"}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == "verified" and a.verified_by == world.officer_a
    with pytest.raises(ValidationError):
        services.indi_verify(actor=world.officer_a, assessment=a)


def test_history_and_change_since_last(client_for, world):
    business = BusinessFactory()
    old = make_indi(business=business, score=1)
    IndiAssessment.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=300))
    new = make_indi(business=business, score=3)
    response = client_for(world.officer_a).get(new.get_absolute_url())
    assert response.context["previous"] == old
    assert response.context["overall_change"] == Decimal("2.00")
    assert all(r.change == Decimal("2.00") for r in response.context["rows"])
    assert len(response.context["history"]) == 2


def test_aggregates_per_region_use_latest_per_business(world):
    b1, b2 = BusinessFactory(), BusinessFactory()
    old = make_indi(business=b1, score=0)
    IndiAssessment.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=300))
    make_indi(business=b1, score=4)
    make_indi(business=b2, score=2)
    make_indi(business=BusinessFactory(region_id="74.72"), score=1)
    agg = selectors.indi_aggregates(user=world.officer_a)
    assert len(agg["by_region"]) == 1
    row = agg["by_region"][0]
    assert row["n"] == 2 and Decimal(row["avg"]) == Decimal("3")
    assert agg["distribution"] == [0, 0, 1, 0, 1]
    national = selectors.indi_aggregates(user=world.national)
    assert {r["region_id"] for r in national["by_region"]} == {"74.71", "74.72"}


def test_owner_scope(client_for, owner_user, owned_business):
    mine = make_indi(business=owned_business)
    other = make_indi()
    client = client_for(owner_user)
    assert {a.pk for a in client.get(reverse("quality:indi_overview")).context["page"]} == {mine.pk}
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.post(reverse("quality:indi_start", args=[other.business_id])).status_code == 404
    assert client.get(reverse("quality:business_quality", args=[owned_business.pk])).status_code == 200


def test_radar_svg_escapes_labels():
    from sentra.quality.charts import Series, radar_svg

    svg = radar_svg(["<b>", "B", "C"], [Series("x", [1, 2, 3])])
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert svg.count("<polygon") == 4 + 1  # 4 grid rings + 1 series


def test_aggregates_per_centre_and_centre_manager_scope(client_for, world, centre_manager):
    from tests.centres.factories import CentreFactory, MembershipFactory

    centre = CentreFactory(name="Sentra IKM Meubeler")
    centre.managers.add(centre_manager)
    member = MembershipFactory(centre=centre).business
    mine = make_indi(business=member, score=3)
    other = make_indi(score=1)
    agg = selectors.indi_aggregates(user=world.officer_a)
    assert [(r["name"], r["n"]) for r in agg["by_centre"]] == [("Sentra IKM Meubeler", 1)]
    assert Decimal(agg["by_centre"][0]["avg"]) == Decimal(3)
    client = client_for(centre_manager)
    assert {a.pk for a in client.get(reverse("quality:indi_overview")).context["page"]} == {mine.pk}
    assert client.get(other.get_absolute_url()).status_code == 404
