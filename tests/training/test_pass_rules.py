import datetime as dt
from decimal import Decimal

import pytest

from sentra.training import services
from sentra.training.models import Programme
from tests.training.factories import complete_participant, make_batch, make_participant

PROGRAMME = Programme(min_attendance_pct=80, min_post_test=Decimal(60))


@pytest.mark.parametrize(
    ("present", "days", "post", "expected"),
    [
        (4, 5, "60", True),  # exactly 80 % and exactly the minimum score
        (4, 5, "59.99", False),
        (3, 5, "100", False),  # 60 % attendance
        (5, 6, "60.00", True),  # 83.3 %
        (4, 6, "90", False),  # 66.7 %
        (6, 6, None, False),  # no post-test
        (0, 0, "90", False),  # no days at all
    ],
)
def test_pass_rule_edges(present, days, post, expected):
    post_test = Decimal(post) if post is not None else None
    assert services.passes(present_days=present, total_days=days, post_test=post_test, programme=PROGRAMME) is expected


def test_exact_percentage_that_a_float_would_round_wrongly():
    programme = Programme(min_attendance_pct=70, min_post_test=Decimal(0))
    # 7 of 10 days is exactly 70 %: passes.
    assert services.passes(present_days=7, total_days=10, post_test=Decimal(0), programme=programme)


@pytest.mark.django_db
def test_assess_batch_at_the_edges():
    # 5 working days (Mon 15 – Sat 20 August 2022, the 17th skipped): 4/5 = exactly 80 %.
    batch = make_batch(start=dt.date(2022, 8, 15), end=dt.date(2022, 8, 20))
    exact = complete_participant(make_participant(batch), present_days=4, post="60")
    short = complete_participant(make_participant(batch), present_days=3, post="95")
    low = complete_participant(make_participant(batch), present_days=5, post="59.99")
    counts = services.batch_assess(actor=None, batch=batch)
    assert counts == {"passed": 1, "failed": 2}
    for p in (exact, short, low):
        p.refresh_from_db()
    assert exact.result == "passed" and exact.attendance_pct == Decimal("80.00")
    assert short.result == "failed" and low.result == "failed"
    assert exact.gain == Decimal("20.00")


@pytest.mark.django_db
def test_scores_out_of_range_are_refused_and_change_nothing():
    from django.core.exceptions import ValidationError

    batch = make_batch()
    p = make_participant(batch)
    services.scores_set(actor=None, participant=p, pre_test=Decimal(40), post_test=Decimal(70))
    with pytest.raises(ValidationError):
        services.scores_set(actor=None, participant=p, pre_test=Decimal(40), post_test=Decimal("100.5"))
    p.refresh_from_db()
    assert p.post_test == Decimal(70)
