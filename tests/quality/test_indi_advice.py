"""INDI 4.0 results come with advice for the weakest pillars (a data list per questionnaire version) and the open
classes that teach it; the phone wizard keeps its buttons on screen."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sentra.quality import selectors, services
from sentra.quality.models import IndiAdvice, IndiAnswer, IndiAssessment, IndiQuestion
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db

#: Pillar scores: Teknologi weakest (0), Manajemen next (1), the others 3 and 4.
SCORES = {"mo": 1, "ob": 3, "pl": 4, "tk": 0, "op": 3}


def _assessment(business=None, scores=SCORES) -> IndiAssessment:
    business = business or BusinessFactory()
    assessment = services.indi_start(actor=None, business=business)
    questions = IndiQuestion.objects.filter(pillar__version=assessment.questionnaire).select_related("pillar")
    IndiAnswer.objects.bulk_create(
        [IndiAnswer(assessment=assessment, question=q, score=scores[q.pillar.code]) for q in questions]
    )
    return services.indi_submit(actor=None, assessment=assessment)


def _open_batch(title, kind, region_id="74.71", status="open"):
    from tests.training.factories import make_batch, make_programme

    programme = make_programme(region_id=region_id)
    programme.title = title
    programme.kind = kind
    programme.save()
    today = dt.date.today()
    return make_batch(
        region_id=region_id,
        programme=programme,
        start=today + dt.timedelta(days=14),
        end=today + dt.timedelta(days=19),
        status=status,
    )


def test_seeded_advice_covers_every_pillar_in_two_bands():
    version = services.indi_current_version()
    for pillar in version.pillars.all():
        bands = sorted((a.min_score, a.below_score) for a in pillar.advice.all())
        assert bands == [(Decimal(0), Decimal(2)), (Decimal(2), Decimal(4))], pillar.code
        assert all(a.kinds for a in pillar.advice.all())


def test_advice_for_the_two_weakest_pillars_with_matching_open_classes(django_assert_max_num_queries):
    digital = _open_batch("Bimtek Digitalisasi Pencatatan Usaha", "bimtek")
    _open_batch("Bimtek Digitalisasi (ditutup)", "bimtek", status="closed")  # not open: never offered
    workshop = _open_batch("Lokakarya Teknologi Digital", "workshop")  # kind not named by the advice
    business_class = _open_batch("Pelatihan Manajemen Wirausaha", "pelatihan")
    assessment = _assessment()
    rows = selectors.indi_pillar_rows(assessment, None)
    with django_assert_max_num_queries(2):
        advice = selectors.indi_advice(assessment, rows)
    assert [(a.pillar, a.score) for a in advice] == [("Teknologi", Decimal(0)), ("Manajemen dan Organisasi", 1)]
    tech, management = advice
    assert tech.advice.title == "Amankan dan digitalkan pencatatan"
    assert [b.pk for b in tech.classes] == [digital.pk]
    assert workshop.pk not in [b.pk for a in advice for b in a.classes]
    assert [b.pk for b in management.classes] == [business_class.pk]


def test_result_page_shows_advice_and_links_to_the_application(client_for, officer_region_a):
    batch = _open_batch("Bimtek Digitalisasi Pencatatan Usaha", "bimtek")
    assessment = _assessment()
    html = client_for(officer_region_a).get(assessment.get_absolute_url()).content.decode()
    assert 'data-testid="indi-advice"' in html and "Saran untuk pilar terlemah" in html
    assert "Amankan dan digitalkan pencatatan" in html
    assert f'href="{reverse("training:apply", args=[batch.pk])}"' in html


def test_advice_without_open_class_points_to_all_open_classes(client_for, officer_region_a):
    assessment = _assessment()
    html = client_for(officer_region_a).get(assessment.get_absolute_url()).content.decode()
    assert "Belum ada kelas yang dibuka untuk topik ini." in html
    assert reverse("training:open_batches") in html


def test_advice_is_data_an_edit_shows_on_the_next_result(client_for, officer_region_a):
    row = IndiAdvice.objects.get(pillar__version=services.indi_current_version(), pillar__code="tk", min_score=0)
    row.title = "Mulai dengan aplikasi kasir"
    row.save()
    assessment = _assessment()
    html = client_for(officer_region_a).get(assessment.get_absolute_url()).content.decode()
    assert "Mulai dengan aplikasi kasir" in html


def test_strong_result_gets_no_advice_and_bad_rows_are_refused():
    assessment = _assessment(scores=dict.fromkeys(SCORES, 4))
    assert selectors.indi_advice(assessment, selectors.indi_pillar_rows(assessment, None)) == []
    pillar = services.indi_current_version().pillars.first()
    bad = IndiAdvice(pillar=pillar, title="x", text="y", class_kinds="pelatihan, kursus", min_score=2, below_score=1)
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert "kursus" in str(exc.value)


def test_wizard_keeps_the_question_above_its_options_and_the_buttons_in_a_sticky_footer(
    client_for, owner_user, owned_business
):
    client = client_for(owner_user)
    client.post(reverse("quality:indi_start", args=[owned_business.pk]))
    assessment = IndiAssessment.objects.get(business=owned_business)
    html = client.get(reverse("quality:indi_step", args=[assessment.pk, 1])).content.decode()
    assert 'class="fs-6 mb-3 indi-question"' in html and 'data-testid="indi-nav"' in html
    from pathlib import Path

    import sentra

    css = (Path(sentra.__file__).parent / "static" / "sentra" / "quality.css").read_text()
    assert ".indi-nav { position: sticky; bottom: 0;" in css and ".indi-question { float: none;" in css
