"""Link to training: a batch schedules assessments before and after; its quality page shows the change."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sentra.core.scope import OutOfScope
from sentra.quality import services
from tests.quality.factories import iso_version, score_all
from tests.training.factories import make_batch, make_participant

pytestmark = pytest.mark.django_db


def _assess(actor, business, batch, phase, on, score):
    a = services.assessment_start(
        actor=actor, business=business, checklist=iso_version(), assessed_on=on, phase=phase, batch=batch
    )
    score_all(a, score)
    services.assessment_complete(actor=actor, assessment=a)
    return a


def test_batch_page_shows_before_after_change(client_for, world):
    batch = make_batch()
    p1, p2 = make_participant(batch), make_participant(batch)
    _assess(world.officer_a, p1.business, batch, "before", dt.date(2022, 7, 18), 1)
    _assess(world.officer_a, p1.business, batch, "after", dt.date(2022, 10, 20), 3)
    _assess(world.officer_a, p2.business, batch, "before", dt.date(2022, 7, 19), 2)
    response = client_for(world.officer_a).get(reverse("quality:batch_quality", args=[batch.pk]))
    data = response.context["data"]
    assert data["complete"] == 1 and data["improved"] == 1
    assert data["mean_before"] == Decimal("25.00") and data["mean_after"] == Decimal("75.00")
    assert data["mean_change"] == Decimal("50.00")
    assert len(data["pairs"]) == 2
    assert all(delta == Decimal("50.00") for _n, _b, _a, delta in data["sections"])
    partial = client_for(world.officer_a).get(reverse("quality:batch_quality", args=[batch.pk]), HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and 'data-testid="batch-quality"' in partial.content.decode()


def test_batch_rules(world):
    batch = make_batch()
    participant = make_participant(batch)
    outsider = make_participant(make_batch())
    with pytest.raises(ValidationError, match="bukan peserta"):
        _assess(world.officer_a, outsider.business, batch, "before", dt.date(2022, 7, 1), 1)
    with pytest.raises(ValidationError, match="tahap"):
        _assess(world.officer_a, participant.business, batch, "", dt.date(2022, 7, 1), 1)
    with pytest.raises(ValidationError, match="sebelum pelatihan"):
        _assess(world.officer_a, participant.business, batch, "before", dt.date(2022, 7, 20), 1)
    with pytest.raises(ValidationError, match="sesudah pelatihan"):
        _assess(world.officer_a, participant.business, batch, "after", dt.date(2022, 7, 24), 1)
    with pytest.raises(OutOfScope):  # the one write-scope error (a 404 on pages and in the API)
        _assess(world.officer_b, participant.business, batch, "before", dt.date(2022, 7, 1), 1)
    with pytest.raises(ValidationError, match="kelas pelatihan"):
        services.assessment_start(
            actor=world.officer_a,
            business=participant.business,
            checklist=iso_version(),
            assessed_on=dt.date(2022, 7, 1),
            phase="before",
        )
