import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sentra.periodic.periods import last_closed_period, parse_period, period_containing, recent_periods


def test_codes_labels_and_neighbours():
    p = parse_period("202403")
    assert (p.start, p.end, p.code, p.label) == (dt.date(2024, 3, 1), dt.date(2024, 3, 31), "202403", "Maret 2024")
    assert p.previous().code == "202402" and parse_period("202401").previous().code == "202312"
    q = parse_period("2024q4")
    assert (q.start, q.end, q.next().code) == (dt.date(2024, 10, 1), dt.date(2024, 12, 31), "2025Q1")
    s = parse_period("2024S2")
    assert (s.start, s.end, s.previous().code) == (dt.date(2024, 7, 1), dt.date(2024, 12, 31), "2024S1")


@pytest.mark.parametrize("bad", ["", "2024", "202413", "2024Q5", "2024S3", "abcdef", "2024-03"])
def test_bad_codes_are_refused_with_a_message(bad):
    with pytest.raises(ValidationError) as exc:
        parse_period(bad)
    assert "tidak dikenal" in exc.value.messages[0]


def test_last_closed_and_recent_periods():
    today = dt.date(2026, 11, 29)
    assert last_closed_period(today, "monthly").code == "202610"
    assert last_closed_period(today, "quarterly").code == "2026Q3"
    assert last_closed_period(today, "semester").code == "2026S1"
    assert period_containing(today, "quarterly").code == "2026Q4"
    assert [p.code for p in recent_periods(today, "monthly", 3)] == ["202610", "202609", "202608"]
